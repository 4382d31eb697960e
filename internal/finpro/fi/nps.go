package fi

// NPS is an NPS account (National Pension System), schema
// national_pension_system/nps.xsd.
type NPS struct {
	Profile      *Profile         `fi:"Profile"`
	Summary      *NPSSummary      `fi:"Summary"`
	Transactions *NPSTransactions `fi:"Transactions"`
}

// NPSSummary is the nps Summary element.
type NPSSummary struct {
	OpeningDate  Date    `fi:"openingDate"`
	CurrentValue Decimal `fi:"currentValue"`
	// Status is ACTIVE or DEACTIVATED.
	Status string `fi:"status,enum=NPSStatus"`
	// Tier1Status is ACTIVE, DEACTIVATED or FROZEN.
	Tier1Status string `fi:"tier1Status,enum=NPSStatus"`
	// Tier2Status is ACTIVE, FROZEN, DEACTIVATED or NA.
	Tier2Status string `fi:"tier2Status,enum=NPSStatus"`
	// Tier1NAVDate and Tier2NAVDate are the dates of the tiers' NAVs.
	Tier1NAVDate Date `fi:"tier1NAVDate"`
	Tier2NAVDate Date `fi:"tier2NAVDate"`
	// DebtAssetValue, EquityAssetValue and OtherAssetValue split the value by
	// asset type.
	DebtAssetValue   Decimal `fi:"debtAssetValue"`
	EquityAssetValue Decimal `fi:"equityAssetValue"`
	OtherAssetValue  Decimal `fi:"otherAssetValue"`
	// SchemeChoices are the subscriber's scheme allocations.
	SchemeChoices []NPSSchemeChoice `fi:"SchemeChoices/SchemeChoice"`
	// Tier1 and Tier2 are the holdings of each tier.
	Tier1 *NPSTierHoldings `fi:"Holdings/Tier1Holdings"`
	Tier2 *NPSTierHoldings `fi:"Holdings/Tier2Holdings"`
}

// NPSSchemeChoice is one nps SchemeChoice.
type NPSSchemeChoice struct {
	// AllocationPercent is the share of contributions going to the scheme.
	AllocationPercent Decimal `fi:"allocationPercent"`
	// PFMID and PFMName are the pension fund manager.
	PFMID      string `fi:"pfmId"`
	PFMName    string `fi:"pfmName"`
	SchemeID   string `fi:"schemeId"`
	SchemeName string `fi:"schemeName"`
}

// NPSTierHoldings is the nps Tier1Holdings or Tier2Holdings element.
type NPSTierHoldings struct {
	// SchemePreferenceType is AUTO, ACTIVE or NA (tier 2 only).
	SchemePreferenceType string  `fi:"schemePreferenceType,enum=NPSSchemePreference"`
	FreeUnits            Decimal `fi:"freeUnits"`
	InvestmentCost       Decimal `fi:"investmentCost"`
	InvestmentValue      Decimal `fi:"investmentValue"`
	// Holdings are the tier's schemes.
	Holdings []NPSHolding `fi:"Tier1Holding|Tier2Holding"`
}

// NPSHolding is one nps Tier1Holding or Tier2Holding.
type NPSHolding struct {
	Amount             Decimal `fi:"amount"`
	AmountInTransition Decimal `fi:"amountInTransition"`
	BlockedUnits       Decimal `fi:"blockedUnits"`
	FreeUnits          Decimal `fi:"freeUnits"`
	NAV                Decimal `fi:"nav"`
	SchemeName         string  `fi:"schemeName"`
	SchemeID           string  `fi:"schemeId"`
	TotalUnits         Decimal `fi:"totalUnits"`
	// TotalValueOfScheme is the scheme's value in the tier.
	TotalValueOfScheme Decimal `fi:"totalValueOfScheme"`
}

// NPSTransactions is the nps Transactions element: four lists instead of one.
type NPSTransactions struct {
	StartDate       Date                       `fi:"startDate"`
	EndDate         Date                       `fi:"endDate"`
	Tier1Scheme     []NPSSchemeTransaction     `fi:"Tier1SchemeTransactions/Tier1SchemeTransaction"`
	Tier2Scheme     []NPSSchemeTransaction     `fi:"Tier2SchemeTransactions/Tier2SchemeTransaction"`
	Tier1Investment []NPSInvestmentTransaction `fi:"Tier1InvestmentTransactions/Tier1InvestmentTransaction"`
	Tier2Investment []NPSInvestmentTransaction `fi:"Tier2InvestmentTransactions/Tier2InvestmentTransaction"`
}

// NPSSchemeTransaction is one nps Tier1SchemeTransaction or
// Tier2SchemeTransaction.
type NPSSchemeTransaction struct {
	TxnID   string `fi:"txnId"`
	TxnDate Date   `fi:"txnDate"`
	// Type is CONTRIBUTION, BILLING, SWITCH_OUT, WITHDRAWAL, ADJUSTMENT, ....
	Type              string  `fi:"type,enum=NPSTransactionType"`
	SchemeName        string  `fi:"schemeName"`
	SchemeID          string  `fi:"schemeId"`
	Narration         string  `fi:"narration"`
	AllocationPercent Decimal `fi:"allocationPercent"`
	Amount            Decimal `fi:"amount"`
	NAV               Decimal `fi:"nav"`
	Units             Decimal `fi:"units"`
	CumulativeUnits   Decimal `fi:"cumulativeUnits"`
}

// NPSInvestmentTransaction is one nps Tier1InvestmentTransaction or
// Tier2InvestmentTransaction.
type NPSInvestmentTransaction struct {
	TxnID   string `fi:"txnId"`
	TxnDate Date   `fi:"txnDate"`
	// Type is CONTRIBUTION, UNFREEZE_CONTRIBUTION, WITHDRAWAL,
	// SWAVALAMBAN_CONTRIBUTION, REMITTANCE or OTHERS.
	Type                   string  `fi:"type,enum=NPSInvestmentTransactionType"`
	Narration              string  `fi:"narration"`
	SubscriberContribution Decimal `fi:"subscriberContribution"`
	EmployerContribution   Decimal `fi:"employerContribution"`
	TotalContribution      Decimal `fi:"totalContribution"`
}

// Valuation is the current value (else the two tiers' investment values),
// invested the tiers' investment cost.
func (a *NPS) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetPension)
	}
	var tiers []*NPSTierHoldings
	for _, t := range []*NPSTierHoldings{s.Tier1, s.Tier2} {
		if t != nil {
			tiers = append(tiers, t)
		}
	}
	costs := make([]Decimal, len(tiers))
	for i, t := range tiers {
		costs[i] = t.InvestmentCost
	}
	invested, _ := sumOf(costs...)
	if len(tiers) == 0 {
		invested = ""
	}
	return valued(AssetPension, s.CurrentValue, invested, len(tiers), func(i int) (Decimal, bool) {
		return tiers[i].InvestmentValue, tiers[i].InvestmentValue != ""
	})
}

// Common implements Txn.
func (t *NPSSchemeTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: midnight(t.TxnDate)}
}

// Common implements Txn: the money of a contribution is its total.
func (t *NPSInvestmentTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TotalContribution, Narration: t.Narration, At: midnight(t.TxnDate)}
}
