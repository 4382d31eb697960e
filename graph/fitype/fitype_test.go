package fitype

import (
	"encoding/json"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func TestRegistryPicksPlugin(t *testing.T) {
	r := NewRegistry(Deposit{}, TermDeposit{}, RecurringDeposit{}, MutualFunds{})
	consent := &model.Consent{ConsentID: model.StringPtr("c1"), Ref: relay.ConsentRef("h1", "c1")}
	for fiType, want := range map[finpro.FIType]string{
		"DEPOSIT": "*fitype.DepositAccount", "TERM_DEPOSIT": "*fitype.TermDepositAccount",
		"RECURRING_DEPOSIT": "*fitype.RecurringDepositAccount", "MUTUAL_FUNDS": "*fitype.MutualFundAccount",
		"EQUITIES": "*fitype.OtherAccount",
	} {
		a := r.Account(consent, finpro.LinkedAccount{LinkReferenceNumber: "l1", FIType: fiType})
		if got := typeName(a); got != want {
			t.Errorf("Account(%s) is %s, want %s", fiType, got, want)
		}
		if a.Base().ConsentRef() != "c1" || a.Base().ID() != relay.AccountID("h.h1", "l1") {
			t.Errorf("Account(%s) base = %+v", fiType, a.Base())
		}
	}
}

func typeName(a Account) string {
	switch a.(type) {
	case *DepositAccount:
		return "*fitype.DepositAccount"
	case *TermDepositAccount:
		return "*fitype.TermDepositAccount"
	case *RecurringDepositAccount:
		return "*fitype.RecurringDepositAccount"
	case *MutualFundAccount:
		return "*fitype.MutualFundAccount"
	case *OtherAccount:
		return "*fitype.OtherAccount"
	}
	return "?"
}

func TestRegistryPanicsOnDuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewRegistry with two DEPOSIT plugins did not panic")
		}
	}()
	NewRegistry(Deposit{}, Deposit{})
}

func TestTextDecodesStringsAndNumbers(t *testing.T) {
	var s termDepositSummary
	raw := `{"currentValue":"105000.10","principalAmount":100000.00,"interestRate":7.25,"maturityDate":"2026-01-31","status":null}`
	if !decodeSummary(json.RawMessage(raw), &s) {
		t.Fatal("decodeSummary failed")
	}
	for _, tc := range []struct{ got, want string }{
		{string(s.CurrentValue), "105000.10"},
		{string(s.PrincipalAmount), "100000.00"},
		{string(s.InterestRate), "7.25"},
		{string(s.MaturityDate), "2026-01-31"},
		{string(s.Status), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("decoded %q, want %q", tc.got, tc.want)
		}
	}
}
