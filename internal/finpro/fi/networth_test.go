package fi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

func value(t *testing.T, ft finpro.FIType, raw string) fi.Valuation {
	t.Helper()
	d, issues := fi.DecodeRaw(ft, []byte(raw))
	if len(issues.Malformed) != 0 {
		t.Fatalf("DecodeRaw(%s) malformed = %v", ft, issues.Malformed)
	}
	return d.Valuation()
}

func TestValuation(t *testing.T) {
	tests := []struct {
		name string
		ft   finpro.FIType
		raw  string
		want fi.Valuation
	}{
		{"deposit", fi.TypeDeposit, `{"Summary":{"currentBalance":"-5.50","currency":"usd"}}`,
			fi.Valuation{Class: fi.AssetCash, Currency: "USD", Value: "-5.50"}},
		{"deposit without currency is INR", fi.TypeDeposit, `{"Summary":{"currentBalance":"10"}}`,
			fi.Valuation{Class: fi.AssetCash, Currency: "INR", Value: "10"}},
		{"deposit without summary", fi.TypeDeposit, `{}`,
			fi.Valuation{Class: fi.AssetCash, Currency: "INR", Missing: "no summary"}},
		{"term deposit", fi.TypeTermDeposit, `{"Summary":{"currentValue":"105000.00","principalAmount":"100000.00"}}`,
			fi.Valuation{Class: fi.AssetDeposits, Currency: "INR", Value: "105000.00", Invested: "100000.00"}},
		// 12.345 × 101.10 = 1248.0795 and 2 × 50 = 100.00: 1348.0795.
		{"mutual funds from holdings", fi.TypeMutualFunds, `{"Summary":{"investmentValue":"1200","Investment":{"Holdings":{"Holding":[
			{"closingUnits":"12.345","units":"99","nav":"101.10"},{"units":"2","nav":"50"}]}}}}`,
			fi.Valuation{Class: fi.AssetMutualFunds, Currency: "INR", Value: "1348.0795", Invested: "1200"}},
		{"mutual funds, a holding without NAV", fi.TypeMutualFunds, `{"Summary":{"Investment":{"Holdings":{"Holding":[{"units":"2"}]}}}}`,
			fi.Valuation{Class: fi.AssetMutualFunds, Currency: "INR", Missing: "no current value"}},
		// 10 × 234.09 = 2340.90.
		{"reit from holdings", fi.TypeREIT, `{"Summary":{"Investment":{"Holdings":{"Holding":{"totalNumberUnits":"10","lastClosingRate":"234.09"}}}}}`,
			fi.Valuation{Class: fi.AssetAlternative, Currency: "INR", Value: "2340.90"}},
		{"nps from tiers", fi.TypeNPS, `{"Summary":{"Holdings":{"Tier1Holdings":{"investmentCost":"200","investmentValue":"180.25"},"Tier2Holdings":{"investmentCost":"100","investmentValue":"190"}}}}`,
			fi.Valuation{Class: fi.AssetPension, Currency: "INR", Value: "370.25", Invested: "300"}},
		{"insurance is not valued", fi.TypeLifeInsurance, `{"Summary":{"sumAssured":"1000000"}}`,
			fi.Valuation{Class: fi.AssetInsurance, Currency: "INR", Missing: "not valued"}},
		{"equities prefer the summary", fi.TypeEquities, `{"Summary":{"currentValue":"20.0","Investment":{"Holdings":{"Holding":{"units":"1","lastTradedPrice":"5"}}}}}`,
			fi.Valuation{Class: fi.AssetEquity, Currency: "INR", Value: "20.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, value(t, tt.ft, tt.raw)); diff != "" {
				t.Errorf("Valuation() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNetWorth(t *testing.T) {
	accs := []fi.AccountValue{
		{"a1", fi.TypeDeposit, value(t, fi.TypeDeposit, `{"Summary":{"currentBalance":"100000000000.01"}}`)},
		{"a2", fi.TypeDeposit, value(t, fi.TypeDeposit, `{"Summary":{"currentBalance":"-5.50"}}`)},
		{"a3", fi.TypeDeposit, value(t, fi.TypeDeposit, `{"Summary":{"currentBalance":"0.10","currency":"USD"}}`)},
		{"a4", fi.TypeEquities, value(t, fi.TypeEquities, `{"Summary":{"currentValue":"0.20"}}`)},
		{"a5", fi.TypeLifeInsurance, value(t, fi.TypeLifeInsurance, `{}`)},
		{"a6", fi.TypeMutualFunds, fi.Valuation{Class: fi.ClassOf(fi.TypeMutualFunds), Missing: "fetch failed"}},
		{"a7", fi.TypeTermDeposit, value(t, fi.TypeTermDeposit, `{"Summary":{"currentValue":"0.70"}}`)},
	}
	want := fi.NetWorth{
		Currencies: []fi.CurrencyTotal{
			// 100000000000.01 - 5.50 = 99999999994.51; + 0.20 + 0.70 = 99999999995.41
			{Currency: "INR", Total: "99999999995.41", Classes: []fi.ClassTotal{
				{Class: fi.AssetCash, Total: "99999999994.51", Accounts: 2},
				{Class: fi.AssetDeposits, Total: "0.70", Accounts: 1},
				{Class: fi.AssetEquity, Total: "0.20", Accounts: 1},
			}},
			{Currency: "USD", Total: "0.10", Classes: []fi.ClassTotal{{Class: fi.AssetCash, Total: "0.10", Accounts: 1}}},
		},
		Missing: []fi.MissingAccount{
			{"a5", fi.TypeLifeInsurance, fi.AssetInsurance, "not valued"},
			{"a6", fi.TypeMutualFunds, fi.AssetMutualFunds, "fetch failed"},
		},
	}
	if diff := cmp.Diff(want, fi.Sum(accs)); diff != "" {
		t.Errorf("Sum() (-want +got):\n%s", diff)
	}
	if got := fi.Sum(nil); len(got.Currencies) != 0 || len(got.Missing) != 0 {
		t.Errorf("Sum(nil) = %+v", got)
	}
}

func TestGenericIsSafeAndBounded(t *testing.T) {
	raw := `{"fiType":"GSTR1_3B","Profile":{"Holders":{"Holder":{"name":"Asha","pan":"ABCDE1234F"}}},
		"Summary":{"gstin":"27ABCDE1234F1Z5","legalName":"Asha Traders","returnPeriod":"032026","taxableValue":"125000.50",
			"contact":"asha@example.com","phone2":"9876543210","Section":{"Item":[{"rate":"18","tax":"22500.09"},{"rate":"5","tax":"10"}]},
			"note":"` + strings.Repeat("é", 200) + `","currentValue":"42.00"},
		"Transactions":{"startDate":"2026-03-01","endDate":"2026-03-31","Transaction":{"txnId":"T1","amount":"10","ref":"ABCDE1234F"}}}`
	d, _ := fi.DecodeRaw(fi.TypeGSTR13B, []byte(raw))
	g := d.(*fi.Generic)
	wantSummary := []fi.Field{
		{"returnPeriod", "032026"}, {"taxableValue", "125000.50"},
		{"Section/Item[0]/rate", "18"}, {"Section/Item[0]/tax", "22500.09"}, {"Section/Item[1]/rate", "5"}, {"Section/Item[1]/tax", "10"},
		{"note", strings.Repeat("é", 128)}, {"currentValue", "42.00"},
	}
	if diff := cmp.Diff(wantSummary, g.Summary); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	if g.Redacted != 5 || !g.Truncated {
		t.Errorf("Redacted = %d, Truncated = %v; want 5 (gstin, legalName, contact, phone2, ref) and true", g.Redacted, g.Truncated)
	}
	if diff := cmp.Diff([][]fi.Field{{{"txnId", "T1"}, {"amount", "10"}}}, g.Transactions); diff != "" {
		t.Errorf("Transactions (-want +got):\n%s", diff)
	}
	if g.StartDate != "2026-03-01" || g.EndDate != "2026-03-31" {
		t.Errorf("period = %s..%s", g.StartDate, g.EndDate)
	}
	if v := g.Valuation(); v.Value != "42.00" || v.Class != fi.AssetOther {
		t.Errorf("Valuation() = %+v", v)
	}
	// Bounds: more fields and transactions than the limits.
	var b strings.Builder
	b.WriteString(`{"Summary":{`)
	for i := range fi.MaxGenericFields + 10 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"f` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `":"` + "v" + `"`)
	}
	b.WriteString(`},"Transactions":{"Transaction":[`)
	for i := range fi.MaxGenericTransactions + 5 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"amount":"1"}`)
	}
	b.WriteString(`]}}`)
	d, _ = fi.DecodeRaw(fi.TypeOther, []byte(b.String()))
	g = d.(*fi.Generic)
	if len(g.Summary) > fi.MaxGenericFields || len(g.Transactions) != fi.MaxGenericTransactions || !g.Truncated {
		t.Errorf("bounded view: %d fields, %d transactions, truncated %v", len(g.Summary), len(g.Transactions), g.Truncated)
	}
}

// TestInvested: a class's invested amount is the exact sum of its accounts'
// when every one has one, and absent as soon as one has none.
func TestInvested(t *testing.T) {
	eq := func(cur, inv string) fi.Valuation {
		return value(t, fi.TypeEquities, `{"Summary":{"currentValue":"`+cur+`","investmentValue":"`+inv+`"}}`)
	}
	got := fi.Sum([]fi.AccountValue{
		{"e1", fi.TypeEquities, eq("10.05", "8.10")},
		{"e2", fi.TypeETF, eq("1.00", "0.905")},
		{"m1", fi.TypeMutualFunds, value(t, fi.TypeMutualFunds, `{"Summary":{"currentValue":"3"}}`)},
		{"m2", fi.TypeMutualFunds, value(t, fi.TypeMutualFunds, `{"Summary":{"currentValue":"4","investmentValue":"5"}}`)},
	})
	want := []fi.ClassTotal{
		{Class: fi.AssetEquity, Total: "11.05", Invested: "9.005", Accounts: 2},
		{Class: fi.AssetMutualFunds, Total: "7", Accounts: 2}, // m1 says nothing of its cost
	}
	if diff := cmp.Diff(want, got.Currencies[0].Classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
}

// TestSIPFundOverlap: a SIP's plans that a MUTUAL_FUNDS statement also holds
// (same folio and ISIN) are not counted twice.
func TestSIPFundOverlap(t *testing.T) {
	mf, _ := fi.DecodeRaw(fi.TypeMutualFunds, []byte(`{"Summary":{"currentValue":"500","Investment":{"Holdings":{"Holding":[
		{"folioNo":"F1","isin":"INF1","closingUnits":"10","nav":"50"}]}}}}`))
	held := fi.FundHoldings(mf.(*fi.MutualFunds))
	sip := func(raw string) *fi.SIP {
		d, _ := fi.DecodeRaw(fi.TypeSIP, []byte(raw))
		return d.(*fi.SIP)
	}
	tests := []struct {
		name, raw string
		value     fi.Decimal
		duplicate bool
	}{
		{"every plan held", `{"Summary":{"folioNo":"F1","currentValue":"500","Holdings":{"Holding":[{"isin":"INF1","units":"10","nav":"50"}]}}}`, "", true},
		{"one of two held", `{"Summary":{"folioNo":"F1","currentValue":"530.25","Holdings":{"Holding":[{"isin":"INF1","value":"500"},{"isin":"INF2","units":"1.5","nav":"20.17"}]}}}`, "30.255", false},
		{"another folio", `{"Summary":{"folioNo":"F2","currentValue":"500","Holdings":{"Holding":[{"isin":"INF1","value":"500"}]}}}`, "500", false},
	}
	for _, tt := range tests {
		v, dup := sip(tt.raw).ValuationWithout(held)
		if v.Value != tt.value || dup != tt.duplicate {
			t.Errorf("%s: value %q duplicate %v, want %q %v", tt.name, v.Value, dup, tt.value, tt.duplicate)
		}
	}
}
