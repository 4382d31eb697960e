package main

// Production-mode tests of the live-events items of issue 12: the webhook
// freshness window, webhook secret rotation, live events kept inside their
// product, and subscriptions registered before an event they cause. Each
// runs the real server through run() against the FinPro sandbox served by
// `run sandbox`, whose signed webhooks reach the server over HTTP.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const (
	evJWTSecret   = "events-tests-hs256-secret-of-at-least-32-bytes"
	evIssuer      = "https://issuer.events-tests.example"
	evAudience    = "finpro-bff-events-tests"
	evHookSecret  = "webhook-secret-of-the-events-tests"
	evLoanProduct = "LOAN_UNDERWRITING"
)

// eventsServer is a production-mode server whose sandbox sends it webhooks.
type eventsServer struct {
	base, sandboxURL string
	logs             *syncBuffer
}

// startEventsProduction starts `run sandbox` with its webhooks pointed (via
// a forwarding front, since the server's address comes later) at a
// production-mode server, and the server itself with extraEnv on top of the
// production settings.
func startEventsProduction(t *testing.T, extraEnv map[string]string) eventsServer {
	t.Helper()
	var target atomic.Pointer[url.URL]
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := target.Load()
		if u == nil {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		rp := httputil.NewSingleHostReverseProxy(u)
		rp.ErrorLog = log.New(io.Discard, "", 0) // the sandbox's sender logs failures itself
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	sbBase, _, sbLogs, _ := startRun(t, []string{"sandbox", "-addr", "127.0.0.1:0"}, map[string]string{
		"LOG_LEVEL":               "warn",
		"SANDBOX_WEBHOOK_URL":     front.URL + "/webhooks/finpro",
		"FINPRO_WEBHOOK_SECRET":   evHookSecret,
		"SANDBOX_WEBHOOK_RETRIES": "100ms,200ms,400ms",
	})
	env := map[string]string{
		"FINPRO_BASE_URL":        sbBase,
		"FINPRO_CLIENT_ID":       sandbox.DefaultClientID,
		"FINPRO_CLIENT_SECRET":   sandbox.DefaultClientSecret,
		"FINPRO_ORGANISATION_ID": sandbox.DefaultOrganisationID,
		"FINPRO_APP_IDENTIFIER":  sandbox.DefaultAppIdentifier,
		"FINPRO_WEBHOOK_SECRET":  evHookSecret,
		"JWT_HS256_SECRET":       evJWTSecret,
		"JWT_ISSUER":             evIssuer,
		"JWT_AUDIENCE":           evAudience,
		"LOG_LEVEL":              "info",
	}
	for k, v := range extraEnv {
		env[k] = v
	}
	base, _, logs, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, env)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	target.Store(u)
	t.Cleanup(func() {
		all := logs.String() + sbLogs.String()
		for _, secret := range []string{evHookSecret, evJWTSecret, sandbox.DefaultClientSecret, env["FINPRO_WEBHOOK_PREVIOUS_SECRET"]} {
			if secret != "" && strings.Contains(all, secret) {
				t.Error("the logs contain a secret")
			}
		}
	})
	return eventsServer{base: base, sandboxURL: sbBase, logs: logs}
}

