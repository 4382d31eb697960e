package securities

import (
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// CommercialPaper is a CP account, schema commercial_paper/cp.xsd.
type CommercialPaper struct {
	Profile      *rebit.Profile                           `fi:"Profile"`
	Summary      *CommercialPaperSummary                  `fi:"Summary"`
	Transactions *rebit.Transactions[SecurityTransaction] `fi:"Transactions"`
}

// CommercialPaperSummary is the cp Summary element.
type CommercialPaperSummary struct {
	InvestmentValue rebit.Decimal            `fi:"investmentValue"`
	CurrentValue    rebit.Decimal            `fi:"currentValue"`
	Holdings        []CommercialPaperHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// CommercialPaperHolding is one cp Holding.
type CommercialPaperHolding struct {
	// Scheme is FIXED_INTEREST_RATE, T_NOTES, T_BONDS or OTHERS.
	Scheme             string        `fi:"scheme,enum=SecurityScheme"`
	InvestmentValue    rebit.Decimal `fi:"investmentValue"`
	CurrentValue       rebit.Decimal `fi:"currentValue"`
	ISIN               string        `fi:"isin"`
	Units              rebit.Decimal `fi:"units"`
	FaceValue          rebit.Decimal `fi:"faceValue"`
	Symbol             string        `fi:"symbol"`
	Description        string        `fi:"description"`
	IssuerName         string        `fi:"issuerName"`
	CreditRating       string        `fi:"creditRating"`
	CreditRatingAgency string        `fi:"creditRatingAgency"`
	IssueDate          rebit.Date    `fi:"issueDate"`
	PrincipalAmount    rebit.Decimal `fi:"principalAmount"`
	TenureYears        *int          `fi:"tenureYears"`
	TenureMonths       *int          `fi:"tenureMonths"`
	TenureDays         *int          `fi:"tenureDays"`
	MaturityDate       rebit.Date    `fi:"maturityDate"`
	AuctionDate        rebit.Date    `fi:"auctionDate"`
}

// Valuation is the current value (else Σ the holdings' current values).
func (a *CommercialPaper) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetFixedIncome)
	}
	return calc.Valued(rebit.AssetFixedIncome, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return s.Holdings[i].CurrentValue, s.Holdings[i].CurrentValue != ""
	})
}
