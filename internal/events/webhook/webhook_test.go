package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/eventstest"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
)

func TestWebhookHandler(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	h := eventstest.Handler(b)
	keyA, err := b.CustomerKey(eventstest.MobileA)
	if err != nil {
		t.Fatal(err)
	}

	type request struct {
		method string
		body   []byte
		sig    string // "" = no header; "good" = a valid signature
	}
	type testCase struct {
		name       string
		requests   []request
		wantCodes  []int
		wantStored uint64
		check      func(t *testing.T, ev events.Event)
	}
	good := func(body []byte) request { return request{http.MethodPost, body, "good"} }
	var tests []testCase

	approved := eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentApproved, eventstest.MobileA)
	tests = append(tests,
		testCase{
			name: "good signature", requests: []request{good(approved)},
			wantCodes: []int{200}, wantStored: 1,
			check: func(t *testing.T, ev events.Event) {
				if ev.ConsentStatus != finpro.ConsentActive || ev.CustomerKey != keyA || ev.ConsentID == "" || ev.Seq == 0 {
					t.Errorf("event = %+v, want ACTIVE for customer A with a consent id and a seq", ev)
				}
			},
		},
		testCase{
			name:      "forged signature",
			requests:  []request{{http.MethodPost, eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentRevoked, eventstest.MobileA), eventstest.Sign([]byte("other"))}},
			wantCodes: []int{401},
		},
		testCase{
			name:      "signature under another secret",
			requests:  []request{{http.MethodPost, approved, "0000000000000000000000000000000000000000000000000000000000000000"}},
			wantCodes: []int{401},
		},
		testCase{
			name:      "missing signature header",
			requests:  []request{{http.MethodPost, eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentRevoked, eventstest.MobileA), ""}},
			wantCodes: []int{401},
		},
		testCase{
			name:      "oversized body",
			requests:  []request{good(eventstest.Payload(t, map[string]any{"consentHandle": eventstest.NewHandle(), "eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED", "eventMessage": strings.Repeat("x", webhook.DefaultMaxBody)}))},
			wantCodes: []int{413},
		},
		testCase{
			name:      "malformed json",
			requests:  []request{good([]byte(`{"consentHandle":"h","eventType":`))},
			wantCodes: []int{400},
		},
		testCase{
			name:      "missing consent handle",
			requests:  []request{good(eventstest.Payload(t, map[string]any{"eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED"}))},
			wantCodes: []int{400},
		},
		testCase{
			name:      "wrong method",
			requests:  []request{{http.MethodGet, nil, "good"}},
			wantCodes: []int{405},
		},
		testCase{
			name:      "unknown status is accepted and dropped",
			requests:  []request{good(eventstest.ConsentPayload(t, eventstest.NewHandle(), "CONSENT_MELTED", eventstest.MobileA))},
			wantCodes: []int{202},
		},
		testCase{
			name:      "data ext is accepted and dropped",
			requests:  []request{good(eventstest.Payload(t, map[string]any{"consentHandle": eventstest.NewHandle(), "eventType": "DATA_EXT", "eventStatus": "DATA_PUSH"}))},
			wantCodes: []int{202},
		},
	)
	replayed := eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentPaused, eventstest.MobileA)
	tests = append(tests, testCase{
		name: "replayed body is stored once", requests: []request{good(replayed), good(replayed), good(replayed)},
		wantCodes: []int{200, 200, 200}, wantStored: 1,
	})
	tests = append(tests, testCase{
		name: "sha256= prefix",
		requests: []request{{
			http.MethodPost, eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentExpired, eventstest.MobileA),
			"prefixed",
		}},
		wantCodes: []int{200}, wantStored: 1,
	})
	tests = append(tests, testCase{
		name: "<NULL> consent id",
		requests: []request{good(eventstest.Payload(t, map[string]any{
			"consentHandle": eventstest.NewHandle(), "eventType": "CONSENT", "eventStatus": "CONSENT_REJECTED", "consentId": "<NULL>",
		}))},
		wantCodes: []int{200}, wantStored: 1,
		check: func(t *testing.T, ev events.Event) {
			if ev.ConsentID != "" || ev.ConsentStatus != finpro.ConsentRejected || ev.CustomerKey != events.UnknownCustomer {
				t.Errorf("event = %+v, want REJECTED, no consent id, unknown customer", ev)
			}
		},
	})
	tests = append(tests, testCase{
		name: "type 2 masked vua with string boolean",
		requests: []request{good(eventstest.Payload(t, map[string]any{
			"consentHandle": eventstest.NewHandle(), "eventType": "DATA", "eventStatus": "DATA_READY", "consentId": "c-9",
			"vua": "XXXXXX9999@onemoney", "productID": "AGENT", "accountID": "A1", "fetchType": "PERIODIC",
			"consentExpiry": "2025-05-02 10:14:40", "sessionId": "s-1", "firstTimeFetch": "true",
			"linkRefNumbers": []map[string]any{{"linkRefNumber": "l-1", "fiStatus": "READY", "fipId": "HDFC-FIP"}},
		}))},
		wantCodes: []int{200}, wantStored: 1,
		check: func(t *testing.T, ev events.Event) {
			if ev.Type != events.TypeData || !ev.FirstTimeFetch || ev.CustomerKey != events.UnknownCustomer || len(ev.Accounts) != 1 || ev.ProductID != "AGENT" {
				t.Errorf("event = %+v, want DATA_READY, first fetch, unknown customer, one account", ev)
			}
		},
	})
	for status, cs := range map[string]finpro.ConsentStatus{
		"CONSENT_APPROVED": "ACTIVE", "CONSENT_REJECTED": "REJECTED", "CONSENT_PAUSED": "PAUSED",
		"CONSENT_RESUMED": "ACTIVE", "CONSENT_REVOKED": "REVOKED", "CONSENT_EXPIRED": "EXPIRED",
	} {
		tests = append(tests, testCase{
			name:      status,
			requests:  []request{good(eventstest.ConsentPayload(t, eventstest.NewHandle(), status, eventstest.MobileA))},
			wantCodes: []int{200}, wantStored: 1,
			check: func(t *testing.T, ev events.Event) {
				if ev.Status != status || ev.ConsentStatus != cs {
					t.Errorf("event status = %s/%s, want %s/%s", ev.Status, ev.ConsentStatus, status, cs)
				}
			},
		})
	}
	for _, status := range []string{"DATA_READY", "DATA_DENIED", "SESSION_FAILED", "SESSION_EXPIRED"} {
		tests = append(tests, testCase{
			name: status,
			requests: []request{good(eventstest.Payload(t, map[string]any{
				"consentHandle": eventstest.NewHandle(), "eventType": "DATA", "eventStatus": status, "consentId": "c-1",
				"vua": eventstest.MobileA + "@onemoney", "firstTimeFetch": false,
			}))},
			wantCodes: []int{200}, wantStored: 1,
			check: func(t *testing.T, ev events.Event) {
				if ev.Status != status || ev.Type != events.TypeData || ev.ConsentStatus != "" || ev.CustomerKey != keyA {
					t.Errorf("event = %s/%s/%s, want DATA/%s without consent status", ev.Type, ev.Status, ev.ConsentStatus, status)
				}
			},
		})
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			// Each case's body carries its own handle; watch it.
			handle := handleOf(tc.requests[0].body)
			var ch <-chan events.Event
			if handle != "" {
				ch = eventstest.Subscribe(t, ctx, b, events.Filter{ConsentHandle: handle, IncludeData: true})
			}
			before := eventstest.LastSeq(t, b)
			for i, r := range tc.requests {
				req := httptest.NewRequest(r.method, "/webhooks/finpro", bytes.NewReader(r.body))
				switch r.sig {
				case "good":
					req.Header.Set(webhook.DefaultSignatureHeader, eventstest.Sign(r.body))
				case "prefixed":
					req.Header.Set(webhook.DefaultSignatureHeader, "sha256="+eventstest.Sign(r.body))
				case "":
				default:
					req.Header.Set(webhook.DefaultSignatureHeader, r.sig)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != tc.wantCodes[i] {
					t.Errorf("request %d: %s /webhooks/finpro = %d, want %d", i, r.method, rec.Code, tc.wantCodes[i])
				}
			}
			if got := eventstest.LastSeq(t, b) - before; got != tc.wantStored {
				t.Errorf("events stored = %d, want %d", got, tc.wantStored)
			}
			if ch == nil {
				return
			}
			if tc.wantStored > 0 {
				ev := eventstest.Recv(t, ch)
				if tc.check != nil {
					tc.check(t, ev)
				}
			}
			// Nothing else arrives for this handle: the next event is a sentinel.
			eventstest.MustPost(t, h, sentinel(t, handle))
			if ev := eventstest.Recv(t, ch); ev.Status != finpro.EventConsentRevoked || ev.Source != events.SourceWebhook {
				t.Errorf("next event = %s, want the CONSENT_REVOKED sentinel (one delivery per stored event)", ev.Status)
			}
		})
	}

	t.Run("server keeps serving", func(t *testing.T) {
		if code := eventstest.Post(t, h, eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentApproved, eventstest.MobileB)); code != http.StatusOK {
			t.Errorf("POST after rejected requests = %d, want 200", code)
		}
	})
}

