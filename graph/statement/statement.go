// Package statement pages an account's transactions under a filter and an
// order (Account.transactions with filter or orderBy) over getfidata's
// limit/offset, which FinPro serves oldest first.
//
// A cursor is a row's position in FinPro's full, time-ordered list (the
// position stays put when new transactions arrive: they are appended), in a
// scope that binds it to the account and to one filter and order: a cursor
// of another filter or order is refused with BAD_USER_INPUT.
//
// A date window is located, not read: its first row is the lower bound of a
// search over the time-ordered list (a few getfidata reads of Probe rows:
// both ends, then positions interpolated by time, halving when
// interpolation does not), so a page of a one-month window of a
// 10,000-transaction account reads a few kilobytes instead of the month
// (BENCHMARKS.md compares getallfidata's transactionsStartDate/EndDate).
// Pages then read their own rows: exactly first+1 without other conditions;
// with them, chunks that grow from 100 to MaxChunk rows until the page is
// full, the window ends, or MaxScanReads chunks were read (a short page,
// whose endCursor continues the scan).
package statement

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Tuning of the reads (see the package comment).
const (
	// Probe is how many rows a search read fetches.
	Probe = 32
	// MaxChunk is the largest scan read (FinPro's client caps getfidata's
	// limit at finpro.MaxFIDataLimit).
	MaxChunk = finpro.MaxFIDataLimit
	// MaxScanReads bounds the chunk reads of one filtered page.
	MaxScanReads = 8
	// MaxNarration is the longest narrationContains, in characters.
	MaxNarration = 100
)

// Reader reads rows [offset, offset+limit) of an account's time-ordered
// list and reports the list's length (-1 when FinPro does not say). limit 0
// reads every row.
type Reader func(ctx context.Context, offset, limit int) (rows []finpro.Transaction, total int, err error)

// Filter is a validated TransactionFilter.
type Filter struct {
	// From and Until bound the rows' timestamps: From <= t < Until; a zero
	// value is open.
	From, Until time.Time
	Types       []model.TransactionType
	Modes       []model.TransactionMode
	Min, Max    *apd.Decimal
	// Narration is upper case; empty matches every row.
	Narration string

	key string // canonical text, for the cursor scope
}

// NewFilter validates f (nil: no conditions). Bad input is BAD_USER_INPUT
// naming the field.
func NewFilter(f *model.TransactionFilter) (Filter, error) {
	var out Filter
	if f == nil {
		return out, nil
	}
	var from, to string
	if f.From != nil {
		t, err := time.ParseInLocation(time.DateOnly, string(*f.From), finpro.IST)
		if err != nil {
			return out, apierr.BadInput("filter.from is not a YYYY-MM-DD date")
		}
		out.From, from = t, string(*f.From)
	}
	if f.To != nil {
		t, err := time.ParseInLocation(time.DateOnly, string(*f.To), finpro.IST)
		if err != nil {
			return out, apierr.BadInput("filter.to is not a YYYY-MM-DD date")
		}
		out.Until, to = t.AddDate(0, 0, 1), string(*f.To)
	}
	if !out.From.IsZero() && !out.Until.IsZero() && !out.From.Before(out.Until) {
		return out, apierr.BadInput("filter.to must not be before filter.from")
	}
	var err error
	if out.Min, err = amount("filter.minAmount", f.MinAmount); err != nil {
		return out, err
	}
	if out.Max, err = amount("filter.maxAmount", f.MaxAmount); err != nil {
		return out, err
	}
	if out.Min != nil && out.Max != nil && out.Min.Cmp(out.Max) > 0 {
		return out, apierr.BadInput("filter.maxAmount must not be below filter.minAmount")
	}
	if f.NarrationContains != nil {
		n := strings.TrimSpace(*f.NarrationContains)
		if n == "" || utf8.RuneCountInString(n) > MaxNarration || !utf8.ValidString(n) {
			return out, apierr.BadInput("filter.narrationContains must be 1 to %d characters", MaxNarration)
		}
		out.Narration = strings.ToUpper(n)
	}
	out.Types = sortedUnique(f.Types)
	out.Modes = sortedUnique(f.Modes)
	types := make([]string, len(out.Types))
	for i, t := range out.Types {
		types[i] = string(t)
	}
	modes := make([]string, len(out.Modes))
	for i, m := range out.Modes {
		modes[i] = string(m)
	}
	out.key = strings.Join([]string{from, to, strings.Join(types, ","), strings.Join(modes, ","), text(out.Min), text(out.Max), out.Narration}, "\x00")
	return out, nil
}

