package events

import (
	"context"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSubscribeFilters(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	ctx := t.Context()

	handleA1, handleA2, handleB := newHandle(), newHandle(), newHandle()
	byCustomerA := subscribe(t, ctx, b, Filter{Mobile: mobileA})
	byCustomerB := subscribe(t, ctx, b, Filter{Mobile: mobileB})
	byHandleA2 := subscribe(t, ctx, b, Filter{ConsentHandle: handleA2})
	byBothWrong := subscribe(t, ctx, b, Filter{Mobile: mobileB, ConsentHandle: handleA1})
	withData := subscribe(t, ctx, b, Filter{Mobile: mobileA, IncludeData: true})
	otherProduct := subscribe(t, ctx, b, Filter{Mobile: mobileA, ProductID: "OTHER"})

	mustPost(t, h, consentPayload(t, handleA1, finpro.EventConsentApproved, mobileA))
	mustPost(t, h, payload(t, map[string]any{
		"consentHandle": handleA1, "eventType": "DATA", "eventStatus": "DATA_READY", "vua": mobileA + "@onemoney",
	}))
	mustPost(t, h, consentPayload(t, handleB, finpro.EventConsentApproved, mobileB))
	mustPost(t, h, payload(t, map[string]any{
		"consentHandle": handleA2, "eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED", "vua": mobileA + "@onemoney",
		"productID": "PFM_DASHBOARD",
	}))
	// Last: a masked Type 2 event that only handle subscribers can place.
	mustPost(t, h, payload(t, map[string]any{
		"consentHandle": handleA2, "eventType": "CONSENT", "eventStatus": "CONSENT_RESUMED", "vua": "XXXXXX3210@onemoney",
		"timestamp": "2024-05-02T11:00:00Z",
	}))
	// The last event is the customer-B sentinel every B-side subscriber sees.
	sentinelB := newHandle()
	mustPost(t, h, consentPayload(t, sentinelB, finpro.EventConsentRevoked, mobileB))

	type seen struct{ Handle, Status string }
	collect := func(ch <-chan Event, n int) []seen {
		t.Helper()
		var out []seen
		for range n {
			ev := recv(t, ch)
			out = append(out, seen{ev.ConsentHandle, ev.Status})
		}
		return out
	}
	tests := []struct {
		name string
		ch   <-chan Event
		want []seen
	}{
		{"customer A", byCustomerA, []seen{
			{handleA1, finpro.EventConsentApproved},
			{handleA2, finpro.EventConsentPaused},
			// handleA2's masked event: remembered from the earlier PAUSED
			// webhook that showed the mobile.
			{handleA2, finpro.EventConsentResumed},
		}},
		{"customer B", byCustomerB, []seen{{handleB, finpro.EventConsentApproved}, {sentinelB, finpro.EventConsentRevoked}}},
		{"handle A2", byHandleA2, []seen{{handleA2, finpro.EventConsentPaused}, {handleA2, finpro.EventConsentResumed}}},
		{"customer A with data", withData, []seen{
			{handleA1, finpro.EventConsentApproved},
			{handleA1, finpro.EventDataReady},
			{handleA2, finpro.EventConsentPaused},
			{handleA2, finpro.EventConsentResumed},
		}},
		{"customer A other product", otherProduct, []seen{{handleA1, finpro.EventConsentApproved}, {handleA2, finpro.EventConsentResumed}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, collect(tc.ch, len(tc.want))); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// Customer B's subscriber with customer A's handle gets nothing: the
	// stream holds nothing more for it, and the next event it could get is
	// one about that handle and customer B.
	mustPost(t, h, payload(t, map[string]any{
		"consentHandle": handleA1, "eventType": "CONSENT", "eventStatus": "CONSENT_EXPIRED", "vua": "XXXXXX3210@onemoney",
		"timestamp": "2024-05-03T00:00:00Z",
	}))
	mustPost(t, h, consentPayload(t, handleA1, finpro.EventConsentRevoked, mobileB))
	if ev := recv(t, byBothWrong); ev.Status != finpro.EventConsentRevoked {
		t.Errorf("customer B + handle A1 first event = %s, want only the event naming customer B", ev.Status)
	}
}

func TestSubscribeInvalidFilter(t *testing.T) {
	b := startBroker(t, Options{})
	// internal/mobile is the one check: no +91 or 91 prefix.
	for i, f := range []Filter{{}, {ProductID: "P"}, {Mobile: "12345"}, {Mobile: "+91" + mobileA}, {Mobile: "91" + mobileA}, {CustomerKey: "a.b"}} {
		if _, err := b.Subscribe(t.Context(), f); err == nil {
			t.Errorf("Subscribe(filter %d) error = nil, want an error", i)
		}
	}
}

// TestSubscribeResume cuts a subscription mid-stream and resumes from the
// last sequence it saw: every event arrives exactly once, in order.
func TestSubscribeResume(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	const total = 40
	handles := make([]string, total)
	for i := range handles {
		handles[i] = newHandle()
	}
	ctx1, cancel1 := context.WithCancel(t.Context())
	first := subscribe(t, ctx1, b, Filter{Mobile: mobileA})

	// Publish in the background while the first subscriber reads, with events
	// of another customer interleaved.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, hd := range handles {
			if code := post(t, h, consentPayload(t, hd, finpro.EventConsentApproved, mobileA)); code != 200 {
				t.Errorf("POST %d = %d, want 200", i, code)
			}
			post(t, h, consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileB))
		}
	}()
	var got []string
	var last uint64
	for range total / 3 {
		ev := recv(t, first)
		got = append(got, ev.ConsentHandle)
		last = ev.Seq
	}
	cancel1()
	waitClosed(t, first)

	second := subscribe(t, t.Context(), b, Filter{Mobile: mobileA, ResumeAfter: last})
	for len(got) < total {
		ev := recv(t, second)
		if ev.Seq <= last {
			t.Fatalf("resumed event seq %d <= %d, want increasing", ev.Seq, last)
		}
		last = ev.Seq
		got = append(got, ev.ConsentHandle)
	}
	<-done
	if diff := cmp.Diff(handles, got); diff != "" {
		t.Errorf("events across the reconnect mismatch (-want +got):\n%s", diff)
	}
}

