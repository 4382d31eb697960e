package broker_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
	"github.com/moneyone-bff/finpro-bff/internal/fpcache"
)

// recorder is a broker.Invalidator that logs what the live feed tells a
// cache, and tells the cache.
type recorder struct {
	cache   *fpcache.Cache
	mu      sync.Mutex
	log     []string
	applied []uint64
}

func (r *recorder) note(s string) {
	r.mu.Lock()
	r.log = append(r.log, s)
	r.mu.Unlock()
}

func (r *recorder) Apply(ev events.Event) {
	r.mu.Lock()
	r.applied = append(r.applied, ev.Seq)
	r.mu.Unlock()
	r.cache.Apply(ev)
}
func (r *recorder) Advance(seq uint64) { r.cache.Advance(seq) }
func (r *recorder) Restart(seq uint64) { r.note("restart"); r.cache.Restart(seq) }
func (r *recorder) Suspend()           { r.note("suspend"); r.cache.Suspend() }

func (r *recorder) wasApplied(seq uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.applied, seq)
}

func (r *recorder) count(s string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, l := range r.log {
		if l == s {
			n++
		}
	}
	return n
}

// emptyUp is an Upstream answering every read with nothing.
type emptyUp struct{}

func (emptyUp) Balances(context.Context, string) ([]finpro.Balance, error) {
	return []finpro.Balance{}, nil
}

func (emptyUp) AllFIData(context.Context, string) ([]finpro.FIAccount, error) {
	return []finpro.FIAccount{}, nil
}

func (emptyUp) AllFIDataBetween(context.Context, string, time.Time, time.Time) ([]finpro.FIAccount, error) {
	return nil, nil
}

func (emptyUp) Consents(context.Context, finpro.ConsentListRequest) (*finpro.ConsentPage, error) {
	return &finpro.ConsentPage{}, nil
}

func (emptyUp) ConsentsByRef(context.Context, finpro.ConsentLookup) ([]finpro.Consent, error) {
	return nil, nil
}

func (emptyUp) FIData(context.Context, finpro.FIDataRequest) (*finpro.AccountData, error) {
	return &finpro.AccountData{}, nil
}

func (emptyUp) FIRequestStatus(context.Context, finpro.FIStatusRequest) (*finpro.FIStatus, error) {
	return &finpro.FIStatus{}, nil
}

func startCached(t *testing.T) (*broker.Broker, *recorder) {
	t.Helper()
	r := &recorder{cache: fpcache.New(fpcache.Options{})}
	b := eventstest.StartBroker(t, broker.Options{Cache: r})
	r.cache.SetFeed(b)
	return b, r
}

// TestCacheAppliesBeforeDispatch checks that the cache hears every stored
// event before any subscriber of the hub does: a subscriber that reads
// again on an event never meets what the event invalidated.
func TestCacheAppliesBeforeDispatch(t *testing.T) {
	b, r := startCached(t)
	h := eventstest.Handler(b)
	sub := eventstest.Subscribe(t, t.Context(), b, events.Filter{Mobile: eventstest.MobileA, IncludeData: true})
	handle := eventstest.NewHandle()
	eventstest.MustPost(t, h, eventstest.ConsentPayload(t, handle, finpro.EventConsentApproved, eventstest.MobileA))
	eventstest.MustPost(t, h, eventstest.Payload(t, map[string]any{
		"consentHandle": handle, "eventType": "DATA", "eventStatus": "DATA_READY", "vua": eventstest.MobileA + "@onemoney",
	}))
	for range 2 {
		ev := eventstest.Recv(t, sub)
		if !r.wasApplied(ev.Seq) {
			t.Errorf("subscriber got event %d (%s) before the cache applied it", ev.Seq, ev.Status)
		}
	}
}

