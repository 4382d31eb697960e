package gorillaconn_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// TestOwnKeepAlive: Options.PingInterval and Options.KeepAlive keep
// gqlgen's keep-alive promises (see TestKeepAlive) with gqlgen's intervals
// off.
func TestOwnKeepAlive(t *testing.T) {
	const interval = 250 * time.Millisecond
	t.Run("graphql-transport-ws server ping answered", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{PingInterval: interval}, transport.Websocket{})
		c := h.Init(t, wstest.TransportWS)
		// The third ping only goes out if the answered pings kept the
		// connection open past the first deadline (two intervals).
		for range 3 {
			c.Expect(t, "ping")
			c.Send(t, msg{Type: "pong"})
		}
	})
	t.Run("graphql-transport-ws server ping unanswered", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{PingInterval: interval}, transport.Websocket{})
		c := h.Init(t, wstest.TransportWS)
		c.ReadClose(t) // any close: the server gave up on the client
		h.WaitDone(t)
	})
	t.Run("graphql-transport-ws answered once, then silent", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{PingInterval: interval}, transport.Websocket{})
		c := h.Init(t, wstest.TransportWS)
		c.Expect(t, "ping")
		c.Send(t, msg{Type: "pong"})
		c.ReadClose(t) // pings go on unanswered until the deadline
		h.WaitDone(t)
	})
	t.Run("graphql-ws ka", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{KeepAlive: 20 * time.Millisecond}, transport.Websocket{})
		c := h.Init(t, wstest.GraphQLWS)
		// gqlgen sends one "ka" right after the ack; the rest are ours.
		for range 3 {
			c.Expect(t, "ka")
		}
	})
	t.Run("graphql-ws gets no ping", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{PingInterval: 20 * time.Millisecond}, transport.Websocket{})
		c := h.Init(t, wstest.GraphQLWS)
		c.Expect(t, "ka") // gqlgen's, right after the ack
		c.Send(t, wsgorillatest.SubscribeMsg(wstest.GraphQLWS, "1"))
		h.NextSub(t)
		c.Send(t, msg{ID: "1", Type: "stop"})
		c.Expect(t, "complete") // no ping came first
	})
}

// TestKeepAliveHoldsNoGoroutine: an idle connection with the
// implementation's own keep-alive holds only the goroutines gqlgen's
// transport needs (its read loop and closeOnCancel); gqlgen's keep-alive
// holds one more (the check that the count sees them). On wsgorilla.Transport
// a connection holds its read loop alone.
func TestKeepAliveHoldsNoGoroutine(t *testing.T) {
	const conns = 10
	tests := []struct {
		name string
		o    gorillaconn.Options
		ws   transport.Websocket
		p    wstest.Protocol
		// Goroutines per connection: at least min, at most max (a few
		// of the server's own come and go).
		min, max int
	}{
		{"ours graphql-transport-ws", gorillaconn.Options{PingInterval: time.Minute}, transport.Websocket{}, wstest.TransportWS, 0, 2},
		{"ours graphql-ws", gorillaconn.Options{KeepAlive: time.Minute}, transport.Websocket{}, wstest.GraphQLWS, 0, 2},
		{"gqlgen's graphql-transport-ws", gorillaconn.Options{}, transport.Websocket{PingPongInterval: time.Minute}, wstest.TransportWS, 3, 4},
	}
	for _, tc := range tests {
		if wsgorillatest.OwnTransport() {
			// wsgorilla.Transport (the keep-alive always ours): the read
			// loop alone.
			tc.min, tc.max = 1, 1
		}
		t.Run(tc.name, func(t *testing.T) {
			h := wsgorillatest.Start(t, tc.o, tc.ws)
			h.Init(t, tc.p) // warm up
			base := settled()
			for range conns {
				h.Init(t, tc.p)
			}
			if got := settled() - base; got < conns*tc.min-2 || got > conns*tc.max+2 {
				t.Errorf("goroutines of %d idle connections = %d, want %d to %d", conns, got, conns*tc.min, conns*tc.max)
			}
		})
	}
}

// settled is the goroutine count once it stopped falling.
func settled() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n {
			return n
		}
		n = m
	}
	return n
}
