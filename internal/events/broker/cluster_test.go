package broker_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// freePort returns a loopback TCP port free at the time of the call.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// sameSalt checks that two brokers derive the same customer keys (they share
// the deployment's salt).
func sameSalt(t *testing.T, a, b *broker.Broker) {
	t.Helper()
	ka, errA := a.CustomerKey(eventstest.MobileA)
	kb, errB := b.CustomerKey(eventstest.MobileA)
	if errA != nil || errB != nil || ka != kb {
		t.Fatal("brokers derived different customer keys (different salts)")
	}
}

// TestTwoReplicas runs two brokers on two embedded NATS servers clustered over
// loopback routes (JetStream clustered, R1 stream). A webhook lands on A; a
// subscriber on B receives it, is cut mid-stream, resumes from its last
// sequence and sees every event exactly once.
func TestTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the two-server cluster in -short mode")
	}
	portA := freePort(t)
	routeA := "nats-route://127.0.0.1:" + strconv.Itoa(portA)
	optsA := broker.Options{ServerName: "bff-a", ClusterName: "bff-test", ClusterListen: "127.0.0.1:" + strconv.Itoa(portA), Routes: []string{routeA}}
	optsB := broker.Options{ServerName: "bff-b", ClusterName: "bff-test", ClusterListen: "127.0.0.1:0", Routes: []string{routeA}}

	// The JetStream meta group needs both servers, so start them together.
	type started struct {
		name string
		b    *broker.Broker
		err  error
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	results := make(chan started, 2)
	for _, o := range []broker.Options{optsA, optsB} {
		go func() {
			b, err := broker.Start(ctx, o)
			results <- started{o.ServerName, b, err}
		}()
	}
	var a, b *broker.Broker
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Fatalf("Start() error = %v", r.err)
		}
		t.Cleanup(r.b.Close)
		if r.name == "bff-a" {
			a = r.b
		} else {
			b = r.b
		}
	}
	sameSalt(t, a, b)

	h := eventstest.Handler(a)
	first, cancelFirst := context.WithCancel(t.Context())
	subB := eventstest.Subscribe(t, first, b, events.Filter{Mobile: eventstest.MobileA})

	const total = 12
	var want []string
	for i := range total {
		hd := eventstest.NewHandle()
		want = append(want, hd)
		body := eventstest.ConsentPayload(t, hd, finpro.EventConsentApproved, eventstest.MobileA)
		eventstest.MustPost(t, h, body)
		if i == 3 {
			// A duplicate delivery by FinPro, to the other replica.
			eventstest.MustPost(t, eventstest.Handler(b), body)
		}
	}
	var got []string
	var last uint64
	for range total / 2 {
		ev := eventstest.Recv(t, subB)
		got = append(got, ev.ConsentHandle)
		last = ev.Seq
	}
	cancelFirst()
	eventstest.WaitClosed(t, subB)

	resumed := eventstest.Subscribe(t, t.Context(), b, events.Filter{Mobile: eventstest.MobileA, ResumeAfter: last})
	for len(got) < total {
		got = append(got, eventstest.Recv(t, resumed).ConsentHandle)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events on replica B mismatch (-want +got):\n%s", diff)
	}
	// Nothing more: the next event B sees is a fresh one.
	hd := eventstest.NewHandle()
	eventstest.MustPost(t, h, eventstest.ConsentPayload(t, hd, finpro.EventConsentRevoked, eventstest.MobileA))
	if ev := eventstest.Recv(t, resumed); ev.ConsentHandle != hd {
		t.Errorf("next event on B = %s, want the fresh one (no duplicates)", ev.ConsentHandle)
	}

	// The replay store is shared too.
	if err := a.ReplayStore().Put(t.Context(), "idem", []byte("result"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := b.ReplayStore().Get(t.Context(), "idem"); err != nil || !ok || string(v) != "result" {
		t.Errorf("Get on B of a value Put on A = %q, %t, %v, want %q, true, nil", v, ok, err, "result")
	}
}

// TestExternalURL connects to a NATS server the broker did not start, as
// with NATS_URL, and checks two brokers on it share events and the salt.
func TestExternalURL(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	a := eventstest.StartBroker(t, broker.Options{URL: ns.ClientURL(), StoreDir: t.TempDir()})
	b := eventstest.StartBroker(t, broker.Options{URL: ns.ClientURL()})
	sameSalt(t, a, b)
	if a.ClusterAddr() != "" {
		t.Errorf("ClusterAddr() with an external URL = %q, want empty", a.ClusterAddr())
	}
	ch := eventstest.Subscribe(t, t.Context(), b, events.Filter{Mobile: eventstest.MobileA})
	hd := eventstest.NewHandle()
	eventstest.MustPost(t, eventstest.Handler(a), eventstest.ConsentPayload(t, hd, finpro.EventConsentApproved, eventstest.MobileA))
	if ev := eventstest.Recv(t, ch); ev.ConsentHandle != hd {
		t.Errorf("event on the second broker = %s, want %s", ev.ConsentHandle, hd)
	}
}

// TestStartExistingStream adopts an existing stream's storage and fails fast
// (not at the context's deadline) on a conflict waiting cannot fix.
func TestStartExistingStream(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: broker.StreamName, Subjects: []string{"finpro.consent.*.*"}, Storage: jetstream.MemoryStorage}); err != nil {
		t.Fatal(err)
	}
	eventstest.StartBroker(t, broker.Options{URL: ns.ClientURL()}) // wants file storage; keeps memory

	if err := js.DeleteStream(ctx, broker.StreamName); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "SQUATTER", Subjects: []string{"finpro.>"}}); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if b, err := broker.Start(sctx, broker.Options{URL: ns.ClientURL()}); err == nil {
		b.Close()
		t.Fatal("Start() with overlapping subjects error = nil, want an error")
	}
	if sctx.Err() != nil {
		t.Error("Start() waited for its deadline on a permanent error, want a prompt failure")
	}
}
