package networth_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/networth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

func value(t *testing.T, ft finpro.FIType, raw string) rebit.Valuation {
	t.Helper()
	d, issues := fi.DecodeRaw(ft, []byte(raw))
	if len(issues.Malformed) != 0 {
		t.Fatalf("DecodeRaw(%s) malformed = %v", ft, issues.Malformed)
	}
	return d.Valuation()
}

func TestNetWorth(t *testing.T) {
	accs := []networth.AccountValue{
		{"a1", fi.TypeDeposit, value(t, fi.TypeDeposit, `{"Summary":{"currentBalance":"100000000000.01"}}`)},
		{"a2", fi.TypeDeposit, value(t, fi.TypeDeposit, `{"Summary":{"currentBalance":"-5.50"}}`)},
		{"a3", fi.TypeDeposit, value(t, fi.TypeDeposit, `{"Summary":{"currentBalance":"0.10","currency":"USD"}}`)},
		{"a4", fi.TypeEquities, value(t, fi.TypeEquities, `{"Summary":{"currentValue":"0.20"}}`)},
		{"a5", fi.TypeLifeInsurance, value(t, fi.TypeLifeInsurance, `{}`)},
		{"a6", fi.TypeMutualFunds, rebit.Valuation{Class: networth.ClassOf(fi.TypeMutualFunds), Missing: "fetch failed"}},
		{"a7", fi.TypeTermDeposit, value(t, fi.TypeTermDeposit, `{"Summary":{"currentValue":"0.70"}}`)},
	}
	want := networth.NetWorth{
		Currencies: []networth.CurrencyTotal{
			// 100000000000.01 - 5.50 = 99999999994.51; + 0.20 + 0.70 = 99999999995.41
			{Currency: "INR", Total: "99999999995.41", Classes: []networth.ClassTotal{
				{Class: rebit.AssetCash, Total: "99999999994.51", Accounts: 2},
				{Class: rebit.AssetDeposits, Total: "0.70", Accounts: 1},
				{Class: rebit.AssetEquity, Total: "0.20", Accounts: 1},
			}},
			{Currency: "USD", Total: "0.10", Classes: []networth.ClassTotal{{Class: rebit.AssetCash, Total: "0.10", Accounts: 1}}},
		},
		Missing: []networth.MissingAccount{
			{"a5", fi.TypeLifeInsurance, rebit.AssetInsurance, "not valued"},
			{"a6", fi.TypeMutualFunds, rebit.AssetMutualFunds, "fetch failed"},
		},
	}
	if diff := cmp.Diff(want, networth.Sum(accs)); diff != "" {
		t.Errorf("Sum() (-want +got):\n%s", diff)
	}
	if got := networth.Sum(nil); len(got.Currencies) != 0 || len(got.Missing) != 0 {
		t.Errorf("Sum(nil) = %+v", got)
	}
}

// TestInvested: a class's invested amount is the exact sum of its accounts'
// when every one has one, and absent as soon as one has none.
func TestInvested(t *testing.T) {
	eq := func(cur, inv string) rebit.Valuation {
		return value(t, fi.TypeEquities, `{"Summary":{"currentValue":"`+cur+`","investmentValue":"`+inv+`"}}`)
	}
	got := networth.Sum([]networth.AccountValue{
		{"e1", fi.TypeEquities, eq("10.05", "8.10")},
		{"e2", fi.TypeETF, eq("1.00", "0.905")},
		{"m1", fi.TypeMutualFunds, value(t, fi.TypeMutualFunds, `{"Summary":{"currentValue":"3"}}`)},
		{"m2", fi.TypeMutualFunds, value(t, fi.TypeMutualFunds, `{"Summary":{"currentValue":"4","investmentValue":"5"}}`)},
	})
	want := []networth.ClassTotal{
		{Class: rebit.AssetEquity, Total: "11.05", Invested: "9.005", Accounts: 2},
		{Class: rebit.AssetMutualFunds, Total: "7", Accounts: 2}, // m1 says nothing of its cost
	}
	if diff := cmp.Diff(want, got.Currencies[0].Classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
}
