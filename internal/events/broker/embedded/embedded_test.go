package embedded_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events/broker/embedded"
)

// TestStart starts servers as the broker does and checks that a client
// reaches JetStream in-process, or which step refused the options. (The
// broker's cluster tests start clustered ones.)
func TestStart(t *testing.T) {
	tests := []struct {
		name    string
		o       embedded.Options
		wantErr string // "" for a server that starts
	}{
		{name: "temporary directory"},
		{name: "store dir", o: embedded.Options{StoreDir: t.TempDir(), ServerName: "n1"}},
		{name: "cluster address without port", o: embedded.Options{ClusterName: "c", ClusterListen: "127.0.0.1"}, wantErr: "cluster listen address"},
		{name: "cluster port not a number", o: embedded.Options{ClusterName: "c", ClusterListen: "127.0.0.1:x"}, wantErr: "cluster listen port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Logger = slog.New(slog.DiscardHandler)
			s, err := embedded.Start(tc.o)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("Start() error = %v, want %q...", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Start() error = %v", err)
			}
			defer s.Close()
			nc, err := nats.Connect("", s.InProcess())
			if err != nil {
				t.Fatalf("Connect(InProcess) error = %v", err)
			}
			defer nc.Close()
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := js.AccountInfo(context.Background()); err != nil {
				t.Errorf("AccountInfo() error = %v, want JetStream enabled", err)
			}
			if got := s.ClusterAddr(); got != "" {
				t.Errorf("ClusterAddr() = %q without a cluster, want \"\"", got)
			}
		})
	}
}

// TestCloseRemovesTemporaryDirectory: a server without StoreDir leaves no
// directory behind.
func TestCloseRemovesTemporaryDirectory(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s, err := embedded.Start(embedded.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Fatalf("after Start, %s holds %d entries, want the server's directory", tmp, len(entries))
	}
	s.Close()
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("after Close, %s holds %v, want nothing", tmp, entries)
	}
}
