package sandbox

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
)

// moneyCtx does every money computation: wide enough that sums of any realistic
// amounts never round.
var moneyCtx = apd.BaseContext.WithPrecision(60)

// paise turns a whole number of paise into an exact two-decimal amount.
func paise(p int64) *apd.Decimal { return apd.New(p, -2) }

// money formats d with exactly two decimals ("0.10", "-5.50").
func money(d *apd.Decimal) string {
	var q apd.Decimal
	if _, err := moneyCtx.Quantize(&q, d, -2); err != nil {
		// Quantize to two places only fails on absurd exponents, which the
		// sandbox never builds; keep the exact text rather than panic.
		return d.Text('f')
	}
	return q.Text('f')
}

// add returns x+y.
func add(x, y *apd.Decimal) *apd.Decimal {
	var d apd.Decimal
	moneyCtx.Add(&d, x, y)
	return &d
}

// sub returns x-y.
func sub(x, y *apd.Decimal) *apd.Decimal {
	var d apd.Decimal
	moneyCtx.Sub(&d, x, y)
	return &d
}

// mulRound returns x*y rounded to two decimals.
func mulRound(x, y *apd.Decimal) *apd.Decimal {
	var d, q apd.Decimal
	moneyCtx.Mul(&d, x, y)
	moneyCtx.Quantize(&q, &d, -2)
	return &q
}

// quoRound returns x/y rounded to places decimals.
func quoRound(x, y *apd.Decimal, places int32) *apd.Decimal {
	var d, q apd.Decimal
	moneyCtx.Quo(&d, x, y)
	moneyCtx.Quantize(&q, &d, -places)
	return &q
}

// dec parses a decimal literal the sandbox itself wrote; it panics on a typo.
func dec(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(fmt.Sprintf("sandbox: bad decimal literal %q", s))
	}
	return d
}

var errBadAmount = errors.New("amount must be a positive decimal with at most two decimal places")

// parseAmount validates a client-supplied transaction amount: positive, finite,
// at most two decimals, at most 15 integer digits.
func parseAmount(s string) (*apd.Decimal, error) {
	d, _, err := apd.NewFromString(s)
	if err != nil || d.Form != apd.Finite || d.Sign() <= 0 || d.Exponent < -2 {
		return nil, errBadAmount
	}
	if d.NumDigits()+int64(d.Exponent) > 15 {
		return nil, errBadAmount
	}
	return d, nil
}
