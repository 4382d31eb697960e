package wssession_test

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

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wssession"
)

// startSessions serves ws behind NewSessions(so).Middleware.
func startSessions(t *testing.T, so wssession.Options, ws transport.Websocket) (*wsgorillatest.Harness, *wssession.Sessions) {
	t.Helper()
	s := wssession.New(so)
	return wsgorillatest.StartFeed(t, gorillaconn.Options{}, ws, &wsgorillatest.Feed{}, s.Middleware), s
}

// TestMaxOperations: an operation over the bound gets an error message for
// its id; the others go on, and a slot freed by a complete is reusable.
func TestMaxOperations(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h, _ := startSessions(t, wssession.Options{
				MaxOperations: 2,
				OperationLimitError: func(limit int) gqlerror.List {
					return gqlerror.List{{Message: fmt.Sprintf("limit %d", limit), Extensions: map[string]any{"code": "RATE_LIMITED"}}}
				},
			}, transport.Websocket{})
			c := h.Init(t, p)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "a"))
			a := h.NextSub(t)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "b"))
			h.NextSub(t)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "c"))
			got := c.Expect(t, "error")
			want := msg{Type: "error", ID: "c", Payload: json.RawMessage(`[{"message":"limit 2","extensions":{"code":"RATE_LIMITED"}}]`)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("over the bound (-want +got):\n%s", diff)
			}
			close(a.Events) // the server completes a
			if got := c.Expect(t, "complete"); got.ID != "a" {
				t.Errorf("complete id = %q, want a", got.ID)
			}
			c.Send(t, wsgorillatest.SubscribeMsg(p, "d"))
			d := h.NextSub(t)
			d.Events <- `{"name":"d"}`
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
			wssession.From(ctx).ExpireAt(time.Now().Add(in), "Token expired", errs)
			return ctx, nil, nil
		}
	}
	for _, p := range protocols {
		t.Run(p.Name+" while subscribed", func(t *testing.T) {
			h, _ := startSessions(t, wssession.Options{}, transport.Websocket{InitFunc: expiring(300 * time.Millisecond)})
			c := h.Init(t, p)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
			c.Send(t, wsgorillatest.SubscribeMsg(p, "2"))
			s1, s2 := h.NextSub(t), h.NextSub(t)
			ce, got := c.ReadToClose(t)
			if diff := cmp.Diff(&websocket.CloseError{Code: gorillaconn.CloseForbidden, Text: "Token expired"}, ce); diff != "" {
				t.Errorf("close (-want +got):\n%s", diff)
			}
			want := []msg{
				{Type: "error", ID: "1", Payload: json.RawMessage(wantErrs)},
				{Type: "error", ID: "2", Payload: json.RawMessage(wantErrs)},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("messages before the close (-want +got):\n%s", diff)
			}
			wsgorillatest.WaitEnded(t, s1)
			wsgorillatest.WaitEnded(t, s2)
			h.WaitDone(t)
		})
		t.Run(p.Name+" already expired", func(t *testing.T) {
			h, _ := startSessions(t, wssession.Options{}, transport.Websocket{InitFunc: expiring(-time.Second)})
			c := h.Connect(t, p)
			c.SendInit(t, nil)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
			ce, _ := c.ReadToClose(t)
			if ce.Code != gorillaconn.CloseForbidden {
				t.Errorf("close = %v, want %d", ce, gorillaconn.CloseForbidden)
			}
			h.WaitDone(t)
			select {
			case <-h.Feed.Subs:
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
			h, sessions := startSessions(t, wssession.Options{MaxPerKey: 1}, transport.Websocket{
				InitFunc: func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
					s := wssession.From(ctx)
					if !s.Claim("alice") {
						s.Refuse(websocket.ClosePolicyViolation, "Too many connections")
						return ctx, nil, errors.New("too many connections")
					}
					return ctx, nil, nil
				},
			})
			first := h.Init(t, p)
			second := h.Connect(t, p)
			second.SendInit(t, nil)
			ce, _ := second.ReadToClose(t)
			if diff := cmp.Diff(&websocket.CloseError{Code: websocket.ClosePolicyViolation, Text: "Too many connections"}, ce); diff != "" {
				t.Errorf("second connection's close (-want +got):\n%s", diff)
			}
			h.WaitDone(t)
			first.Close()
			h.WaitDone(t)
			if n := sessions.Open(); n != 0 {
				t.Errorf("Open() = %d after both ended, want 0", n)
			}
			h.Init(t, p) // the key is free again
		})
	}
}

// TestSessionsWait: Wait returns once shutdown has ended every connection.
func TestSessionsWait(t *testing.T) {
	h, sessions := startSessions(t, wssession.Options{}, transport.Websocket{})
	for _, p := range protocols {
		c := h.Init(t, p)
		c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
		h.NextSub(t)
	}
	if n := sessions.Open(); n != 2 {
		t.Fatalf("Open() = %d, want 2", n)
	}
	h.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), wsgorillatest.Safety)
	defer cancel()
	if err := sessions.Wait(ctx); err != nil {
		t.Fatalf("Wait: %v", err)
	}
}
