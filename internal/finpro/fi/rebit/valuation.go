package rebit

// AssetClass groups accounts for net worth.
type AssetClass string

// Asset classes, one per kind of holding. Each FI type has exactly one.
const (
	AssetCash        AssetClass = "CASH"         // DEPOSIT (savings, current)
	AssetDeposits    AssetClass = "DEPOSITS"     // TERM_DEPOSIT, RECURRING_DEPOSIT
	AssetEquity      AssetClass = "EQUITY"       // EQUITIES, ETF, IDR
	AssetMutualFunds AssetClass = "MUTUAL_FUNDS" // MUTUAL_FUNDS, SIP, CIS
	AssetFixedIncome AssetClass = "FIXED_INCOME" // BONDS, DEBENTURES, GOVT_SECURITIES, CP
	AssetAlternative AssetClass = "ALTERNATIVE"  // AIF, INVIT, REIT
	AssetPension     AssetClass = "PENSION"      // NPS
	AssetInsurance   AssetClass = "INSURANCE"    // INSURANCE_POLICIES, LIFE_ and GENERAL_INSURANCE
	AssetOther       AssetClass = "OTHER"        // GSTR1_3B, OTHER
)

// Valuation is what one account is worth.
type Valuation struct {
	Class AssetClass
	// Currency is ISO 4217; INR when the schema carries no currency (all but
	// deposit).
	Currency string
	// Value is the account's current value; "" when the data does not say
	// (Missing then says why).
	Value Decimal
	// Invested is the amount invested (cost) when the schema has one, else "".
	Invested Decimal
	// Missing explains an empty Value: "no summary", "no current value",
	// "not valued" (insurance cover is not an asset value), ....
	Missing string
}
