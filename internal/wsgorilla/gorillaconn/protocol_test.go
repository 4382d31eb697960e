package gorillaconn_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// TestDuplicateID: graphql-transport-ws closes with 4409 when a subscribe
// reuses the id of a running operation, and the running one ends; graphql-ws
// replaces the running operation with the new one.
func TestDuplicateID(t *testing.T) {
	t.Run(gorillaconn.GraphQLTransportWS, func(t *testing.T) {
		p := wstest.TransportWS
		h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
		c := h.Init(t, p)
		c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
		first := h.NextSub(t)
		c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
		ce, got := c.ReadToClose(t)
		want := &websocket.CloseError{Code: gorillaconn.CloseSubscriberAlreadyExists, Text: "Subscriber for 1 already exists"}
		if diff := cmp.Diff(want, ce); diff != "" {
			t.Errorf("close (-want +got):\n%s", diff)
		}
		if len(got) != 0 {
			t.Errorf("before the close got %v, want nothing", got)
		}
		wsgorillatest.WaitEnded(t, first)
		h.WaitDone(t)
		select {
		case <-h.Feed.Subs:
			t.Error("the duplicate subscribe started a second operation")
		default:
		}
	})
	t.Run(gorillaconn.GraphQLWS, func(t *testing.T) {
		p := wstest.GraphQLWS
		h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
		c := h.Init(t, p)
		c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
		first := h.NextSub(t)
		c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
		second := h.NextSub(t)
		wsgorillatest.WaitEnded(t, first)
		second.Events <- `{"name":"second"}`
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
			h := wsgorillatest.StartFeed(t, gorillaconn.Options{}, transport.Websocket{}, &wsgorillatest.Feed{Flood: []byte(`{"name":"x"}`)}, nil)
			c := h.Init(t, p)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
			s := h.NextSub(t)
			c.Expect(t, p.Next)
			c.Send(t, msg{Type: p.Stop, ID: "1"})
			wsgorillatest.WaitEnded(t, s)
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
