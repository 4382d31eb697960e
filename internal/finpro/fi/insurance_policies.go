package fi

import "github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

// InsurancePolicies is an INSURANCE_POLICIES, LIFE_INSURANCE or
// GENERAL_INSURANCE account (one policy), schema
// insurance_policies/insurance_policies.xsd.
type InsurancePolicies struct {
	Profile      *InsuranceProfile                   `fi:"Profile"`
	Summary      *InsuranceSummary                   `fi:"Summary"`
	Transactions *Transactions[InsuranceTransaction] `fi:"Transactions"`
}

// InsuranceProfile is the insurance Profile element: holders and riders.
type InsuranceProfile struct {
	Holders Holders          `fi:"Holders"`
	Riders  []InsuranceRider `fi:"Riders/Rider"`
}

// InsuranceRider is one insurance Rider (an add-on cover).
type InsuranceRider struct {
	// RiderType is free text: accidental death, waiver of premium, ....
	RiderType       string  `fi:"riderType"`
	SumAssured      Decimal `fi:"sumAssured"`
	TenureYears     *int    `fi:"tenureYears"`
	TenureMonths    *int    `fi:"tenureMonths"`
	PremiumAmount   Decimal `fi:"premiumAmount"`
	PolicyStartDate Date    `fi:"policyStartDate"`
	PolicyEndDate   Date    `fi:"policyEndDate"`
}

// InsuranceSummary is the insurance Summary element.
type InsuranceSummary struct {
	PolicyName   string `fi:"policyName"`
	PolicyNumber string `fi:"policyNumber"`
	// EIANumber is the e-Insurance Account number.
	EIANumber         string `fi:"eiaNumber"`
	PolicyDescription string `fi:"policyDescription"`
	// SumAssured is the policy's insured amount.
	SumAssured Decimal `fi:"sumAssured"`
	// CoverAmount is the cover amount.
	CoverAmount      Decimal `fi:"coverAmount"`
	TenureMonths     *int    `fi:"tenureMonths"`
	TenureYears      *int    `fi:"tenureYears"`
	PremiumAmount    Decimal `fi:"premiumAmount"`
	PolicyStartDate  Date    `fi:"policyStartDate"`
	PolicyExpiryDate Date    `fi:"policyExpiryDate"`
	// PolicyType is TERM, ENDOWMENT, MONEYBACK, PENSION_PLAN, WHOLE_LIFE,
	// CHILDREN_PLAN, LOAN_COVER_TERM (life), COMPREHENSIVE, THIRD_PARTY
	// (general) or OTHERS.
	PolicyType string `fi:"policyType,enum=PolicyType"`
	// CoverType is TERM_ROP, CRITICAL_ILLNESS, HEALTH, SELF, FAMILY, BUILDING,
	// CONTENTS or OTHERS.
	CoverType string `fi:"coverType,enum=CoverType"`
	// PremiumFrequency is MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY or ONE_TIME.
	PremiumFrequency string `fi:"premiumFrequency,enum=PremiumFrequency"`
	// PremiumPaymentYears and PremiumPaymentMonths are how long premiums are
	// due.
	PremiumPaymentYears  *int `fi:"premiumPaymentYears"`
	PremiumPaymentMonths *int `fi:"premiumPaymentMonths"`
	NextPremiumDueDate   Date `fi:"nextPremiumDueDate"`
	MaturityDate         Date `fi:"maturityDate"`
	// MaturityBenefit is the lump sum paid at maturity.
	MaturityBenefit Decimal `fi:"maturityBenefit"`
	// MoneyBacks are the scheduled survival payouts.
	MoneyBacks []InsuranceMoneyBack `fi:"MoneyBacks/MoneyBack"`
	// ContractClauses are the policy's clauses and sub-limits.
	ContractClauses []InsuranceContractClause `fi:"ContractClauses/ContractClause"`
	// Covers are the covers included.
	Covers []InsuranceCover `fi:"Covers/Cover"`
}

// InsuranceMoneyBack is one insurance MoneyBack.
type InsuranceMoneyBack struct {
	Date        Date    `fi:"date"`
	Amount      Decimal `fi:"amount"`
	Description string  `fi:"description"`
}

// InsuranceContractClause is one insurance ContractClause.
type InsuranceContractClause struct {
	Title string `fi:"title"`
	// SubLimit is the cover available for a kind of loss (free text).
	SubLimit   string `fi:"subLimit"`
	Conditions string `fi:"conditions"`
	// Exclusions are the risks excluded (the XSD spells it exlcusions).
	Exclusions  string  `fi:"exlcusions|exclusions"`
	Amount      Decimal `fi:"amount"`
	Description string  `fi:"description"`
}

// InsuranceCover is one insurance Cover.
type InsuranceCover struct {
	Amount      Decimal `fi:"amount"`
	Description string  `fi:"description"`
}

// InsuranceTransaction is one insurance Transaction.
type InsuranceTransaction struct {
	TxnID     string `fi:"txnId"`
	TxnDate   Date   `fi:"txnDate"`
	Narration string `fi:"narration"`
	// Type is PREMIUM_PAYMENT, BONUS, MONEY_BACK, LATE_FEES,
	// FINAL_SETTLEMENT, CLAIM, PLAN_CHANGE, INSURANCE_RENEWAL or OTHERS.
	Type   string  `fi:"type,enum=InsuranceTransactionType"`
	Amount Decimal `fi:"amount"`
}

// Valuation: a policy is cover, not an asset with a current value (the schema
// has no surrender value), so it is classed INSURANCE and not valued.
func (a *InsurancePolicies) Valuation() Valuation {
	return Valuation{Class: AssetInsurance, Currency: wire.DefaultCurrency, Missing: "not valued"}
}

// Common implements Txn.
func (t *InsuranceTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: midnight(t.TxnDate)}
}
