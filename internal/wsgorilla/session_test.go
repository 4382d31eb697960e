package wsgorilla_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// startSessions serves ws behind NewSessions(so).Middleware.
func startSessions(t *testing.T, so wsgorilla.SessionOptions, ws transport.Websocket) (*harness, *wsgorilla.Sessions) {
	t.Helper()
	s := wsgorilla.NewSessions(so)
	return startFeed(t, wsgorilla.Options{}, ws, &feed{}, s.Middleware), s
}

// TestDuplicateID: graphql-transport-ws closes with 4409 when a subscribe
// reuses the id of a running operation, and the running one ends; graphql-ws
// replaces the running operation with the new one.
func TestDuplicateID(t *testing.T) {
	t.Run(wsgorilla.GraphQLTransportWS, func(t *testing.T) {
		p := wstest.TransportWS
		h := start(t, wsgorilla.Options{}, transport.Websocket{})
		c := h.init(t, p)
		c.Send(t, subscribeMsg(p, "1"))
		first := h.nextSub(t)
		c.Send(t, subscribeMsg(p, "1"))
		ce, got := c.ReadToClose(t)
		want := &websocket.CloseError{Code: wsgorilla.CloseSubscriberAlreadyExists, Text: "Subscriber for 1 already exists"}
		if diff := cmp.Diff(want, ce); diff != "" {
			t.Errorf("close (-want +got):\n%s", diff)
		}
		if len(got) != 0 {
			t.Errorf("before the close got %v, want nothing", got)
		}
		waitEnded(t, first)
		h.waitDone(t)
		select {
		case <-h.feed.subs:
			t.Error("the duplicate subscribe started a second operation")
		default:
		}
	})
	t.Run(wsgorilla.GraphQLWS, func(t *testing.T) {
		p := wstest.GraphQLWS
		h := start(t, wsgorilla.Options{}, transport.Websocket{})
		c := h.init(t, p)
		c.Send(t, subscribeMsg(p, "1"))
		first := h.nextSub(t)
		c.Send(t, subscribeMsg(p, "1"))
		second := h.nextSub(t)
		waitEnded(t, first)
		second.events <- `{"name":"second"}`
		got := c.Expect(t, p.Next)
		want := msg{Type: p.Next, ID: "1", Payload: json.RawMessage(`{"data":{"name":"second"}}`)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("event (-want +got):\n%s", diff)
		}
	})
}

// TestNothingAfterComplete floods a subscription and stops it: once the
// client's complete (graphql-ws: stop) is read, no further result for the id
// arrives, although gqlgen had results in flight.
func TestNothingAfterComplete(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h := startFeed(t, wsgorilla.Options{}, transport.Websocket{}, &feed{flood: []byte(`{"name":"x"}`)}, nil)
			c := h.init(t, p)
			c.Send(t, subscribeMsg(p, "1"))
			s := h.nextSub(t)
			c.Expect(t, p.Next)
			c.Send(t, msg{Type: p.Stop, ID: "1"})
			waitEnded(t, s)
			// A query's complete marks the end of everything the server
			// sent before it; the first rounds drain results that were
			// already on their way when the stop arrived.
			var after []msg
			for i := range 3 {
				after = roundTrip(t, c, p, fmt.Sprint("m", i))
				if len(after) == 0 {
					break
				}
			}
			for _, m := range after {
				if m.Type != "complete" || p != wstest.GraphQLWS {
					t.Errorf("after the stop settled got %s for %q", m.Type, m.ID)
				}
			}
		})
	}
}

// TestMaxOperations: an operation over the bound gets an error message for
// its id; the others go on, and a slot freed by a complete is reusable.
func TestMaxOperations(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h, _ := startSessions(t, wsgorilla.SessionOptions{
				MaxOperations: 2,
				OperationLimitError: func(limit int) gqlerror.List {
					return gqlerror.List{{Message: fmt.Sprintf("limit %d", limit), Extensions: map[string]any{"code": "RATE_LIMITED"}}}
				},
			}, transport.Websocket{})
			c := h.init(t, p)
			c.Send(t, subscribeMsg(p, "a"))
			a := h.nextSub(t)
			c.Send(t, subscribeMsg(p, "b"))
			h.nextSub(t)
			c.Send(t, subscribeMsg(p, "c"))
			got := c.Expect(t, "error")
			want := msg{Type: "error", ID: "c", Payload: json.RawMessage(`[{"message":"limit 2","extensions":{"code":"RATE_LIMITED"}}]`)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("over the bound (-want +got):\n%s", diff)
			}
			close(a.events) // the server completes a
			if got := c.Expect(t, "complete"); got.ID != "a" {
				t.Errorf("complete id = %q, want a", got.ID)
			}
			c.Send(t, subscribeMsg(p, "d"))
			d := h.nextSub(t)
			d.events <- `{"name":"d"}`
			if got := c.Expect(t, p.Next); got.ID != "d" {
				t.Errorf("%s id = %q, want d", p.Next, got.ID)
			}
		})
	}
}

