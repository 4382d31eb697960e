// Package pension holds the pension FI type NPS (National Pension System), after
// ReBIT's national_pension_system.xsd.
//
// Each type is declared with `fi` tags and decoded by package fi; its
// Valuation method says what the account is worth and its transactions' Common
// method maps a row to the statement fields.
package pension

import (
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// NPS is an NPS account (National Pension System), schema
// national_pension_system/nps.xsd.
type NPS struct {
	Profile      *rebit.Profile   `fi:"Profile"`
	Summary      *NPSSummary      `fi:"Summary"`
	Transactions *NPSTransactions `fi:"Transactions"`
}

// NPSSummary is the nps Summary element.
type NPSSummary struct {
	OpeningDate  rebit.Date    `fi:"openingDate"`
	CurrentValue rebit.Decimal `fi:"currentValue"`
	// Status is ACTIVE or DEACTIVATED.
	Status string `fi:"status,enum=NPSStatus"`
	// Tier1Status is ACTIVE, DEACTIVATED or FROZEN.
	Tier1Status string `fi:"tier1Status,enum=NPSStatus"`
	// Tier2Status is ACTIVE, FROZEN, DEACTIVATED or NA.
	Tier2Status string `fi:"tier2Status,enum=NPSStatus"`
	// Tier1NAVDate and Tier2NAVDate are the dates of the tiers' NAVs.
	Tier1NAVDate rebit.Date `fi:"tier1NAVDate"`
	Tier2NAVDate rebit.Date `fi:"tier2NAVDate"`
	// DebtAssetValue, EquityAssetValue and OtherAssetValue split the value by
	// asset type.
	DebtAssetValue   rebit.Decimal `fi:"debtAssetValue"`
	EquityAssetValue rebit.Decimal `fi:"equityAssetValue"`
	OtherAssetValue  rebit.Decimal `fi:"otherAssetValue"`
	// SchemeChoices are the subscriber's scheme allocations.
	SchemeChoices []NPSSchemeChoice `fi:"SchemeChoices/SchemeChoice"`
	// Tier1 and Tier2 are the holdings of each tier.
	Tier1 *NPSTierHoldings `fi:"Holdings/Tier1Holdings"`
	Tier2 *NPSTierHoldings `fi:"Holdings/Tier2Holdings"`
}

// NPSSchemeChoice is one nps SchemeChoice.
type NPSSchemeChoice struct {
	// AllocationPercent is the share of contributions going to the scheme.
	AllocationPercent rebit.Decimal `fi:"allocationPercent"`
	// PFMID and PFMName are the pension fund manager.
	PFMID      string `fi:"pfmId"`
	PFMName    string `fi:"pfmName"`
	SchemeID   string `fi:"schemeId"`
	SchemeName string `fi:"schemeName"`
}

// NPSTierHoldings is the nps Tier1Holdings or Tier2Holdings element.
type NPSTierHoldings struct {
	// SchemePreferenceType is AUTO, ACTIVE or NA (tier 2 only).
	SchemePreferenceType string        `fi:"schemePreferenceType,enum=NPSSchemePreference"`
	FreeUnits            rebit.Decimal `fi:"freeUnits"`
	InvestmentCost       rebit.Decimal `fi:"investmentCost"`
	InvestmentValue      rebit.Decimal `fi:"investmentValue"`
	// Holdings are the tier's schemes.
	Holdings []NPSHolding `fi:"Tier1Holding|Tier2Holding"`
}

// NPSHolding is one nps Tier1Holding or Tier2Holding.
type NPSHolding struct {
	Amount             rebit.Decimal `fi:"amount"`
	AmountInTransition rebit.Decimal `fi:"amountInTransition"`
	BlockedUnits       rebit.Decimal `fi:"blockedUnits"`
	FreeUnits          rebit.Decimal `fi:"freeUnits"`
	NAV                rebit.Decimal `fi:"nav"`
	SchemeName         string        `fi:"schemeName"`
	SchemeID           string        `fi:"schemeId"`
	TotalUnits         rebit.Decimal `fi:"totalUnits"`
	// TotalValueOfScheme is the scheme's value in the tier.
	TotalValueOfScheme rebit.Decimal `fi:"totalValueOfScheme"`
}

// NPSTransactions is the nps Transactions element: four lists instead of one.
type NPSTransactions struct {
	StartDate       rebit.Date                 `fi:"startDate"`
	EndDate         rebit.Date                 `fi:"endDate"`
	Tier1Scheme     []NPSSchemeTransaction     `fi:"Tier1SchemeTransactions/Tier1SchemeTransaction"`
	Tier2Scheme     []NPSSchemeTransaction     `fi:"Tier2SchemeTransactions/Tier2SchemeTransaction"`
	Tier1Investment []NPSInvestmentTransaction `fi:"Tier1InvestmentTransactions/Tier1InvestmentTransaction"`
	Tier2Investment []NPSInvestmentTransaction `fi:"Tier2InvestmentTransactions/Tier2InvestmentTransaction"`
}

// NPSSchemeTransaction is one nps Tier1SchemeTransaction or
// Tier2SchemeTransaction.
type NPSSchemeTransaction struct {
	TxnID   string     `fi:"txnId"`
	TxnDate rebit.Date `fi:"txnDate"`
	// Type is CONTRIBUTION, BILLING, SWITCH_OUT, WITHDRAWAL, ADJUSTMENT, ....
	Type              string        `fi:"type,enum=NPSTransactionType"`
	SchemeName        string        `fi:"schemeName"`
	SchemeID          string        `fi:"schemeId"`
	Narration         string        `fi:"narration"`
	AllocationPercent rebit.Decimal `fi:"allocationPercent"`
	Amount            rebit.Decimal `fi:"amount"`
	NAV               rebit.Decimal `fi:"nav"`
	Units             rebit.Decimal `fi:"units"`
	CumulativeUnits   rebit.Decimal `fi:"cumulativeUnits"`
}

// NPSInvestmentTransaction is one nps Tier1InvestmentTransaction or
// Tier2InvestmentTransaction.
type NPSInvestmentTransaction struct {
	TxnID   string     `fi:"txnId"`
	TxnDate rebit.Date `fi:"txnDate"`
	// Type is CONTRIBUTION, UNFREEZE_CONTRIBUTION, WITHDRAWAL,
	// SWAVALAMBAN_CONTRIBUTION, REMITTANCE or OTHERS.
	Type                   string        `fi:"type,enum=NPSInvestmentTransactionType"`
	Narration              string        `fi:"narration"`
	SubscriberContribution rebit.Decimal `fi:"subscriberContribution"`
	EmployerContribution   rebit.Decimal `fi:"employerContribution"`
	TotalContribution      rebit.Decimal `fi:"totalContribution"`
}

// Valuation is the current value (else the two tiers' investment values),
// invested the tiers' investment cost.
func (a *NPS) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetPension)
	}
	var tiers []*NPSTierHoldings
	for _, t := range []*NPSTierHoldings{s.Tier1, s.Tier2} {
		if t != nil {
			tiers = append(tiers, t)
		}
	}
	costs := make([]rebit.Decimal, len(tiers))
	for i, t := range tiers {
		costs[i] = t.InvestmentCost
	}
	invested, _ := calc.Sum(costs...)
	if len(tiers) == 0 {
		invested = ""
	}
	return calc.Valued(rebit.AssetPension, s.CurrentValue, invested, len(tiers), func(i int) (rebit.Decimal, bool) {
		return tiers[i].InvestmentValue, tiers[i].InvestmentValue != ""
	})
}

// Common implements Txn.
func (t *NPSSchemeTransaction) Common() rebit.Common {
	return rebit.Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: calc.Midnight(t.TxnDate)}
}

// Common implements Txn: the money of a contribution is its total.
func (t *NPSInvestmentTransaction) Common() rebit.Common {
	return rebit.Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TotalContribution, Narration: t.Narration, At: calc.Midnight(t.TxnDate)}
}
