// Package eventstest helps test the event packages against a real broker:
// it starts embedded brokers, signs and posts webhooks, and waits for events
// with a deadline that only guards against a hang.
package eventstest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
)

// Secret signs test webhooks.
var Secret = []byte("test-webhook-secret")

// Test customers. Tests never print mobiles in failure messages.
const (
	MobileA = "9876543210"
	MobileB = "9123456780"
)

// StartBroker starts a broker closed at the end of the test.
func StartBroker(t testing.TB, opts broker.Options) *broker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, opts)
	if err != nil {
		t.Fatalf("broker.Start() error = %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// Handler is the webhook intake of b with the test secret.
func Handler(b *broker.Broker) http.Handler {
	return webhook.Handler(b, webhook.Options{Secret: Secret})
}

// Sign is the hex HMAC-SHA256 of body under Secret.
func Sign(body []byte) string {
	m := hmac.New(sha256.New, Secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

var handleCounter atomic.Int64

// NewHandle returns a fresh UUID-shaped consent handle.
func NewHandle() string {
	return fmt.Sprintf("7b1e6a2c-1f0e-4a7e-9a55-%012d", handleCounter.Add(1))
}

// Unique returns a number not returned before in this process.
func Unique() int64 { return handleCounter.Add(1) }

// Payload builds a webhook body from fields; nil values are left out. The
// timestamp is now unless fields set one.
func Payload(t testing.TB, fields map[string]any) []byte {
	t.Helper()
	m := map[string]any{"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ConsentPayload is a Type 1 CONSENT event for mobile's VUA.
func ConsentPayload(t testing.TB, handle, status, mobile string) []byte {
	return Payload(t, map[string]any{
		"consentHandle": handle,
		"eventType":     "CONSENT",
		"eventStatus":   status,
		"consentId":     "c0a8f3d2-5b6e-4c1a-9f7e-" + handle[len(handle)-12:],
		"vua":           mobile + "@onemoney",
		"eventMessage":  "Consent event",
	})
}

// Post sends a signed webhook through h and returns the status code.
func Post(t testing.TB, h http.Handler, body []byte) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.DefaultSignatureHeader, Sign(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// MustPost posts a signed webhook and fails unless it answers 200.
func MustPost(t testing.TB, h http.Handler, body []byte) {
	t.Helper()
	if code := Post(t, h, body); code != http.StatusOK {
		t.Fatalf("POST /webhooks/finpro = %d, want 200", code)
	}
}

// LastSeq is the sequence of the last stored event.
func LastSeq(t testing.TB, b *broker.Broker) uint64 {
	t.Helper()
	seq, err := b.LastSeq(context.Background())
	if err != nil {
		t.Fatalf("LastSeq() error = %v", err)
	}
	return seq
}

// Recv waits for the next event; the deadline only guards against a hang.
func Recv(t testing.TB, ch <-chan events.Event) events.Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed, want an event")
		}
		return ev
	case <-time.After(15 * time.Second):
		t.Fatal("no event within 15s")
	}
	return events.Event{}
}

// Subscribe subscribes and fails the test on error.
func Subscribe(t testing.TB, ctx context.Context, b *broker.Broker, f events.Filter) <-chan events.Event {
	t.Helper()
	ch, err := b.Subscribe(ctx, f)
	if err != nil {
		t.Fatalf("Subscribe() error = %v", err)
	}
	return ch
}

// WaitClosed waits until ch is closed, draining it.
func WaitClosed(t testing.TB, ch <-chan events.Event) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("subscription channel not closed within 15s")
		}
	}
}
