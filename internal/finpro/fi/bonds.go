package fi

import "time"

// Bonds is a BONDS account, schema bonds/bonds.xsd. Government securities
// (govt_securities.xsd) have the same holding and transaction attributes.
type Bonds struct {
	Profile      *Profile                           `fi:"Profile"`
	Summary      *BondsSummary                      `fi:"Summary"`
	Transactions *Transactions[SecurityTransaction] `fi:"Transactions"`
}

// BondsSummary is the bonds (and govt_securities) Summary element.
type BondsSummary struct {
	InvestmentValue Decimal       `fi:"investmentValue"`
	CurrentValue    Decimal       `fi:"currentValue"`
	Holdings        []BondHolding `fi:"Holdings/Holding|Investment/Holdings/Holding"`
}

// BondHolding is one bonds or govt_securities Holding. The XSDs misspell
// principleAmount, tenureMoths, coupanComputation, coupanPaymentDate and
// autionDate; the corrected spellings are read too.
type BondHolding struct {
	// Scheme is FIXED_INTEREST_RATE, T_NOTES, T_BONDS or OTHERS.
	Scheme string  `fi:"scheme,enum=SecurityScheme"`
	ISIN   string  `fi:"isin"`
	Units  Decimal `fi:"units"`
	// FaceValue is the face value per unit.
	FaceValue          Decimal `fi:"faceValue"`
	Symbol             string  `fi:"symbol"`
	IssuerName         string  `fi:"issuerName"`
	Description        string  `fi:"description"`
	CreditRating       string  `fi:"creditRating"`
	CreditRatingAgency string  `fi:"creditRatingAgency"`
	Taxable            *bool   `fi:"taxable"`
	// IssueRate is the issue price.
	IssueRate       Decimal `fi:"issueRate"`
	IssueDate       Date    `fi:"issueDate"`
	PrincipalAmount Decimal `fi:"principleAmount|principalAmount"`
	TenureYears     *int    `fi:"tenureYears"`
	TenureMonths    *int    `fi:"tenureMoths|tenureMonths"`
	TenureDays      *int    `fi:"tenureDays"`
	// CouponRate is the annual coupon in percent.
	CouponRate   Decimal `fi:"couponRate"`
	MaturityDate Date    `fi:"maturityDate"`
	// CouponComputation is SIMPLE, COMPOUND or OTHERS.
	CouponComputation string `fi:"coupanComputation|couponComputation,enum=InterestComputation"`
	CouponPaymentDate Date   `fi:"coupanPaymentDate|couponPaymentDate"`
	AuctionDate       Date   `fi:"autionDate|auctionDate"`
	// CompoundingFrequency is MONTHLY, HALF_YEARLY, YEARLY or OTHERS.
	CompoundingFrequency string `fi:"compoundingFrequency,enum=CompoundingFrequency"`
	// InterestPayout is MONTHLY, HALF_YEARLY, YEARLY or OTHERS.
	InterestPayout        string  `fi:"interestPayout,enum=InterestPayout"`
	AccruedInterestAmount Decimal `fi:"accruedInterestAmount"`
	InterestOnMaturity    Decimal `fi:"interestOnMaturity"`
	// LastTradedRate is the last traded price per unit, on LastTradedDate.
	LastTradedRate Decimal `fi:"lastTradedRate"`
	LastTradedDate Date    `fi:"lastTradedDate"`
}

// SecurityTransaction is one Transaction of bonds, govt_securities and
// commercial_paper.
type SecurityTransaction struct {
	TxnID               string    `fi:"txnId"`
	ISIN                string    `fi:"isin"`
	Narration           string    `fi:"narration"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	// Rate is the net price per unit.
	Rate Decimal `fi:"rate"`
	// Type is BUY, SELL or OTHERS.
	Type        string  `fi:"type,enum=BuySell"`
	Units       Decimal `fi:"units"`
	Currency    string  `fi:"currency,default=INR"` // INR when absent
	TradeValue  Decimal `fi:"tradeValue"`
	TotalCharge Decimal `fi:"totalCharge"`
	OtherTaxes  Decimal `fi:"otherTaxes"`
}

// Valuation is the current value (else Σ units × last traded rate).
func (a *Bonds) Valuation() Valuation { return bondsValuation(a.Summary) }

func bondsValuation(s *BondsSummary) Valuation {
	if s == nil {
		return noSummary(AssetFixedIncome)
	}
	return valued(AssetFixedIncome, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return product(s.Holdings[i].Units, s.Holdings[i].LastTradedRate)
	})
}

// Common implements Txn.
func (t *SecurityTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration, At: t.TransactionDateTime}
}
