package webhook_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// TestFreshnessWindow: a validly signed event is stored only when its
// timestamp lies within MaxAge before now and FutureSkew after; an old one
// (a replayed capture, beyond the dedupe window) is refused with 422, one
// without a readable timestamp with 400, and neither is stored.
func TestFreshnessWindow(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	now := time.Now()
	h := webhook.Handler(b, webhook.Options{Secret: eventstest.Secret, MaxAge: time.Hour, Now: func() time.Time { return now }})
	tests := []struct {
		name      string
		timestamp any // nil: no timestamp field
		want      int
	}{
		{"now", now, 200},
		{"59 minutes old", now.Add(-59 * time.Minute), 200},
		{"61 minutes old", now.Add(-61 * time.Minute), 422},
		{"three days old", now.Add(-72 * time.Hour), 422},
		{"4 minutes ahead (clock skew)", now.Add(4 * time.Minute), 200},
		{"6 minutes ahead", now.Add(6 * time.Minute), 422},
		{"IST wall clock without a zone, 30 minutes old", now.Add(-30 * time.Minute).In(finpro.IST).Format("2006-01-02T15:04:05.000"), 200},
		{"no timestamp", nil, 400},
		{"unreadable timestamp", "yesterday", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := tc.timestamp
			if tm, ok := ts.(time.Time); ok {
				ts = tm.UTC().Format("2006-01-02T15:04:05.000Z")
			}
			before := eventstest.LastSeq(t, b)
			body := eventstest.Payload(t, map[string]any{
				"consentHandle": eventstest.NewHandle(), "eventType": "CONSENT", "eventStatus": finpro.EventConsentApproved,
				"vua": eventstest.MobileA + "@onemoney", "consentId": eventstest.NewHandle(), "timestamp": ts,
			})
			if got := eventstest.Post(t, h, body); got != tc.want {
				t.Errorf("POST = %d, want %d", got, tc.want)
			}
			stored := eventstest.LastSeq(t, b) - before
			if want := map[bool]uint64{true: 1, false: 0}[tc.want == 200]; stored != want {
				t.Errorf("events stored = %d, want %d", stored, want)
			}
		})
	}
}

// TestSecretRotation: during a rotation the previous secret is accepted
// until PreviousUntil, then refused like any other; the current secret
// always works.
func TestSecretRotation(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	previous := []byte("the-secret-finpro-still-uses")
	until := time.Now().Add(time.Hour)
	clock := time.Now()
	h := webhook.Handler(b, webhook.Options{
		Secret: eventstest.Secret, PreviousSecret: previous, PreviousUntil: until,
		Now: func() time.Time { return clock },
	})
	post := func(key []byte) int {
		body := eventstest.Payload(t, map[string]any{
			"consentHandle": eventstest.NewHandle(), "eventType": "CONSENT", "eventStatus": finpro.EventConsentApproved,
			"vua": eventstest.MobileA + "@onemoney", "consentId": eventstest.NewHandle(),
			"timestamp": clock.UTC().Format("2006-01-02T15:04:05.000Z"),
		})
		req := httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(body))
		req.Header.Set(webhook.DefaultSignatureHeader, eventstest.SignWith(key, body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	tests := []struct {
		name string
		at   time.Time
		key  []byte
		want int
	}{
		{"current secret", until.Add(-time.Minute), eventstest.Secret, 200},
		{"previous secret before its end", until.Add(-time.Minute), previous, 200},
		{"unrelated secret", until.Add(-time.Minute), []byte("guess"), 401},
		{"previous secret after its end", until.Add(time.Second), previous, 401},
		{"current secret after the previous one's end", until.Add(time.Second), eventstest.Secret, 200},
	}
	for _, tc := range tests {
		clock = tc.at
		if got := post(tc.key); got != tc.want {
			t.Errorf("%s: POST = %d, want %d", tc.name, got, tc.want)
		}
	}
}