// TestExpireAt: at the session's expiry every running operation gets the
// error and the connection closes with 4403; an expiry already past closes
// the connection at once, serving nothing.
func TestExpireAt(t *testing.T) {
	errs := gqlerror.List{{Message: "token expired", Extensions: map[string]any{"code": "UNAUTHENTICATED"}}}
	const wantErrs = `[{"message":"token expired","extensions":{"code":"UNAUTHENTICATED"}}]`
	expiring := func(in time.Duration) transport.WebsocketInitFunc {
		return func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			wsgorilla.SessionFrom(ctx).ExpireAt(time.Now().Add(in), "Token expired", errs)
			return ctx, nil, nil
		}
	}
	for _, p := range protocols {
		t.Run(p.Name+" while subscribed", func(t *testing.T) {
			h, _ := startSessions(t, wsgorilla.SessionOptions{}, transport.Websocket{InitFunc: expiring(300 * time.Millisecond)})
			c := h.init(t, p)
			c.Send(t, subscribeMsg(p, "1"))
			c.Send(t, subscribeMsg(p, "2"))
			s1, s2 := h.nextSub(t), h.nextSub(t)
			ce, got := c.ReadToClose(t)
			if diff := cmp.Diff(&websocket.CloseError{Code: wsgorilla.CloseForbidden, Text: "Token expired"}, ce); diff != "" {
				t.Errorf("close (-want +got):\n%s", diff)
			}
			want := []msg{
				{Type: "error", ID: "1", Payload: json.RawMessage(wantErrs)},
				{Type: "error", ID: "2", Payload: json.RawMessage(wantErrs)},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("messages before the close (-want +got):\n%s", diff)
			}
			waitEnded(t, s1)
			waitEnded(t, s2)
			h.waitDone(t)
		})
		t.Run(p.Name+" already expired", func(t *testing.T) {
			h, _ := startSessions(t, wsgorilla.SessionOptions{}, transport.Websocket{InitFunc: expiring(-time.Second)})
			c := h.connect(t, p)
			c.SendInit(t, nil)
			c.Send(t, subscribeMsg(p, "1"))
			ce, _ := c.ReadToClose(t)
			if ce.Code != wsgorilla.CloseForbidden {
				t.Errorf("close = %v, want %d", ce, wsgorilla.CloseForbidden)
			}
			h.waitDone(t)
			select {
			case <-h.feed.subs:
				t.Error("an operation started after the expiry")
			default:
			}
		})
	}
}

// TestClaim: with MaxPerKey 1, a second connection claiming the same key is
// refused with the InitFunc's code; once the first ends, the key is free.
func TestClaim(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h, sessions := startSessions(t, wsgorilla.SessionOptions{MaxPerKey: 1}, transport.Websocket{
				InitFunc: func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
					s := wsgorilla.SessionFrom(ctx)
					if !s.Claim("alice") {
						s.Refuse(websocket.ClosePolicyViolation, "Too many connections")
						return ctx, nil, errors.New("too many connections")
					}
					return ctx, nil, nil
				},
			})
			first := h.init(t, p)
			second := h.connect(t, p)
			second.SendInit(t, nil)
			ce, _ := second.ReadToClose(t)
			if diff := cmp.Diff(&websocket.CloseError{Code: websocket.ClosePolicyViolation, Text: "Too many connections"}, ce); diff != "" {
				t.Errorf("second connection's close (-want +got):\n%s", diff)
			}
			h.waitDone(t)
			first.Close()
			h.waitDone(t)
			if n := sessions.Open(); n != 0 {
				t.Errorf("Open() = %d after both ended, want 0", n)
			}
			h.init(t, p) // the key is free again
		})
	}
}

// TestSessionsWait: Wait returns once shutdown has ended every connection.
func TestSessionsWait(t *testing.T) {
	h, sessions := startSessions(t, wsgorilla.SessionOptions{}, transport.Websocket{})
	for _, p := range protocols {
		c := h.init(t, p)
		c.Send(t, subscribeMsg(p, "1"))
		h.nextSub(t)
	}
	if n := sessions.Open(); n != 2 {
		t.Fatalf("Open() = %d, want 2", n)
	}
	h.shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), safety)
	defer cancel()
	if err := sessions.Wait(ctx); err != nil {
		t.Fatalf("Wait: %v", err)
	}
}

// roundTrip runs a query under id and returns the messages for other ids
// that arrived before its complete.
func roundTrip(t *testing.T, c *wstest.Conn, p wstest.Protocol, id string) []msg {
	t.Helper()
	c.Send(t, msg{Type: p.Subscribe, ID: id, Payload: json.RawMessage(`{"query":"{ name }"}`)})
	var other []msg
	for {
		m := c.Read(t)
		switch {
		case m.ID != id:
			other = append(other, m)
		case m.Type == "complete":
			return other
		}
	}
}
