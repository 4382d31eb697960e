package poller

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// fakeLister serves consent lists from memory and counts calls.
type fakeLister struct {
	mu       sync.Mutex
	consents map[string][]finpro.Consent // by mobile
	calls    int
	err      error
}

func (f *fakeLister) Consents(_ context.Context, req finpro.ConsentListRequest) (*finpro.ConsentPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	var out []finpro.Consent
	for _, c := range f.consents[req.MobileNumber] {
		if c.ProductID == req.ProductID {
			out = append(out, c)
		}
	}
	return &finpro.ConsentPage{Consents: out}, nil
}

func (f *fakeLister) set(mobile, handle string, status finpro.ConsentStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.consents == nil {
		f.consents = make(map[string][]finpro.Consent)
	}
	for i, c := range f.consents[mobile] {
		if c.ConsentHandle == handle {
			f.consents[mobile][i].Status = status
			return
		}
	}
	f.consents[mobile] = append(f.consents[mobile], finpro.Consent{
		ConsentHandle: handle, ConsentID: "c-" + handle, Status: status, ProductID: "PFM_DASHBOARD",
	})
}

func TestPoller(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	lister := &fakeLister{}
	p := New(b, lister, 0, nil)
	ctx := t.Context()
	hd, other := eventstest.NewHandle(), eventstest.NewHandle()
	lister.set(eventstest.MobileA, hd, finpro.ConsentPending)
	lister.set(eventstest.MobileA, other, finpro.ConsentActive)
	lister.set(eventstest.MobileB, eventstest.NewHandle(), finpro.ConsentPending)

	if n := p.PollOnce(ctx); n != 0 || lister.calls != 0 {
		t.Fatalf("PollOnce() without subscribers = %d events, %d calls, want 0, 0", n, lister.calls)
	}
	subCtx, cancelSub := context.WithCancel(ctx)
	ch := eventstest.Subscribe(t, subCtx, b, events.Filter{Mobile: eventstest.MobileA, ProductID: "PFM_DASHBOARD"})
	eventstest.Subscribe(t, subCtx, b, events.Filter{ConsentHandle: eventstest.NewHandle()}) // not pollable

	steps := []struct {
		status     finpro.ConsentStatus
		wantEvents int
		wantStatus string
	}{
		{finpro.ConsentPending, 0, ""}, // baseline
		{finpro.ConsentPending, 0, ""}, // no change
		{finpro.ConsentActive, 1, finpro.EventConsentApproved},
		{finpro.ConsentPaused, 1, finpro.EventConsentPaused},
		{finpro.ConsentActive, 1, finpro.EventConsentResumed},
		{finpro.ConsentRevoked, 1, finpro.EventConsentRevoked},
	}
	for i, st := range steps {
		lister.set(eventstest.MobileA, hd, st.status)
		if n := p.PollOnce(ctx); n != st.wantEvents {
			t.Fatalf("step %d: PollOnce() = %d events, want %d", i, n, st.wantEvents)
		}
		if st.wantEvents == 0 {
			continue
		}
		ev := eventstest.Recv(t, ch)
		if ev.ConsentHandle != hd || ev.Status != st.wantStatus || ev.ConsentStatus != st.status || ev.Source != events.SourcePoller {
			t.Errorf("step %d: event = %s %s/%s from %s, want %s/%s from the poller", i, ev.ConsentHandle, ev.Status, ev.ConsentStatus, ev.Source, st.wantStatus, st.status)
		}
	}
	if lister.calls != len(steps) {
		t.Errorf("consent list calls = %d, want %d (one per round, only the watched customer)", lister.calls, len(steps))
	}

	// A second replica's poller (same broker here) seeing the same change
	// publishes nothing, and neither does a poller after the webhook.
	p2 := New(b, lister, 0, nil)
	p2.PollOnce(ctx) // baseline: REVOKED
	lister.set(eventstest.MobileA, other, finpro.ConsentPaused)
	if n := p.PollOnce(ctx); n != 1 {
		t.Errorf("first poller PollOnce() = %d, want 1", n)
	}
	if n := p2.PollOnce(ctx); n != 0 {
		t.Errorf("second poller PollOnce() after the first published = %d, want 0", n)
	}
	if ev := eventstest.Recv(t, ch); ev.ConsentHandle != other || ev.Status != finpro.EventConsentPaused {
		t.Errorf("event = %s %s, want the PAUSED change once", ev.ConsentHandle, ev.Status)
	}
	h := eventstest.Handler(b)
	eventstest.MustPost(t, h, eventstest.ConsentPayload(t, other, finpro.EventConsentRevoked, eventstest.MobileA))
	if ev := eventstest.Recv(t, ch); ev.Status != finpro.EventConsentRevoked || ev.Source != events.SourceWebhook {
		t.Errorf("event = %s from %s, want the webhook's REVOKED", ev.Status, ev.Source)
	}
	lister.set(eventstest.MobileA, other, finpro.ConsentRevoked)
	if n := p.PollOnce(ctx); n != 0 {
		t.Errorf("PollOnce() after the webhook announced the change = %d, want 0", n)
	}

	// Errors are logged and retried, not fatal.
	lister.mu.Lock()
	lister.err = errors.New("upstream down")
	lister.mu.Unlock()
	if n := p.PollOnce(ctx); n != 0 {
		t.Errorf("PollOnce() with a failing lister = %d, want 0", n)
	}

	// Without subscribers the pair is forgotten.
	cancelSub()
	eventstest.WaitClosed(t, ch)
	deadlineWatched(t, b, 0)
	p.PollOnce(ctx)
	if len(p.last) != 0 {
		t.Errorf("poller memory after the last subscriber left = %d pairs, want 0", len(p.last))
	}
}

// deadlineWatched waits until the hub watches n pairs.
func deadlineWatched(t *testing.T, b *broker.Broker, n int) {
	t.Helper()
	for range 1500 {
		if len(b.Watched()) == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("watched pairs = %d, want %d", len(b.Watched()), n)
}

func TestPollerRun(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	lister := &fakeLister{}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- New(b, lister, 0, nil).Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run() = %v, want nil", err)
	}
}
