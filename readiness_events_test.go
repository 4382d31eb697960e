package main

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// TestReadinessWhileNATSUnreachable runs the server against a NATS_URL
// where nothing listens yet: it serves anyway (queries need only FinPro),
// /healthz is 200 and /readyz is 503 naming NATS, so the load balancer and a
// rollout wait for it; once NATS comes up the replica gets ready by itself.
func TestReadinessWhileNATSUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	base, stop, logs, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{
		"NATS_URL": fmt.Sprintf("nats://127.0.0.1:%d", port),
	})
	defer stop()
	if status, _ := get(t, base+"/healthz"); status != 200 {
		t.Errorf("GET /healthz with NATS unreachable = %d, want 200", status)
	}
	if status, body := get(t, base+"/readyz"); status != 503 || !strings.Contains(body, "NATS") {
		t.Errorf("GET /readyz with NATS unreachable = %d %q, want 503 naming NATS", status, body)
	}
	if !strings.Contains(logs.String(), "serving before NATS JetStream is ready") {
		t.Errorf("the log does not say the server serves without NATS:\n%s", logs)
	}

	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body := get(t, base+"/readyz")
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /readyz 30s after NATS came up = %d %q, want 200", status, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