// token mints a token for the events tests: consents:read, bound to mobile
// when it is set, limited to products when given.
func (s eventsServer) token(t *testing.T, sub, mobile string, products ...string) string {
	t.Helper()
	tok, err := auth.Mint(auth.MintOptions{
		Secret: []byte(evJWTSecret), Issuer: evIssuer, Audience: evAudience, Subject: sub,
		Scopes: []string{auth.ScopeConsentsRead}, Mobile: mobile, Products: products,
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// postWebhook posts body signed with secret to the server's intake.
func (s eventsServer) postWebhook(t *testing.T, secret string, body []byte) int {
	t.Helper()
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.base+"/webhooks/finpro", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Signature", hex.EncodeToString(m.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// transition drives a sandbox consent (pause, resume, ...); the sandbox
// then sends its webhook.
func (s eventsServer) transition(t *testing.T, handle, action string) {
	t.Helper()
	if status, body := post(t, s.sandboxURL+"/_sandbox/consents/"+handle+"/"+action, "", ""); status != http.StatusOK {
		t.Fatalf("sandbox %s %s = %d %s", action, handle, status, body)
	}
}

// activeConsent is an ACTIVE consent handle of the demo customer under
// product.
func (s eventsServer) activeConsent(t *testing.T, product string) string {
	t.Helper()
	_, body := get(t, s.sandboxURL+"/_sandbox/customers")
	var seeded struct {
		Customers []struct {
			Mobile   string
			Consents []struct{ ConsentHandle, Status, ProductID string }
		}
	}
	if err := json.Unmarshal([]byte(body), &seeded); err != nil {
		t.Fatalf("decode /_sandbox/customers: %v", err)
	}
	for _, c := range seeded.Customers {
		for _, k := range c.Consents {
			if c.Mobile == sandbox.DemoMobile && k.ProductID == product && k.Status == "ACTIVE" {
				return k.ConsentHandle
			}
		}
	}
	t.Fatalf("the demo customer has no ACTIVE consent under %s", product)
	return ""
}

// wsMessage is a graphql-transport-ws message as the server sends it.
type wsMessage struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// liveEvent is the part of a consentStatusChanged event the tests read.
type liveEvent struct {
	ConsentHandle, EventStatus, Cursor string
}

// wsClient is a graphql-transport-ws connection after connection_ack.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func (s eventsServer) dial(t *testing.T, token string) *wsClient {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(s.base, "http")+"/graphql", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: t, conn: conn}
	c.send(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + token}})
	if m := c.read(10 * time.Second); m.Type != "connection_ack" {
		t.Fatalf("after connection_init: %+v, want connection_ack", m)
	}
	return c
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(v); err != nil {
		c.t.Fatalf("websocket write: %v", err)
	}
}

// read returns the next message other than a ping (answered), or a message
// of type "timeout" when none comes within d.
func (c *wsClient) read(d time.Duration) wsMessage {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for {
		c.conn.SetReadDeadline(deadline)
		var m wsMessage
		if err := c.conn.ReadJSON(&m); err != nil {
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				return wsMessage{Type: "timeout"}
			}
			c.t.Fatalf("websocket read: %v", err)
		}
		if m.Type == "ping" {
			c.send(map[string]any{"type": "pong"})
			continue
		}
		return m
	}
}

const consentStatusChangedQuery = `subscription S($p: ID!, $m: String) {
  consentStatusChanged(productID: $p, mobileNumber: $m) { consentHandle eventStatus cursor } }`

// subscribe starts consentStatusChanged for the demo customer under product.
func (c *wsClient) subscribe(id, product string) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
		"query": consentStatusChangedQuery, "variables": map[string]any{"p": product, "m": sandbox.DemoMobile},
	}})
}

// event decodes a next message's event; it fails the test on an error.
func (c *wsClient) event(m wsMessage) liveEvent {
	c.t.Helper()
	var p struct {
		Data   struct{ ConsentStatusChanged liveEvent }
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
		c.t.Fatalf("next message %s: %v", m.Payload, err)
	}
	return p.Data.ConsentStatusChanged
}

