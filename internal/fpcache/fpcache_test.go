package fpcache

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// fakeUp is an Upstream that counts its calls by method and key, answers
// with a version number (bumped by change) and can fail.
type fakeUp struct {
	mu      sync.Mutex
	calls   map[string]int
	version int
	fail    bool
	during  func() // runs inside every call, before it answers
}

func newFakeUp() *fakeUp { return &fakeUp{calls: map[string]int{}} }

func (f *fakeUp) call(name string) (int, error) {
	f.mu.Lock()
	f.calls[name]++
	v, fail, during := f.version, f.fail, f.during
	f.mu.Unlock()
	if during != nil {
		during()
	}
	if fail {
		return 0, errors.New("upstream down")
	}
	return v, nil
}

func (f *fakeUp) n(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[name]
}

func (f *fakeUp) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func (f *fakeUp) Balances(_ context.Context, id string) ([]finpro.Balance, error) {
	v, err := f.call("balances " + id)
	return []finpro.Balance{{LinkReferenceNumber: fmt.Sprint("v", v)}}, err
}

func (f *fakeUp) AllFIData(_ context.Context, id string) ([]finpro.FIAccount, error) {
	v, err := f.call("allfidata " + id)
	return []finpro.FIAccount{{LinkReferenceNumber: fmt.Sprint("v", v)}}, err
}

func (f *fakeUp) AllFIDataBetween(_ context.Context, id string, from, to time.Time) ([]finpro.FIAccount, error) {
	v, err := f.call(fmt.Sprintf("history %s %s %s", id, from.Format(time.DateOnly), to.Format(time.DateOnly)))
	return []finpro.FIAccount{{LinkReferenceNumber: fmt.Sprint("v", v)}}, err
}

func (f *fakeUp) Consents(_ context.Context, req finpro.ConsentListRequest) (*finpro.ConsentPage, error) {
	v, err := f.call(fmt.Sprintf("consents %s %s %v", req.MobileNumber, req.ProductID, req.Status))
	p := &finpro.ConsentPage{}
	for _, c := range lists[req.MobileNumber] {
		p.Consents = append(p.Consents, finpro.Consent{ConsentHandle: c[0], ConsentID: c[1], Status: finpro.ConsentStatus(fmt.Sprint("v", v))})
	}
	return p, err
}

func (f *fakeUp) ConsentsByRef(_ context.Context, q finpro.ConsentLookup) ([]finpro.Consent, error) {
	_, err := f.call("byref")
	return nil, err
}

func (f *fakeUp) FIData(_ context.Context, req finpro.FIDataRequest) (*finpro.AccountData, error) {
	v, err := f.call(fmt.Sprintf("fidata %s %s %d %d", req.ConsentID, req.LinkReferenceNumber, req.Limit, req.Offset))
	// An account of 100 transactions ("short": 9), rows numbered from 0.
	total := 100
	if req.LinkReferenceNumber == "short" {
		total = 9
	}
	n := max(0, total-req.Offset)
	if req.Limit > 0 {
		n = min(n, req.Limit)
	}
	d := &finpro.AccountData{TotalRecords: total, Balance: finpro.Decimal(fmt.Sprint(v))}
	for i := range n {
		d.Transactions = append(d.Transactions, finpro.Transaction{TxnID: fmt.Sprint(req.Offset + i)})
	}
	return d, err
}

func (f *fakeUp) FIRequestStatus(_ context.Context, req finpro.FIStatusRequest) (*finpro.FIStatus, error) {
	_, err := f.call("fistatus " + req.ConsentID)
	return &finpro.FIStatus{}, err
}

// lists are the customers' consents, (handle, consent ID), by mobile.
var lists = map[string][][2]string{
	"9000000001": {{"h-a", "c-a"}, {"h-b", "c-b"}},
	"9000000002": {{"h-z", "c-z"}},
}

// fakeFeed is the stream: its last sequence and the customer keys.
type fakeFeed struct {
	mu   sync.Mutex
	last uint64
	err  error
}

func (f *fakeFeed) LastSeq(context.Context) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last, f.err
}

