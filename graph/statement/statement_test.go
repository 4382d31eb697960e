package statement_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/graph/statement"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

var ist = time.FixedZone("IST", 19800)

// fakeList is an account's time-ordered list served like getfidata, counting
// the reads and the rows they return.
type fakeList struct {
	rows        []finpro.Transaction
	noTotal     bool
	reads, sent int
}

func (f *fakeList) read(_ context.Context, offset, limit int) ([]finpro.Transaction, int, error) {
	f.reads++
	total := len(f.rows)
	if f.noTotal {
		total = -1
	}
	if limit == 0 {
		f.sent += len(f.rows) - offset
		return slices.Clone(f.rows[offset:]), total, nil
	}
	lo, hi := min(offset, len(f.rows)), min(offset+limit, len(f.rows))
	f.sent += hi - lo
	return slices.Clone(f.rows[lo:hi]), total, nil
}

// history builds n rows over a year with bursts (several rows in one second,
// busy days, empty weeks).
func history(n int, seed uint64) []finpro.Transaction {
	r := rand.New(rand.NewPCG(seed, 7))
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, ist)
	modes := []string{"UPI", "NEFT", "CARD", "", "ATM", "NACH"}
	words := []string{"SALARY ACME", "UPI/SWIGGY", "ACH D- HDFC LTD EMI", "NETFLIX.COM", "Rent paid", "ATM WDL"}
	out := make([]finpro.Transaction, n)
	for i := range out {
		switch k := r.IntN(100); {
		case k < 5:
			at = at.Add(time.Duration(r.IntN(10*24)) * time.Hour) // a quiet spell
		case k < 20: // the same second
		default:
			at = at.Add(time.Duration(r.IntN(3*3600)) * time.Second)
		}
		typ := "DEBIT"
		if r.IntN(3) == 0 {
			typ = "CREDIT"
		}
		out[i] = finpro.Transaction{
			TxnID: "T" + strconv.Itoa(i), Type: typ, Mode: modes[r.IntN(len(modes))],
			Amount:               finpro.Decimal(fmt.Sprintf("%d.%02d", r.IntN(20000), r.IntN(100))),
			TransactionTimestamp: at, Narration: words[r.IntN(len(words))] + " " + strconv.Itoa(r.IntN(1000)),
		}
	}
	return out
}