// webhookBody is a Type 1 CONSENT webhook of the demo customer with the
// given timestamp ("" leaves it out).
func webhookBody(t *testing.T, handle, status, timestamp string) []byte {
	t.Helper()
	m := map[string]any{
		"consentHandle": handle, "eventType": "CONSENT", "eventStatus": status,
		"consentId": "c-" + handle, "vua": sandbox.DemoMobile + "@onemoney", "eventMessage": "test",
	}
	if timestamp != "" {
		m["timestamp"] = timestamp
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fpTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// TestWebhookFreshnessProduction: a validly signed webhook three days old
// (a replayed capture) is refused with 422 and reaches no subscriber;
// one without a timestamp is refused with 400; a fresh one is stored and
// delivered.
func TestWebhookFreshnessProduction(t *testing.T) {
	s := startEventsProduction(t, nil)
	handle := s.activeConsent(t, sandbox.DemoProductID)
	c := s.dial(t, s.token(t, "partner-fresh", ""))
	c.subscribe("1", sandbox.DemoProductID)
	time.Sleep(200 * time.Millisecond) // registered (the tests below need no race)

	tests := []struct {
		name, status, timestamp string
		want                    int
	}{
		{"three days old", "CONSENT_REVOKED", fpTime(time.Now().Add(-72 * time.Hour)), 422},
		{"two hours old", "CONSENT_EXPIRED", fpTime(time.Now().Add(-2 * time.Hour)), 422},
		{"an hour ahead", "CONSENT_REVOKED", fpTime(time.Now().Add(time.Hour)), 422},
		{"no timestamp", "CONSENT_EXPIRED", "", 400},
		{"fresh", "CONSENT_PAUSED", fpTime(time.Now()), 200},
	}
	for _, tc := range tests {
		if got := s.postWebhook(t, evHookSecret, webhookBody(t, handle, tc.status, tc.timestamp)); got != tc.want {
			t.Errorf("%s: POST /webhooks/finpro = %d, want %d", tc.name, got, tc.want)
		}
	}
	m := c.read(10 * time.Second)
	if m.Type != "next" {
		t.Fatalf("subscriber got %+v, want the fresh event", m)
	}
	if ev := c.event(m); ev.EventStatus != "CONSENT_PAUSED" {
		t.Errorf("first event delivered = %s, want the fresh CONSENT_PAUSED (the refused ones are not stored)", ev.EventStatus)
	}
	if !strings.Contains(s.logs.String(), "outside the freshness window") {
		t.Error("the log does not name the refused stale webhooks")
	}
}

// TestWebhookSecretRotationProduction: with FINPRO_WEBHOOK_PREVIOUS_SECRET
// and an end an hour ahead, events signed with the old secret and with the
// new one are both stored; an unrelated secret is refused; once the end has
// passed (a server started with an end in the past) the old secret is
// refused too.
func TestWebhookSecretRotationProduction(t *testing.T) {
	const oldSecret = "the-webhook-secret-before-rotation"
	for _, tc := range []struct {
		name    string
		until   time.Time
		wantOld int
	}{
		{"during the rotation", time.Now().Add(time.Hour), 200},
		{"after the previous secret's end", time.Now().Add(-time.Minute), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startEventsProduction(t, map[string]string{
				"FINPRO_WEBHOOK_PREVIOUS_SECRET":       oldSecret,
				"FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL": tc.until.Format(time.RFC3339),
			})
			handle := s.activeConsent(t, sandbox.DemoProductID)
			for _, k := range []struct {
				secret, status string
				want           int
			}{
				{evHookSecret, "CONSENT_PAUSED", 200},
				{oldSecret, "CONSENT_RESUMED", tc.wantOld},
				{"a-secret-nobody-configured", "CONSENT_REVOKED", 401},
			} {
				body := webhookBody(t, handle, k.status, fpTime(time.Now()))
				if got := s.postWebhook(t, k.secret, body); got != k.want {
					t.Errorf("signed with %.10s...: POST = %d, want %d", k.secret, got, k.want)
				}
			}
		})
	}
}

// TestLiveEventsStayInTheirProduct: the demo customer has consents under
// PFM_DASHBOARD and LOAN_UNDERWRITING, and the sandbox's webhooks (Type 1)
// name no product. A transition of the loan consent reaches the loan
// subscribers only (an unbound partner's and a token limited to the loan
// product), one of the PFM consent the PFM subscriber only; a token limited
// to the loan product cannot follow PFM_DASHBOARD at all.
func TestLiveEventsStayInTheirProduct(t *testing.T) {
	s := startEventsProduction(t, nil)
	pfm := s.activeConsent(t, sandbox.DemoProductID)
	loan := s.activeConsent(t, evLoanProduct)

	pfmSub := s.dial(t, s.token(t, "partner-any", ""))
	pfmSub.subscribe("pfm", sandbox.DemoProductID)
	loanSub := s.dial(t, s.token(t, "partner-loan", "", evLoanProduct))
	loanSub.subscribe("loan", evLoanProduct)
	boundLoan := s.dial(t, s.token(t, "customer", sandbox.DemoMobile, evLoanProduct))
	boundLoan.subscribe("bound-loan", evLoanProduct)

	refused := s.dial(t, s.token(t, "partner-loan-2", "", evLoanProduct))
	refused.subscribe("x", sandbox.DemoProductID)
	if m := refused.read(10 * time.Second); (m.Type != "error" && m.Type != "next") || !strings.Contains(string(m.Payload), `"FORBIDDEN"`) || strings.Contains(string(m.Payload), "consentHandle\":") {
		t.Errorf("a loan-only token following PFM_DASHBOARD got %s %s, want a FORBIDDEN error", m.Type, m.Payload)
	}
	time.Sleep(200 * time.Millisecond) // registered

	s.transition(t, loan, "pause")
	s.transition(t, pfm, "pause")
	s.transition(t, loan, "resume")
	s.transition(t, pfm, "resume")

	for _, tc := range []struct {
		name string
		c    *wsClient
		want []string
	}{
		{"PFM subscriber", pfmSub, []string{pfm + " CONSENT_PAUSED", pfm + " CONSENT_RESUMED"}},
		{"loan-only partner", loanSub, []string{loan + " CONSENT_PAUSED", loan + " CONSENT_RESUMED"}},
		{"customer token limited to the loan product", boundLoan, []string{loan + " CONSENT_PAUSED", loan + " CONSENT_RESUMED"}},
	} {
		var got []string
		for range tc.want {
			m := tc.c.read(10 * time.Second)
			if m.Type != "next" {
				t.Errorf("%s: got %s %s, want an event", tc.name, m.Type, m.Payload)
				break
			}
			ev := tc.c.event(m)
			got = append(got, ev.ConsentHandle+" "+ev.EventStatus)
		}
		// Nothing else: the other product's events would come now.
		if m := tc.c.read(500 * time.Millisecond); m.Type != "timeout" {
			got = append(got, fmt.Sprintf("%s %s", m.Type, m.Payload))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s received:\n%s\nwant:\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestSubscribeThenTransition subscribes and at once triggers a transition,
// 1,000 times on one connection (each subscription completed before the
// next): every subscription receives its transition. A subscription may also
// get an event of the moment before it (delivery is at least once; the
// client drops cursors it has seen), never another one. Before registration
// covered the request's read, an event stored while gqlgen was still
// starting the resolver was lost (4 of the first 20 rounds).
func TestSubscribeThenTransition(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping 1,000 subscribe-and-transition rounds in -short mode")
	}
	// 1,000 subscriptions within seconds pass the per-principal rate limit.
	s := startEventsProduction(t, map[string]string{"RATE_LIMIT_PER_SECOND": "0"})
	handle := s.activeConsent(t, sandbox.DemoProductID)
	c := s.dial(t, s.token(t, "partner-loop", ""))
	const rounds = 1000
	seen := map[string]bool{} // cursors received
	again := 0
	last := map[string]time.Time{} // when each action was last sent
	start := time.Now()
	for i := range rounds {
		action, want := "pause", "CONSENT_PAUSED"
		if i%2 == 1 {
			action, want = "resume", "CONSENT_RESUMED"
		}
		// A webhook's identity includes its millisecond timestamp: two
		// pauses of one consent within a millisecond would be one event.
		if d := time.Since(last[action]); d < 2*time.Millisecond {
			time.Sleep(2*time.Millisecond - d)
		}
		id := fmt.Sprint(i)
		c.subscribe(id, sandbox.DemoProductID)
		last[action] = time.Now()
		s.transition(t, handle, action)
		for {
			m := c.read(5 * time.Second)
			if m.Type == "timeout" {
				// The connection is unusable after a read timeout.
				t.Fatalf("round %d (%s): the subscription made just before received nothing new in 5s; logs:\n%s", i, want, tail(s.logs.String(), 3000))
			}
			if m.ID != id && (m.Type == "next" || m.Type == "complete") {
				continue // an earlier subscription until the server handled its complete
			}
			if m.Type != "next" {
				t.Fatalf("round %d: got %s: %s", i, m.Type, m.Payload)
			}
			ev := c.event(m)
			if seen[ev.Cursor] {
				again++
				continue
			}
			seen[ev.Cursor] = true
			if ev.ConsentHandle != handle || ev.EventStatus != want {
				t.Fatalf("round %d: new event %s %s, want %s %s", i, ev.ConsentHandle, ev.EventStatus, handle, want)
			}
			break
		}
		c.send(map[string]any{"id": id, "type": "complete"})
	}
	t.Logf("%d rounds in %v; %d events of the moment before were delivered again (cursors already seen)", rounds, time.Since(start).Round(time.Millisecond), again)
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string { return s[max(0, len(s)-n):] }