func (f *fakeFeed) CustomerKey(mobile string) (string, error) { return "key-" + mobile, nil }

func (f *fakeFeed) set(last uint64) {
	f.mu.Lock()
	f.last = last
	f.mu.Unlock()
}

// setup returns a live cache whose stream holds nothing yet.
func setup(t testing.TB, o Options) (*Cache, *fakeUp, *fakeFeed) {
	t.Helper()
	c := New(o)
	feed := &fakeFeed{}
	c.SetFeed(feed)
	c.Restart(0)
	return c, newFakeUp(), feed
}

var day = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// reads are every cached read, by name, for consent c-a of customer
// 9000000001 unless the name says otherwise.
var reads = map[string]func(context.Context, Upstream) error{
	"balances a": func(ctx context.Context, u Upstream) error { _, err := u.Balances(ctx, "c-a"); return err },
	"balances b": func(ctx context.Context, u Upstream) error { _, err := u.Balances(ctx, "c-b"); return err },
	"allfidata a": func(ctx context.Context, u Upstream) error {
		_, err := u.AllFIData(ctx, "c-a")
		return err
	},
	"history a": func(ctx context.Context, u Upstream) error {
		_, err := u.AllFIDataBetween(ctx, "c-a", day, day.AddDate(0, 1, 0))
		return err
	},
	"fidata a": func(ctx context.Context, u Upstream) error {
		_, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 20, Offset: 80})
		return err
	},
	"fidata b": func(ctx context.Context, u Upstream) error {
		_, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-b", LinkReferenceNumber: "l2", Limit: 20})
		return err
	},
	"consents 1": func(ctx context.Context, u Upstream) error {
		_, err := u.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9000000001", ProductID: "P"})
		return err
	},
	"consents 2": func(ctx context.Context, u Upstream) error {
		_, err := u.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9000000002", ProductID: "P"})
		return err
	},
}

