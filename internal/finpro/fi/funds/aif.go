package funds

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// AIF is an AIF account (alternative investment funds), schema
// alternative_investment_funds/aif.xsd.
type AIF struct {
	Profile      *rebit.Profile                      `fi:"Profile"`
	Summary      *AIFSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[AIFTransaction] `fi:"Transactions"`
}

// AIFSummary is the aif Summary element.
type AIFSummary struct {
	// TotalNumUnitsIssued is the units issued to the investor.
	TotalNumUnitsIssued rebit.Decimal `fi:"totalNumUnitsIssued"`
	InvestmentValue     rebit.Decimal `fi:"investmentValue"`
	CurrentValue        rebit.Decimal `fi:"currentValue"`
	Holdings            []AIFHolding  `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// AIFHolding is one aif Holding: an asset of the fund's portfolio.
type AIFHolding struct {
	IssuerName string `fi:"issuerName"`
	// TypeOfSecurity is LISTED_EQUITY, LISTED_DEBT_SECURITY, UNLISTED_EQUITY,
	// UNLISTED_DEBT, PREFERENCE_SHARES, NCDS, WARRANTS, DERIVATIVE_CONTRACTS or
	// OTHERS.
	TypeOfSecurity string `fi:"typeOfSecurity,enum=AIFSecurityType"`
	// ValuationMethodology says how the asset is valued.
	ValuationMethodology string        `fi:"valuationMethodology"`
	PurchaseDate         rebit.Date    `fi:"purchaseDate"`
	PurchasePrice        rebit.Decimal `fi:"purchasePrice"`
	LastValuationDate    rebit.Date    `fi:"lastValuationDate"`
	// MTMOnLastValuation is the asset's marked-to-market value on
	// LastValuationDate.
	MTMOnLastValuation rebit.Decimal `fi:"mtmOnLastValuation"`
	HoldingPeriod      string        `fi:"holdingPeriod"`
	Description        string        `fi:"description"`
}

// AIFTransaction is one aif Transaction.
type AIFTransaction struct {
	TxnID                 string        `fi:"txnId"`
	NameOfAsset           string        `fi:"nameofAsset"`
	InvestmentDateTime    time.Time     `fi:"investmentDateTime"`
	InvestmentValue       rebit.Decimal `fi:"investmentValue"`
	RedemptionDate        rebit.Date    `fi:"redemptionDate"`
	RedemptionValue       rebit.Decimal `fi:"redemptionValue"`
	FundFeesPaymentDate   rebit.Date    `fi:"fundFeesPaymentDate"`
	FundFeesPaymentAmount rebit.Decimal `fi:"fundFeesPaymentAmount"`
	ReInvestmentDate      rebit.Date    `fi:"reInvestmentDate"`
	ReInvestmentValue     rebit.Decimal `fi:"reInvestmentValue"`
	PaymentInvestorDate   rebit.Date    `fi:"paymentInvestorDate"`
	PaymentInvestorAmount rebit.Decimal `fi:"paymentInvestorAmount"`
	TaxPaidValue          rebit.Decimal `fi:"taxPaidValue"`
	TaxPaidDate           rebit.Date    `fi:"taxPaidDate"`
	Narration             string        `fi:"narration"`
}

// Valuation is the current value. The holdings are the fund's assets, not the
// investor's share, so there is no fallback to them.
func (a *AIF) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetAlternative)
	}
	return calc.Valued(rebit.AssetAlternative, s.CurrentValue, s.InvestmentValue, 0, nil)
}

// Common implements Txn. An AIF row has no type: it is an investment, a
// redemption, a reinvestment, a payout, a fee or a tax payment by which
// amount it fills, and happens on that amount's date.
func (t *AIFTransaction) Common() rebit.Common {
	c := rebit.Common{TxnID: t.TxnID, Narration: t.Narration}
	for _, p := range []struct {
		amount rebit.Decimal
		at     time.Time
	}{
		{t.InvestmentValue, t.InvestmentDateTime},
		{t.RedemptionValue, calc.Midnight(t.RedemptionDate)},
		{t.ReInvestmentValue, calc.Midnight(t.ReInvestmentDate)},
		{t.PaymentInvestorAmount, calc.Midnight(t.PaymentInvestorDate)},
		{t.FundFeesPaymentAmount, calc.Midnight(t.FundFeesPaymentDate)},
		{t.TaxPaidValue, calc.Midnight(t.TaxPaidDate)},
	} {
		if p.amount != "" {
			c.Amount, c.At = p.amount, p.at
			break
		}
	}
	if c.At.IsZero() {
		c.At = calc.FirstTime(t.InvestmentDateTime, calc.Midnight(t.RedemptionDate), calc.Midnight(t.ReInvestmentDate), calc.Midnight(t.PaymentInvestorDate), calc.Midnight(t.FundFeesPaymentDate), calc.Midnight(t.TaxPaidDate))
	}
	return c
}
