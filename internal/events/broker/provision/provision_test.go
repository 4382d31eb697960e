package provision_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events/broker/embedded"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker/provision"
)

// jetStream starts an embedded server and connects to it.
func jetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	s, err := embedded.Start(embedded.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	nc, err := nats.Connect("", s.InProcess())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func config() provision.Config {
	return provision.Config{
		Storage: jetstream.MemoryStorage, Replicas: 1,
		StreamMaxAge: time.Hour, DuplicateWindow: time.Minute, ReplayTTL: time.Hour, HandleTTL: time.Hour,
		Logger: slog.New(slog.DiscardHandler),
	}
}

// TestEnsureConcurrent: replicas starting at once on an empty cluster all
// succeed and agree on the salt; a given salt is used as it is.
func TestEnsureConcurrent(t *testing.T) {
	js := jetStream(t)
	const replicas = 4
	got := make([]provision.Assets, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { got[i], errs[i] = provision.Ensure(t.Context(), js, config()) })
	}
	wg.Wait()
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: Ensure() error = %v", i, errs[i])
		}
		if len(got[i].Salt) != 32 || !bytes.Equal(got[i].Salt, got[0].Salt) {
			t.Errorf("replica %d: salt of %d bytes, equal to replica 0's %t; want one 32-byte salt", i, len(got[i].Salt), bytes.Equal(got[i].Salt, got[0].Salt))
		}
		if name := got[i].Stream.CachedInfo().Config.Name; name != provision.StreamName {
			t.Errorf("replica %d: stream %q, want %q", i, name, provision.StreamName)
		}
	}
	c := config()
	c.Salt = []byte("given")
	a, err := provision.Ensure(t.Context(), js, c)
	if err != nil {
		t.Fatalf("Ensure(Salt) error = %v", err)
	}
	if string(a.Salt) != "given" {
		t.Errorf("Ensure(Salt %q).Salt = %q", c.Salt, a.Salt)
	}
}

// TestEnsureConflict: a stream already holding the subjects is a conflict
// waiting cannot fix, reported at once with the step's name.
func TestEnsureConflict(t *testing.T) {
	js := jetStream(t)
	if _, err := js.CreateStream(t.Context(), jetstream.StreamConfig{Name: "SQUATTER", Subjects: []string{"finpro.>"}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	_, err := provision.Ensure(ctx, js, config())
	if err == nil || !strings.HasPrefix(err.Error(), "stream "+provision.StreamName+": ") {
		t.Fatalf("Ensure() error = %v, want the stream step's", err)
	}
	if ctx.Err() != nil {
		t.Error("Ensure() waited for its deadline on a permanent error, want a prompt failure")
	}
}