// TestSubscribeSlowConsumer overflows a subscriber's queue and checks that
// the stream fallback still delivers every event once, in order.
func TestSubscribeSlowConsumer(t *testing.T) {
	b := startBroker(t, Options{SubscriberBuffer: 2})
	h := b.WebhookHandler(testSecret, "", 0)
	ch := subscribe(t, t.Context(), b, Filter{Mobile: mobileA})
	const total = 30
	var want []string
	for range total {
		hd := newHandle()
		want = append(want, hd)
		mustPost(t, h, consentPayload(t, hd, finpro.EventConsentApproved, mobileA))
	}
	var got []string
	for range total {
		got = append(got, recv(t, ch).ConsentHandle)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events of a slow subscriber mismatch (-want +got):\n%s", diff)
	}
}

func TestSubscribeEndsOnBrokerClose(t *testing.T) {
	b := startBroker(t, Options{})
	ch := subscribe(t, t.Context(), b, Filter{Mobile: mobileA})
	b.Close()
	waitClosed(t, ch)
	if _, err := b.Subscribe(t.Context(), Filter{Mobile: mobileA}); err == nil {
		t.Error("Subscribe() after Close error = nil, want ErrClosed")
	}
}

func TestResumeCursorBeyondStream(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	ch := subscribe(t, t.Context(), b, Filter{Mobile: mobileA, ResumeAfter: 1_000_000})
	hd := newHandle()
	mustPost(t, h, consentPayload(t, hd, finpro.EventConsentApproved, mobileA))
	if ev := recv(t, ch); ev.ConsentHandle != hd {
		t.Errorf("event after a stale cursor = %s, want the new event", ev.ConsentHandle)
	}
}

