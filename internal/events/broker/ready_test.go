package broker_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
)

// TestReadyWhileNATSUnreachable: New returns at once although no NATS
// answers; until one does, Ready says so, subscriptions and the replay store
// fail cleanly, and the broker gets ready by itself once NATS is up.
func TestReadyWhileNATSUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now

	start := time.Now()
	b, err := broker.New(broker.Options{URL: fmt.Sprintf("nats://127.0.0.1:%d", port)})
	if err != nil {
		t.Fatalf("New() with NATS unreachable error = %v, want nil", err)
	}
	defer b.Close()
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("New() took %v with NATS unreachable, want it to return at once", took)
	}
	if err := b.Ready(); !errors.Is(err, broker.ErrNotReady) {
		t.Errorf("Ready() = %v, want ErrNotReady", err)
	}
	if _, err := b.Subscribe(t.Context(), events.Filter{Mobile: eventstest.MobileA}); !errors.Is(err, broker.ErrNotReady) {
		t.Errorf("Subscribe() before ready error = %v, want ErrNotReady", err)
	}
	if _, _, err := b.ReplayStore().Get(t.Context(), "k"); !errors.Is(err, broker.ErrNotReady) {
		t.Errorf("ReplayStore().Get() before ready error = %v, want ErrNotReady", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	if err := b.WaitReady(ctx); !errors.Is(err, broker.ErrNotReady) {
		t.Errorf("WaitReady() with NATS unreachable = %v, want ErrNotReady", err)
	}
	cancel()

	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	ctx, cancel = context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := b.WaitReady(ctx); err != nil {
		t.Fatalf("WaitReady() once NATS is up = %v", err)
	}
	if err := b.Ready(); err != nil {
		t.Errorf("Ready() once NATS is up = %v, want nil", err)
	}
	ch := eventstest.Subscribe(t, t.Context(), b, events.Filter{Mobile: eventstest.MobileA})
	h := eventstest.NewHandle()
	eventstest.MustPost(t, eventstest.Handler(b), eventstest.ConsentPayload(t, h, "CONSENT_APPROVED", eventstest.MobileA))
	if ev := eventstest.Recv(t, ch); ev.ConsentHandle != h {
		t.Errorf("event after NATS came up = %s, want %s", ev.ConsentHandle, h)
	}
	b.Close()
	if err := b.Ready(); !errors.Is(err, broker.ErrClosed) {
		t.Errorf("Ready() after Close = %v, want ErrClosed", err)
	}
}

// TestStartExistingClusterOnlyReads: against a cluster whose stream and
// buckets exist and are up to date, Start sends no create or update request
// (an update that went unanswered used to cost 5 s per step). The start
// times are logged, not asserted.
func TestStartExistingClusterOnlyReads(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 3-node NATS cluster in -short mode")
	}
	c := eventstest.StartCluster(t, 3)
	eventstest.StartBroker(t, broker.Options{URL: c.ClientURLs(), Replicas: 3}) // creates everything
	nc, err := nats.Connect(c.ClientURLs())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var mu sync.Mutex
	var writes []string
	for _, subj := range []string{"$JS.API.STREAM.CREATE.>", "$JS.API.STREAM.UPDATE.>"} {
		if _, err := nc.Subscribe(subj, func(m *nats.Msg) {
			mu.Lock()
			writes = append(writes, m.Subject)
			mu.Unlock()
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		start := time.Now()
		b := eventstest.StartBroker(t, broker.Options{URL: c.ClientURLs(), Replicas: 3})
		t.Logf("start %d against the existing cluster: %v", i+1, time.Since(start).Round(time.Millisecond))
		b.Close()
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(writes) != 0 {
		t.Errorf("restarts against an up-to-date cluster sent %v, want no create or update", writes)
	}
}
