package fi

import "time"

// ETF is an ETF account (exchange traded funds), schema
// exchange_traded_funds/etf.xsd.
type ETF struct {
	Profile      *Profile                      `fi:"Profile"`
	Summary      *ETFSummary                   `fi:"Summary"`
	Transactions *Transactions[ETFTransaction] `fi:"Transactions"`
}

// ETFSummary is the etf Summary element.
type ETFSummary struct {
	InvestmentValue Decimal      `fi:"investmentValue"`
	CurrentValue    Decimal      `fi:"currentValue"`
	Holdings        []ETFHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// ETFHolding is one etf Holding.
type ETFHolding struct {
	FolioNo    string `fi:"folioNo"`
	DematID    string `fi:"dematId"`
	SchemeName string `fi:"schemeName"`
	// DPID is the depository participant.
	DPID  string  `fi:"dpId"`
	Units Decimal `fi:"units"`
	ISIN  string  `fi:"isin"`
	// Mode is DEMAT or PHYSICAL (free text in the XSD).
	Mode string `fi:"mode,enum=HoldingMode"`
	// Rate is the (average) purchase price per unit.
	Rate Decimal `fi:"rate"`
	// NAV is the net asset value per unit on LastNAVDate.
	NAV         Decimal `fi:"nav"`
	LastNAVDate Date    `fi:"lastNavDate"`
	Symbol      string  `fi:"symbol"`
	Description string  `fi:"description"`
}

// ETFTransaction is one etf Transaction.
type ETFTransaction struct {
	TxnID               string    `fi:"txnId"`
	ISIN                string    `fi:"isin"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	Units               Decimal   `fi:"units"`
	Amount              Decimal   `fi:"amount"`
	SchemeName          string    `fi:"schemeName"`
	DPID                string    `fi:"dpId"`
	// SchemeMinLotSize is the scheme's minimum lot (units per trade).
	SchemeMinLotSize Decimal `fi:"schemeMinLotSize"`
	// FaceValueOfUnits is the units' nominal value.
	FaceValueOfUnits Decimal `fi:"faceValueofUnits"`
	NAV              Decimal `fi:"nav"`
	// Type is BUY, SELL, BONUS, SPLIT or OTHERS.
	Type          string `fi:"type,enum=ETFTransactionType"`
	OrderDate     Date   `fi:"orderDate"`
	ExecutionDate Date   `fi:"executionDate"`
	// Mode is DEMAT or PHYSICAL.
	Mode       string `fi:"mode,enum=HoldingMode"`
	Narration  string `fi:"narration"`
	BrokerCode string `fi:"brokerCode"`
}

// Valuation is the current value (else Σ units × NAV).
func (a *ETF) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetEquity)
	}
	return valued(AssetEquity, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return product(s.Holdings[i].Units, s.Holdings[i].NAV)
	})
}

// Common implements Txn.
func (t *ETFTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: firstTime(t.TransactionDateTime, midnight(t.ExecutionDate), midnight(t.OrderDate))}
}