// want is the brute-force answer: the rows matching f in order.
func want(rows []finpro.Transaction, f *model.TransactionFilter, order model.TransactionOrder) []string {
	var out []string
	day := func(t time.Time) string { return t.In(ist).Format(time.DateOnly) }
	for _, x := range rows {
		if f != nil {
			if f.From != nil && day(x.TransactionTimestamp) < string(*f.From) || f.To != nil && day(x.TransactionTimestamp) > string(*f.To) {
				continue
			}
			if len(f.Types) > 0 && !slices.Contains(f.Types, model.TransactionType(x.Type)) {
				continue
			}
			if len(f.Modes) > 0 && !slices.Contains(f.Modes, model.TransactionMode(x.Mode)) {
				continue
			}
			a, _, _ := apd.NewFromString(string(x.Amount))
			if f.MinAmount != nil {
				m, _, _ := apd.NewFromString(string(*f.MinAmount))
				if a.Cmp(m) < 0 {
					continue
				}
			}
			if f.MaxAmount != nil {
				m, _, _ := apd.NewFromString(string(*f.MaxAmount))
				if a.Cmp(m) > 0 {
					continue
				}
			}
			if f.NarrationContains != nil && !strings.Contains(strings.ToLower(x.Narration), strings.ToLower(*f.NarrationContains)) {
				continue
			}
		}
		out = append(out, x.TxnID)
	}
	if order == model.TransactionOrderNewestFirst {
		slices.Reverse(out)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// year spreads n rows over the year to 2026-10-31, as a busy account's
// statement would (about n/365 a day).
func year(n int, seed uint64) []finpro.Transaction {
	rows := history(n, seed)
	r := rand.New(rand.NewPCG(seed, 8))
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, ist)
	span := int64(365 * 24 * time.Hour / time.Second)
	ts := make([]int64, n)
	for i := range ts {
		ts[i] = r.Int64N(span)
	}
	slices.Sort(ts)
	for i := range rows {
		rows[i].TransactionTimestamp = start.Add(time.Duration(ts[i]) * time.Second)
	}
	return rows
}

func filters() map[string]*model.TransactionFilter {
	d := func(s string) *model.Date { return ptr(model.Date(s)) }
	return map[string]*model.TransactionFilter{
		"none":                              nil,
		"one month":                         {From: d("2026-03-01"), To: d("2026-03-31")},
		"one day":                           {From: d("2026-01-15"), To: d("2026-01-15")},
		"from only":                         {From: d("2026-09-20")},
		"to only":                           {To: d("2025-11-20")},
		"before the list":                   {To: d("2024-01-01")},
		"after the list":                    {From: d("2030-01-01")},
		"debits":                            {Types: []model.TransactionType{model.TransactionTypeDebit}},
		"credits in a month by UPI or NEFT": {From: d("2026-05-01"), To: d("2026-05-31"), Types: []model.TransactionType{model.TransactionTypeCredit}, Modes: []model.TransactionMode{model.TransactionModeUpi, model.TransactionModeNeft}},
		"amount range":                      {MinAmount: ptr(model.Decimal("1000")), MaxAmount: ptr(model.Decimal("1500.50"))},
		"narration":                         {NarrationContains: ptr("netflix")},
		"rare narration":                    {NarrationContains: ptr("EMI 7")},
		"nothing matches":                   {NarrationContains: ptr("no such text")},
	}
}

// pages walks every page of q forward (first/after) or backward
// (last/before) and returns the rows in order.
func pages(t *testing.T, f *fakeList, base string, flt *model.TransactionFilter, order model.TransactionOrder, size int, backward bool) ([]string, int) {
	t.Helper()
	sf, err := statement.NewFilter(flt)
	if err != nil {
		t.Fatal(err)
	}
	scope := statement.Scope(base, sf, order)
	var chunks [][]string
	var cur *string
	total := -1
	for page := 0; ; page++ {
		q := statement.Query{Filter: sf, Order: order, Scope: scope, WantTotal: page == 0}
		if backward {
			q.Args = relay.Args{Last: &size, Before: cur}
		} else {
			q.Args = relay.Args{First: &size, After: cur}
		}
		p, err := statement.Run(t.Context(), f.read, q)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		if page == 0 {
			total = p.Total
		}
		var ids []string
		for _, r := range p.Rows {
			ids = append(ids, r.TxnID)
		}
		if len(ids) > size {
			t.Fatalf("page %d: %d rows, want <= %d", page, len(ids), size)
		}
		chunks = append(chunks, ids)
		more := p.HasNext
		if backward {
			more = p.HasPrev
		}
		if !more {
			break
		}
		next := p.Resume
		if next == "" {
			if len(p.Cursors) == 0 {
				t.Fatalf("page %d: more rows but no cursor", page)
			}
			next = p.Cursors[len(p.Cursors)-1]
			if backward {
				next = p.Cursors[0]
			}
		}
		cur = &next
		if page > len(f.rows)+1 {
			t.Fatal("paging does not end")
		}
	}
	var out []string
	if backward {
		for i := len(chunks) - 1; i >= 0; i-- {
			out = append(out, chunks[i]...)
		}
	} else {
		for _, c := range chunks {
			out = append(out, c...)
		}
	}
	return out, total
}

func TestRun(t *testing.T) {
	rows := history(3000, 1)
	for name, flt := range filters() {
		for _, order := range []model.TransactionOrder{model.TransactionOrderOldestFirst, model.TransactionOrderNewestFirst} {
			w := want(rows, flt, order)
			for _, size := range []int{1, 7, 100} {
				if size == 1 && len(w) > 400 {
					continue // the same walk as 7, at 400+ pages
				}
				for _, backward := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%s/%d/backward=%v", name, order, size, backward), func(t *testing.T) {
						f := &fakeList{rows: rows}
						got, total := pages(t, f, "acct", flt, order, size, backward)
						if diff := cmp.Diff(w, got); diff != "" {
							t.Errorf("rows (-want +got):\n%s", diff)
						}
						sf, _ := statement.NewFilter(flt)
						switch {
						case !sf.Conditions() && total != len(w):
							t.Errorf("totalCount = %d, want %d", total, len(w))
						case total >= 0 && total != len(w):
							t.Errorf("totalCount = %d, want %d or unknown", total, len(w))
						}
					})
				}
			}
		}
	}
}

