package securities

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// Debentures is a DEBENTURES account, schema debentures/debentures.xsd.
type Debentures struct {
	Profile      *rebit.Profile                            `fi:"Profile"`
	Summary      *DebenturesSummary                        `fi:"Summary"`
	Transactions *rebit.Transactions[DebentureTransaction] `fi:"Transactions"`
}

// DebenturesSummary is the debentures Summary element.
type DebenturesSummary struct {
	InvestmentValue rebit.Decimal      `fi:"investmentValue"`
	CurrentValue    rebit.Decimal      `fi:"currentValue"`
	Holdings        []DebentureHolding `fi:"Holdings/Holding|Investment/Holdings/Holding"`
}

// DebentureHolding is one debentures Holding.
type DebentureHolding struct {
	ISIN      string        `fi:"isin"`
	Units     rebit.Decimal `fi:"units"`
	FaceValue rebit.Decimal `fi:"faceValue"`
	// Coupon is the annual interest rate in percent.
	Coupon               rebit.Decimal `fi:"coupon"`
	FixedIncomePortfolio string        `fi:"fixedIncomePortfolio"`
	Symbol               string        `fi:"symbol"`
	IssuerName           string        `fi:"issuerName"`
	Description          string        `fi:"description"`
	CreditRating         string        `fi:"creditRating"`
	// Taxable is YES or NO in this schema, read as a boolean.
	Taxable         *bool         `fi:"taxable"`
	IssueDate       rebit.Date    `fi:"issueDate"`
	PrincipalAmount rebit.Decimal `fi:"principalAmount"`
	TenureDays      *int          `fi:"tenureDays"`
	TenureMonths    *int          `fi:"tenureMonths"`
	TenureYears     *int          `fi:"tenureYears"`
	// Yield is the yield in percent.
	Yield          rebit.Decimal `fi:"yield"`
	MaturityDate   rebit.Date    `fi:"maturityDate"`
	LastTradedRate rebit.Decimal `fi:"lastTradedRate"`
	LastTradedDate rebit.Date    `fi:"lastTradedDate"`
}

// DebentureTransaction is one debentures Transaction.
type DebentureTransaction struct {
	TxnID               string        `fi:"txnId"`
	ISIN                string        `fi:"isin"`
	Narration           string        `fi:"narration"`
	TransactionDateTime time.Time     `fi:"transactionDateTime"`
	Rate                rebit.Decimal `fi:"rate"`
	// Type is OPENING, INTEREST, TDS, INSTALLMENT, CLOSING or OTHERS.
	Type        string        `fi:"type,enum=TermTransactionType"`
	Units       rebit.Decimal `fi:"units"`
	Currency    string        `fi:"currency,default=INR"` // INR when absent
	TradeValue  rebit.Decimal `fi:"tradeValue"`
	TotalCharge rebit.Decimal `fi:"totalCharge"`
	OtherTaxes  rebit.Decimal `fi:"otherTaxes"`
}

// Valuation is the current value (else Σ units × last traded rate).
func (a *Debentures) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetFixedIncome)
	}
	return calc.Valued(rebit.AssetFixedIncome, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].Units, s.Holdings[i].LastTradedRate)
	})
}

// Common implements Txn.
func (t *DebentureTransaction) Common() rebit.Common {
	return rebit.Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration, At: t.TransactionDateTime}
}
