package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// decimalContext is wide enough for any sum of FinPro balances; an inexact sum
// is an error rather than a rounded total.
var decimalContext = apd.BaseContext.WithPrecision(200)

// SumBalances adds balances per currency exactly (Customer.totalBalance). The sum's scale is the
// largest scale of its addends ("1234.5" + "0.10" = "1234.60"), which apd's
// addition keeps by construction. finpro guarantees every balance a currency.
func SumBalances(bs []*finpro.Balance) ([]*Money, error) {
	sums := make(map[string]*apd.Decimal)
	for _, b := range bs {
		x, _, err := apd.NewFromString(string(b.Balance))
		if err != nil || x.Form != apd.Finite {
			return nil, fmt.Errorf("balance of account %s is not a decimal", b.LinkReferenceNumber)
		}
		s, ok := sums[b.Currency]
		if !ok {
			sums[b.Currency] = x
			continue
		}
		cond, err := decimalContext.Add(s, s, x)
		if err != nil || cond.Inexact() {
			return nil, fmt.Errorf("sum of balances in %s is not exact", b.Currency)
		}
	}
	out := make([]*Money, 0, len(sums))
	for cur, sum := range sums {
		out = append(out, &Money{Amount: Decimal(sum.Text('f')), Currency: cur})
	}
	slices.SortFunc(out, func(a, b *Money) int { return strings.Compare(a.Currency, b.Currency) })
	return out, nil
}