// TestSubscriptionGoroutines opens and closes 1,000 subscriptions and waits
// for the goroutine count to return to its baseline.
func TestSubscriptionGoroutines(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	// Warm up the connection's own goroutines.
	mustPost(t, h, consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileA))
	baseline := runtime.NumGoroutine()

	const n = 1000
	ctx, cancel := context.WithCancel(t.Context())
	chans := make([]<-chan Event, n)
	for i := range chans {
		f := Filter{Mobile: mobileA, ProductID: "PFM_DASHBOARD"}
		if i%2 == 1 {
			f = Filter{ConsentHandle: newHandle()}
		}
		chans[i] = subscribe(t, ctx, b, f)
	}
	if got := runtime.NumGoroutine(); got < baseline+n {
		t.Errorf("goroutines with %d subscriptions = %d, want at least %d", n, got, baseline+n)
	}
	if got := len(b.hub.watched()); got != 1 {
		t.Errorf("watched pairs = %d, want 1", got)
	}
	cancel()
	for _, ch := range chans {
		waitClosed(t, ch)
	}
	deadline := time.Now().Add(15 * time.Second)
	for runtime.NumGoroutine() > baseline+2 && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > baseline+2 {
		t.Errorf("goroutines after closing %d subscriptions = %d, want about %d", n, got, baseline)
	}
	if got := len(b.hub.watched()); got != 0 {
		t.Errorf("watched pairs after close = %d, want 0", got)
	}
	b.hub.mu.Lock()
	keys, handles := len(b.hub.byKey), len(b.hub.byHandle)
	b.hub.mu.Unlock()
	if keys != 0 || handles != 0 {
		t.Errorf("hub index after close = %d keys, %d handles, want empty", keys, handles)
	}
}

// BenchmarkSubscription reports the memory one open subscription holds.
func BenchmarkSubscription(b *testing.B) {
	br := startBroker(b, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	chans := make([]<-chan Event, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ch, err := br.Subscribe(ctx, Filter{Mobile: mobileA, ProductID: "PFM_DASHBOARD"})
		if err != nil {
			b.Fatal(err)
		}
		chans = append(chans, ch)
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	used := int64(after.HeapInuse+after.StackInuse) - int64(before.HeapInuse+before.StackInuse)
	b.ReportMetric(float64(used)/float64(b.N), "bytes/subscription")
	cancel()
	for _, ch := range chans {
		for range ch {
		}
	}
}

func TestCursor(t *testing.T) {
	for _, seq := range []uint64{0, 1, 42, 1 << 63} {
		c := Event{Seq: seq}.Cursor()
		got, err := ParseCursor(c)
		if err != nil || got != seq {
			t.Errorf("ParseCursor(Event{Seq: %d}.Cursor()) = %d, %v, want %d, nil", seq, got, err, seq)
		}
	}
	if got, err := ParseCursor(""); got != 0 || err != nil {
		t.Errorf("ParseCursor(\"\") = %d, %v, want 0, nil", got, err)
	}
	for _, bad := range []string{"!!", "MTIz" /* "123" */, "ZXYxOi0x" /* "ev1:-1" */} {
		if _, err := ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) error = nil, want an error", bad)
		}
	}
}

// TestLiveFeedSurvivesReset deletes the broker's live consumer before it has
// delivered anything and stores events while the ordered consumer recreates
// itself: a live subscriber still receives every one, in order. (Started at
// "new messages", the recreated consumer skipped the events stored during
// the reset.)
func TestLiveFeedSurvivesReset(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	sub := subscribe(t, t.Context(), b, Filter{Mobile: mobileA})

	names := b.stream.ListConsumers(t.Context())
	var deleted int
	for ci := range names.Info() {
		if err := b.stream.DeleteConsumer(t.Context(), ci.Name); err != nil {
			t.Fatal(err)
		}
		deleted++
	}
	if err := names.Err(); err != nil || deleted == 0 {
		t.Fatalf("deleted %d consumers (err %v), want the live one", deleted, err)
	}
	var want []string
	for range 5 {
		hd := newHandle()
		want = append(want, hd)
		mustPost(t, h, consentPayload(t, hd, finpro.EventConsentApproved, mobileA))
	}
	var got []string
	for len(got) < len(want) {
		got = append(got, recv(t, sub).ConsentHandle)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events after the reset (-want +got):\n%s", diff)
	}
}