// TestCacheDroppedOnConsumerReset checks that a replica whose live consumer
// is lost drops its whole cache, and keeps answers again once the consumer
// is back and applying events.
func TestCacheDroppedOnConsumerReset(t *testing.T) {
	b, r := startCached(t)
	ctx := t.Context()
	fill := func() {
		t.Helper()
		if _, err := r.cache.View(emptyUp{}).Balances(ctx, "consent-1"); err != nil {
			t.Fatal(err)
		}
	}
	fill()
	if n := r.cache.Stats().Entries; n != 1 {
		t.Fatalf("%d entries after a read, want 1", n)
	}
	restarts := r.count("restart")

	// The live consumer goes away (a NATS node lost, an operator's cleanup).
	stream := broker.Stream(b)
	for name := range stream.ListConsumers(ctx).Info() {
		if err := stream.DeleteConsumer(ctx, name.Name); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for r.count("restart") == restarts {
		if time.Now().After(deadline) {
			t.Fatal("the live feed did not recreate its consumer")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r.count("suspend") == 0 {
		t.Error("the feed restarted without suspending the cache first")
	}
	if n := r.cache.Stats().Entries; n != 0 {
		t.Errorf("%d entries after the consumer was recreated, want 0", n)
	}
	// Back to normal: an event is applied, and answers are kept.
	seq, _, err := b.StoreWebhook(ctx, webhookpayload.Event{
		Type: finpro.EventTypeData, Status: finpro.EventDataReady, ConsentHandle: eventstest.NewHandle(), ConsentID: "consent-2", Timestamp: time.Now(),
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	fill() // its barrier waits for the event
	if !r.wasApplied(seq) {
		t.Errorf("event %d not applied after the restart", seq)
	}
	if n := r.cache.Stats().Entries; n != 1 {
		t.Errorf("%d entries after a read on the new consumer, want 1", n)
	}
}

// TestCacheSuspendedUntilReady checks that a cache whose broker is not set
// up keeps nothing.
func TestCacheSuspendedUntilReady(t *testing.T) {
	c := fpcache.New(fpcache.Options{})
	b, err := broker.New(broker.Options{URL: "nats://127.0.0.1:1", Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	c.SetFeed(b)
	for range 2 {
		if _, err := c.View(emptyUp{}).Balances(t.Context(), "consent-1"); err != nil {
			t.Fatal(err)
		}
	}
	if s := c.Stats(); s.Entries != 0 || s.Hits != 0 {
		t.Errorf("stats %+v before the broker was ready, want nothing kept", s)
	}
}

// BenchmarkBarrier is the read barrier's cost per operation on a caught-up
// replica: one stream-info request for the stream's last sequence (the
// embedded, in-process server), then the check against the applied
// sequence.
func BenchmarkBarrier(b *testing.B) {
	r := &recorder{cache: fpcache.New(fpcache.Options{})}
	br := eventstest.StartBroker(b, broker.Options{Cache: r})
	r.cache.SetFeed(br)
	ctx := context.Background()
	v := r.cache.View(emptyUp{})
	if _, err := v.Balances(ctx, "consent-1"); err != nil {
		b.Fatal(err)
	}
	b.Run("stream-info", func(b *testing.B) {
		for b.Loop() {
			if _, err := br.LastSeq(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("operation", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.cache.View(emptyUp{}).Balances(ctx, "consent-1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	if s := r.cache.Stats(); s.Bypasses > 0 {
		b.Fatalf("%d operations bypassed the cache", s.Bypasses)
	}
}

// TestCacheDroppedOnNATSOutage checks that a replica that loses its NATS
// server drops its cache and keeps nothing while it cannot hear events.
func TestCacheDroppedOnNATSOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 3-node NATS cluster in -short mode")
	}
	cluster := eventstest.StartCluster(t, 3)
	r := &recorder{cache: fpcache.New(fpcache.Options{})}
	// Only node 0: once it is cut off, this replica reaches no server.
	b := eventstest.StartBroker(t, broker.Options{URL: cluster.ClientURLs(1, 2), Replicas: 3, Cache: r})
	r.cache.SetFeed(b)
	ctx := t.Context()
	read := func() {
		t.Helper()
		if _, err := r.cache.View(emptyUp{}).Balances(ctx, "consent-1"); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if n := r.cache.Stats().Entries; n != 1 {
		t.Fatalf("%d entries after a read, want 1", n)
	}
	cluster.Cut(0)
	deadline := time.Now().Add(20 * time.Second)
	for r.count("suspend") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the cache was not suspended after the NATS server was lost")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := r.cache.Stats().Entries; n != 0 {
		t.Errorf("%d entries after the outage, want 0", n)
	}
	read()
	read()
	if s := r.cache.Stats(); s.Entries != 0 || s.Hits != 0 {
		t.Errorf("during the outage: %+v, want nothing kept or served", s)
	}
}
