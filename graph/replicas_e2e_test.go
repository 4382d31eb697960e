package graph_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// startCluster starts two brokers on two embedded NATS servers clustered over
// loopback routes (as internal/events' cluster test does). configure, when
// given, adds to broker i's options (its cache, say).
func startCluster(t testing.TB, configure ...func(i int, o *broker.Options)) (a, b *broker.Broker) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	route := []string{"nats-route://127.0.0.1:" + port}
	opts := []broker.Options{
		{ServerName: "bff-a", ClusterName: "graph-test", ClusterListen: "127.0.0.1:" + port, Routes: route},
		{ServerName: "bff-b", ClusterName: "graph-test", ClusterListen: "127.0.0.1:0", Routes: route},
	}
	for i := range opts {
		for _, f := range configure {
			f(i, &opts[i])
		}
	}
	// The JetStream meta group needs both servers, so they start together.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	type started struct {
		i   int
		b   *broker.Broker
		err error
	}
	results := make(chan started, 2)
	for i, o := range opts {
		go func() {
			b, err := broker.Start(ctx, o)
			results <- started{i, b, err}
		}()
	}
	brokers := make([]*broker.Broker, 2)
	for range opts {
		r := <-results
		if r.err != nil {
			t.Fatalf("broker.Start(%s) error = %v", opts[r.i].ServerName, r.err)
		}
		t.Cleanup(r.b.Close)
		brokers[r.i] = r.b
	}
	return brokers[0], brokers[1]
}

// TestTwoReplicas runs two BFF replicas, each with its own broker, on one
// NATS cluster. The sandbox's webhooks reach replica A only; a subscriber on
// replica B receives them, loses its socket mid-stream, resumes with the last
// cursor (over the other subprotocol) and gets every event exactly once. A
// syncIncrementalData retry on B replays A's result.
func TestTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the two-server NATS cluster in -short mode")
	}
	brokerA, brokerB := startCluster(t)
	a, b := newBFF(t, brokerA), newBFF(t, brokerB)
	sb, fp := newSandbox(t, a) // webhooks go to A
	a.serve(fp, graph.WebsocketConfig{})
	b.serve(fp, graph.WebsocketConfig{})
	apiA, apiB := a.srv.URL+"/graphql", b.srv.URL+"/graphql"

	var handles []string
	for range 3 {
		handles = append(handles, requestConsent(t, apiA, mobileA))
	}
	first := connect(t, b.wsURL(), "graphql-transport-ws", nil)
	first.subscribe(t, "1", consentStatusChanged, subVars(mobileA, "", ""))
	b.source.waitSubscribed(t, 1)

	var want []step
	for _, h := range handles {
		transition(t, sb, h, sandbox.ActionApprove, sandbox.ActionPause, sandbox.ActionResume, sandbox.ActionRevoke)
		want = append(want, lifecycle(h)...)
	}
	var got []step
	var last string
	for range 5 {
		ev := first.event(t, "1")
		got = append(got, stepOf(ev))
		last = ev.Cursor
	}
	// The socket dies without a close handshake; B notices and frees the
	// subscription.
	first.conn.NetConn().Close()
	b.source.waitOpen(t, 0)

	resumed := connect(t, b.wsURL(), "graphql-ws", nil)
	resumed.subscribe(t, "2", consentStatusChanged, subVars(mobileA, "", last))
	for len(got) < len(want) {
		got = append(got, stepOf(resumed.event(t, "2")))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events on replica B across the reconnect mismatch (-want +got):\n%s", diff)
	}
	// Nothing is repeated: the next event is a fresh one.
	fresh := requestConsent(t, apiA, mobileA)
	transition(t, sb, fresh, sandbox.ActionReject)
	if got, want := stepOf(resumed.event(t, "2")), (step{fresh, "CONSENT_REJECTED", "REJECTED", false, fresh}); got != want {
		t.Errorf("next event on B = %+v, want the fresh one %+v (no duplicates)", got, want)
	}

	// syncIncrementalData's replay store is the cluster's.
	consentID := periodicConsent(t, sb)
	const sync = `mutation S($c: ID!, $k: String!) { syncIncrementalData(input: {consentID: $c, idempotencyKey: $k}) {
	  replayed accounts { linkReferenceNumber transactions { txnId amount } } } }`
	type syncJSON struct {
		Sync struct {
			Replayed bool `json:"replayed"`
			Accounts []struct {
				LinkReferenceNumber string `json:"linkReferenceNumber"`
				Transactions        []struct {
					TxnID  string `json:"txnId"`
					Amount string `json:"amount"`
				} `json:"transactions"`
			} `json:"accounts"`
		} `json:"syncIncrementalData"`
	}
	vars := map[string]any{"c": consentID, "k": "replica-retry-1"}
	var onA, onB syncJSON
	mustData(t, postTo(t, apiA, sync, vars), &onA)
	mustData(t, postTo(t, apiB, sync, vars), &onB)
	if onA.Sync.Replayed || !onB.Sync.Replayed {
		t.Errorf("replayed on A, B = %t, %t, want false, true", onA.Sync.Replayed, onB.Sync.Replayed)
	}
	if len(onA.Sync.Accounts) == 0 {
		t.Error("first sync returned no accounts, want the consent's data")
	}
	if diff := cmp.Diff(onA.Sync.Accounts, onB.Sync.Accounts); diff != "" {
		t.Errorf("retry on B differs from A's result (-A +B):\n%s", diff)
	}
}

