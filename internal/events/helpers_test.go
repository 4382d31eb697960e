package events

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
)

// testSecret signs test webhooks.
var testSecret = []byte("test-webhook-secret")

// Test customers. Mobiles never appear in failure messages.
const (
	mobileA = "9876543210"
	mobileB = "9123456780"
)

// startBroker starts an embedded broker closed at the end of the test.
func startBroker(t testing.TB, opts Options) *Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

func sign(body []byte) string {
	m := hmac.New(sha256.New, testSecret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

var handleCounter atomic.Int64

// newHandle returns a fresh UUID-shaped consent handle.
func newHandle() string {
	return fmt.Sprintf("7b1e6a2c-1f0e-4a7e-9a55-%012d", handleCounter.Add(1))
}

// payload builds a webhook body from fields; nil values are left out.
func payload(t testing.TB, fields map[string]any) []byte {
	t.Helper()
	m := map[string]any{"timestamp": "2024-05-02T10:15:01.120Z"}
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

// consentPayload is a Type 1 CONSENT event for mobile's VUA.
func consentPayload(t testing.TB, handle, status, mobile string) []byte {
	return payload(t, map[string]any{
		"consentHandle": handle,
		"eventType":     "CONSENT",
		"eventStatus":   status,
		"consentId":     "c0a8f3d2-5b6e-4c1a-9f7e-" + handle[len(handle)-12:],
		"vua":           mobile + "@onemoney",
		"eventMessage":  "Consent event",
	})
}

// post sends a signed webhook through h and returns the status code.
func post(t testing.TB, h http.Handler, body []byte) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(DefaultSignatureHeader, sign(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// mustPost posts a signed webhook and fails unless it answers 200.
func mustPost(t testing.TB, h http.Handler, body []byte) {
	t.Helper()
	if code := post(t, h, body); code != http.StatusOK {
		t.Fatalf("POST /webhooks/finpro = %d, want 200", code)
	}
}

// storedCount is the number of messages in the stream.
func storedCount(t testing.TB, b *Broker) uint64 {
	t.Helper()
	info, err := b.stream.Info(context.Background())
	if err != nil {
		t.Fatalf("stream info: %v", err)
	}
	return info.State.Msgs
}

// recv waits for the next event; the deadline only guards against a hang.
func recv(t testing.TB, ch <-chan Event) Event {
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
	return Event{}
}

// subscribe subscribes and fails the test on error.
func subscribe(t testing.TB, ctx context.Context, b *Broker, f Filter) <-chan Event {
	t.Helper()
	ch, err := b.Subscribe(ctx, f)
	if err != nil {
		t.Fatalf("Subscribe() error = %v", err)
	}
	return ch
}

// waitClosed waits until ch is closed, draining it.
func waitClosed(t testing.TB, ch <-chan Event) {
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