// TestHitsAndMisses checks that a read repeated by a later operation costs
// no call, that different keys do not share, and that what must not be kept
// (errors, filtered lists, lookups by reference, fetch states) is not.
func TestHitsAndMisses(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name      string
		read      func(context.Context, Upstream) error
		wantCalls int // over two operations
	}{
		{"balances", reads["balances a"], 1},
		{"all FI data", reads["allfidata a"], 1},
		{"history window", reads["history a"], 1},
		{"getfidata page", reads["fidata a"], 1},
		{"consent list", reads["consents 1"], 1},
		{"two consents' balances", func(ctx context.Context, u Upstream) error {
			_ = reads["balances a"](ctx, u)
			return reads["balances b"](ctx, u)
		}, 2},
		{"two pages of an account", func(ctx context.Context, u Upstream) error {
			_, _ = u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 20})
			_, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 20, Offset: 20})
			return err
		}, 2},
		{"a window inside a page", func(ctx context.Context, u Upstream) error {
			_, _ = u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 40, Offset: 20})
			d, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 10, Offset: 30})
			if err == nil && (len(d.Transactions) != 10 || d.Transactions[0].TxnID != "30") {
				return fmt.Errorf("window of %d rows from %v, want 10 from 30", len(d.Transactions), d.Transactions)
			}
			return err
		}, 1},
		{"the window a count guess asks of a short list the probe read whole", func(ctx context.Context, u Upstream) error {
			_, _ = u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "short", Limit: 20})
			d, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "short", Limit: 9})
			if err == nil && len(d.Transactions) != 9 {
				return fmt.Errorf("%d rows, want 9", len(d.Transactions))
			}
			return err
		}, 1},
		{"every row from an offset, from a page that reached the end", func(ctx context.Context, u Upstream) error {
			_, _ = u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 50, Offset: 50})
			d, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Offset: 90})
			if err == nil && len(d.Transactions) != 10 {
				return fmt.Errorf("%d rows, want 10", len(d.Transactions))
			}
			return err
		}, 1},
		{"a window past a page that did not reach the end", func(ctx context.Context, u Upstream) error {
			_, _ = u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 20})
			_, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 20, Offset: 10})
			return err
		}, 2},
		{"another account's page", func(ctx context.Context, u Upstream) error {
			_, _ = u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1"})
			_, err := u.FIData(ctx, finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l2", Limit: 20})
			return err
		}, 2},
		{"two history windows", func(ctx context.Context, u Upstream) error {
			_, _ = u.AllFIDataBetween(ctx, "c-a", day, day.AddDate(0, 1, 0))
			_, err := u.AllFIDataBetween(ctx, "c-a", day, day.AddDate(0, 2, 0))
			return err
		}, 2},
		{"a filtered consent list", func(ctx context.Context, u Upstream) error {
			_, err := u.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9000000001", ProductID: "P", Status: []finpro.ConsentStatus{finpro.ConsentActive}})
			return err
		}, 2},
		{"a paged consent list", func(ctx context.Context, u Upstream) error {
			_, err := u.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9000000001", ProductID: "P", PageNumber: 1, PageSize: 10})
			return err
		}, 2},
		{"lookup by reference", func(ctx context.Context, u Upstream) error {
			_, err := u.ConsentsByRef(ctx, finpro.ConsentLookup{Handles: []string{"h-a"}})
			return err
		}, 2},
		{"fetch status", func(ctx context.Context, u Upstream) error {
			_, err := u.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentID: "c-a"})
			return err
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, up, _ := setup(t, Options{})
			for range 2 {
				if err := tc.read(ctx, c.View(up)); err != nil {
					t.Fatal(err)
				}
			}
			if got := up.total(); got != tc.wantCalls {
				t.Errorf("%d upstream calls over two operations, want %d (%v)", got, tc.wantCalls, up.calls)
			}
		})
	}
	t.Run("errors are not kept", func(t *testing.T) {
		c, up, _ := setup(t, Options{})
		up.fail = true
		for name, read := range reads {
			if err := read(ctx, c.View(up)); err == nil {
				t.Fatalf("%s: no error", name)
			}
		}
		up.fail = false
		for name, read := range reads {
			if err := read(ctx, c.View(up)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if got, want := up.total(), 2*len(reads); got != want {
			t.Errorf("%d calls, want %d: a failure was kept", got, want)
		}
		if s := c.Stats(); s.Entries != len(reads) {
			t.Errorf("%d entries, want %d", s.Entries, len(reads))
		}
	})
}

// TestInvalidation checks each rule: which cached reads an event makes the
// next operation read again.
func TestInvalidation(t *testing.T) {
	all := []string{"balances a", "balances b", "allfidata a", "history a", "fidata a", "fidata b", "consents 1", "consents 2"}
	dataA := []string{"balances a", "allfidata a", "history a", "fidata a"}
	for _, tc := range []struct {
		name string
		ev   events.Event
		want []string // the reads that call FinPro again
	}{
		{"DATA_READY drops the consent's data", events.Event{Type: events.TypeData, Status: "DATA_READY", ConsentHandle: "h-a", ConsentID: "c-a"}, dataA},
		{"DATA_READY naming only the handle", events.Event{Type: events.TypeData, Status: "DATA_READY", ConsentHandle: "h-a"}, dataA},
		{"DATA_READY of an unknown consent drops all data", events.Event{Type: events.TypeData, Status: "DATA_READY", ConsentHandle: "h-q"},
			[]string{"balances a", "balances b", "allfidata a", "history a", "fidata a", "fidata b"}},
		{"an approval drops the customer's lists", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentApproved, ConsentStatus: finpro.ConsentActive, ConsentHandle: "h-a", ConsentID: "c-a", CustomerKey: "key-9000000001"},
			[]string{"consents 1"}},
		{"a new consent of a customer drops the customer's lists", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentApproved, ConsentStatus: finpro.ConsentActive, ConsentHandle: "h-new", ConsentID: "c-new", CustomerKey: "key-9000000002"},
			[]string{"consents 2"}},
		{"a status change of an unknown customer drops every list", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentApproved, ConsentStatus: finpro.ConsentActive, ConsentHandle: "h-z", CustomerKey: events.UnknownCustomer},
			[]string{"consents 1", "consents 2"}},
		{"REVOKED purges the consent", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentRevoked, ConsentStatus: finpro.ConsentRevoked, ConsentHandle: "h-a", ConsentID: "c-a", CustomerKey: "key-9000000001"},
			append([]string{"consents 1"}, dataA...)},
		{"PAUSED purges the consent", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentPaused, ConsentStatus: finpro.ConsentPaused, ConsentHandle: "h-a", ConsentID: "c-a", CustomerKey: "key-9000000001"},
			append([]string{"consents 1"}, dataA...)},
		{"EXPIRED naming only the handle purges the consent", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentExpired, ConsentStatus: finpro.ConsentExpired, ConsentHandle: "h-a", CustomerKey: "key-9000000001"},
			append([]string{"consents 1"}, dataA...)},
		{"REVOKED of a consent no list holds purges everything", events.Event{Type: events.TypeConsent, Status: finpro.EventConsentRevoked, ConsentStatus: finpro.ConsentRevoked, ConsentHandle: "h-q", CustomerKey: "key-9000000003"},
			all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := t.Context()
			c, up, feed := setup(t, Options{})
			// Lists first: they teach the cache which handle is which consent.
			for _, name := range all {
				if err := reads[name](ctx, c.View(up)); err != nil {
					t.Fatal(err)
				}
			}
			tc.ev.Seq = 1
			feed.set(1)
			c.Apply(tc.ev)
			v := c.View(up)
			var again []string
			for _, name := range all {
				n := up.total()
				if err := reads[name](ctx, v); err != nil {
					t.Fatal(err)
				}
				if up.total() > n {
					again = append(again, name)
				}
			}
			slices.Sort(again)
			slices.Sort(tc.want)
			if !slices.Equal(again, tc.want) {
				t.Errorf("read again: %v; want the reads %v", again, tc.want)
			}
		})
	}
}