// periodicConsent returns the consent ID of the demo customer's ACTIVE
// PERIODIC consent.
func periodicConsent(t testing.TB, sb *sandbox.Sandbox) string {
	t.Helper()
	for _, c := range sb.Customers() {
		if c.Mobile != mobileA {
			continue
		}
		for _, k := range c.Consents {
			if k.Status == "ACTIVE" && k.FetchType == "PERIODIC" && k.ProductID == product {
				return k.ConsentID
			}
		}
	}
	t.Fatal("demo customer has no ACTIVE PERIODIC consent")
	return ""
}

// TestTwoReplicasDataReady: the sandbox's webhooks reach replica A only; a
// consentEvents subscriber on replica B sees the consent approved and then
// its data's DATA_READY, with the accounts, and resumes after the first
// event on A without missing the second.
func TestTwoReplicasDataReady(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the two-server NATS cluster in -short mode")
	}
	brokerA, brokerB := startCluster(t)
	a, b := newBFF(t, brokerA), newBFF(t, brokerB)
	sb, fp := newSandbox(t, a, func(c *sandbox.Config) { c.FetchDelay = 200 * time.Millisecond })
	a.serve(fp, graph.WebsocketConfig{})
	b.serve(fp, graph.WebsocketConfig{})
	handle := requestConsent(t, a.srv.URL+"/graphql", mobileA)

	sub := connect(t, b.wsURL(), "graphql-transport-ws", nil)
	sub.subscribe(t, "d", journeySub, map[string]any{"product": product, "handle": handle})
	b.source.waitSubscribed(t, 1)
	transition(t, sb, handle, "approve")

	approved := sub.journeyEvent(t, "d")
	if approved.Typename != "ConsentStatusEvent" || approved.Status != "ACTIVE" {
		t.Fatalf("first event on B = %+v, want the approval", approved)
	}
	ready := sub.journeyEvent(t, "d")
	if ready.Typename != "DataStatusEvent" || ready.DataStatus != "DATA_READY" || len(ready.Accounts) == 0 {
		t.Fatalf("second event on B = %+v, want DATA_READY with the accounts", ready)
	}

	// Resuming on A after the approval gives the DATA_READY again, only it.
	resumed := connect(t, a.wsURL(), "graphql-ws", nil)
	resumed.subscribe(t, "r", journeySub, map[string]any{"product": product, "handle": handle, "after": approved.Cursor})
	if got := resumed.journeyEvent(t, "r"); got.Cursor != ready.Cursor || got.DataStatus != "DATA_READY" {
		t.Errorf("resumed on A = %+v, want the DATA_READY of cursor %s", got, ready.Cursor)
	}
}
