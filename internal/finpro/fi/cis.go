package fi

import "time"

// CIS is a CIS account (collective investment schemes), schema
// collective_investment_schemes/cis.xsd.
type CIS struct {
	Profile      *Profile                      `fi:"Profile"`
	Summary      *CISSummary                   `fi:"Summary"`
	Transactions *Transactions[CISTransaction] `fi:"Transactions"`
}

// CISSummary is the cis Summary element.
type CISSummary struct {
	InvestmentValue Decimal      `fi:"investmentValue"`
	CurrentValue    Decimal      `fi:"currentValue"`
	Holdings        []CISHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// CISHolding is one cis Holding.
type CISHolding struct {
	ISIN    string `fi:"isin"`
	UCC     string `fi:"ucc"`
	FolioNo string `fi:"folioNo"`
	// Mode is DEMAT or PHYSICAL.
	Mode         string  `fi:"mode,enum=HoldingMode"`
	Units        Decimal `fi:"units"`
	ClosingUnits Decimal `fi:"closingUnits"`
	// Rate is the (average) purchase price per unit.
	Rate Decimal `fi:"rate"`
	NAV  Decimal `fi:"nav"`
}

// CISTransaction is one cis Transaction.
type CISTransaction struct {
	TxnID               string    `fi:"txnId"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	SchemeCode          string    `fi:"schemeCode"`
	ISIN                string    `fi:"isin"`
	// DividendType is INTERIM_DIVIDEND or FINAL_DIVIDEND.
	DividendType string  `fi:"dividendType,enum=DividendType"`
	UCC          string  `fi:"ucc"`
	Amount       Decimal `fi:"amount"`
	ClosingUnits Decimal `fi:"closingUnits"`
	NAV          Decimal `fi:"nav"`
	NAVDate      Date    `fi:"navDate"`
	// Type is a corporate action: AMALGAMATION, BONUS, BUY_BACK, DIVIDEND, ....
	Type          string `fi:"type,enum=CISTransactionType"`
	OrderDate     Date   `fi:"orderDate"`
	ExecutionDate Date   `fi:"executionDate"`
	// Mode is DEMAT or PHYSICAL.
	Mode       string  `fi:"mode,enum=HoldingMode"`
	OtherTaxes Decimal `fi:"otherTaxes"`
	Narration  string  `fi:"narration"`
}

// Valuation is the current value (else Σ closing units × NAV).
func (a *CIS) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetMutualFunds)
	}
	return valued(AssetMutualFunds, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		h := s.Holdings[i]
		units := h.ClosingUnits
		if units == "" {
			units = h.Units
		}
		return product(units, h.NAV)
	})
}

// Common implements Txn.
func (t *CISTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: firstTime(t.TransactionDateTime, midnight(t.ExecutionDate), midnight(t.OrderDate), midnight(t.NAVDate))}
}
