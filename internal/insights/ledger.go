package insights

import (
	"errors"
	"sort"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Ledger is one account's transactions over a range with the balance after
// each one and at the end of each day, as FinPro's running balances give
// them. Build it with NewLedger; it is read-only afterwards.
type Ledger struct {
	Range Range
	// Through is the last day daily balances are counted for: the range's
	// end, or today when that is earlier (a day that has not ended has no
	// end-of-day balance).
	Through time.Time
	// Txns are the range's transactions in time order.
	Txns []Txn
	// Scale is the largest number of decimals of the amounts and balances
	// read (at least 2): the scale of averages.
	Scale int32

	opening  *apd.Decimal  // the balance when the range starts; nil: unknown
	after    []apd.Decimal // the balance after each of Txns (when opening is known)
	eod      []apd.Decimal // the balance at the end of each day From..Through
	mismatch []bool        // Txns[i]'s running balance does not follow from the one before
	// unchecked is set when some of Txns have no running balance to check.
	unchecked bool
}

// NewLedger builds the ledger of r from an account's transactions in time
// order (they may reach beyond r: the ones outside it only help find the
// opening balance). today bounds the days with a daily balance.
//
// The opening balance is the running balance of the range's first
// transaction minus its own amount (plus it, for a debit); with no
// transaction in the range, the running balance of the last one before it
// (or of the first after it, its amount taken back). Each transaction's
// running balance is then checked against the one before it plus or minus
// its amount; a transaction without one continues from the computed
// balance. Daily balances are end-of-day balances: after the day's last
// transaction, else the day before's.
func NewLedger(all []Txn, r Range, today time.Time) *Ledger {
	l := &Ledger{Range: r, Through: r.To, Scale: 2}
	if t := Day(today); t.Before(l.Through) {
		l.Through = t
	}
	first := -1 // index in all of the range's first transaction
	for i := range all {
		x := &all[i]
		l.Scale = max(l.Scale, -x.Amount.Exponent)
		if x.HasBalance {
			l.Scale = max(l.Scale, -x.Balance.Exponent)
		}
		if r.Contains(x.At) {
			if first < 0 {
				first = i
			}
			l.Txns = append(l.Txns, *x)
		}
	}
	l.opening = openingBalance(all, r, first)
	l.mismatch = make([]bool, len(l.Txns))
	for i := range l.Txns {
		if !l.Txns[i].HasBalance {
			l.unchecked = true
		}
	}
	if l.opening == nil {
		return l
	}
	l.after = make([]apd.Decimal, len(l.Txns))
	var cur apd.Decimal
	cur.Set(l.opening)
	for i := range l.Txns {
		x := &l.Txns[i]
		add(&cur, &cur, signed(x))
		if x.HasBalance {
			if cur.Cmp(&x.Balance) != 0 {
				l.mismatch[i] = true
			}
			cur.Set(&x.Balance) // FinPro's running balance is the account's
		}
		l.after[i].Set(&cur)
	}
	if days := daysBetween(r.From, l.Through) + 1; days > 0 {
		l.eod = make([]apd.Decimal, days)
		bal := l.opening
		k := 0
		for d := range l.eod {
			end := r.From.AddDate(0, 0, d+1)
			for k < len(l.Txns) && l.Txns[k].At.Before(end) {
				bal = &l.after[k]
				k++
			}
			l.eod[d].Set(bal)
		}
	}
	return l
}

// openingBalance returns the balance when r starts, from the transactions
// around it (first is the index in all of the range's first one, -1: none).
func openingBalance(all []Txn, r Range, first int) *apd.Decimal {
	back := func(x *Txn) *apd.Decimal {
		var d apd.Decimal
		sub(&d, &x.Balance, signed(x))
		return &d
	}
	if first >= 0 {
		if x := &all[first]; x.HasBalance {
			return back(x)
		}
		return nil
	}
	for i := len(all) - 1; i >= 0; i-- {
		if x := &all[i]; Day(x.At).Before(r.From) {
			if x.HasBalance {
				var d apd.Decimal
				d.Set(&x.Balance)
				return &d
			}
			return nil
		}
	}
	for i := range all {
		if x := &all[i]; Day(x.At).After(r.To) {
			if x.HasBalance {
				return back(x)
			}
			return nil
		}
	}
	return nil
}

// Status is how a period's figures reconcile with FinPro's running balances.
type Status int

// Statuses, in the order Combine picks the worst.
const (
	// Reconciled: opening + inflow − outflow = closing, and every
	// transaction's running balance follows from the one before.
	Reconciled Status = iota
	// Unavailable: some running balances are missing (or the opening
	// balance is unknown), so the figures cannot be checked.
	Unavailable
	// Mismatch: a running balance does not follow from the one before
	// (FinPro's data has a gap or an error).
	Mismatch
)

// Period is a cash-flow period of one ledger or the sum of several.
type Period struct {
	// Start and End are the period's first and last days within the range.
	Start, End time.Time
	Inflow     apd.Decimal
	Outflow    apd.Decimal
	Net        apd.Decimal
	Credits    int // transactions in
	Debits     int // transactions out
	// Opening and Closing are the balances at the period's start and end
	// (FinPro's running balances); Computed is Opening + Inflow − Outflow.
	// Nil when unknown.
	Opening, Closing, Computed *apd.Decimal
	Status                     Status
	// Days is the number of the period's days with an end-of-day balance
	// (those not after the ledger's Through); MinDaily and AvgDaily are the
	// least and the mean of them (nil without days or balances).
	Days               int
	MinDaily, AvgDaily *apd.Decimal
	// Mismatch names the period's first transaction whose running balance
	// does not follow (its ledger's index in the ledgers given and its
	// index in that ledger's Txns); Ledger is -1 when there is none.
	Mismatch struct{ Ledger, Txn int }
}

// bounds returns the periods of r for iv: calendar months or ISO weeks
// (Monday to Sunday), clipped to r.
func bounds(r Range, iv Interval) [][2]time.Time {
	var out [][2]time.Time
	for s := r.From; !s.After(r.To); {
		var next time.Time
		switch iv {
		case Week:
			back := (int(s.Weekday()) + 6) % 7 // days since Monday
			next = s.AddDate(0, 0, 7-back)
		default:
			next = time.Date(s.Year(), s.Month()+1, 1, 0, 0, 0, 0, finpro.IST)
		}
		e := next.AddDate(0, 0, -1)
		if e.After(r.To) {
			e = r.To
		}
		out = append(out, [2]time.Time{s, e})
		s = next
	}
	return out
}

// ErrRanges is returned when ledgers of different ranges are combined.
var ErrRanges = errors.New("insights: ledgers of different ranges")

// CashFlow returns the cash flow of the ledgers' range per interval: each
// period's figures summed over the ledgers (one account, or a customer's
// accounts in one currency), the daily balances those of the summed
// balances.
func CashFlow(iv Interval, ls ...*Ledger) ([]Period, error) {
	if len(ls) == 0 {
		return nil, nil
	}
	for _, l := range ls[1:] {
		if l.Range != ls[0].Range || !l.Through.Equal(ls[0].Through) {
			return nil, ErrRanges
		}
	}
	bs := bounds(ls[0].Range, iv)
	out := make([]Period, len(bs))
	for i, b := range bs {
		out[i] = period(ls, b[0], b[1])
	}
	return out, nil
}

// Total returns the ledgers' whole range as one period.
func Total(ls ...*Ledger) (Period, error) {
	if len(ls) == 0 {
		return Period{}, nil
	}
	for _, l := range ls[1:] {
		if l.Range != ls[0].Range || !l.Through.Equal(ls[0].Through) {
			return Period{}, ErrRanges
		}
	}
	r := ls[0].Range
	return period(ls, r.From, r.To), nil
}

// period sums the ledgers' figures over the days start..end.
func period(ls []*Ledger, start, end time.Time) Period {
	p := Period{Start: start, End: end}
	p.Mismatch.Ledger = -1
	p.Opening, p.Closing, p.Computed = new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	known := true
	for li, l := range ls {
		lo, hi := l.span(start, end)
		for k := lo; k < hi; k++ {
			x := &l.Txns[k]
			if x.Dir == In {
				add(&p.Inflow, &p.Inflow, &x.Amount)
				p.Credits++
			} else {
				add(&p.Outflow, &p.Outflow, &x.Amount)
				p.Debits++
			}
			if !x.HasBalance && p.Status < Unavailable {
				p.Status = Unavailable
			}
			if l.mismatch[k] && p.Mismatch.Ledger < 0 {
				p.Mismatch.Ledger, p.Mismatch.Txn = li, k
			}
		}
		if l.opening == nil {
			known = false
			continue
		}
		open := l.opening
		if lo > 0 {
			open = &l.after[lo-1]
		}
		closing := open
		if hi > 0 && hi > lo {
			closing = &l.after[hi-1]
		}
		add(p.Opening, p.Opening, open)
		add(p.Closing, p.Closing, closing)
	}
	sub(&p.Net, &p.Inflow, &p.Outflow)
	if !known {
		p.Opening, p.Closing, p.Computed = nil, nil, nil
		p.Status = max(p.Status, Unavailable)
	} else {
		add(p.Computed, p.Opening, &p.Net)
		if p.Computed.Cmp(p.Closing) != 0 || p.Mismatch.Ledger >= 0 {
			p.Status = Mismatch
		}
	}
	if p.Mismatch.Ledger >= 0 {
		p.Status = Mismatch
	}
	p.daily(ls, start, end, known)
	return p
}

// span returns the index range of l.Txns on the days start..end.
func (l *Ledger) span(start, end time.Time) (lo, hi int) {
	until := end.AddDate(0, 0, 1)
	lo = sort.Search(len(l.Txns), func(i int) bool { return !l.Txns[i].At.Before(start) })
	hi = sort.Search(len(l.Txns), func(i int) bool { return !l.Txns[i].At.Before(until) })
	return lo, max(lo, hi)
}

// daily sets the period's minimum and average end-of-day balance.
func (p *Period) daily(ls []*Ledger, start, end time.Time, known bool) {
	l0 := ls[0]
	last := end
	if l0.Through.Before(last) {
		last = l0.Through
	}
	if last.Before(start) || !known {
		return
	}
	first := daysBetween(l0.Range.From, start)
	n := daysBetween(start, last) + 1
	p.Days = n
	var sum, minimum apd.Decimal
	var scale int32
	for d := first; d < first+n; d++ {
		var day apd.Decimal
		for _, l := range ls {
			add(&day, &day, &l.eod[d])
		}
		if d == first || day.Cmp(&minimum) < 0 {
			minimum.Set(&day)
		}
		add(&sum, &sum, &day)
	}
	for _, l := range ls {
		scale = max(scale, l.Scale)
	}
	p.MinDaily = &minimum
	p.AvgDaily = average(&sum, n, scale)
}

// roundCtx rounds averages half away from zero.
var roundCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(60)
	c.Rounding = apd.RoundHalfUp
	return c
}()

// average returns sum/n rounded to scale decimals.
func average(sum *apd.Decimal, n int, scale int32) *apd.Decimal {
	var q, r apd.Decimal
	roundCtx.Quo(&q, sum, apd.New(int64(n), 0))
	roundCtx.Quantize(&r, &q, -scale)
	return &r
}