// TestNoTotal pages a list whose reads report no count: the engine reads it
// once and pages it in memory.
func TestNoTotal(t *testing.T) {
	rows := history(500, 2)
	flt := filters()["one month"]
	f := &fakeList{rows: rows, noTotal: true}
	got, _ := pages(t, f, "acct", flt, model.TransactionOrderNewestFirst, 7, false)
	if diff := cmp.Diff(want(rows, flt, model.TransactionOrderNewestFirst), got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestWindowCost bounds what locating a one-month window costs on a
// 10,000-row list: the first page of 20 reads a handful of small pages, not
// the month (about 830 rows).
func TestWindowCost(t *testing.T) {
	rows := year(10_000, 3)
	flt := filters()["one month"]
	sf, _ := statement.NewFilter(flt)
	f := &fakeList{rows: rows}
	first := 20
	p, err := statement.Run(t.Context(), f.read, statement.Query{Filter: sf, Scope: statement.Scope("a", sf, model.TransactionOrderOldestFirst), Args: relay.Args{First: &first}})
	if err != nil {
		t.Fatal(err)
	}
	if w := want(rows, flt, model.TransactionOrderOldestFirst)[:first]; !slices.Equal(w, ids(p.Rows)) {
		t.Fatalf("first page %v, want %v", ids(p.Rows), w)
	}
	month := len(want(rows, flt, model.TransactionOrderOldestFirst))
	if f.reads > 8 || f.sent > month/2 {
		t.Errorf("first page of a %d-row month: %d reads, %d rows sent; want <= 8 reads and fewer than half the month", month, f.reads, f.sent)
	}
	t.Logf("%d reads, %d rows for a %d-row month", f.reads, f.sent, month)
}

func ids(rows []finpro.Transaction) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.TxnID
	}
	return out
}

func TestCursorOfAnotherFilter(t *testing.T) {
	rows := history(3000, 4)
	f := &fakeList{rows: rows}
	month, _ := statement.NewFilter(filters()["one month"])
	debits, _ := statement.NewFilter(filters()["debits"])
	two := 2
	scope := statement.Scope("acct", month, model.TransactionOrderOldestFirst)
	p, err := statement.Run(t.Context(), f.read, statement.Query{Filter: month, Scope: scope, Args: relay.Args{First: &two}})
	if err != nil || len(p.Cursors) == 0 {
		t.Fatalf("first page: %v, %d cursors", err, len(p.Cursors))
	}
	cur := p.Cursors[len(p.Cursors)-1]
	for _, tc := range []struct {
		name   string
		filter statement.Filter
		order  model.TransactionOrder
	}{
		{"another filter", debits, model.TransactionOrderOldestFirst},
		{"another order", month, model.TransactionOrderNewestFirst},
		{"no filter", statement.Filter{}, model.TransactionOrderOldestFirst},
	} {
		other := statement.Scope("acct", tc.filter, tc.order)
		err := statement.CheckCursor("after", &cur, "acct", other)
		if err == nil || !strings.Contains(err.Error(), "another filter or order") {
			t.Errorf("%s: CheckCursor = %v, want a cursor of another filter or order", tc.name, err)
		}
	}
	if err := statement.CheckCursor("after", &cur, "acct", scope); err != nil {
		t.Errorf("same filter: CheckCursor = %v", err)
	}
	// A cursor of another account is left to relay.DecodeCursor.
	if err := statement.CheckCursor("after", &cur, "other-acct", "other-acct"); err != nil {
		t.Errorf("another account: CheckCursor = %v, want nil (decoding refuses it)", err)
	}
	if _, err := statement.Run(t.Context(), f.read, statement.Query{Filter: debits, Scope: statement.Scope("other-acct", debits, ""), Args: relay.Args{First: &two, After: &cur}}); err == nil {
		t.Error("a cursor of another account was accepted")
	}
}

