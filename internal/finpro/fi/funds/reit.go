package funds

import (
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// REIT is a REIT account (real estate investment trust units), schema
// real_estate_investment_trusts/reit.xsd: the InvIT shape plus the holding's
// nominee status.
type REIT struct {
	Profile      *rebit.Profile                        `fi:"Profile"`
	Summary      *REITSummary                          `fi:"Summary"`
	Transactions *rebit.Transactions[InvITTransaction] `fi:"Transactions"`
}

// REITSummary is the reit Summary element.
type REITSummary struct {
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	Holdings        []REITHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// REITHolding is one reit Holding.
type REITHolding struct {
	InvITHolding
	// NomineeStatus is REGISTERED or NOT_REGISTERED.
	NomineeStatus string `fi:"nomineeStatus,enum=Nominee"`
}

// Valuation is the current value (else Σ units × last closing rate).
func (a *REIT) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetAlternative)
	}
	return calc.Valued(rebit.AssetAlternative, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].TotalNumberUnits, s.Holdings[i].LastClosingRate)
	})
}
