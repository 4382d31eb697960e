package funds_test

import (
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// TestSIPFundOverlap: a SIP's plans that a MUTUAL_FUNDS statement also holds
// (same folio and ISIN) are not counted twice.
func TestSIPFundOverlap(t *testing.T) {
	mf, _ := fi.DecodeRaw(fi.TypeMutualFunds, []byte(`{"Summary":{"currentValue":"500","Investment":{"Holdings":{"Holding":[
		{"folioNo":"F1","isin":"INF1","closingUnits":"10","nav":"50"}]}}}}`))
	held := funds.FundHoldings(mf.(*funds.MutualFunds))
	sip := func(raw string) *funds.SIP {
		d, _ := fi.DecodeRaw(fi.TypeSIP, []byte(raw))
		return d.(*funds.SIP)
	}
	tests := []struct {
		name, raw string
		value     rebit.Decimal
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
