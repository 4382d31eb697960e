package fi

import "time"

// AIF is an AIF account (alternative investment funds), schema
// alternative_investment_funds/aif.xsd.
type AIF struct {
	Profile      *Profile                      `fi:"Profile"`
	Summary      *AIFSummary                   `fi:"Summary"`
	Transactions *Transactions[AIFTransaction] `fi:"Transactions"`
}

// AIFSummary is the aif Summary element.
type AIFSummary struct {
	// TotalNumUnitsIssued is the units issued to the investor.
	TotalNumUnitsIssued Decimal      `fi:"totalNumUnitsIssued"`
	InvestmentValue     Decimal      `fi:"investmentValue"`
	CurrentValue        Decimal      `fi:"currentValue"`
	Holdings            []AIFHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// AIFHolding is one aif Holding: an asset of the fund's portfolio.
type AIFHolding struct {
	IssuerName string `fi:"issuerName"`
	// TypeOfSecurity is LISTED_EQUITY, LISTED_DEBT_SECURITY, UNLISTED_EQUITY,
	// UNLISTED_DEBT, PREFERENCE_SHARES, NCDS, WARRANTS, DERIVATIVE_CONTRACTS or
	// OTHERS.
	TypeOfSecurity string `fi:"typeOfSecurity,enum=AIFSecurityType"`
	// ValuationMethodology says how the asset is valued.
	ValuationMethodology string  `fi:"valuationMethodology"`
	PurchaseDate         Date    `fi:"purchaseDate"`
	PurchasePrice        Decimal `fi:"purchasePrice"`
	LastValuationDate    Date    `fi:"lastValuationDate"`
	// MTMOnLastValuation is the asset's marked-to-market value on
	// LastValuationDate.
	MTMOnLastValuation Decimal `fi:"mtmOnLastValuation"`
	HoldingPeriod      string  `fi:"holdingPeriod"`
	Description        string  `fi:"description"`
}

// AIFTransaction is one aif Transaction.
type AIFTransaction struct {
	TxnID                 string    `fi:"txnId"`
	NameOfAsset           string    `fi:"nameofAsset"`
	InvestmentDateTime    time.Time `fi:"investmentDateTime"`
	InvestmentValue       Decimal   `fi:"investmentValue"`
	RedemptionDate        Date      `fi:"redemptionDate"`
	RedemptionValue       Decimal   `fi:"redemptionValue"`
	FundFeesPaymentDate   Date      `fi:"fundFeesPaymentDate"`
	FundFeesPaymentAmount Decimal   `fi:"fundFeesPaymentAmount"`
	ReInvestmentDate      Date      `fi:"reInvestmentDate"`
	ReInvestmentValue     Decimal   `fi:"reInvestmentValue"`
	PaymentInvestorDate   Date      `fi:"paymentInvestorDate"`
	PaymentInvestorAmount Decimal   `fi:"paymentInvestorAmount"`
	TaxPaidValue          Decimal   `fi:"taxPaidValue"`
	TaxPaidDate           Date      `fi:"taxPaidDate"`
	Narration             string    `fi:"narration"`
}

// Valuation is the current value. The holdings are the fund's assets, not the
// investor's share, so there is no fallback to them.
func (a *AIF) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetAlternative)
	}
	return valued(AssetAlternative, s.CurrentValue, s.InvestmentValue, 0, nil)
}

// Common implements Txn. An AIF row has no type: it is an investment, a
// redemption, a reinvestment, a payout, a fee or a tax payment by which
// amount it fills, and happens on that amount's date.
func (t *AIFTransaction) Common() Common {
	c := Common{TxnID: t.TxnID, Narration: t.Narration}
	for _, p := range []struct {
		amount Decimal
		at     time.Time
	}{
		{t.InvestmentValue, t.InvestmentDateTime},
		{t.RedemptionValue, midnight(t.RedemptionDate)},
		{t.ReInvestmentValue, midnight(t.ReInvestmentDate)},
		{t.PaymentInvestorAmount, midnight(t.PaymentInvestorDate)},
		{t.FundFeesPaymentAmount, midnight(t.FundFeesPaymentDate)},
		{t.TaxPaidValue, midnight(t.TaxPaidDate)},
	} {
		if p.amount != "" {
			c.Amount, c.At = p.amount, p.at
			break
		}
	}
	if c.At.IsZero() {
		c.At = firstTime(t.InvestmentDateTime, midnight(t.RedemptionDate), midnight(t.ReInvestmentDate),
			midnight(t.PaymentInvestorDate), midnight(t.FundFeesPaymentDate), midnight(t.TaxPaidDate))
	}
	return c
}
