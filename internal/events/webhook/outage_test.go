package webhook_test

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// portOf is the port of a nats:// URL.
func portOf(t *testing.T, u string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(strings.TrimPrefix(u, "nats://"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

// natsServer starts a JetStream server on port (0: random) keeping its files
// in dir, so a restart on the same port finds the stream again.
func natsServer(t *testing.T, port int, dir string) *server.Server {
	t.Helper()
	if port == 0 {
		port = server.RANDOM_PORT
	}
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	return s
}

// TestStoreThroughOutage: while NATS is down the intake keeps trying for
// its store timeout and then answers 503 (never 200 for an event it did not
// store); a NATS that comes back within the timeout gets the event stored
// and answered 200; FinPro's retry of a stored event is a duplicate, stored
// once.
func TestStoreThroughOutage(t *testing.T) {
	dir := t.TempDir()
	ns := natsServer(t, 0, dir)
	url := ns.ClientURL()
	b := eventstest.StartBroker(t, broker.Options{URL: url, StoreDir: dir})
	short := webhook.Handler(b, webhook.Options{Secret: eventstest.Secret, StoreTimeout: 300 * time.Millisecond})
	long := webhook.Handler(b, webhook.Options{Secret: eventstest.Secret, StoreTimeout: 10 * time.Second})
	before := eventstest.LastSeq(t, b)

	ns.Shutdown()
	ns.WaitForShutdown()
	lost := eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentApproved, eventstest.MobileA)
	start := time.Now()
	if code := eventstest.Post(t, short, lost); code != http.StatusServiceUnavailable {
		t.Errorf("POST with NATS down = %d, want 503", code)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("503 after %v, want after trying for the store timeout (300ms)", waited)
	}
	if err := b.Ready(); err == nil {
		t.Error("Ready() with NATS down = nil, want an error")
	}

	// NATS comes back while a delivery is waiting.
	body := eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentPaused, eventstest.MobileA)
	done := make(chan int, 1)
	go func() { done <- eventstest.Post(t, long, body) }()
	time.Sleep(500 * time.Millisecond)
	natsServer(t, portOf(t, url), dir)
	if code := <-done; code != http.StatusOK {
		t.Errorf("POST while NATS came back = %d, want 200", code)
	}
	// FinPro retries both: the one refused is stored now, the one stored is
	// a duplicate.
	eventstest.MustPost(t, long, lost)
	eventstest.MustPost(t, long, body)
	if got := eventstest.LastSeq(t, b) - before; got != 2 {
		t.Errorf("events stored = %d, want 2 (each once)", got)
	}
	if err := b.Ready(); err != nil {
		t.Errorf("Ready() after NATS came back = %v, want nil", err)
	}
}
