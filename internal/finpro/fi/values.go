package fi

import (
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Decimal is an exact decimal as text (finpro.Decimal): plain digits with an
// optional sign and fraction ("101666.33", "-5.50"), never a float. "" means
// absent: FinPro sent nothing, an empty string, or a value that is not a finite
// decimal.
type Decimal = finpro.Decimal

// Date is a calendar date, YYYY-MM-DD; "" means absent or unreadable. Dates are
// civil dates (no zone): a date-time value keeps the date of its own offset.
type Date string

// parseDecimal returns s as a plain exact decimal. It accepts what FinPro and
// FIPs write: "1234.50", "20.0", "-5", numbers in exponent form ("1E+3") and
// Indian digit grouping ("1,00,000.00"); the result is always plain digits.
func parseDecimal(s string) (Decimal, bool) {
	if len(s) == 0 || len(s) > wire.MaxDecimalLen {
		return "", false
	}
	if wire.PlainDecimal(s) {
		return Decimal(s), true
	}
	if strings.Contains(s, ",") {
		if t := strings.ReplaceAll(s, ",", ""); wire.PlainDecimal(t) {
			return Decimal(t), true
		}
		return "", false
	}
	v, _, err := apd.NewFromString(s)
	if err != nil || v.Form != apd.Finite {
		return "", false
	}
	t := v.Text('f')
	if len(t) > wire.MaxDecimalLen {
		return "", false
	}
	return Decimal(t), true
}

// parseDate accepts YYYY-MM-DD, a date-time (its date in its own offset),
// DD-MM-YYYY and DD/MM/YYYY.
func parseDate(s string) (Date, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return Date(t.Format(time.DateOnly)), true
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		if t, err := wire.ParseTime(s); err == nil {
			return Date(t.Format(time.DateOnly)), true
		}
	}
	for _, layout := range [...]string{"02-01-2006", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date(t.Format(time.DateOnly)), true
		}
	}
	return "", false
}

// normEnum normalises an enumeration value to the upper-snake form the schemas'
// values take once punctuation is folded: "NOT-REGISTERED" -> NOT_REGISTERED,
// "HALF-YEARLY" -> HALF_YEARLY, " OTHERS" -> OTHERS, "OnMaturity" ->
// ON_MATURITY. Spellings the XSDs themselves get wrong are mapped to the
// intended value (enumAliases); anything else passes through normalised, for
// the graph to map to UNKNOWN.
func normEnum(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
			fallthrough
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteByte(c)
		default:
			sep = true
		}
	}
	v := b.String()
	if a, ok := enumAliases[v]; ok {
		return a
	}
	return v
}

// enumAliases maps misspelt or run-together schema values to the value meant.
var enumAliases = map[string]string{
	"ONMATURITY":              "ON_MATURITY",       // term/recurring deposit "OnMaturity"
	"QUARTELY":                "QUARTERLY",         // insurance premiumFrequency
	"BOUNS":                   "BONUS",             // etf transaction type
	"INSURANCE_RENEWWAL":      "INSURANCE_RENEWAL", // insurance transaction type
	"PLAN_CHANGE_PLAN_CHANGE": "PLAN_CHANGE",       // insurance "Plan Change PLAN_CHANGE"
	"WILDRAWAL_DUE_TO_SCHEME_PREFERENCE_CHANGE": "WITHDRAWAL_DUE_TO_SCHEME_PREFERENCE_CHANGE", // nps
	"INTERIM_DIVIDENT":                          "INTERIM_DIVIDEND",                           // cis dividendType
	"FINAL_DIVIDENT":                            "FINAL_DIVIDEND",                             // cis dividendType
	"CHILDREN_S_FUND":                           "CHILDRENS_FUND",                             // mutual funds "CHILDREN’S_FUND"
	"PREFERED_STOCK":                            "PREFERRED_STOCK",                            // equities shareHolderEquityType
}
