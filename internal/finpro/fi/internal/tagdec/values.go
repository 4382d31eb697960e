package tagdec

import (
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// ParseDecimal returns s as a plain exact decimal. It accepts what FinPro and
// FIPs write: "1234.50", "20.0", "-5", numbers in exponent form ("1E+3") and
// Indian digit grouping ("1,00,000.00"); the result is always plain digits.
func ParseDecimal(s string) (finpro.Decimal, bool) {
	if len(s) == 0 || len(s) > wire.MaxDecimalLen {
		return "", false
	}
	if wire.PlainDecimal(s) {
		return finpro.Decimal(s), true
	}
	if strings.Contains(s, ",") {
		if t := strings.ReplaceAll(s, ",", ""); wire.PlainDecimal(t) {
			return finpro.Decimal(t), true
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
	return finpro.Decimal(t), true
}

// ParseDate returns s as a civil date, YYYY-MM-DD. It accepts YYYY-MM-DD, a
// date-time (its date in its own offset), DD-MM-YYYY and DD/MM/YYYY.
func ParseDate(s string) (string, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(time.DateOnly), true
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		if t, err := wire.ParseTime(s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	for _, layout := range [...]string{"02-01-2006", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}
