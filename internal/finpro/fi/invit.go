package fi

import "time"

// InvIT is an INVIT account (infrastructure investment trust units), schema
// infrastructure_investment_trusts/invit.xsd.
type InvIT struct {
	Profile      *Profile                        `fi:"Profile"`
	Summary      *InvITSummary                   `fi:"Summary"`
	Transactions *Transactions[InvITTransaction] `fi:"Transactions"`
}

// InvITSummary is the invit Summary element.
type InvITSummary struct {
	InvestmentValue Decimal        `fi:"investmentValue"`
	CurrentValue    Decimal        `fi:"currentValue"`
	Holdings        []InvITHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// InvITHolding is one invit Holding.
type InvITHolding struct {
	ISIN               string    `fi:"isin"`
	IssuerName         string    `fi:"issuerName"`
	InvestmentDateTime time.Time `fi:"investmentDateTime"`
	// Rate is the purchase price per unit.
	Rate Decimal `fi:"rate"`
	// TotalNumberUnits is the units held.
	TotalNumberUnits Decimal `fi:"totalNumberUnits"`
	// LastClosingRate is the last closing price per unit.
	LastClosingRate Decimal `fi:"lastClosingRate"`
	Description     string  `fi:"description"`
}

// InvITTransaction is one invit Transaction.
type InvITTransaction struct {
	TxnID                  string    `fi:"txnId"`
	ISIN                   string    `fi:"isin"`
	IssuerName             string    `fi:"issuerName"`
	Symbol                 string    `fi:"symbol"`
	Exchange               string    `fi:"exchange,enum=Exchange"`
	TransactionDescription string    `fi:"transactionDescription"`
	TransactionDateTime    time.Time `fi:"transactionDateTime"`
	// Price is the price per unit.
	Price Decimal `fi:"price"`
	// UnitsType is free text in the XSD.
	UnitsType          string  `fi:"unitsType"`
	NumUnitsTransacted Decimal `fi:"numUnitsTransacted"`
	TradeValue         Decimal `fi:"tradeValue"`
	TotalCharge        Decimal `fi:"totalCharge"`
	OtherCharges       Decimal `fi:"otherCharges"`
	// Narration is not in invit.xsd (it is in reit.xsd); read when sent.
	Narration string `fi:"narration"`
}

// Valuation is the current value (else Σ units × last closing rate).
func (a *InvIT) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetAlternative)
	}
	return valued(AssetAlternative, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return product(s.Holdings[i].TotalNumberUnits, s.Holdings[i].LastClosingRate)
	})
}

// Common implements Txn. The schema has no type; its transactionDescription
// stands in for a narration when there is none.
func (t *InvITTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Amount: t.TradeValue, At: t.TransactionDateTime,
		Narration: firstString(t.Narration, t.TransactionDescription)}
}
