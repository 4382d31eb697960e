package live

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/events"
)

// chanSource is an event source that does not deliver through hub.Direct:
// Subscribe hands out its channel (or fails with err).
type chanSource struct {
	ch     chan events.Event
	err    error
	filter events.Filter
}

func (s *chanSource) Subscribe(_ context.Context, f events.Filter) (<-chan events.Event, error) {
	s.filter = f
	return s.ch, s.err
}

func (s *chanSource) RememberConsent(context.Context, string, string) error { return nil }

// handle converts every event to its handle.
func handle(ev events.Event, _, _ string) (string, bool) { return ev.ConsentHandle, true }

func TestSubscribeRefusals(t *testing.T) {
	tests := []struct {
		name string
		src  EventSource
		req  Request
		want apierr.Code
	}{
		{"no event source", nil, Request{Mobile: "9876543210", ProductID: "P"}, apierr.UpstreamUnavailable},
		{"token expired", &chanSource{}, Request{Mobile: "9876543210", ProductID: "P", Expires: time.Now().Add(-time.Second)}, apierr.Unauthenticated},
		{"feed down", &chanSource{err: errors.New("down")}, Request{Mobile: "9876543210", ProductID: "P"}, apierr.UpstreamUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := Subscribe(context.Background(), New(tt.src, nil, nil), tt.req, handle)
			e, ok := apierr.As(err)
			if ch != nil || !ok || e.Code != tt.want {
				t.Fatalf("Subscribe() = %v, %v; want no channel and %s", ch, err, tt.want)
			}
		})
	}
}

// TestSubscribeDelivers reads a source's channel: only the events of the
// subscriber's product (named by the event, so no placement) arrive, in
// order, and the subscription ends when the feed closes.
func TestSubscribeDelivers(t *testing.T) {
	src := &chanSource{ch: make(chan events.Event, 3)}
	src.ch <- events.Event{ConsentHandle: "h1", ProductID: "P", CustomerKey: "k"}
	src.ch <- events.Event{ConsentHandle: "h2", ProductID: "OTHER", CustomerKey: "k"}
	src.ch <- events.Event{ConsentHandle: "h3", ProductID: "P", CustomerKey: "k"}
	close(src.ch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := Request{Mobile: "9876543210", ProductID: "P", IncludeData: true, ResumeAfter: 7}
	ch, err := Subscribe(ctx, New(src, nil, nil), req, handle)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for h := range ch {
		got = append(got, h)
	}
	if len(got) != 2 || got[0] != "h1" || got[1] != "h3" {
		t.Errorf("delivered %v, want [h1 h3]", got)
	}
	f := src.filter
	if f.Mobile != req.Mobile || f.ProductID != "P" || !f.IncludeData || f.ResumeAfter != 7 || f.Since.IsZero() {
		t.Errorf("filter = %+v, want the request's", f)
	}
}

func TestRequestReadAfterConnectionAck(t *testing.T) {
	before := time.Now()
	ctx := WithConnectionAck(context.Background())
	if since := requestRead(ctx); since.Before(before) {
		t.Errorf("requestRead = %v, before the connection's ack (%v)", since, before)
	}
}
