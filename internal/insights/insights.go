// Package insights computes exact analytics over an account's transactions:
// cash flow per month or week with opening, closing, minimum and average
// daily balances; recurring credits (salary-like) and debits (EMIs, SIPs,
// rent, subscriptions) with their occurrences; and returned (bounced)
// payments with their charges. Every figure is checked against FinPro's
// running balances: a period's opening plus its inflow minus its outflow
// must equal its closing balance.
//
// The package is pure: it reads transactions given to it and does no I/O.
// Money is cockroachdb/apd decimals end to end, never floats; an average is
// the one rounded figure (to the largest scale of the account's amounts,
// half away from zero). docs/insights.md defines every figure.
package insights

import (
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Direction is whether a transaction adds to the balance or takes from it.
type Direction int8

// Directions.
const (
	In  Direction = 1
	Out Direction = -1
)

// inTypes are the transaction types that add to the running balance
// (docs/upstream-decisions.md): CREDIT, and the deposit and fund types that
// FinPro's running balances add.
var inTypes = map[string]bool{"CREDIT": true, "OPENING": true, "INTEREST": true, "INSTALLMENT": true, "BUY": true}

// DirectionOf returns the direction of a FinPro transaction type.
func DirectionOf(typ string) Direction {
	if inTypes[typ] {
		return In
	}
	return Out
}

// Txn is one transaction as the analytics read it.
type Txn struct {
	At     time.Time
	Dir    Direction
	Type   string
	Mode   string
	Amount apd.Decimal // not negative
	// Balance is FinPro's running balance after the transaction; valid when
	// HasBalance.
	Balance    apd.Decimal
	HasBalance bool
	Narration  string
	// Ref is the caller's index of the transaction (results name
	// transactions by it).
	Ref int
}

// FromFinpro converts FinPro's transactions (in FinPro's time order); Ref
// is each one's index in ts. A transaction whose amount is not a decimal is
// an error: it cannot be added up.
func FromFinpro(ts []finpro.Transaction) ([]Txn, error) {
	out := make([]Txn, len(ts))
	for i := range ts {
		x := &ts[i]
		t := &out[i]
		if _, _, err := t.Amount.SetString(string(x.Amount)); err != nil || t.Amount.Form != apd.Finite {
			return nil, fmt.Errorf("transaction %d: amount is not a decimal", i)
		}
		t.Amount.Abs(&t.Amount)
		if x.CurrentBalance != "" {
			if _, _, err := t.Balance.SetString(string(x.CurrentBalance)); err == nil && t.Balance.Form == apd.Finite {
				t.HasBalance = true
			}
		}
		t.At, t.Dir, t.Type, t.Mode, t.Narration, t.Ref = x.TransactionTimestamp, DirectionOf(x.Type), x.Type, x.Mode, x.Narration, i
	}
	return out, nil
}

// Day returns the calendar day (midnight IST) of t.
func Day(t time.Time) time.Time {
	y, m, d := t.In(finpro.IST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, finpro.IST)
}

// Range is an inclusive span of calendar days (midnight IST each).
type Range struct {
	From, To time.Time
}

// NewRange returns the range of days from..to (YYYY-MM-DD, inclusive).
func NewRange(from, to string) (Range, error) {
	f, err := time.ParseInLocation(time.DateOnly, from, finpro.IST)
	if err != nil {
		return Range{}, errors.New("from is not a YYYY-MM-DD date")
	}
	t, err := time.ParseInLocation(time.DateOnly, to, finpro.IST)
	if err != nil {
		return Range{}, errors.New("to is not a YYYY-MM-DD date")
	}
	if t.Before(f) {
		return Range{}, errors.New("to is before from")
	}
	return Range{f, t}, nil
}

// Contains reports whether t falls on a day of r.
func (r Range) Contains(t time.Time) bool {
	d := Day(t)
	return !d.Before(r.From) && !d.After(r.To)
}

// Days returns the number of days of r.
func (r Range) Days() int { return daysBetween(r.From, r.To) + 1 }

// daysBetween is the number of calendar days from a to b (midnights).
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Round(time.Hour) / (24 * time.Hour))
}

// Interval is the length of a cash-flow period.
type Interval int

// Intervals.
const (
	Month Interval = iota // calendar months
	Week                  // ISO weeks, Monday to Sunday
)

// ctx does every computation: wide enough that no sum of amounts rounds.
var ctx = apd.BaseContext.WithPrecision(60)

// exact runs an apd operation that must be exact (sums of decimals within
// ctx's precision always are; anything else is a bug).
func exact(c apd.Condition, err error) {
	if err != nil || c.Inexact() {
		panic(fmt.Sprintf("insights: inexact decimal arithmetic: %v %v", c, err))
	}
}

func add(d, x, y *apd.Decimal) { exact(ctx.Add(d, x, y)) }
func sub(d, x, y *apd.Decimal) { exact(ctx.Sub(d, x, y)) }

// signed returns x's amount with its direction's sign.
func signed(x *Txn) *apd.Decimal {
	var d apd.Decimal
	d.Set(&x.Amount)
	if x.Dir == Out {
		d.Neg(&d)
	}
	return &d
}
