package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func TestWebhookHandler(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	keyA, err := b.CustomerKey(mobileA)
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
		check      func(t *testing.T, ev Event)
	}
	good := func(body []byte) request { return request{http.MethodPost, body, "good"} }
	var tests []testCase

	approved := consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileA)
	tests = append(tests,
		testCase{
			name: "good signature", requests: []request{good(approved)},
			wantCodes: []int{200}, wantStored: 1,
			check: func(t *testing.T, ev Event) {
				if ev.ConsentStatus != finpro.ConsentActive || ev.CustomerKey != keyA || ev.ConsentID == "" || ev.Seq == 0 {
					t.Errorf("event = %+v, want ACTIVE for customer A with a consent id and a seq", ev)
				}
			},
		},
		testCase{
			name:      "forged signature",
			requests:  []request{{http.MethodPost, consentPayload(t, newHandle(), finpro.EventConsentRevoked, mobileA), sign([]byte("other"))}},
			wantCodes: []int{401},
		},
		testCase{
			name:      "signature under another secret",
			requests:  []request{{http.MethodPost, approved, "0000000000000000000000000000000000000000000000000000000000000000"}},
			wantCodes: []int{401},
		},
		testCase{
			name:      "missing signature header",
			requests:  []request{{http.MethodPost, consentPayload(t, newHandle(), finpro.EventConsentRevoked, mobileA), ""}},
			wantCodes: []int{401},
		},
		testCase{
			name:      "oversized body",
			requests:  []request{good(payload(t, map[string]any{"consentHandle": newHandle(), "eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED", "eventMessage": strings.Repeat("x", DefaultMaxWebhookBody)}))},
			wantCodes: []int{413},
		},
		testCase{
			name:      "malformed json",
			requests:  []request{good([]byte(`{"consentHandle":"h","eventType":`))},
			wantCodes: []int{400},
		},
		testCase{
			name:      "missing consent handle",
			requests:  []request{good(payload(t, map[string]any{"eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED"}))},
			wantCodes: []int{400},
		},
		testCase{
			name:      "wrong method",
			requests:  []request{{http.MethodGet, nil, "good"}},
			wantCodes: []int{405},
		},
		testCase{
			name:      "unknown status is accepted and dropped",
			requests:  []request{good(consentPayload(t, newHandle(), "CONSENT_MELTED", mobileA))},
			wantCodes: []int{202},
		},
		testCase{
			name:      "data ext is accepted and dropped",
			requests:  []request{good(payload(t, map[string]any{"consentHandle": newHandle(), "eventType": "DATA_EXT", "eventStatus": "DATA_PUSH"}))},
			wantCodes: []int{202},
		},
	)
	replayed := consentPayload(t, newHandle(), finpro.EventConsentPaused, mobileA)
	tests = append(tests, testCase{
		name: "replayed body is stored once", requests: []request{good(replayed), good(replayed), good(replayed)},
		wantCodes: []int{200, 200, 200}, wantStored: 1,
	})
	tests = append(tests, testCase{
		name: "sha256= prefix",
		requests: []request{{
			http.MethodPost, consentPayload(t, newHandle(), finpro.EventConsentExpired, mobileA),
			"prefixed",
		}},
		wantCodes: []int{200}, wantStored: 1,
	})
	tests = append(tests, testCase{
		name: "<NULL> consent id",
		requests: []request{good(payload(t, map[string]any{
			"consentHandle": newHandle(), "eventType": "CONSENT", "eventStatus": "CONSENT_REJECTED", "consentId": "<NULL>",
		}))},
		wantCodes: []int{200}, wantStored: 1,
		check: func(t *testing.T, ev Event) {
			if ev.ConsentID != "" || ev.ConsentStatus != finpro.ConsentRejected || ev.CustomerKey != UnknownCustomer {
				t.Errorf("event = %+v, want REJECTED, no consent id, unknown customer", ev)
			}
		},
	})
	tests = append(tests, testCase{
		name: "type 2 masked vua with string boolean",
		requests: []request{good(payload(t, map[string]any{
			"consentHandle": newHandle(), "eventType": "DATA", "eventStatus": "DATA_READY", "consentId": "c-9",
			"vua": "XXXXXX9999@onemoney", "productID": "AGENT", "accountID": "A1", "fetchType": "PERIODIC",
			"consentExpiry": "2025-05-02 10:14:40", "sessionId": "s-1", "firstTimeFetch": "true",
			"linkRefNumbers": []map[string]any{{"linkRefNumber": "l-1", "fiStatus": "READY", "fipId": "HDFC-FIP"}},
		}))},
		wantCodes: []int{200}, wantStored: 1,
		check: func(t *testing.T, ev Event) {
			if ev.Type != TypeData || !ev.FirstTimeFetch || ev.CustomerKey != UnknownCustomer || len(ev.Accounts) != 1 || ev.ProductID != "AGENT" {
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
			requests:  []request{good(consentPayload(t, newHandle(), status, mobileA))},
			wantCodes: []int{200}, wantStored: 1,
			check: func(t *testing.T, ev Event) {
				if ev.Status != status || ev.ConsentStatus != cs {
					t.Errorf("event status = %s/%s, want %s/%s", ev.Status, ev.ConsentStatus, status, cs)
				}
			},
		})
	}
	for _, status := range []string{"DATA_READY", "DATA_DENIED", "SESSION_FAILED", "SESSION_EXPIRED"} {
		tests = append(tests, testCase{
			name: status,
			requests: []request{good(payload(t, map[string]any{
				"consentHandle": newHandle(), "eventType": "DATA", "eventStatus": status, "consentId": "c-1",
				"vua": mobileA + "@onemoney", "firstTimeFetch": false,
			}))},
			wantCodes: []int{200}, wantStored: 1,
			check: func(t *testing.T, ev Event) {
				if ev.Status != status || ev.Type != TypeData || ev.ConsentStatus != "" || ev.CustomerKey != keyA {
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
			var ch <-chan Event
			if handle != "" {
				ch = subscribe(t, ctx, b, Filter{ConsentHandle: handle, IncludeData: true})
			}
			before := storedCount(t, b)
			for i, r := range tc.requests {
				req := httptest.NewRequest(r.method, "/webhooks/finpro", bytes.NewReader(r.body))
				switch r.sig {
				case "good":
					req.Header.Set(DefaultSignatureHeader, sign(r.body))
				case "prefixed":
					req.Header.Set(DefaultSignatureHeader, "sha256="+sign(r.body))
				case "":
				default:
					req.Header.Set(DefaultSignatureHeader, r.sig)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != tc.wantCodes[i] {
					t.Errorf("request %d: %s /webhooks/finpro = %d, want %d", i, r.method, rec.Code, tc.wantCodes[i])
				}
			}
			if got := storedCount(t, b) - before; got != tc.wantStored {
				t.Errorf("events stored = %d, want %d", got, tc.wantStored)
			}
			if ch == nil {
				return
			}
			if tc.wantStored > 0 {
				ev := recv(t, ch)
				if tc.check != nil {
					tc.check(t, ev)
				}
			}
			// Nothing else arrives for this handle: the next event is a sentinel.
			mustPost(t, h, sentinel(t, handle))
			if ev := recv(t, ch); ev.Status != finpro.EventConsentRevoked || ev.Source != SourceWebhook {
				t.Errorf("next event = %s, want the CONSENT_REVOKED sentinel (one delivery per stored event)", ev.Status)
			}
		})
	}

	t.Run("server keeps serving", func(t *testing.T) {
		if code := post(t, h, consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileB)); code != http.StatusOK {
			t.Errorf("POST after rejected requests = %d, want 200", code)
		}
	})
}

// sentinel is a CONSENT_REVOKED event for handle that no earlier event
// duplicates (its timestamp is unique).
func sentinel(t testing.TB, handle string) []byte {
	return payload(t, map[string]any{
		"consentHandle": handle, "eventType": "CONSENT", "eventStatus": finpro.EventConsentRevoked,
		"vua": mobileA + "@onemoney", "timestamp": fmt.Sprintf("2030-01-01T00:00:%02d.%06dZ", 0, handleCounter.Add(1)),
	})
}

// handleOf reads the consentHandle of a test body, "" if none.
func handleOf(body []byte) string {
	var p struct{ ConsentHandle string }
	_ = json.Unmarshal(body, &p)
	return p.ConsentHandle
}

func TestWebhookHandlerNoSecret(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(nil, "", 0)
	body := consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileA)
	if code := post(t, h, body); code != http.StatusServiceUnavailable {
		t.Errorf("POST with no secret configured = %d, want 503", code)
	}
	if n := storedCount(t, b); n != 0 {
		t.Errorf("events stored = %d, want 0", n)
	}
}

func TestWebhookHandlerCustomHeaderAndLimit(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "X-FinPro-Signature", 300)
	body := consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileA)

	req := httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(body))
	req.Header.Set("X-FinPro-Signature", sign(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("POST with custom header = %d, want 200", rec.Code)
	}
	if code := post(t, h, body); code != http.StatusUnauthorized {
		t.Errorf("POST with the default header only = %d, want 401", code)
	}
	big := payload(t, map[string]any{"consentHandle": newHandle(), "eventType": "CONSENT", "eventStatus": "CONSENT_PAUSED", "eventMessage": strings.Repeat("x", 300)})
	req = httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(big))
	req.Header.Set("X-FinPro-Signature", sign(big))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST over the 300-byte limit = %d, want 413", rec.Code)
	}
}

func TestWebhookHandlerNATSDown(t *testing.T) {
	b := startBroker(t, Options{})
	h := b.WebhookHandler(testSecret, "", 0)
	b.nc.Close()
	if code := post(t, h, consentPayload(t, newHandle(), finpro.EventConsentApproved, mobileA)); code != http.StatusServiceUnavailable {
		t.Errorf("POST with NATS unreachable = %d, want 503", code)
	}
}
