// Package insurance holds the insurance FI types INSURANCE_POLICIES,
// LIFE_INSURANCE and GENERAL_INSURANCE, all three after ReBIT's
// insurance_policies.xsd.
//
// Each type is declared with `fi` tags and decoded by package fi; its
// Valuation method says what the account is worth and its transactions' Common
// method maps a row to the statement fields.
package insurance

import (
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// InsurancePolicies is an INSURANCE_POLICIES, LIFE_INSURANCE or
// GENERAL_INSURANCE account (one policy), schema
// insurance_policies/insurance_policies.xsd.
type InsurancePolicies struct {
	Profile      *InsuranceProfile                         `fi:"Profile"`
	Summary      *InsuranceSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[InsuranceTransaction] `fi:"Transactions"`
}

// InsuranceProfile is the insurance Profile element: holders and riders.
type InsuranceProfile struct {
	Holders rebit.Holders    `fi:"Holders"`
	Riders  []InsuranceRider `fi:"Riders/Rider"`
}

// InsuranceRider is one insurance Rider (an add-on cover).
type InsuranceRider struct {
	// RiderType is free text: accidental death, waiver of premium, ....
	RiderType       string        `fi:"riderType"`
	SumAssured      rebit.Decimal `fi:"sumAssured"`
	TenureYears     *int          `fi:"tenureYears"`
	TenureMonths    *int          `fi:"tenureMonths"`
	PremiumAmount   rebit.Decimal `fi:"premiumAmount"`
	PolicyStartDate rebit.Date    `fi:"policyStartDate"`
	PolicyEndDate   rebit.Date    `fi:"policyEndDate"`
}

// InsuranceSummary is the insurance Summary element.
type InsuranceSummary struct {
	PolicyName   string `fi:"policyName"`
	PolicyNumber string `fi:"policyNumber"`
	// EIANumber is the e-Insurance Account number.
	EIANumber         string `fi:"eiaNumber"`
	PolicyDescription string `fi:"policyDescription"`
	// SumAssured is the policy's insured amount.
	SumAssured rebit.Decimal `fi:"sumAssured"`
	// CoverAmount is the cover amount.
	CoverAmount      rebit.Decimal `fi:"coverAmount"`
	TenureMonths     *int          `fi:"tenureMonths"`
	TenureYears      *int          `fi:"tenureYears"`
	PremiumAmount    rebit.Decimal `fi:"premiumAmount"`
	PolicyStartDate  rebit.Date    `fi:"policyStartDate"`
	PolicyExpiryDate rebit.Date    `fi:"policyExpiryDate"`
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
	PremiumPaymentYears  *int       `fi:"premiumPaymentYears"`
	PremiumPaymentMonths *int       `fi:"premiumPaymentMonths"`
	NextPremiumDueDate   rebit.Date `fi:"nextPremiumDueDate"`
	MaturityDate         rebit.Date `fi:"maturityDate"`
	// MaturityBenefit is the lump sum paid at maturity.
	MaturityBenefit rebit.Decimal `fi:"maturityBenefit"`
	// MoneyBacks are the scheduled survival payouts.
	MoneyBacks []InsuranceMoneyBack `fi:"MoneyBacks/MoneyBack"`
	// ContractClauses are the policy's clauses and sub-limits.
	ContractClauses []InsuranceContractClause `fi:"ContractClauses/ContractClause"`
	// Covers are the covers included.
	Covers []InsuranceCover `fi:"Covers/Cover"`
}

// InsuranceMoneyBack is one insurance MoneyBack.
type InsuranceMoneyBack struct {
	Date        rebit.Date    `fi:"date"`
	Amount      rebit.Decimal `fi:"amount"`
	Description string        `fi:"description"`
}

// InsuranceContractClause is one insurance ContractClause.
type InsuranceContractClause struct {
	Title string `fi:"title"`
	// SubLimit is the cover available for a kind of loss (free text).
	SubLimit   string `fi:"subLimit"`
	Conditions string `fi:"conditions"`
	// Exclusions are the risks excluded (the XSD spells it exlcusions).
	Exclusions  string        `fi:"exlcusions|exclusions"`
	Amount      rebit.Decimal `fi:"amount"`
	Description string        `fi:"description"`
}

// InsuranceCover is one insurance Cover.
type InsuranceCover struct {
	Amount      rebit.Decimal `fi:"amount"`
	Description string        `fi:"description"`
}

// InsuranceTransaction is one insurance Transaction.
type InsuranceTransaction struct {
	TxnID     string     `fi:"txnId"`
	TxnDate   rebit.Date `fi:"txnDate"`
	Narration string     `fi:"narration"`
	// Type is PREMIUM_PAYMENT, BONUS, MONEY_BACK, LATE_FEES,
	// FINAL_SETTLEMENT, CLAIM, PLAN_CHANGE, INSURANCE_RENEWAL or OTHERS.
	Type   string        `fi:"type,enum=InsuranceTransactionType"`
	Amount rebit.Decimal `fi:"amount"`
}

// Valuation: a policy is cover, not an asset with a current value (the schema
// has no surrender value), so it is classed INSURANCE and not valued.
func (a *InsurancePolicies) Valuation() rebit.Valuation {
	return rebit.Valuation{Class: rebit.AssetInsurance, Currency: wire.DefaultCurrency, Missing: "not valued"}
}

// Common implements Txn.
func (t *InsuranceTransaction) Common() rebit.Common {
	return rebit.Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: calc.Midnight(t.TxnDate)}
}