// TestByteBound checks that the estimated size never passes MaxBytes and
// that the least recently used entries go first.
func TestByteBound(t *testing.T) {
	ctx := t.Context()
	c, up, _ := setup(t, Options{MaxBytes: 4096})
	keep := func() { _, _ = c.View(up).Balances(ctx, "keep") }
	keep()
	for i := range 200 {
		if _, err := c.View(up).Balances(ctx, fmt.Sprint("c-", i)); err != nil {
			t.Fatal(err)
		}
		keep() // used after every fill: never the least recently used
		if s := c.Stats(); s.Bytes > 4096 {
			t.Fatalf("after %d fills: %d bytes, over the bound", i+1, s.Bytes)
		}
	}
	s := c.Stats()
	if s.Evictions == 0 || s.Entries >= 200 {
		t.Errorf("stats %+v: nothing was evicted", s)
	}
	if n := up.n("balances keep"); n != 1 {
		t.Errorf("the entry used most recently was read %d times, want 1", n)
	}
	if _, err := c.View(up).Balances(ctx, "c-0"); err != nil || up.n("balances c-0") != 2 {
		t.Errorf("the oldest entry was still served (%d calls)", up.n("balances c-0"))
	}
	// An answer larger than the whole bound is not kept.
	big, _, _ := setup(t, Options{MaxBytes: 100})
	_, _ = big.View(up).Balances(ctx, "c-big")
	if s := big.Stats(); s.Entries != 0 || s.Bytes != 0 {
		t.Errorf("an entry over the bound was kept: %+v", s)
	}
}

// TestTTL checks that an entry is served until its TTL ends, not after.
func TestTTL(t *testing.T) {
	ctx := t.Context()
	now := day
	c, up, _ := setup(t, Options{TTL: time.Minute, Now: func() time.Time { return now }})
	for _, step := range []struct {
		advance   time.Duration
		wantCalls int
	}{
		{0, 1}, {59 * time.Second, 1}, {time.Second, 2}, {30 * time.Second, 2}, {31 * time.Second, 3},
	} {
		now = now.Add(step.advance)
		if err := reads["consents 1"](ctx, c.View(up)); err != nil {
			t.Fatal(err)
		}
		if got := up.total(); got != step.wantCalls {
			t.Errorf("at %v: %d calls, want %d", now.Sub(day), got, step.wantCalls)
		}
	}
}

