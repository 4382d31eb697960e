package graph_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph"
)

// TestIdleSubscriptionGoroutines counts the goroutines idle websockets and
// idle subscriptions hold (issue #16.4), on both subprotocols. A
// subscription waiting for events holds at most gqlgen's operation
// goroutine: no forwarding goroutine of the resolver, none of the hub.
// A connection holds its read loop (and here the test client's reader), no
// keep-alive goroutine (the handler's default keep-alive is on) and none
// waiting for its context.
func TestIdleSubscriptionGoroutines(t *testing.T) {
	const (
		conns   = 8
		perConn = 10
		// Goroutines per idle connection: the server's read loop (the
		// keep-alive is a timer, the end of the context an AfterFunc), plus
		// the test client's reader.
		maxPerConn = 2
		// Per idle subscription: the operation's goroutine, parked in
		// gqlgen's executor.
		maxPerSub = 1
	)
	e := newLiveEnv(t, graph.WebsocketConfig{})
	for _, proto := range protocols {
		t.Run(proto, func(t *testing.T) {
			// Warm up pools and lazily started goroutines.
			w := connect(t, e.bff.wsURL(), proto, nil)
			w.subscribe(t, "w", consentStatusChanged, subVars(mobileA, "", ""))
			e.bff.source.waitSubscribed(t, 1)
			base := settledGoroutines()

			cs := make([]*wsClient, conns)
			for i := range cs {
				cs[i] = connect(t, e.bff.wsURL(), proto, nil)
			}
			withConns := settledGoroutines()
			// The slack (half a goroutine per connection, a quarter per
			// subscription) is for the broker's and the runtime's own that
			// come and go; one more per connection or subscription exceeds it.
			if per := float64(withConns-base) / conns; per > maxPerConn+0.5 {
				t.Errorf("goroutines per idle connection = %.2f, want at most %d", per, maxPerConn)
			}

			for _, c := range cs {
				for j := range perConn {
					c.subscribe(t, strconv.Itoa(j), consentStatusChanged, subVars(mobileA, "", ""))
				}
			}
			e.bff.source.waitSubscribed(t, conns*perConn)
			withSubs := settledGoroutines()
			if per := float64(withSubs-withConns) / (conns * perConn); per > maxPerSub+0.25 {
				t.Errorf("goroutines per idle subscription = %.2f, want at most %d", per, maxPerSub)
			}
			t.Logf("%s: %d goroutines at rest, %d with %d idle connections, %d with %d idle subscriptions on them",
				proto, base, withConns, conns, withSubs, conns*perConn)
			for _, c := range append(cs, w) {
				c.conn.Close()
			}
			e.bff.source.waitOpen(t, 0)
			pollUntil(t, "goroutines back to the baseline", func() bool { return runtime.NumGoroutine() <= base })
		})
	}
}