// sentinel is a CONSENT_REVOKED event for handle that no earlier event
// duplicates (its timestamp is unique).
func sentinel(t testing.TB, handle string) []byte {
	return eventstest.Payload(t, map[string]any{
		"consentHandle": handle, "eventType": "CONSENT", "eventStatus": finpro.EventConsentRevoked,
		"vua": eventstest.MobileA + "@onemoney", "timestamp": time.Now().UTC().Add(time.Duration(eventstest.Unique()) * time.Microsecond).Format(time.RFC3339Nano),
	})
}

// handleOf reads the consentHandle of a test body, "" if none.
func handleOf(body []byte) string {
	var p struct{ ConsentHandle string }
	_ = json.Unmarshal(body, &p)
	return p.ConsentHandle
}

func TestWebhookHandlerNoSecret(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	h := webhook.Handler(b, webhook.Options{})
	body := eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentApproved, eventstest.MobileA)
	if code := eventstest.Post(t, h, body); code != http.StatusServiceUnavailable {
		t.Errorf("POST with no secret configured = %d, want 503", code)
	}
	if n := eventstest.LastSeq(t, b); n != 0 {
		t.Errorf("events stored = %d, want 0", n)
	}
}

func TestWebhookHandlerCustomHeaderAndLimit(t *testing.T) {
	b := eventstest.StartBroker(t, broker.Options{})
	h := webhook.Handler(b, webhook.Options{Secret: eventstest.Secret, Header: "X-FinPro-Signature", MaxBody: 300})
	body := eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentApproved, eventstest.MobileA)

	req := httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(body))
	req.Header.Set("X-FinPro-Signature", eventstest.Sign(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("POST with custom header = %d, want 200", rec.Code)
	}
	if code := eventstest.Post(t, h, body); code != http.StatusUnauthorized {
		t.Errorf("POST with the default header only = %d, want 401", code)
	}
	big := eventstest.Payload(t, map[string]any{"consentHandle": eventstest.NewHandle(), "eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED", "eventMessage": strings.Repeat("x", 300)})
	req = httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(big))
	req.Header.Set("X-FinPro-Signature", eventstest.Sign(big))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST over the 300-byte limit = %d, want 413", rec.Code)
	}
}

// failingStore cannot store anything, as when NATS is unreachable.
type failingStore struct{}

func (failingStore) StoreWebhook(context.Context, webhookpayload.Event, time.Time) (uint64, bool, error) {
	return 0, false, errors.New("nats: no responders available for request")
}

func TestWebhookHandlerStoreDown(t *testing.T) {
	h := webhook.Handler(failingStore{}, webhook.Options{Secret: eventstest.Secret})
	if code := eventstest.Post(t, h, eventstest.ConsentPayload(t, eventstest.NewHandle(), finpro.EventConsentApproved, eventstest.MobileA)); code != http.StatusServiceUnavailable {
		t.Errorf("POST with the store down = %d, want 503", code)
	}
}
