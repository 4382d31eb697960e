package plugins

import (
	"reflect"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// every is the registry resolvers.New builds.
func every() *fitype.Registry { return fitype.NewRegistry(All()...) }

func TestRegistryPicksPlugin(t *testing.T) {
	r := every()
	consent := &model.Consent{ConsentID: model.StringPtr("c1"), Ref: relay.ConsentRef("h1", "c1")}
	want := map[finpro.FIType]string{
		"DEPOSIT": "DepositAccount", "TERM_DEPOSIT": "TermDepositAccount", "RECURRING_DEPOSIT": "RecurringDepositAccount",
		"SIP": "SIPAccount", "CP": "CommercialPaperAccount", "GOVT_SECURITIES": "GovtSecuritiesAccount",
		"EQUITIES": "EquitiesAccount", "BONDS": "BondsAccount", "DEBENTURES": "DebenturesAccount",
		"MUTUAL_FUNDS": "MutualFundAccount", "ETF": "ETFAccount", "IDR": "IDRAccount", "CIS": "CISAccount",
		"AIF": "AIFAccount", "INSURANCE_POLICIES": "InsurancePolicyAccount", "NPS": "NPSAccount",
		"INVIT": "InvITAccount", "REIT": "REITAccount", "GSTR1_3B": "OtherAccount",
		"LIFE_INSURANCE": "InsurancePolicyAccount", "GENERAL_INSURANCE": "InsurancePolicyAccount", "OTHER": "OtherAccount",
		"CREDIT_CARD": "OtherAccount", // a type FinPro may add
	}
	for _, ft := range fi.Types {
		if _, ok := want[ft]; !ok {
			t.Errorf("FI type %s of the seeds has no expectation", ft)
		}
	}
	for fiType, name := range want {
		a := r.Account(consent, finpro.LinkedAccount{LinkReferenceNumber: "l1", FIType: fiType})
		if got := reflect.TypeOf(a).Elem().Name(); got != name {
			t.Errorf("Account(%s) is a %s, want %s", fiType, got, name)
		}
		if a.Base().ConsentRef() != "c1" || a.Base().ID() != relay.AccountID("h.h1", "l1") {
			t.Errorf("Account(%s) base = %+v", fiType, a.Base())
		}
	}
}

func TestRegistryPanicsOnDuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewRegistry with two DEPOSIT plugins did not panic")
		}
	}()
	fitype.NewRegistry(fitype.PluginOf[DepositAccount](fi.TypeDeposit), fitype.PluginOf[TermDepositAccount](fi.TypeDeposit))
}
