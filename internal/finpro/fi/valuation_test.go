package fi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
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

func TestValuation(t *testing.T) {
	tests := []struct {
		name string
		ft   finpro.FIType
		raw  string
		want rebit.Valuation
	}{
		{
			"deposit", fi.TypeDeposit, `{"Summary":{"currentBalance":"-5.50","currency":"usd"}}`,
			rebit.Valuation{Class: rebit.AssetCash, Currency: "USD", Value: "-5.50"},
		},
		{
			"deposit without currency is INR", fi.TypeDeposit, `{"Summary":{"currentBalance":"10"}}`,
			rebit.Valuation{Class: rebit.AssetCash, Currency: "INR", Value: "10"},
		},
		{
			"deposit without summary", fi.TypeDeposit, `{}`,
			rebit.Valuation{Class: rebit.AssetCash, Currency: "INR", Missing: "no summary"},
		},
		{
			"term deposit", fi.TypeTermDeposit, `{"Summary":{"currentValue":"105000.00","principalAmount":"100000.00"}}`,
			rebit.Valuation{Class: rebit.AssetDeposits, Currency: "INR", Value: "105000.00", Invested: "100000.00"},
		},
		// 12.345 × 101.10 = 1248.0795 and 2 × 50 = 100.00: 1348.0795.
		{
			"mutual funds from holdings", fi.TypeMutualFunds, `{"Summary":{"investmentValue":"1200","Investment":{"Holdings":{"Holding":[
			{"closingUnits":"12.345","units":"99","nav":"101.10"},{"units":"2","nav":"50"}]}}}}`,
			rebit.Valuation{Class: rebit.AssetMutualFunds, Currency: "INR", Value: "1348.0795", Invested: "1200"},
		},
		{
			"mutual funds, a holding without NAV", fi.TypeMutualFunds, `{"Summary":{"Investment":{"Holdings":{"Holding":[{"units":"2"}]}}}}`,
			rebit.Valuation{Class: rebit.AssetMutualFunds, Currency: "INR", Missing: "no current value"},
		},
		// 3 × 10.5 = 31.50 (closing units before units) and 1.5 × 2 = 3.00 (a
		// product keeps two decimals at least): 34.50.
		{
			"cis from holdings", fi.TypeCIS, `{"Summary":{"investmentValue":"30","Holdings":{"Holding":[
			{"closingUnits":"3","units":"7","nav":"10.5"},{"units":"1.5","nav":"2"}]}}}`,
			rebit.Valuation{Class: rebit.AssetMutualFunds, Currency: "INR", Value: "34.50", Invested: "30"},
		},
		// 10 × 234.09 = 2340.90.
		{
			"reit from holdings", fi.TypeREIT, `{"Summary":{"Investment":{"Holdings":{"Holding":{"totalNumberUnits":"10","lastClosingRate":"234.09"}}}}}`,
			rebit.Valuation{Class: rebit.AssetAlternative, Currency: "INR", Value: "2340.90"},
		},
		{
			"nps from tiers", fi.TypeNPS, `{"Summary":{"Holdings":{"Tier1Holdings":{"investmentCost":"200","investmentValue":"180.25"},"Tier2Holdings":{"investmentCost":"100","investmentValue":"190"}}}}`,
			rebit.Valuation{Class: rebit.AssetPension, Currency: "INR", Value: "370.25", Invested: "300"},
		},
		{
			"insurance is not valued", fi.TypeLifeInsurance, `{"Summary":{"sumAssured":"1000000"}}`,
			rebit.Valuation{Class: rebit.AssetInsurance, Currency: "INR", Missing: "not valued"},
		},
		{
			"equities prefer the summary", fi.TypeEquities, `{"Summary":{"currentValue":"20.0","Investment":{"Holdings":{"Holding":{"units":"1","lastTradedPrice":"5"}}}}}`,
			rebit.Valuation{Class: rebit.AssetEquity, Currency: "INR", Value: "20.0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, value(t, tt.ft, tt.raw)); diff != "" {
				t.Errorf("Valuation() (-want +got):\n%s", diff)
			}
		})
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
		{"returnPeriod", "032026"},
		{"taxableValue", "125000.50"},
		{"Section/Item[0]/rate", "18"},
		{"Section/Item[0]/tax", "22500.09"},
		{"Section/Item[1]/rate", "5"},
		{"Section/Item[1]/tax", "10"},
		{"note", strings.Repeat("é", 128)},
		{"currentValue", "42.00"},
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
	if v := g.Valuation(); v.Value != "42.00" || v.Class != rebit.AssetOther {
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
