package fi

import (
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// decCtx does the package's arithmetic: exact for any realistic amounts
// (sums and products of 64-character decimals never round at 200 digits).
var decCtx = apd.BaseContext.WithPrecision(200)

func toApd(d Decimal) (*apd.Decimal, bool) {
	if d == "" {
		return nil, false
	}
	v, _, err := apd.NewFromString(string(d))
	return v, err == nil && v.Form == apd.Finite
}

func fromApd(v *apd.Decimal) Decimal { return Decimal(v.Text('f')) }

// sumOf adds ds exactly; ok is false if any is absent.
func sumOf(ds ...Decimal) (Decimal, bool) {
	total := apd.New(0, 0)
	for _, d := range ds {
		v, ok := toApd(d)
		if !ok {
			return "", false
		}
		decCtx.Add(total, total, v)
	}
	return fromApd(total), true
}

// product multiplies a and b exactly; ok is false if either is absent.
func product(a, b Decimal) (Decimal, bool) {
	x, ok1 := toApd(a)
	y, ok2 := toApd(b)
	if !ok1 || !ok2 {
		return "", false
	}
	var r apd.Decimal
	decCtx.Mul(&r, x, y)
	// A product carries the digits of both factors ("10.500" × "20.10" =
	// "211.05000"); drop trailing zeros, keeping at least two decimals.
	r.Reduce(&r)
	if r.Exponent > -2 {
		decCtx.Quantize(&r, &r, -2)
	}
	return fromApd(&r), true
}

// valued builds a Valuation from a summary's current value, falling back to
// the sum of the holdings' values (computed by each) when the summary has none.
func valued(class AssetClass, current, invested Decimal, holdings int, value func(i int) (Decimal, bool)) Valuation {
	v := Valuation{Class: class, Currency: wire.DefaultCurrency, Value: current, Invested: invested}
	if v.Value != "" {
		return v
	}
	if holdings == 0 {
		v.Missing = "no current value"
		return v
	}
	parts := make([]Decimal, holdings)
	for i := range parts {
		p, ok := value(i)
		if !ok {
			v.Missing = "no current value"
			return v
		}
		parts[i] = p
	}
	v.Value, _ = sumOf(parts...)
	return v
}

func noSummary(class AssetClass) Valuation {
	return Valuation{Class: class, Currency: wire.DefaultCurrency, Missing: "no summary"}
}

// midnight is a date's start in IST (FinPro's dates are IST), zero when absent.
func midnight(d Date) time.Time {
	if d == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, string(d), wire.IST)
	if err != nil {
		return time.Time{}
	}
	return t
}

// firstTime returns the first non-zero of ts.
func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func firstString(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