func TestNewFilterErrors(t *testing.T) {
	d := func(s string) *model.Date { return ptr(model.Date(s)) }
	for name, f := range map[string]*model.TransactionFilter{
		"to before from":  {From: d("2026-02-02"), To: d("2026-02-01")},
		"negative":        {MinAmount: ptr(model.Decimal("-1"))},
		"max below min":   {MinAmount: ptr(model.Decimal("10")), MaxAmount: ptr(model.Decimal("9.99"))},
		"empty narration": {NarrationContains: ptr("  ")},
		"long narration":  {NarrationContains: ptr(strings.Repeat("x", 101))},
		"bad date":        {From: d("2026-13-01")},
	} {
		if _, err := statement.NewFilter(f); err == nil {
			t.Errorf("%s: NewFilter accepted %+v", name, f)
		}
	}
	a, _ := statement.NewFilter(&model.TransactionFilter{MinAmount: ptr(model.Decimal("100")), Modes: []model.TransactionMode{"UPI", "CARD", "UPI"}})
	b, _ := statement.NewFilter(&model.TransactionFilter{MinAmount: ptr(model.Decimal("100.00")), Modes: []model.TransactionMode{"CARD", "UPI"}})
	if statement.Scope("x", a, "") != statement.Scope("x", b, "") {
		t.Error("equal filters written differently have different cursor scopes")
	}
}

// TestScanResumes pages a rare narration over a list longer than one page's
// scan (MaxScanReads chunks): short pages, even empty ones, continue from
// their resume cursor and together hold every match once, in order.
func TestScanResumes(t *testing.T) {
	rows := year(20_000, 5)
	flt := &model.TransactionFilter{NarrationContains: ptr("NETFLIX.COM 99")}
	sf, _ := statement.NewFilter(flt)
	seven := 7
	first, err := statement.Run(t.Context(), (&fakeList{rows: rows}).read, statement.Query{Filter: sf, Scope: "s", Args: relay.Args{First: &seven}})
	if err != nil || first.Resume == "" || len(first.Rows) == 7 || !first.HasNext {
		t.Fatalf("first page: %d rows, resume %q, hasNext %v, %v; want a short page with a resume cursor", len(first.Rows), first.Resume, first.HasNext, err)
	}
	for _, order := range []model.TransactionOrder{model.TransactionOrderOldestFirst, model.TransactionOrderNewestFirst} {
		for _, backward := range []bool{false, true} {
			f := &fakeList{rows: rows}
			got, total := pages(t, f, "acct", flt, order, 7, backward)
			w := want(rows, flt, order)
			if len(w) == 0 {
				t.Fatal("no match in the list: pick another narration")
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("%s backward=%v (-want +got):\n%s", order, backward, diff)
			}
			if total >= 0 && total != len(w) {
				t.Errorf("totalCount %d, want %d or unknown", total, len(w))
			}
			if f.reads <= statement.MaxScanReads {
				t.Errorf("%d reads: the scan was never cut short", f.reads)
			}
		}
	}
}
