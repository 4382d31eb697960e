package funds

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// InvIT is an INVIT account (infrastructure investment trust units), schema
// infrastructure_investment_trusts/invit.xsd.
type InvIT struct {
	Profile      *rebit.Profile                        `fi:"Profile"`
	Summary      *InvITSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[InvITTransaction] `fi:"Transactions"`
}

// InvITSummary is the invit Summary element.
type InvITSummary struct {
	InvestmentValue rebit.Decimal  `fi:"investmentValue"`
	CurrentValue    rebit.Decimal  `fi:"currentValue"`
	Holdings        []InvITHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// InvITHolding is one invit Holding.
type InvITHolding struct {
	ISIN               string    `fi:"isin"`
	IssuerName         string    `fi:"issuerName"`
	InvestmentDateTime time.Time `fi:"investmentDateTime"`
	// Rate is the purchase price per unit.
	Rate rebit.Decimal `fi:"rate"`
	// TotalNumberUnits is the units held.
	TotalNumberUnits rebit.Decimal `fi:"totalNumberUnits"`
	// LastClosingRate is the last closing price per unit.
	LastClosingRate rebit.Decimal `fi:"lastClosingRate"`
	Description     string        `fi:"description"`
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
	Price rebit.Decimal `fi:"price"`
	// UnitsType is free text in the XSD.
	UnitsType          string        `fi:"unitsType"`
	NumUnitsTransacted rebit.Decimal `fi:"numUnitsTransacted"`
	TradeValue         rebit.Decimal `fi:"tradeValue"`
	TotalCharge        rebit.Decimal `fi:"totalCharge"`
	OtherCharges       rebit.Decimal `fi:"otherCharges"`
	// Narration is not in invit.xsd (it is in reit.xsd); read when sent.
	Narration string `fi:"narration"`
}

// Valuation is the current value (else Σ units × last closing rate).
func (a *InvIT) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetAlternative)
	}
	return calc.Valued(rebit.AssetAlternative, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].TotalNumberUnits, s.Holdings[i].LastClosingRate)
	})
}

// Common implements Txn. The schema has no type; its transactionDescription
// stands in for a narration when there is none.
func (t *InvITTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Amount: t.TradeValue, At: t.TransactionDateTime,
		Narration: calc.FirstString(t.Narration, t.TransactionDescription),
	}
}
