package hub_test

import (
	"context"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
)

// memStream is a stored stream in memory: the events a fake live feed
// dispatches are also kept here for catch-up.
type memStream struct {
	mu  sync.Mutex
	evs []events.Event
}

func (m *memStream) add(ev events.Event) events.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	ev.Seq = uint64(len(m.evs) + 1)
	m.evs = append(m.evs, ev)
	return ev
}

func (m *memStream) LastSeq(context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return uint64(len(m.evs)), nil
}

// Next matches subjects as NATS does for single-token wildcards.
func (m *memStream) Next(_ context.Context, after uint64, subject string) (events.Event, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	pattern := strings.ReplaceAll(subject, ".", "/")
	for _, ev := range m.evs[min(after, uint64(len(m.evs))):] {
		if ok, _ := path.Match(pattern, strings.ReplaceAll(events.Subject(ev), ".", "/")); ok {
			return ev, true, nil
		}
	}
	return events.Event{}, false, nil
}

func consent(key, handle, product string) events.Event {
	return events.Event{Type: events.TypeConsent, Status: "CONSENT_APPROVED", CustomerKey: key, ConsentHandle: handle, ProductID: product}
}

func take(t *testing.T, ch <-chan events.Event, n int) []string {
	t.Helper()
	var out []string
	for range n {
		select {
		case ev := <-ch:
			out = append(out, ev.ConsentHandle)
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d events, want %d", len(out), n)
		}
	}
	return out
}

// TestHubRouting: each subscriber gets what its spec selects, in order.
func TestHubRouting(t *testing.T) {
	st := &memStream{}
	h := hub.New(16, st, nil)
	defer h.Close()
	ctx := t.Context()
	sub := func(spec hub.Spec) <-chan events.Event {
		ch, err := h.Subscribe(ctx, spec, 0)
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	byA := sub(hub.Spec{CustomerKey: "a"})
	byH2 := sub(hub.Spec{HandleToken: "h2"})
	byAH2 := sub(hub.Spec{CustomerKey: "a", HandleToken: "h2"})
	byAP := sub(hub.Spec{CustomerKey: "a", ProductID: "P"})
	withData := sub(hub.Spec{CustomerKey: "a", IncludeData: true})

	for _, ev := range []events.Event{
		consent("a", "h1", ""),
		{Type: events.TypeData, Status: "DATA_READY", CustomerKey: "a", ConsentHandle: "h1"},
		consent("b", "h3", ""),
		consent("a", "h2", "Q"),
		consent(events.UnknownCustomer, "h2", ""),
		consent("a", "end", "P"),
	} {
		h.Dispatch(st.add(ev))
	}
	tests := []struct {
		name string
		ch   <-chan events.Event
		want []string
	}{
		{"customer", byA, []string{"h1", "h2", "end"}},
		{"handle, any customer", byH2, []string{"h2", "h2"}},
		{"handle of the customer or unknown", byAH2, []string{"h2", "h2"}},
		{"other products dropped, unnamed kept", byAP, []string{"h1", "end"}},
		{"with data", withData, []string{"h1", "h1", "h2", "end"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, take(t, tc.ch, len(tc.want))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestHubOverflowAndResume: a subscriber whose queue overflows reads the
// stream, and a resumed subscriber replays what it missed, each exactly once.
func TestHubOverflowAndResume(t *testing.T) {
	st := &memStream{}
	h := hub.New(2, st, nil)
	defer h.Close()
	slow, err := h.Subscribe(t.Context(), hub.Spec{CustomerKey: "a"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 20 {
		hd := "h" + string(rune('a'+i))
		want = append(want, hd)
		h.Dispatch(st.add(consent("a", hd, "")))
		h.Dispatch(st.add(consent("b", "other", "")))
	}
	if diff := cmp.Diff(want, take(t, slow, len(want))); diff != "" {
		t.Errorf("slow subscriber (-want +got):\n%s", diff)
	}
	resumed, err := h.Subscribe(t.Context(), hub.Spec{CustomerKey: "a"}, 20) // after the 10th of a's events
	if err != nil {
		t.Fatal(err)
	}
	h.Dispatch(st.add(consent("a", "live", "")))
	if diff := cmp.Diff(append(append([]string(nil), want[10:]...), "live"), take(t, resumed, 11)); diff != "" {
		t.Errorf("resumed subscriber (-want +got):\n%s", diff)
	}
}

func TestHubClose(t *testing.T) {
	h := hub.New(4, &memStream{}, nil)
	ch, err := h.Subscribe(t.Context(), hub.Spec{HandleToken: "h", Watch: hub.Watch{Mobile: "9876543210", ProductID: "P"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(h.Watched()); got != 1 {
		t.Errorf("Watched() = %d pairs, want 1", got)
	}
	h.Close()
	if _, ok := <-ch; ok {
		t.Error("channel open after Close, want closed")
	}
	if subs, entries := h.Size(); subs != 0 || entries != 0 || len(h.Watched()) != 0 {
		t.Errorf("after Close: %d subscribers, %d entries, %d watched, want none", subs, entries, len(h.Watched()))
	}
	if _, err := h.Subscribe(t.Context(), hub.Spec{CustomerKey: "a"}, 0); err == nil {
		t.Error("Subscribe() after Close error = nil, want ErrClosed")
	}
	if _, err := hub.New(1, &memStream{}, nil).Subscribe(t.Context(), hub.Spec{}, 0); err == nil {
		t.Error("Subscribe() of an empty spec error = nil, want an error")
	}
}

// TestSubscribeSince: a subscription whose request was read at Since gets
// the events that reached the hub from then on, also those dispatched before
// it registered, and none from before Since; without Since it gets only
// later events.
func TestSubscribeSince(t *testing.T) {
	st := &memStream{}
	h := hub.New(16, st, nil)
	defer h.Close()
	h.Dispatch(st.add(consent("k", "before", "")))
	time.Sleep(2 * time.Millisecond) // the hub's clock must move on
	since := time.Now()
	h.Dispatch(st.add(consent("k", "raced-1", "")))
	h.Dispatch(st.add(consent("other", "not-mine", "")))
	h.Dispatch(st.add(consent("k", "raced-2", "")))

	withSince, err := h.Subscribe(t.Context(), hub.Spec{CustomerKey: "k", Since: since}, 0)
	if err != nil {
		t.Fatal(err)
	}
	without, err := h.Subscribe(t.Context(), hub.Spec{CustomerKey: "k"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	h.Dispatch(st.add(consent("k", "live", "")))
	if diff := cmp.Diff([]string{"raced-1", "raced-2", "live"}, take(t, withSince, 3)); diff != "" {
		t.Errorf("with Since (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"live"}, take(t, without, 1)); diff != "" {
		t.Errorf("without Since (-want +got):\n%s", diff)
	}
}
