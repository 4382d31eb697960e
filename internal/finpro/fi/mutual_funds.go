package fi

// MutualFunds is a MUTUAL_FUNDS account (a folio statement), schema
// mutual_funds.xsd.
type MutualFunds struct {
	Profile      *Profile                             `fi:"Profile"`
	Summary      *MutualFundsSummary                  `fi:"Summary"`
	Transactions *Transactions[MutualFundTransaction] `fi:"Transactions"`
}

// MutualFundsSummary is the mutual_funds Summary element.
type MutualFundsSummary struct {
	// InvestmentValue is the amount invested (cost).
	InvestmentValue Decimal `fi:"investmentValue"`
	// CurrentValue is the folio's value today.
	CurrentValue Decimal `fi:"currentValue"`
	// Holdings are the schemes held (Investment/Holdings/Holding).
	Holdings []MutualFundHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// MutualFundHolding is one mutual_funds Holding.
type MutualFundHolding struct {
	// AMC is the asset management company.
	AMC string `fi:"amc"`
	// Registrar is the registrar and transfer agent (CAMS, KFintech, ...).
	Registrar  string `fi:"registrar"`
	SchemeCode string `fi:"schemeCode"`
	ISIN       string `fi:"isin"`
	// UCC is the exchange's Unique Client Code.
	UCC      string `fi:"ucc"`
	AMFICode string `fi:"amfiCode"`
	FolioNo  string `fi:"folioNo"`
	// DividendType is free text (cash, stock, ...).
	DividendType string `fi:"dividendType"`
	// FatcaStatus is YES or NO: whether the holding is FATCA compliant.
	FatcaStatus string `fi:"FatcaStatus,enum=YesNo"`
	// Mode is DEMAT or PHYSICAL.
	Mode string `fi:"mode,enum=HoldingMode"`
	// Units are the units allotted to date.
	Units Decimal `fi:"units"`
	// ClosingUnits are the units held at the statement's end.
	ClosingUnits Decimal `fi:"closingUnits"`
	// LienUnits are units pledged against a loan.
	LienUnits Decimal `fi:"lienUnits"`
	// Rate is the (average) purchase price per unit.
	Rate Decimal `fi:"rate"`
	// NAV is the net asset value per unit today.
	NAV Decimal `fi:"nav"`
	// LockingUnits are units locked in and not redeemable.
	LockingUnits Decimal `fi:"lockingUnits"`
}

// MutualFundTransaction is one mutual_funds Transaction.
type MutualFundTransaction struct {
	TxnID      string `fi:"txnId"`
	AMC        string `fi:"amc"`
	Registrar  string `fi:"registrar"`
	SchemeCode string `fi:"schemeCode"`
	// SchemePlan is DIRECT or REGULAR.
	SchemePlan string `fi:"schemePlan,enum=SchemePlan"`
	ISIN       string `fi:"isin"`
	AMFICode   string `fi:"amfiCode"`
	// FundType is EQUITY, DEBT, HYBRID, SOLUTION_ORIENTED_SCHEMES or OTHERS.
	FundType string `fi:"fundType,enum=FundType"`
	// SchemeOption is REINVEST, PAYOUT or GROWTH_TYPE.
	SchemeOption string `fi:"schemeOption,enum=SchemeOption"`
	// SchemeTypes is the SEBI scheme type (EQUITY_SCHEMES, DEBT_SCHEMES, ...).
	SchemeTypes string `fi:"schemeTypes,enum=SchemeTypes"`
	// SchemeCategory is the SEBI scheme category (LARGE_CAP_FUND, ...).
	SchemeCategory string  `fi:"schemeCategory,enum=SchemeCategory"`
	UCC            string  `fi:"ucc"`
	Amount         Decimal `fi:"amount"`
	// ClosingUnits are the units held after the transaction.
	ClosingUnits Decimal `fi:"closingUnits"`
	LienUnits    Decimal `fi:"lienUnits"`
	NAV          Decimal `fi:"nav"`
	NAVDate      Date    `fi:"navDate"`
	// Type is BUY, SELL or OTHERS.
	Type          string `fi:"type,enum=BuySell"`
	OrderDate     Date   `fi:"orderDate"`
	ExecutionDate Date   `fi:"executionDate"`
	// LockInFlag marks locked-in units (free text in the XSD).
	LockInFlag string `fi:"lock-inFlag"`
	// LockInDays is the lock-in period (free text in the XSD).
	LockInDays string `fi:"lock-inDays"`
	// Mode is DEMAT or PHYSICAL.
	Mode      string `fi:"mode,enum=HoldingMode"`
	Narration string `fi:"narration"`
}

// Valuation is the folio's current value (else the sum of closing units × NAV
// of every holding), invested the investment value.
func (a *MutualFunds) Valuation() Valuation {
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

// Common implements Txn: a fund order happens on its execution date.
func (t *MutualFundTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: firstTime(midnight(t.ExecutionDate), midnight(t.OrderDate), midnight(t.NAVDate))}
}
