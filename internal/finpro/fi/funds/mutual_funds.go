// Package funds holds the FI types of units in a pooled vehicle: MUTUAL_FUNDS,
// SIP, ETF, CIS, AIF, INVIT and REIT, after their ReBIT XSDs, and the
// overlap of a SIP with the MUTUAL_FUNDS statements that hold its plans
// ([FundHoldings], [SIP.ValuationWithout]).
//
// Each type is declared with `fi` tags and decoded by package fi; its
// Valuation method says what the account is worth and its transactions' Common
// method maps a row to the statement fields.
package funds

import (
	"cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// MutualFunds is a MUTUAL_FUNDS account (a folio statement), schema
// mutual_funds.xsd.
type MutualFunds struct {
	Profile      *rebit.Profile                             `fi:"Profile"`
	Summary      *MutualFundsSummary                        `fi:"Summary"`
	Transactions *rebit.Transactions[MutualFundTransaction] `fi:"Transactions"`
}

// MutualFundsSummary is the mutual_funds Summary element.
type MutualFundsSummary struct {
	// InvestmentValue is the amount invested (cost).
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	// CurrentValue is the folio's value today.
	CurrentValue rebit.Decimal `fi:"currentValue"`
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
	Units rebit.Decimal `fi:"units"`
	// ClosingUnits are the units held at the statement's end.
	ClosingUnits rebit.Decimal `fi:"closingUnits"`
	// LienUnits are units pledged against a loan.
	LienUnits rebit.Decimal `fi:"lienUnits"`
	// Rate is the (average) purchase price per unit.
	Rate rebit.Decimal `fi:"rate"`
	// NAV is the net asset value per unit today.
	NAV rebit.Decimal `fi:"nav"`
	// LockingUnits are units locked in and not redeemable.
	LockingUnits rebit.Decimal `fi:"lockingUnits"`
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
	SchemeCategory string        `fi:"schemeCategory,enum=SchemeCategory"`
	UCC            string        `fi:"ucc"`
	Amount         rebit.Decimal `fi:"amount"`
	// ClosingUnits are the units held after the transaction.
	ClosingUnits rebit.Decimal `fi:"closingUnits"`
	LienUnits    rebit.Decimal `fi:"lienUnits"`
	NAV          rebit.Decimal `fi:"nav"`
	NAVDate      rebit.Date    `fi:"navDate"`
	// Type is BUY, SELL or OTHERS.
	Type          string     `fi:"type,enum=BuySell"`
	OrderDate     rebit.Date `fi:"orderDate"`
	ExecutionDate rebit.Date `fi:"executionDate"`
	// LockInFlag marks locked-in units (free text in the XSD).
	LockInFlag string `fi:"lock-inFlag"`
	// LockInDays is the lock-in period (free text in the XSD).
	LockInDays string `fi:"lock-inDays"`
	// Mode is DEMAT or PHYSICAL.
	Mode      string `fi:"mode,enum=HoldingMode"`
	Narration string `fi:"narration"`
}

// unitsTimesNAV values a fund holding: its closing units (else its units)
// × its NAV, exactly.
func unitsTimesNAV(closing, units, nav rebit.Decimal) (rebit.Decimal, bool) {
	return calc.Product(cmp.Or(closing, units), nav)
}

// Valuation is the folio's current value (else the sum of closing units × NAV
// of every holding), invested the investment value.
func (a *MutualFunds) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetMutualFunds)
	}
	return calc.Valued(rebit.AssetMutualFunds, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		h := s.Holdings[i]
		return unitsTimesNAV(h.ClosingUnits, h.Units, h.NAV)
	})
}

// Common implements Txn: a fund order happens on its execution date.
func (t *MutualFundTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: calc.FirstTime(calc.Midnight(t.ExecutionDate), calc.Midnight(t.OrderDate), calc.Midnight(t.NAVDate)),
	}
}
