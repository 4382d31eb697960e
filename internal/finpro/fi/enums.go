package fi

// Enums lists every enumeration the structs' enum fields use, by the name in
// their tags, with the values the XSDs define after normalisation (normEnum
// and its aliases). The GraphQL layer declares one enum per entry plus
// UNKNOWN, and maps any value not listed here to UNKNOWN.
var Enums = map[string][]string{
	"HoldersType":            {"SINGLE", "JOINT", "SOLE"},
	"Nominee":                {"REGISTERED", "NOT_REGISTERED"},
	"HoldingType":            {"SOLE", "JOINT", "OTHERS"},
	"SIPNominee":             {"SOLE", "OTHERS"},
	"DepositAccountType":     {"SAVINGS", "CURRENT"},
	"DepositFacility":        {"OD", "CC"},
	"AccountStatus":          {"ACTIVE", "INACTIVE"},
	"CreditDebit":            {"CREDIT", "DEBIT"},
	"DepositTransactionMode": {"CASH", "ATM", "CARD", "UPI", "FT", "OTHERS"},
	"TermDepositAccountType": {"FIXED", "RECURRING", "SWEEP", "FLEXIBLE", "TAX_SAVING", "FCNR", "OTHERS"},
	"InterestPayout":         {"MONTHLY", "QUARTERLY", "HALF_YEARLY", "YEARLY", "ON_MATURITY", "OTHERS"},
	"InterestComputation":    {"SIMPLE", "COMPOUND", "OTHERS"},
	"CompoundingFrequency":   {"MONTHLY", "QUARTERLY", "HALF_YEARLY", "YEARLY", "OTHERS"},
	"TermTransactionType":    {"OPENING", "INTEREST", "TDS", "INSTALLMENT", "CLOSING", "OTHERS"},
	"TermTransactionMode":    {"CASH", "ATM", "CARD_PAYMENT", "UPI", "FT", "OTHERS"},
	"HoldingMode":            {"DEMAT", "PHYSICAL"},
	"YesNo":                  {"YES", "NO"},
	"BuySell":                {"BUY", "SELL", "OTHERS"},
	"FundType":               {"EQUITY", "DEBT", "HYBRID", "SOLUTION_ORIENTED_SCHEMES", "OTHERS"},
	"SchemePlan":             {"DIRECT", "REGULAR"},
	"SchemeOption":           {"REINVEST", "PAYOUT", "GROWTH_TYPE"},
	"SchemeTypes":            {"EQUITY_SCHEMES", "DEBT_SCHEMES", "HYBRID_SCHEMES", "SOLUTION_ORIENTED_SCHEMES", "OTHER_SCHEMES"},
	"SchemeCategory": {"MULTI_CAP_FUND", "LARGE_CAP_FUND", "LARGE_AND_MID_CAP_FUND", "MIDCAP_FUND", "SMALL_CAP_FUND",
		"DIVIDEND_YIELD_FUND", "VALUE_FUND", "CONTRA_FUND", "FOCUSED_FUND", "SECTORAL_OR_THEMATIC", "ELSS",
		"OVERNIGHT_FUND", "LIQUID_FUND", "ULTRA_SHORT_DURATION_FUND", "LOW_DURATION_FUND", "MONEY_MARKET_FUND",
		"SHORT_DURATION_FUND", "MEDIUM_DURATION_FUND", "MEDIUM_TO_LONG_DURATION_FUND", "LONG_DURATION_FUND",
		"DYNAMIC_BOND", "CORPORATE_BOND_FUND", "CREDIT_RISK_FUND", "BANKING_AND_PSU_FUND", "GILT_FUND",
		"GILT_FUND_WITH_10_YEAR_CONSTANT_DURATION", "FLOATER_FUND", "CONSERVATIVE_HYBRID_FUND",
		"BALANCED_HYBRID_FUND", "AGGRESSIVE_HYBRID_FUND", "DYNAMIC_ASSET_ALLOCATION_OR_BALANCED_ADVANTAGE",
		"MULTI_ASSET_ALLOCATION", "ARBITRAGE_FUND", "EQUITY_SAVINGS", "RETIREMENT_FUND", "CHILDRENS_FUND",
		"INDEX_FUNDS_OR_ETFS", "FOFS_OVERSEAS_OR_DOMESTIC"},
	"Exchange":              {"BSE", "NSE", "OTHERS"},
	"EquityCategory":        {"EQUITY", "EQUITY_DERIVATIVES", "CURRENCY_DERIVATIVES"},
	"InstrumentType":        {"OPTIONS", "FUTURES"},
	"OptionType":            {"CALL", "PUT"},
	"EquityTransactionType": {"BUY", "SELL", "BONUS", "SPLIT", "DIVIDEND", "RIGHTS", "OTHERS"},
	"ShareHolderEquityType": {"COMMON_STOCK", "PREFERRED_STOCK", "ADDITIONAL_PAID_IN_CAPITAL", "CONTRIBUTED_SURPLUS", "RETAINED_EARNING", "OTHERS"},
	"ETFTransactionType":    {"BUY", "SELL", "BONUS", "SPLIT", "OTHERS"},
	"DividendType":          {"INTERIM_DIVIDEND", "FINAL_DIVIDEND"},
	"CISTransactionType": {"AMALGAMATION", "BONUS", "BUY_BACK", "CAPITAL_REDUCTION_OR_CONSOLIDATION_OF_SHARES",
		"CONVERSION_OF_DEBENTURES_INTO_SHARES", "DEMERGER", "DIVIDEND", "OPEN_OFFER", "RIGHTS_ISSUE", "STOCK_SPLIT", "OTHERS"},
	"AIFSecurityType": {"LISTED_EQUITY", "LISTED_DEBT_SECURITY", "UNLISTED_EQUITY", "UNLISTED_DEBT", "PREFERENCE_SHARES",
		"NCDS", "WARRANTS", "DERIVATIVE_CONTRACTS", "OTHERS"},
	"SecurityScheme":      {"FIXED_INTEREST_RATE", "T_NOTES", "T_BONDS", "OTHERS"},
	"NPSStatus":           {"ACTIVE", "DEACTIVATED", "FROZEN", "NA"},
	"NPSSchemePreference": {"AUTO", "ACTIVE", "NA"},
	"NPSTransactionType": {"CONTRIBUTION", "BILLING", "WITHDRAWAL_DUE_TO_SCHEME_PREFERENCE_CHANGE",
		"CONTRIBUTION_DUE_TO_SCHEME_CHANGE", "UNFREEZE_CONTRIBUTION", "SWITCH_OUT", "WITHDRAWAL", "ADJUSTMENT",
		"TRANSFER", "SWAVALAMBAN", "REMITTANCE", "OTHERS"},
	"NPSInvestmentTransactionType": {"CONTRIBUTION", "UNFREEZE_CONTRIBUTION", "WITHDRAWAL", "SWAVALAMBAN_CONTRIBUTION", "REMITTANCE", "OTHERS"},
	"PolicyType": {"TERM", "ENDOWMENT", "MONEYBACK", "PENSION_PLAN", "WHOLE_LIFE", "CHILDREN_PLAN", "LOAN_COVER_TERM",
		"COMPREHENSIVE", "THIRD_PARTY", "OTHERS"},
	"CoverType":        {"TERM_ROP", "CRITICAL_ILLNESS", "HEALTH", "SELF", "FAMILY", "BUILDING", "CONTENTS", "OTHERS"},
	"PremiumFrequency": {"MONTHLY", "QUARTERLY", "HALF_YEARLY", "YEARLY", "ONE_TIME"},
	"InsuranceTransactionType": {"PREMIUM_PAYMENT", "BONUS", "MONEY_BACK", "LATE_FEES", "FINAL_SETTLEMENT", "CLAIM",
		"PLAN_CHANGE", "INSURANCE_RENEWAL", "OTHERS"},
}

// Known reports whether v is a value of enum name.
func Known(name, v string) bool {
	for _, x := range Enums[name] {
		if x == v {
			return true
		}
	}
	return false
}
