package fi

import "time"

// Debentures is a DEBENTURES account, schema debentures/debentures.xsd.
type Debentures struct {
	Profile      *Profile                            `fi:"Profile"`
	Summary      *DebenturesSummary                  `fi:"Summary"`
	Transactions *Transactions[DebentureTransaction] `fi:"Transactions"`
}

// DebenturesSummary is the debentures Summary element.
type DebenturesSummary struct {
	InvestmentValue Decimal            `fi:"investmentValue"`
	CurrentValue    Decimal            `fi:"currentValue"`
	Holdings        []DebentureHolding `fi:"Holdings/Holding|Investment/Holdings/Holding"`
}

// DebentureHolding is one debentures Holding.
type DebentureHolding struct {
	ISIN      string  `fi:"isin"`
	Units     Decimal `fi:"units"`
	FaceValue Decimal `fi:"faceValue"`
	// Coupon is the annual interest rate in percent.
	Coupon               Decimal `fi:"coupon"`
	FixedIncomePortfolio string  `fi:"fixedIncomePortfolio"`
	Symbol               string  `fi:"symbol"`
	IssuerName           string  `fi:"issuerName"`
	Description          string  `fi:"description"`
	CreditRating         string  `fi:"creditRating"`
	// Taxable is YES or NO in this schema, read as a boolean.
	Taxable         *bool   `fi:"taxable"`
	IssueDate       Date    `fi:"issueDate"`
	PrincipalAmount Decimal `fi:"principalAmount"`
	TenureDays      *int    `fi:"tenureDays"`
	TenureMonths    *int    `fi:"tenureMonths"`
	TenureYears     *int    `fi:"tenureYears"`
	// Yield is the yield in percent.
	Yield          Decimal `fi:"yield"`
	MaturityDate   Date    `fi:"maturityDate"`
	LastTradedRate Decimal `fi:"lastTradedRate"`
	LastTradedDate Date    `fi:"lastTradedDate"`
}

// DebentureTransaction is one debentures Transaction.
type DebentureTransaction struct {
	TxnID               string    `fi:"txnId"`
	ISIN                string    `fi:"isin"`
	Narration           string    `fi:"narration"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	Rate                Decimal   `fi:"rate"`
	// Type is OPENING, INTEREST, TDS, INSTALLMENT, CLOSING or OTHERS.
	Type        string  `fi:"type,enum=TermTransactionType"`
	Units       Decimal `fi:"units"`
	Currency    string  `fi:"currency,default=INR"` // INR when absent
	TradeValue  Decimal `fi:"tradeValue"`
	TotalCharge Decimal `fi:"totalCharge"`
	OtherTaxes  Decimal `fi:"otherTaxes"`
}

// Valuation is the current value (else Σ units × last traded rate).
func (a *Debentures) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetFixedIncome)
	}
	return valued(AssetFixedIncome, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return product(s.Holdings[i].Units, s.Holdings[i].LastTradedRate)
	})
}

// Common implements Txn.
func (t *DebentureTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration, At: t.TransactionDateTime}
}
