package securities

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// Bonds is a BONDS account, schema bonds/bonds.xsd. Government securities
// (govt_securities.xsd) have the same holding and transaction attributes.
type Bonds struct {
	Profile      *rebit.Profile                           `fi:"Profile"`
	Summary      *BondsSummary                            `fi:"Summary"`
	Transactions *rebit.Transactions[SecurityTransaction] `fi:"Transactions"`
}

// BondsSummary is the bonds (and govt_securities) Summary element.
type BondsSummary struct {
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	Holdings        []BondHolding `fi:"Holdings/Holding|Investment/Holdings/Holding"`
}

// BondHolding is one bonds or govt_securities Holding. The XSDs misspell
// principleAmount, tenureMoths, coupanComputation, coupanPaymentDate and
// autionDate; the corrected spellings are read too.
type BondHolding struct {
	// Scheme is FIXED_INTEREST_RATE, T_NOTES, T_BONDS or OTHERS.
	Scheme string        `fi:"scheme,enum=SecurityScheme"`
	ISIN   string        `fi:"isin"`
	Units  rebit.Decimal `fi:"units"`
	// FaceValue is the face value per unit.
	FaceValue          rebit.Decimal `fi:"faceValue"`
	Symbol             string        `fi:"symbol"`
	IssuerName         string        `fi:"issuerName"`
	Description        string        `fi:"description"`
	CreditRating       string        `fi:"creditRating"`
	CreditRatingAgency string        `fi:"creditRatingAgency"`
	Taxable            *bool         `fi:"taxable"`
	// IssueRate is the issue price.
	IssueRate       rebit.Decimal `fi:"issueRate"`
	IssueDate       rebit.Date    `fi:"issueDate"`
	PrincipalAmount rebit.Decimal `fi:"principleAmount|principalAmount"`
	TenureYears     *int          `fi:"tenureYears"`
	TenureMonths    *int          `fi:"tenureMoths|tenureMonths"`
	TenureDays      *int          `fi:"tenureDays"`
	// CouponRate is the annual coupon in percent.
	CouponRate   rebit.Decimal `fi:"couponRate"`
	MaturityDate rebit.Date    `fi:"maturityDate"`
	// CouponComputation is SIMPLE, COMPOUND or OTHERS.
	CouponComputation string     `fi:"coupanComputation|couponComputation,enum=InterestComputation"`
	CouponPaymentDate rebit.Date `fi:"coupanPaymentDate|couponPaymentDate"`
	AuctionDate       rebit.Date `fi:"autionDate|auctionDate"`
	// CompoundingFrequency is MONTHLY, HALF_YEARLY, YEARLY or OTHERS.
	CompoundingFrequency string `fi:"compoundingFrequency,enum=CompoundingFrequency"`
	// InterestPayout is MONTHLY, HALF_YEARLY, YEARLY or OTHERS.
	InterestPayout        string        `fi:"interestPayout,enum=InterestPayout"`
	AccruedInterestAmount rebit.Decimal `fi:"accruedInterestAmount"`
	InterestOnMaturity    rebit.Decimal `fi:"interestOnMaturity"`
	// LastTradedRate is the last traded price per unit, on LastTradedDate.
	LastTradedRate rebit.Decimal `fi:"lastTradedRate"`
	LastTradedDate rebit.Date    `fi:"lastTradedDate"`
}

// SecurityTransaction is one Transaction of bonds, govt_securities and
// commercial_paper.
type SecurityTransaction struct {
	TxnID               string    `fi:"txnId"`
	ISIN                string    `fi:"isin"`
	Narration           string    `fi:"narration"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	// Rate is the net price per unit.
	Rate rebit.Decimal `fi:"rate"`
	// Type is BUY, SELL or OTHERS.
	Type        string        `fi:"type,enum=BuySell"`
	Units       rebit.Decimal `fi:"units"`
	Currency    string        `fi:"currency,default=INR"` // INR when absent
	TradeValue  rebit.Decimal `fi:"tradeValue"`
	TotalCharge rebit.Decimal `fi:"totalCharge"`
	OtherTaxes  rebit.Decimal `fi:"otherTaxes"`
}

// Valuation is the current value (else Σ units × last traded rate).
func (a *Bonds) Valuation() rebit.Valuation { return bondsValuation(a.Summary) }

func bondsValuation(s *BondsSummary) rebit.Valuation {
	if s == nil {
		return calc.NoSummary(rebit.AssetFixedIncome)
	}
	return calc.Valued(rebit.AssetFixedIncome, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].Units, s.Holdings[i].LastTradedRate)
	})
}

// Common implements Txn.
func (t *SecurityTransaction) Common() rebit.Common {
	return rebit.Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration, At: t.TransactionDateTime}
}