// TestBarrier checks the read barrier: an operation whose replica has not
// applied the stream's last event waits for it, and reads FinPro (keeping
// nothing) when it does not come in time or the stream cannot be asked.
func TestBarrier(t *testing.T) {
	ctx := t.Context()
	t.Run("waits for the event", func(t *testing.T) {
		c, up, feed := setup(t, Options{BarrierWait: time.Minute})
		_ = reads["balances a"](ctx, c.View(up))
		feed.set(1) // a DATA_READY was stored; this replica has not applied it
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = reads["balances a"](ctx, c.View(up))
		}()
		c.Apply(events.Event{Seq: 1, Type: events.TypeData, Status: "DATA_READY", ConsentID: "c-a"})
		<-done
		if n := up.total(); n != 2 {
			t.Errorf("%d calls, want 2: the read after the event was served the invalidated answer", n)
		}
	})
	t.Run("times out", func(t *testing.T) {
		c, up, feed := setup(t, Options{BarrierWait: time.Millisecond})
		_ = reads["balances a"](ctx, c.View(up))
		feed.set(1)
		_ = reads["balances a"](ctx, c.View(up))
		_ = reads["balances a"](ctx, c.View(up))
		if n, s := up.total(), c.Stats(); n != 3 || s.Bypasses != 2 {
			t.Errorf("%d calls, stats %+v: want every read behind the barrier from FinPro", n, s)
		}
		c.Advance(1) // an event that did not decode: applied all the same
		_ = reads["balances a"](ctx, c.View(up))
		if n := up.total(); n != 3 {
			t.Errorf("%d calls after the replica caught up, want 3 (a hit)", n)
		}
	})
	t.Run("stream unreachable", func(t *testing.T) {
		c, up, feed := setup(t, Options{})
		_ = reads["balances a"](ctx, c.View(up))
		feed.mu.Lock()
		feed.err = errors.New("nats: no responders")
		feed.mu.Unlock()
		_ = reads["balances a"](ctx, c.View(up))
		if n := up.total(); n != 2 {
			t.Errorf("%d calls, want 2", n)
		}
	})
	t.Run("no feed", func(t *testing.T) {
		c := New(Options{})
		c.Restart(0)
		up := newFakeUp()
		for range 2 {
			_ = reads["balances a"](ctx, c.View(up))
		}
		if n, s := up.total(), c.Stats(); n != 2 || s.Entries != 0 {
			t.Errorf("%d calls, %d entries without a feed; want 2, 0", n, s.Entries)
		}
	})
}

// TestSuspendRestart checks that a feed that may have missed events drops
// everything, and that nothing is served or kept until a consumer restarts.
func TestSuspendRestart(t *testing.T) {
	ctx := t.Context()
	c, up, _ := setup(t, Options{})
	_ = reads["consents 1"](ctx, c.View(up))
	_ = reads["balances a"](ctx, c.View(up))
	c.Suspend()
	if s := c.Stats(); s.Entries != 0 || s.Bytes != 0 {
		t.Fatalf("suspended, still holding %+v", s)
	}
	for range 2 {
		_ = reads["balances a"](ctx, c.View(up))
	}
	if n, s := up.n("balances c-a"), c.Stats(); n != 3 || s.Entries != 0 {
		t.Errorf("suspended: %d calls, %d entries; want 3 and 0", n, s.Entries)
	}
	c.Restart(0)
	for range 2 {
		_ = reads["balances a"](ctx, c.View(up))
	}
	if n := up.n("balances c-a"); n != 4 {
		t.Errorf("restarted: %d calls, want 4 (one fill, one hit)", n)
	}
	c.Restart(0) // a recreated consumer: what was kept may be stale
	_ = reads["balances a"](ctx, c.View(up))
	if n := up.n("balances c-a"); n != 5 {
		t.Errorf("after a second restart: %d calls, want 5", n)
	}
}

