package events

import (
	"context"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
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
	optsA := Options{ServerName: "bff-a", ClusterName: "bff-test", ClusterListen: "127.0.0.1:" + strconv.Itoa(portA), Routes: []string{routeA}}
	optsB := Options{ServerName: "bff-b", ClusterName: "bff-test", ClusterListen: "127.0.0.1:0", Routes: []string{routeA}}

	// The JetStream meta group needs both servers, so start them together.
	type started struct {
		b   *Broker
		err error
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	results := make(chan started, 2)
	for _, o := range []Options{optsA, optsB} {
		go func() {
			b, err := Start(ctx, o)
			results <- started{b, err}
		}()
	}
	var a, b *Broker
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Fatalf("Start() error = %v", r.err)
		}
		t.Cleanup(r.b.Close)
		if r.b.opts.ServerName == "bff-a" {
			a = r.b
		} else {
			b = r.b
		}
	}
	if string(a.salt) != string(b.salt) {
		t.Fatal("replicas derived different customer-key salts")
	}

	h := a.WebhookHandler(testSecret, "", 0)
	first, cancelFirst := context.WithCancel(t.Context())
	subB := subscribe(t, first, b, Filter{Mobile: mobileA})

	const total = 12
	var want []string
	for i := range total {
		hd := newHandle()
		want = append(want, hd)
		mustPost(t, h, consentPayload(t, hd, finpro.EventConsentApproved, mobileA))
		if i == 3 {
			// A duplicate delivery by FinPro, to the other replica.
			mustPost(t, b.WebhookHandler(testSecret, "", 0), consentPayload(t, hd, finpro.EventConsentApproved, mobileA))
		}
	}
	var got []string
	var last uint64
	for range total / 2 {
		ev := recv(t, subB)
		got = append(got, ev.ConsentHandle)
		last = ev.Seq
	}
	cancelFirst()
	waitClosed(t, subB)

	resumed := subscribe(t, t.Context(), b, Filter{Mobile: mobileA, ResumeAfter: last})
	for len(got) < total {
		got = append(got, recv(t, resumed).ConsentHandle)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events on replica B mismatch (-want +got):\n%s", diff)
	}
	// Nothing more: the next event B sees is a fresh one.
	hd := newHandle()
	mustPost(t, h, consentPayload(t, hd, finpro.EventConsentRevoked, mobileA))
	if ev := recv(t, resumed); ev.ConsentHandle != hd {
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
	a := startBroker(t, Options{URL: ns.ClientURL(), StoreDir: t.TempDir()})
	b := startBroker(t, Options{URL: ns.ClientURL()})
	if string(a.salt) != string(b.salt) {
		t.Fatal("brokers on one NATS derived different customer-key salts")
	}
	if a.ClusterAddr() != "" {
		t.Errorf("ClusterAddr() with an external URL = %q, want empty", a.ClusterAddr())
	}
	ch := subscribe(t, t.Context(), b, Filter{Mobile: mobileA})
	hd := newHandle()
	mustPost(t, a.WebhookHandler(testSecret, "", 0), consentPayload(t, hd, finpro.EventConsentApproved, mobileA))
	if ev := recv(t, ch); ev.ConsentHandle != hd {
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
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: StreamName, Subjects: []string{"finpro.consent.*.*"}, Storage: jetstream.MemoryStorage}); err != nil {
		t.Fatal(err)
	}
	startBroker(t, Options{URL: ns.ClientURL()}) // wants file storage; keeps memory

	if err := js.DeleteStream(ctx, StreamName); err != nil {
		t.Fatal(err)
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "SQUATTER", Subjects: []string{"finpro.>"}}); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if b, err := Start(sctx, Options{URL: ns.ClientURL()}); err == nil {
		b.Close()
		t.Fatal("Start() with overlapping subjects error = nil, want an error")
	}
	if sctx.Err() != nil {
		t.Error("Start() waited for its deadline on a permanent error, want a prompt failure")
	}
}
