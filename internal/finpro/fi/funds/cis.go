package funds

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// CIS is a CIS account (collective investment schemes), schema
// collective_investment_schemes/cis.xsd.
type CIS struct {
	Profile      *rebit.Profile                      `fi:"Profile"`
	Summary      *CISSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[CISTransaction] `fi:"Transactions"`
}

// CISSummary is the cis Summary element.
type CISSummary struct {
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	Holdings        []CISHolding  `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// CISHolding is one cis Holding.
type CISHolding struct {
	ISIN    string `fi:"isin"`
	UCC     string `fi:"ucc"`
	FolioNo string `fi:"folioNo"`
	// Mode is DEMAT or PHYSICAL.
	Mode         string        `fi:"mode,enum=HoldingMode"`
	Units        rebit.Decimal `fi:"units"`
	ClosingUnits rebit.Decimal `fi:"closingUnits"`
	// Rate is the (average) purchase price per unit.
	Rate rebit.Decimal `fi:"rate"`
	NAV  rebit.Decimal `fi:"nav"`
}

// CISTransaction is one cis Transaction.
type CISTransaction struct {
	TxnID               string    `fi:"txnId"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	SchemeCode          string    `fi:"schemeCode"`
	ISIN                string    `fi:"isin"`
	// DividendType is INTERIM_DIVIDEND or FINAL_DIVIDEND.
	DividendType string        `fi:"dividendType,enum=DividendType"`
	UCC          string        `fi:"ucc"`
	Amount       rebit.Decimal `fi:"amount"`
	ClosingUnits rebit.Decimal `fi:"closingUnits"`
	NAV          rebit.Decimal `fi:"nav"`
	NAVDate      rebit.Date    `fi:"navDate"`
	// Type is a corporate action: AMALGAMATION, BONUS, BUY_BACK, DIVIDEND, ....
	Type          string     `fi:"type,enum=CISTransactionType"`
	OrderDate     rebit.Date `fi:"orderDate"`
	ExecutionDate rebit.Date `fi:"executionDate"`
	// Mode is DEMAT or PHYSICAL.
	Mode       string        `fi:"mode,enum=HoldingMode"`
	OtherTaxes rebit.Decimal `fi:"otherTaxes"`
	Narration  string        `fi:"narration"`
}

// Valuation is the current value (else Σ closing units × NAV).
func (a *CIS) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetMutualFunds)
	}
	return calc.Valued(rebit.AssetMutualFunds, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		h := s.Holdings[i]
		return unitsTimesNAV(h.ClosingUnits, h.Units, h.NAV)
	})
}

// Common implements Txn.
func (t *CISTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: calc.FirstTime(t.TransactionDateTime, calc.Midnight(t.ExecutionDate), calc.Midnight(t.OrderDate), calc.Midnight(t.NAVDate)),
	}
}