func sortedUnique[E ~string](xs []E) []E {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// amount parses a non-negative Decimal argument.
func amount(arg string, d *model.Decimal) (*apd.Decimal, error) {
	if d == nil {
		return nil, nil
	}
	x, _, err := apd.NewFromString(string(*d))
	if err != nil || x.Form != apd.Finite {
		return nil, apierr.BadInput("%s is not a decimal number", arg)
	}
	if x.Negative && !x.IsZero() {
		return nil, apierr.BadInput("%s must not be negative", arg)
	}
	return x, nil
}

// text is d in a canonical form ("100" and "100.00" alike).
func text(d *apd.Decimal) string {
	if d == nil {
		return ""
	}
	var r apd.Decimal
	r.Reduce(d)
	return r.Text('f')
}

// Dated reports whether f bounds the rows' dates.
func (f Filter) Dated() bool { return !f.From.IsZero() || !f.Until.IsZero() }

// Conditions reports whether f has conditions besides the dates.
func (f Filter) Conditions() bool {
	return len(f.Types) > 0 || len(f.Modes) > 0 || f.Min != nil || f.Max != nil || f.Narration != ""
}

// Empty reports whether f holds for every row.
func (f Filter) Empty() bool { return !f.Dated() && !f.Conditions() }

// inWindow reports where t lies against the date window: -1 before it, 0
// inside, 1 after.
func (f Filter) inWindow(t time.Time) int {
	switch {
	case !f.From.IsZero() && t.Before(f.From):
		return -1
	case !f.Until.IsZero() && !t.Before(f.Until):
		return 1
	}
	return 0
}

// Match reports whether row x meets f's conditions besides the dates.
func (f Filter) Match(x *finpro.Transaction) bool {
	if len(f.Types) > 0 {
		t, _ := model.EnumOf(x.Type, model.TransactionTypeUnknown)
		if _, ok := slices.BinarySearch(f.Types, t); !ok {
			return false
		}
	}
	if len(f.Modes) > 0 {
		m, ok := model.EnumOf(x.Mode, model.TransactionModeUnknown)
		if !ok {
			return false
		}
		if _, ok := slices.BinarySearch(f.Modes, m); !ok {
			return false
		}
	}
	if f.Min != nil || f.Max != nil {
		a, _, err := apd.NewFromString(string(x.Amount))
		if err != nil {
			return false
		}
		if (f.Min != nil && a.Cmp(f.Min) < 0) || (f.Max != nil && a.Cmp(f.Max) > 0) {
			return false
		}
	}
	if f.Narration != "" && !strings.Contains(strings.ToUpper(x.Narration), f.Narration) {
		return false
	}
	return true
}

// Scope returns the cursor scope of f under order within base (the
// account's scope). Unfiltered oldest-first pages keep base itself, so
// their cursors are those of the plain connection.
func Scope(base string, f Filter, order model.TransactionOrder) string {
	if f.Empty() && order == model.TransactionOrderOldestFirst {
		return base
	}
	sum := sha256.Sum256([]byte(f.key + "\x00" + string(order)))
	return base + "~" + base64.RawURLEncoding.EncodeToString(sum[:9])
}

// CheckCursor refuses a cursor of the account issued under another filter
// or order with a message that says so (relay.DecodeCursor would call it a
// cursor of another list).
func CheckCursor(arg string, cursor *string, base, scope string) error {
	if cursor == nil {
		return nil
	}
	s, ok := relay.CursorScope(*cursor)
	if ok && s != scope && (s == base || strings.HasPrefix(s, base+"~")) {
		return apierr.BadInput("%s is a cursor of another filter or order of these transactions; start again without it", arg)
	}
	return nil
}

// Query is one page request.
type Query struct {
	Filter Filter
	Order  model.TransactionOrder
	Args   relay.Args
	// Scope is the cursor scope (Scope of the account, filter and order).
	Scope string
	// WantTotal asks for the number of matching rows even when it costs a
	// second search (only a date window's count can be had without
	// reading the window).
	WantTotal bool
	// CountGuess is the list's length as an earlier operation saw it (0:
	// none): the latest rows are then read with one call when it still
	// holds (the read reports the real length).
	CountGuess int
}

// Page is a page of rows with their positions in the account's list.
type Page struct {
	Rows    []finpro.Transaction
	Cursors []string
	HasNext bool
	HasPrev bool
	// Total is the number of matching rows, -1 when unknown.
	Total int
	// Resume, set when MaxScanReads cut the walk short, is the cursor of the
	// last row it examined: the page's end (its start when paging
	// backward) to continue from, whether or not the page has rows.
	Resume string
}

// Run answers q over the account that read reads.
func Run(ctx context.Context, read Reader, q Query) (Page, error) {
	a := q.Args
	if a.First != nil && a.Last != nil {
		return Page{}, apierr.BadInput("first and last cannot be combined")
	}
	if a.First != nil && (*a.First < 1 || *a.First > relay.MaxPage) {
		return Page{}, apierr.BadInput("first must be between 1 and %d", relay.MaxPage)
	}
	if a.Last != nil && (*a.Last < 1 || *a.Last > relay.MaxPage) {
		return Page{}, apierr.BadInput("last must be between 1 and %d", relay.MaxPage)
	}
	after, before := -1, -1
	if a.After != nil {
		i, err := relay.DecodeCursor("after", *a.After, q.Scope)
		if err != nil {
			return Page{}, err
		}
		after = i
	}
	if a.Before != nil {
		i, err := relay.DecodeCursor("before", *a.Before, q.Scope)
		if err != nil {
			return Page{}, err
		}
		before = i
	}
	n, fromEnd := relay.DefaultPage, false
	switch {
	case a.Last != nil:
		n, fromEnd = *a.Last, true
	case a.First != nil:
		n = *a.First
	}
	e := &engine{l: &list{read: read, n: -1, guess: q.CountGuess}, f: q.Filter}
	// The page's walk moves along the order (first) or against it (last).
	asc := q.Order != model.TransactionOrderNewestFirst
	dir := 1
	if asc == fromEnd {
		dir = -1
	}
	// Positions are list indexes; the cursors bound the walk: after is
	// behind it in the order, before ahead of it.
	var start, stop int        // stop: the walk ends before reaching it (-2: none)
	near, far := after, before // the cursor the walk starts beyond, the one it stops at
	if fromEnd {
		near, far = before, after
	}
	stop = -2
	if far >= 0 {
		stop = far
	}
	if near >= 0 {
		start = near + dir
	} else {
		var err error
		if start, err = e.windowEnd(ctx, dir, n+1); err != nil {
			return Page{}, err
		}
	}
	rows, idx, more, err := e.walk(ctx, start, dir, stop, n+1)
	if err != nil {
		return Page{}, err
	}
	complete := !more && len(idx) <= n && e.reachedEnd
	hasMore := len(idx) > n || more
	if len(idx) > n {
		rows, idx = rows[:n], idx[:n]
	}
	p := Page{Rows: rows, Cursors: make([]string, len(idx)), Total: -1}
	if more {
		p.Resume = relay.EncodeCursor(q.Scope, e.last)
	}
	orderDir := 1
	if !asc {
		orderDir = -1
	}
	if dir != orderDir { // the walk ran against the order: put the page in order
		slices.Reverse(rows)
		slices.Reverse(idx)
	}
	for i, x := range idx {
		p.Cursors[i] = relay.EncodeCursor(q.Scope, x)
	}
	if fromEnd {
		p.HasPrev, p.HasNext = hasMore || after >= 0, before >= 0
	} else {
		p.HasNext, p.HasPrev = hasMore || before >= 0, after >= 0
	}
	switch {
	case !q.Filter.Conditions() && (q.WantTotal || !q.Filter.Dated()):
		lo, hi, err := e.window(ctx)
		if err != nil {
			return Page{}, err
		}
		if hi >= 0 {
			p.Total = hi - lo
		}
	case near < 0 && far < 0 && complete:
		// The walk started at one end of the window and reached the
		// other: it saw every matching row.
		p.Total = len(idx)
	}
	return p, nil
}

// LastBefore returns the last row of the list that read reads before at (nil
// when there is none), located by the same search as a date window's start:
// a few small reads, not the list.
func LastBefore(ctx context.Context, read Reader, at time.Time) (*finpro.Transaction, error) {
	l := &list{read: read, n: -1}
	i, err := l.lowerBound(ctx, at)
	if err != nil || i == 0 {
		return nil, err
	}
	if err := l.load(ctx, i-1, i); err != nil {
		return nil, err
	}
	x := l.row(i - 1)
	if x == nil {
		return nil, nil
	}
	out := *x
	return &out, nil
}

// engine runs one page over one list.
type engine struct {
	l *list
	f Filter
	// reachedEnd is set when the walk stopped at the window's (or list's) end.
	reachedEnd bool
	// last is the index the walk examined last.
	last int
}

// window returns the index range [lo, hi) of the date window (hi -1 when
// the list's length is unknown and the window is open-ended).
func (e *engine) window(ctx context.Context) (lo, hi int, err error) {
	if !e.f.From.IsZero() {
		if lo, err = e.l.lowerBound(ctx, e.f.From); err != nil {
			return 0, 0, err
		}
	}
	if !e.f.Until.IsZero() {
		hi, err = e.l.lowerBound(ctx, e.f.Until)
		return lo, hi, err
	}
	if err := e.l.count(ctx); err != nil {
		return 0, 0, err
	}
	return lo, e.l.n, nil
}

// windowEnd returns where a walk in dir for need rows starts without a
// cursor: the window's first row going forward, its last going backward.
func (e *engine) windowEnd(ctx context.Context, dir, need int) (int, error) {
	if dir > 0 {
		if e.f.From.IsZero() {
			return 0, nil
		}
		return e.l.lowerBound(ctx, e.f.From)
	}
	if e.f.Until.IsZero() {
		if g := e.l.guess; e.l.n < 0 && g > 0 {
			// The latest rows if the count still holds: the read
			// reports the real one either way.
			if e.f.Conditions() {
				need = max(need, 100)
			}
			if err := e.l.load(ctx, max(g-need, 0), g); err != nil {
				return 0, err
			}
		}
		if err := e.l.count(ctx); err != nil {
			return 0, err
		}
		return e.l.n - 1, nil
	}
	hi, err := e.l.lowerBound(ctx, e.f.Until)
	return hi - 1, err
}

// walk collects up to need matching rows from index start on in direction
// dir, stopping at index stop (exclusive; -2: none), at the list's ends and
// at the date window's end. more reports a walk cut short by MaxScanReads
// (matching rows may follow). Rows before the window's start in the walk's
// direction are skipped.
func (e *engine) walk(ctx context.Context, start, dir, stop, need int) (rows []finpro.Transaction, idx []int, more bool, err error) {
	chunk := need
	if e.f.Conditions() {
		chunk = max(need, 100)
	}
	reads := 0
	for i := start; ; {
		if i < 0 || (e.l.n >= 0 && i >= e.l.n) || i == stop {
			e.reachedEnd = i != stop
			return rows, idx, false, nil
		}
		x := e.l.row(i)
		if x == nil {
			if reads == MaxScanReads {
				return rows, idx, true, nil
			}
			lo, hi := i, i+chunk
			if dir < 0 {
				lo, hi = i-chunk+1, i+1
			}
			if stop >= 0 {
				if dir > 0 {
					hi = min(hi, stop)
				} else {
					lo = max(lo, stop+1)
				}
			}
			if err := e.l.load(ctx, max(lo, 0), hi); err != nil {
				return nil, nil, false, err
			}
			reads++
			if e.f.Conditions() {
				chunk = min(chunk*2, MaxChunk)
			}
			if x = e.l.row(i); x == nil { // past the list's end
				e.reachedEnd = true
				return rows, idx, false, nil
			}
		}
		e.last = i
		switch w := e.f.inWindow(x.TransactionTimestamp); {
		case w == dir: // past the window's end in the walk's direction
			e.reachedEnd = true
			return rows, idx, false, nil
		case w == 0 && e.f.Match(x):
			rows = append(rows, *x)
			idx = append(idx, i)
			if len(idx) == need {
				return rows, idx, false, nil
			}
		}
		i += dir
	}
}

// list is the part of an account's list one page has read, by index.
type list struct {
	read  Reader
	n     int // the list's length; -1 until a read reports it
	guess int // a length seen earlier, 0: none
	// spans are the rows read, in disjoint index ranges sorted by start.
	spans []span
}

type span struct {
	lo   int
	rows []finpro.Transaction
}

func (s span) hi() int { return s.lo + len(s.rows) }

// row returns the row at i when it was read.
func (l *list) row(i int) *finpro.Transaction {
	k := sort.Search(len(l.spans), func(k int) bool { return l.spans[k].hi() > i })
	if k < len(l.spans) && l.spans[k].lo <= i {
		return &l.spans[k].rows[i-l.spans[k].lo]
	}
	return nil
}

// load reads the rows of [lo, hi) not read yet (one call for the span
// between the first and the last missing row, more when it is longer than
// MaxChunk).
func (l *list) load(ctx context.Context, lo, hi int) error {
	if l.n >= 0 {
		hi = min(hi, l.n)
	}
	for lo < hi && l.row(lo) != nil {
		lo++
	}
	for hi > lo && l.row(hi-1) != nil {
		hi--
	}
	for lo < hi {
		end := min(hi, lo+MaxChunk)
		rows, total, err := l.read(ctx, lo, end-lo)
		if err != nil {
			return err
		}
		if total >= 0 {
			l.n = total
		} else if l.n < 0 {
			// FinPro gives no count: read the whole list once and page it here.
			all, _, err := l.read(ctx, 0, 0)
			if err != nil {
				return err
			}
			l.n, l.spans = len(all), []span{{0, all}}
			return nil
		}
		if len(rows) > 0 {
			l.add(span{lo, rows})
		}
		if len(rows) < end-lo { // the list ends here
			l.n = lo + len(rows)
			return nil
		}
		lo = end
	}
	return nil
}

// add records s, merging it with the spans it overlaps or touches.
func (l *list) add(s span) {
	out := l.spans[:0:0]
	for _, t := range l.spans {
		if t.hi() < s.lo || s.hi() < t.lo {
			out = append(out, t)
			continue
		}
		lo, hi := min(s.lo, t.lo), max(s.hi(), t.hi())
		rows := make([]finpro.Transaction, hi-lo)
		copy(rows[t.lo-lo:], t.rows)
		copy(rows[s.lo-lo:], s.rows)
		s = span{lo, rows}
	}
	out = append(out, s)
	slices.SortFunc(out, func(a, b span) int { return a.lo - b.lo })
	l.spans = out
}

// count makes sure the list's length is known (a one-row read reports it).
func (l *list) count(ctx context.Context) error {
	if l.n >= 0 {
		return nil
	}
	return l.load(ctx, 0, 1)
}

// ts returns the timestamp of the read row at i.
func (l *list) ts(i int) (time.Time, bool) {
	if x := l.row(i); x != nil {
		return x.TransactionTimestamp, true
	}
	return time.Time{}, false
}

// lowerBound returns the index of the first row at or after at (the list's
// length when there is none). Rows are in time order. It narrows [a, b)
// (rows before a are before at, rows from b on are not) with reads of Probe
// rows: both ends of the list first, then at the position interpolated by
// time between the rows around the interval, or at its middle when the last
// interpolation did not halve it.
func (l *list) lowerBound(ctx context.Context, at time.Time) (int, error) {
	if err := l.count(ctx); err != nil {
		return 0, err
	}
	a, b := 0, l.n
	halve := false
	for {
		a, b = l.tighten(at, a, b)
		if a >= b {
			return a, nil
		}
		if b-a <= 2*Probe {
			if err := l.load(ctx, a, b); err != nil {
				return 0, err
			}
			continue
		}
		width := b - a
		var p int
		ta, okA := l.ts(a - 1)
		tb, okB := l.ts(b)
		switch {
		case !okA && a == 0: // the list's first row, to interpolate from
			if err := l.load(ctx, 0, 1); err != nil {
				return 0, err
			}
			continue
		case !okB && b == l.n: // its last row
			if err := l.load(ctx, l.n-1, l.n); err != nil {
				return 0, err
			}
			continue
		case !halve && okA && okB && tb.After(ta):
			// Seconds keep the product far from overflowing int64.
			p = a + int(int64(at.Sub(ta)/time.Second)*int64(width)/max(int64(tb.Sub(ta)/time.Second), 1)) - Probe/2
		default:
			p = a + width/2 - Probe/2
		}
		p = min(max(p, a), b-Probe)
		if err := l.load(ctx, p, p+Probe); err != nil {
			return 0, err
		}
		na, nb := l.tighten(at, a, b)
		halve = nb-na > width/2 && okA && okB
		a, b = na, nb
		if l.n < b { // the list was shorter than reported
			b = l.n
		}
	}
}

// tighten narrows [a, b) with the rows read inside it.
func (l *list) tighten(at time.Time, a, b int) (int, int) {
	for _, s := range l.spans {
		if s.hi() <= a || s.lo >= b {
			continue
		}
		lo, hi := max(s.lo, a), min(s.hi(), b)
		rows := s.rows[lo-s.lo : hi-s.lo]
		k := sort.Search(len(rows), func(k int) bool { return !rows[k].TransactionTimestamp.Before(at) })
		switch {
		case k == len(rows):
			a = hi
		case k == 0:
			b = lo
		default:
			return lo + k, lo + k
		}
		if a >= b {
			return a, a
		}
	}
	return a, b
}
