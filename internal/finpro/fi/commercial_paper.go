package fi

// CommercialPaper is a CP account, schema commercial_paper/cp.xsd.
type CommercialPaper struct {
	Profile      *Profile                           `fi:"Profile"`
	Summary      *CommercialPaperSummary            `fi:"Summary"`
	Transactions *Transactions[SecurityTransaction] `fi:"Transactions"`
}

// CommercialPaperSummary is the cp Summary element.
type CommercialPaperSummary struct {
	InvestmentValue Decimal                  `fi:"investmentValue"`
	CurrentValue    Decimal                  `fi:"currentValue"`
	Holdings        []CommercialPaperHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// CommercialPaperHolding is one cp Holding.
type CommercialPaperHolding struct {
	// Scheme is FIXED_INTEREST_RATE, T_NOTES, T_BONDS or OTHERS.
	Scheme             string  `fi:"scheme,enum=SecurityScheme"`
	InvestmentValue    Decimal `fi:"investmentValue"`
	CurrentValue       Decimal `fi:"currentValue"`
	ISIN               string  `fi:"isin"`
	Units              Decimal `fi:"units"`
	FaceValue          Decimal `fi:"faceValue"`
	Symbol             string  `fi:"symbol"`
	Description        string  `fi:"description"`
	IssuerName         string  `fi:"issuerName"`
	CreditRating       string  `fi:"creditRating"`
	CreditRatingAgency string  `fi:"creditRatingAgency"`
	IssueDate          Date    `fi:"issueDate"`
	PrincipalAmount    Decimal `fi:"principalAmount"`
	TenureYears        *int    `fi:"tenureYears"`
	TenureMonths       *int    `fi:"tenureMonths"`
	TenureDays         *int    `fi:"tenureDays"`
	MaturityDate       Date    `fi:"maturityDate"`
	AuctionDate        Date    `fi:"auctionDate"`
}

// Valuation is the current value (else Σ the holdings' current values).
func (a *CommercialPaper) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetFixedIncome)
	}
	return valued(AssetFixedIncome, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return s.Holdings[i].CurrentValue, s.Holdings[i].CurrentValue != ""
	})
}
