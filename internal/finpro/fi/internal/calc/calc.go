// Package calc is the exact arithmetic the FI schemas' Go types share: apd
// sums and products of decimal strings, an account's valuation from its
// summary or its holdings, and the helpers that pick a transaction row's
// moment. It is internal to fi: the families and net worth use it, nobody else.
package calc

import (
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Ctx does the arithmetic: exact for any realistic amounts
// (sums and products of 64-character decimals never round at 200 digits).
var Ctx = apd.BaseContext.WithPrecision(200)

// ToApd parses d; false when d is absent or not a finite decimal.
func ToApd(d rebit.Decimal) (*apd.Decimal, bool) {
	if d == "" {
		return nil, false
	}
	v, _, err := apd.NewFromString(string(d))
	return v, err == nil && v.Form == apd.Finite
}

// FromApd is v as a plain decimal string.
func FromApd(v *apd.Decimal) rebit.Decimal { return rebit.Decimal(v.Text('f')) }

// Sum adds ds exactly; ok is false if any is absent.
func Sum(ds ...rebit.Decimal) (rebit.Decimal, bool) {
	total := apd.New(0, 0)
	for _, d := range ds {
		v, ok := ToApd(d)
		if !ok {
			return "", false
		}
		Ctx.Add(total, total, v)
	}
	return FromApd(total), true
}

// Product multiplies a and b exactly; ok is false if either is absent.
func Product(a, b rebit.Decimal) (rebit.Decimal, bool) {
	x, ok1 := ToApd(a)
	y, ok2 := ToApd(b)
	if !ok1 || !ok2 {
		return "", false
	}
	var r apd.Decimal
	Ctx.Mul(&r, x, y)
	// A product carries the digits of both factors ("10.500" × "20.10" =
	// "211.05000"); drop trailing zeros, keeping at least two decimals.
	r.Reduce(&r)
	if r.Exponent > -2 {
		Ctx.Quantize(&r, &r, -2)
	}
	return FromApd(&r), true
}

// Valued builds a Valuation from a summary's current value, falling back to
// the sum of the holdings' values (computed by each) when the summary has none.
func Valued(class rebit.AssetClass, current, invested rebit.Decimal, holdings int, value func(i int) (rebit.Decimal, bool)) rebit.Valuation {
	v := rebit.Valuation{Class: class, Currency: wire.DefaultCurrency, Value: current, Invested: invested}
	if v.Value != "" {
		return v
	}
	if holdings == 0 {
		v.Missing = "no current value"
		return v
	}
	parts := make([]rebit.Decimal, holdings)
	for i := range parts {
		p, ok := value(i)
		if !ok {
			v.Missing = "no current value"
			return v
		}
		parts[i] = p
	}
	v.Value, _ = Sum(parts...)
	return v
}

// NoSummary is the valuation of an account of class without a Summary.
func NoSummary(class rebit.AssetClass) rebit.Valuation {
	return rebit.Valuation{Class: class, Currency: wire.DefaultCurrency, Missing: "no summary"}
}

// Midnight is a date's start in IST (FinPro's dates are IST), zero when absent.
func Midnight(d rebit.Date) time.Time {
	if d == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, string(d), wire.IST)
	if err != nil {
		return time.Time{}
	}
	return t
}

// FirstTime returns the first non-zero of ts.
func FirstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// FirstString returns the first non-empty of ss.
func FirstString(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
