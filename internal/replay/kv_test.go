package replay

import (
	"bytes"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The graph's syncIncrementalData takes any Store.
var (
	_ Store = (*KV)(nil)
	_ Store = (*Memory)(nil)
)

// testBucket starts an in-process JetStream server and returns a bucket with
// the given TTL, as the broker creates SYNC_REPLAY, and its connection's
// MaxPayload.
func testBucket(t *testing.T, ttl time.Duration) (jetstream.KeyValue, int64) {
	t.Helper()
	ns, err := server.NewServer(&server.Options{DontListen: true, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.CreateKeyValue(t.Context(), jetstream.KeyValueConfig{Bucket: "SYNC_REPLAY", TTL: ttl, Storage: jetstream.MemoryStorage})
	if err != nil {
		t.Fatal(err)
	}
	return kv, nc.MaxPayload()
}

func TestKV(t *testing.T) {
	kv, maxPayload := testBucket(t, 24*time.Hour)
	s := NewKV(kv, 24*time.Hour, maxPayload)
	s.chunk = 1000 // exercise chunking without megabytes
	ctx := t.Context()

	large := bytes.Repeat([]byte("0123456789"), 450) // 5 chunks
	tests := []struct {
		name  string
		key   string
		value []byte
	}{
		{"small", "idem-1", []byte(`{"accounts":[]}`)},
		{"empty", "idem-2", []byte{}},
		{"odd key", "consent/with spaces.and*wildcards>", []byte("x")},
		{"chunked", "idem-3", large},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok, err := s.Get(ctx, tc.key); ok || err != nil {
				t.Fatalf("Get(%q) before Put = %t, %v, want false, nil", tc.key, ok, err)
			}
			if err := s.Put(ctx, tc.key, tc.value, 0); err != nil {
				t.Fatalf("Put(%q) error = %v", tc.key, err)
			}
			got, ok, err := s.Get(ctx, tc.key)
			if err != nil || !ok || !bytes.Equal(got, tc.value) {
				t.Errorf("Get(%q) = %d bytes, %t, %v, want %d bytes, true, nil", tc.key, len(got), ok, err, len(tc.value))
			}
		})
	}
	// A second store (another replica) sees the same values.
	other := NewKV(kv, 24*time.Hour, maxPayload)
	if got, ok, _ := other.Get(ctx, "idem-3"); !ok || !bytes.Equal(got, large) {
		t.Errorf("Get from another store = %d bytes, %t, want the chunked value", len(got), ok)
	}
	// Replacing a chunked value with a small one.
	if err := s.Put(ctx, "idem-3", []byte("small"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := s.Get(ctx, "idem-3"); !ok || string(got) != "small" {
		t.Errorf("Get after replace = %q, %t, want %q, true", got, ok, "small")
	}
}

func TestKVTTL(t *testing.T) {
	kv, maxPayload := testBucket(t, 2*time.Hour)
	s := NewKV(kv, 2*time.Hour, maxPayload)
	now := time.Now()
	s.now = func() time.Time { return now }
	ctx := t.Context()
	if err := s.Put(ctx, "short", []byte("v"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "capped", []byte("v"), 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key   string
		after time.Duration
		want  bool
	}{
		{"short", 59 * time.Second, true},
		{"short", time.Minute, false},
		{"capped", 119 * time.Minute, true},
		{"capped", 2 * time.Hour, false},
	}
	for _, tc := range tests {
		s.now = func() time.Time { return now.Add(tc.after) }
		if _, ok, err := s.Get(ctx, tc.key); ok != tc.want || err != nil {
			t.Errorf("Get(%q) after %v = %t, %v, want %t, nil", tc.key, tc.after, ok, err, tc.want)
		}
	}
}
