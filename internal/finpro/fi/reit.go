package fi

// REIT is a REIT account (real estate investment trust units), schema
// real_estate_investment_trusts/reit.xsd: the InvIT shape plus the holding's
// nominee status.
type REIT struct {
	Profile      *Profile                        `fi:"Profile"`
	Summary      *REITSummary                    `fi:"Summary"`
	Transactions *Transactions[InvITTransaction] `fi:"Transactions"`
}

// REITSummary is the reit Summary element.
type REITSummary struct {
	InvestmentValue Decimal       `fi:"investmentValue"`
	CurrentValue    Decimal       `fi:"currentValue"`
	Holdings        []REITHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// REITHolding is one reit Holding.
type REITHolding struct {
	InvITHolding
	// NomineeStatus is REGISTERED or NOT_REGISTERED.
	NomineeStatus string `fi:"nomineeStatus,enum=Nominee"`
}

// Valuation is the current value (else Σ units × last closing rate).
func (a *REIT) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetAlternative)
	}
	return valued(AssetAlternative, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return product(s.Holdings[i].TotalNumberUnits, s.Holdings[i].LastClosingRate)
	})
}