// TestFillDuringInvalidation checks that an answer read before an
// invalidation that arrives while it is on its way is not kept.
func TestFillDuringInvalidation(t *testing.T) {
	ctx := t.Context()
	c, up, _ := setup(t, Options{})
	up.during = func() {
		up.during = nil
		c.Apply(events.Event{Seq: 1, Type: events.TypeData, Status: "DATA_READY", ConsentID: "c-a"})
	}
	_ = reads["balances a"](ctx, c.View(up))
	_ = reads["balances a"](ctx, c.View(up))
	if n := up.total(); n != 2 {
		t.Errorf("%d calls, want 2: an answer older than an invalidation was kept", n)
	}
}

// TestStatsHoldNoData checks that the cache's only output, its counters,
// holds no customer data.
func TestStatsHoldNoData(t *testing.T) {
	c, up, _ := setup(t, Options{})
	_ = reads["consents 1"](t.Context(), c.View(up))
	if s := fmt.Sprintf("%+v", c.Stats()); strings.Contains(s, "9000000001") {
		t.Errorf("stats show a mobile: %s", s)
	}
}

// BenchmarkHit is the cost of a cache hit: per read inside an operation
// whose barrier passed, and per operation (a View, its barrier against an
// in-memory feed, one read).
func BenchmarkHit(b *testing.B) {
	ctx := context.Background()
	c, up, _ := setup(b, Options{})
	req := finpro.FIDataRequest{ConsentID: "c-a", LinkReferenceNumber: "l1", Limit: 20, Offset: 80}
	v := c.View(up)
	if _, err := v.FIData(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			_, _ = v.FIData(ctx, req)
		}
	})
	b.Run("operation", func(b *testing.B) {
		for b.Loop() {
			_, _ = c.View(up).FIData(ctx, req)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = c.View(up).FIData(ctx, req)
			}
		})
	})
	if up.total() != 1 {
		b.Fatalf("%d upstream calls", up.total())
	}
}

// TestPurge checks that Purge drops everything and the cache goes on
// serving.
func TestPurge(t *testing.T) {
	ctx := t.Context()
	c, up, _ := setup(t, Options{})
	_ = reads["balances a"](ctx, c.View(up))
	c.Purge()
	for range 2 {
		_ = reads["balances a"](ctx, c.View(up))
	}
	if n := up.total(); n != 2 {
		t.Errorf("%d calls, want 2 (one before the purge, one fill after)", n)
	}
}

// TestDropLists checks that DropLists drops the consent lists, nothing else.
func TestDropLists(t *testing.T) {
	ctx := t.Context()
	c, up, _ := setup(t, Options{})
	for _, name := range []string{"consents 1", "balances a"} {
		_ = reads[name](ctx, c.View(up))
	}
	c.DropLists()
	for _, name := range []string{"consents 1", "balances a"} {
		_ = reads[name](ctx, c.View(up))
	}
	if n, m := up.n("consents 9000000001 P []"), up.n("balances c-a"); n != 2 || m != 1 {
		t.Errorf("list read %d times, balances %d; want 2 and 1", n, m)
	}
}

// TestHandlesBounded checks that the handles remembered from consent lists,
// which outlive the lists, stay within their share of MaxBytes.
func TestHandlesBounded(t *testing.T) {
	c, _, _ := setup(t, Options{MaxBytes: 1 << 20})
	limit := c.maxHandles()
	for i := range 10 * limit {
		c.mu.Lock()
		epoch := c.epoch
		c.mu.Unlock()
		k := key{kind: kindConsents, consent: fmt.Sprint("list-", i)}
		c.put(k, &finpro.ConsentPage{}, epoch, []string{"u:key"}, map[string]string{fmt.Sprint("handle-", i): fmt.Sprint("id-", i)})
		c.mu.Lock()
		n := len(c.handles)
		c.mu.Unlock()
		if n > limit {
			t.Fatalf("after %d lists: %d handles remembered, want at most %d", i+1, n, limit)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.handles) < limit/2 {
		t.Errorf("%d handles remembered of the bound %d: forgetting too much", len(c.handles), limit)
	}
}
