package funds

import (
	"cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// FolioISIN identifies a scheme holding of a folio.
type FolioISIN struct{ Folio, ISIN string }

// FundHoldings returns the (folio, ISIN) pairs the MUTUAL_FUNDS statements
// hold, for [SIP.ValuationWithout].
func FundHoldings(funds ...*MutualFunds) map[FolioISIN]bool {
	out := map[FolioISIN]bool{}
	for _, f := range funds {
		if f == nil || f.Summary == nil {
			continue
		}
		for _, h := range f.Summary.Holdings {
			if h.FolioNo != "" && h.ISIN != "" {
				out[FolioISIN{h.FolioNo, h.ISIN}] = true
			}
		}
	}
	return out
}

// ValuationWithout values a SIP without the plans whose units a MUTUAL_FUNDS
// statement also holds (held, from FundHoldings): an RTA reports a plan's
// units in both, and a customer who links both would have them counted
// twice. duplicate reports that every plan is held there (the SIP adds
// nothing); a SIP sharing some plans is the sum of the others' values.
func (a *SIP) ValuationWithout(held map[FolioISIN]bool) (v rebit.Valuation, duplicate bool) {
	s := a.Summary
	if s == nil || len(held) == 0 {
		return a.Valuation(), false
	}
	var own []SIPHolding
	for _, h := range s.Holdings {
		if !held[FolioISIN{cmp.Or(h.FolioNo, s.FolioNo), h.ISIN}] {
			own = append(own, h)
		}
	}
	switch len(own) {
	case len(s.Holdings):
		return a.Valuation(), false
	case 0:
		return rebit.Valuation{Class: rebit.AssetMutualFunds, Currency: wire.DefaultCurrency, Missing: "duplicate"}, true
	}
	return calc.Valued(rebit.AssetMutualFunds, "", "", len(own), func(i int) (rebit.Decimal, bool) {
		if own[i].Value != "" {
			return own[i].Value, true
		}
		return calc.Product(own[i].Units, own[i].NAV)
	}), false
}
