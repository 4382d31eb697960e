package funds

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// ETF is an ETF account (exchange traded funds), schema
// exchange_traded_funds/etf.xsd.
type ETF struct {
	Profile      *rebit.Profile                      `fi:"Profile"`
	Summary      *ETFSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[ETFTransaction] `fi:"Transactions"`
}

// ETFSummary is the etf Summary element.
type ETFSummary struct {
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	Holdings        []ETFHolding  `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// ETFHolding is one etf Holding.
type ETFHolding struct {
	FolioNo    string `fi:"folioNo"`
	DematID    string `fi:"dematId"`
	SchemeName string `fi:"schemeName"`
	// DPID is the depository participant.
	DPID  string        `fi:"dpId"`
	Units rebit.Decimal `fi:"units"`
	ISIN  string        `fi:"isin"`
	// Mode is DEMAT or PHYSICAL (free text in the XSD).
	Mode string `fi:"mode,enum=HoldingMode"`
	// Rate is the (average) purchase price per unit.
	Rate rebit.Decimal `fi:"rate"`
	// NAV is the net asset value per unit on LastNAVDate.
	NAV         rebit.Decimal `fi:"nav"`
	LastNAVDate rebit.Date    `fi:"lastNavDate"`
	Symbol      string        `fi:"symbol"`
	Description string        `fi:"description"`
}

// ETFTransaction is one etf Transaction.
type ETFTransaction struct {
	TxnID               string        `fi:"txnId"`
	ISIN                string        `fi:"isin"`
	TransactionDateTime time.Time     `fi:"transactionDateTime"`
	Units               rebit.Decimal `fi:"units"`
	Amount              rebit.Decimal `fi:"amount"`
	SchemeName          string        `fi:"schemeName"`
	DPID                string        `fi:"dpId"`
	// SchemeMinLotSize is the scheme's minimum lot (units per trade).
	SchemeMinLotSize rebit.Decimal `fi:"schemeMinLotSize"`
	// FaceValueOfUnits is the units' nominal value.
	FaceValueOfUnits rebit.Decimal `fi:"faceValueofUnits"`
	NAV              rebit.Decimal `fi:"nav"`
	// Type is BUY, SELL, BONUS, SPLIT or OTHERS.
	Type          string     `fi:"type,enum=ETFTransactionType"`
	OrderDate     rebit.Date `fi:"orderDate"`
	ExecutionDate rebit.Date `fi:"executionDate"`
	// Mode is DEMAT or PHYSICAL.
	Mode       string `fi:"mode,enum=HoldingMode"`
	Narration  string `fi:"narration"`
	BrokerCode string `fi:"brokerCode"`
}

// Valuation is the current value (else Σ units × NAV).
func (a *ETF) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetEquity)
	}
	return calc.Valued(rebit.AssetEquity, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].Units, s.Holdings[i].NAV)
	})
}

// Common implements Txn.
func (t *ETFTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: calc.FirstTime(t.TransactionDateTime, calc.Midnight(t.ExecutionDate), calc.Midnight(t.OrderDate)),
	}
}
