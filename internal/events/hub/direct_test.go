package hub_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
)

// directSink records what a hub.Direct receives.
type directSink struct {
	mu    sync.Mutex
	got   []string
	ends  int
	after bool // a Deliver ran after End
	stop  string
	ended chan struct{}
	// delivered gets every handle delivered.
	delivered chan string
}

func newDirectSink(stop string) *directSink {
	return &directSink{stop: stop, ended: make(chan struct{}), delivered: make(chan string, 64)}
}

func (d *directSink) direct() *hub.Direct {
	return &hub.Direct{
		Deliver: func(_ context.Context, ev events.Event) bool {
			d.mu.Lock()
			defer d.mu.Unlock()
			if d.ends > 0 {
				d.after = true
			}
			d.got = append(d.got, ev.ConsentHandle)
			d.delivered <- ev.ConsentHandle
			return ev.ConsentHandle != d.stop
		},
		End: func() {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.ends++
			if d.ends == 1 {
				close(d.ended)
			}
		},
	}
}

func (d *directSink) waitEnded(t *testing.T) {
	t.Helper()
	select {
	case <-d.ended:
	case <-time.After(10 * time.Second):
		t.Fatal("End not called")
	}
}

func (d *directSink) check(t *testing.T, want []string) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if diff := cmp.Diff(want, d.got); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	if d.ends != 1 || d.after {
		t.Errorf("End ran %d times (a Deliver after it: %v), want once, last", d.ends, d.after)
	}
}

// TestDirect: a subscriber with a hub.Direct gets its events by call, in
// order, including a catch-up; its channel carries none and closes after
// End, which runs once, when Deliver says stop, when the context ends or
// when the hub closes.
func TestDirect(t *testing.T) {
	tests := []struct {
		name   string
		resume uint64 // catch up after this many stored events
		stop   string // the handle whose Deliver returns false
		end    string // "stop", "cancel" or "close"
		want   []string
	}{
		{name: "deliver says stop", stop: "h2", end: "stop", want: []string{"h1", "h2"}},
		{name: "context ends", end: "cancel", want: []string{"h1", "h2", "h3"}},
		{name: "hub closes", end: "close", want: []string{"h1", "h2", "h3"}},
		{name: "catch-up, then live", resume: 1, end: "cancel", want: []string{"old2", "h1", "h2", "h3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := &memStream{}
			h := hub.New(2, st, nil)
			defer h.Close()
			h.Dispatch(st.add(consent("a", "old1", "")))
			h.Dispatch(st.add(consent("a", "old2", "")))
			d := newDirectSink(tc.stop)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			dir := d.direct()
			ch, err := h.Subscribe(hub.WithDirect(ctx, dir), hub.Spec{CustomerKey: "a"}, tc.resume)
			if err != nil {
				t.Fatal(err)
			}
			if !dir.Attached() {
				t.Fatal("Attached() = false after Subscribe")
			}
			for _, hd := range []string{"h1", "h2", "h3"} {
				h.Dispatch(st.add(consent("a", hd, "")))
			}
			if tc.end != "stop" {
				for range tc.want {
					select {
					case <-d.delivered:
					case <-time.After(10 * time.Second):
						t.Fatal("event not delivered")
					}
				}
			}
			switch tc.end {
			case "cancel":
				cancel()
			case "close":
				h.Close()
			}
			d.waitEnded(t)
			if _, open := <-ch; open {
				t.Error("channel of a Direct subscriber carried an event")
			}
			h.Dispatch(st.add(consent("a", "late", "")))
			d.check(t, tc.want)
			if subs, _ := h.Size(); subs != 0 {
				t.Errorf("subscribers after the end = %d, want 0", subs)
			}
		})
	}
}

// TestIdleSubscribersHoldNoGoroutine: neither a channel subscriber nor a
// Direct one holds a goroutine while no event is pending.
func TestIdleSubscribersHoldNoGoroutine(t *testing.T) {
	st := &memStream{}
	h := hub.New(4, st, nil)
	defer h.Close()
	settle := func(limit int) int {
		deadline := time.Now().Add(10 * time.Second)
		n := runtime.NumGoroutine()
		for n > limit && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
			n = runtime.NumGoroutine()
		}
		return n
	}
	base := runtime.NumGoroutine()
	const n = 200
	for i := range n {
		ctx := t.Context()
		if i%2 == 0 {
			ctx = hub.WithDirect(ctx, newDirectSink("").direct())
		}
		if _, err := h.Subscribe(ctx, hub.Spec{CustomerKey: "a"}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if got := settle(base + 2); got > base+2 {
		t.Errorf("goroutines with %d idle subscribers = %d, want %d", n, got, base)
	}
}
