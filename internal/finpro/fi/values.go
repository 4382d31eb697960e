package fi

import (
	"reflect"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/tagdec"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// parseDate is tagdec.ParseDate as a Date.
func parseDate(s string) (rebit.Date, bool) {
	d, ok := tagdec.ParseDate(s)
	return rebit.Date(d), ok
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

// codec decodes the package's types: Decimal and Date fields by their
// parsers, enum-tagged strings by normEnum.
var codec = tagdec.New(map[reflect.Type]tagdec.Parser{
	reflect.TypeFor[rebit.Decimal](): func(s string) (string, bool) {
		d, ok := tagdec.ParseDecimal(s)
		return string(d), ok
	},
	reflect.TypeFor[rebit.Date](): tagdec.ParseDate,
}, normEnum)

// Issues lists what did not decode cleanly, as normalised paths (never values:
// they may be PII).
type Issues struct {
	// Malformed are fields whose value did not fit their type; the field is
	// absent in the result.
	Malformed []string
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
