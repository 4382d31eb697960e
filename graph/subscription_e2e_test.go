package graph_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// liveEnv is one BFF replica with its broker, in front of a sandbox whose
// webhooks it receives.
type liveEnv struct {
	bff *bff
	sb  *sandbox.Sandbox
	fp  *finpro.Client
}

func newLiveEnv(t testing.TB, ws graph.WebsocketConfig) *liveEnv {
	t.Helper()
	b := newBFF(t, startBroker(t, broker.Options{}))
	sb, fp := newSandbox(t, b)
	if ws.InitFunc == nil {
		ws.InitFunc = testInit
	}
	b.serve(fp, ws)
	return &liveEnv{bff: b, sb: sb, fp: fp}
}

// step is what a test compares of an event.
type step struct {
	Handle, EventStatus, Status string
	HasConsentID                bool
	Consent                     string // the consent field's handle; "" when null
}

func stepOf(e eventJSON) step {
	s := step{Handle: e.ConsentHandle, EventStatus: e.EventStatus, Status: e.Status, HasConsentID: e.ConsentID != nil}
	if e.Consent != nil {
		s.Consent = e.Consent.ConsentHandle
	}
	return s
}

// lifecycle is the events of approve, pause, resume and revoke of handle.
func lifecycle(handle string) []step {
	return []step{
		{handle, "CONSENT_APPROVED", "ACTIVE", true, handle},
		{handle, "CONSENT_PAUSED", "PAUSED", true, handle},
		{handle, "CONSENT_RESUMED", "ACTIVE", true, handle},
		{handle, "CONSENT_REVOKED", "REVOKED", true, handle},
	}
}

// TestConsentStatusChanged drives consents through the sandbox's admin API:
// the sandbox signs and posts webhooks to the BFF, the broker stores them, and
// every subscriber of the customer receives exactly the matching events in
// order, over both subprotocols; another customer's subscriber receives none.
func TestConsentStatusChanged(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	api := e.bff.srv.URL + "/graphql"
	for _, proto := range protocols {
		t.Run(proto, func(t *testing.T) {
			handleA := requestConsent(t, api, mobileA)
			handleB := requestConsent(t, api, mobileB)

			// The caller's own customer (token mobile), one consent, an
			// explicit customer, and another customer.
			mine := connect(t, e.bff.wsURL(), proto, map[string]any{"mobile": mobileA})
			mine.subscribe(t, "mine", consentStatusChanged, subVars("", "", ""))
			mine.subscribe(t, "one", consentStatusChanged, subVars("", handleA, ""))
			anon := connect(t, e.bff.wsURL(), proto, nil)
			anon.subscribe(t, "explicit", consentStatusChanged, subVars(mobileA, "", ""))
			anon.subscribe(t, "other", consentStatusChanged, subVars(mobileB, "", ""))
			e.bff.source.waitSubscribed(t, 4)

			transition(t, e.sb, handleA, sandbox.ActionApprove, sandbox.ActionPause, sandbox.ActionResume, sandbox.ActionRevoke)
			want := lifecycle(handleA)
			for _, sub := range []struct {
				c  *wsClient
				id string
			}{{mine, "mine"}, {mine, "one"}, {anon, "explicit"}} {
				var got []step
				cursors := make(map[string]bool)
				for range want {
					ev := sub.c.event(t, sub.id)
					got = append(got, stepOf(ev))
					if ev.Cursor == "" || cursors[ev.Cursor] {
						t.Errorf("%s: cursor %q empty or repeated", sub.id, ev.Cursor)
					}
					cursors[ev.Cursor] = true
					if _, err := time.Parse(time.RFC3339Nano, ev.OccurredAt); err != nil {
						t.Errorf("%s: occurredAt %q is not RFC 3339", sub.id, ev.OccurredAt)
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: events mismatch (-want +got):\n%s", sub.id, diff)
				}
			}

			// The other customer's first event is its own sentinel, and
			// customer A's subscribers get A's next event and nothing of B.
			transition(t, e.sb, handleB, sandbox.ActionApprove)
			if got, want := stepOf(anon.event(t, "other")), (step{handleB, "CONSENT_APPROVED", "ACTIVE", true, handleB}); got != want {
				t.Errorf("other customer's first event = %+v, want its sentinel %+v", got, want)
			}
			handleA2 := requestConsent(t, api, mobileA)
			transition(t, e.sb, handleA2, sandbox.ActionReject)
			wantA2 := step{handleA2, "CONSENT_REJECTED", "REJECTED", false, handleA2}
			for _, id := range []string{"mine", "explicit"} {
				c := mine
				if id == "explicit" {
					c = anon
				}
				if got := stepOf(c.event(t, id)); got != wantA2 {
					t.Errorf("%s: next event = %+v, want %+v", id, got, wantA2)
				}
			}
			// The one-consent subscriber got nothing more: stopping it
			// completes it at once (graphql-ws confirms the stop;
			// graphql-transport-ws sends nothing after the client's
			// complete, as its protocol says).
			mine.stop(t, "one")
			if proto == "graphql-ws" {
				if r := mine.result(t, "one"); r.kind != "complete" {
					t.Errorf("one-consent subscription after stop: got %s, want complete", r.kind)
				}
			}
		})
	}
}

// TestConsentStatusChangedErrors checks that invalid arguments and missing
// prerequisites fail the operation before any event.
func TestConsentStatusChangedErrors(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	off := httptest.NewServer(graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: e.fp}, Websocket: graph.WebsocketConfig{InitFunc: testInit}}))
	t.Cleanup(off.Close)
	offURL := "ws" + strings.TrimPrefix(off.URL, "http")

	tests := []struct {
		name    string
		url     string
		payload map[string]any
		vars    map[string]any
		want    string
	}{
		{"no customer", e.bff.wsURL(), nil, subVars("", "", ""), "BAD_USER_INPUT"},
		{"short mobile", e.bff.wsURL(), nil, subVars("98765", "", ""), "BAD_USER_INPUT"},
		{"bad handle", e.bff.wsURL(), nil, subVars("", "bad handle!", ""), "BAD_USER_INPUT"},
		{"bad product", e.bff.wsURL(), nil, map[string]any{"product": "", "mobile": mobileA}, "BAD_USER_INPUT"},
		{"bad cursor", e.bff.wsURL(), nil, subVars(mobileA, "", "not-a-cursor"), "BAD_USER_INPUT"},
		{"expired token", e.bff.wsURL(), map[string]any{"mobile": mobileA, "ttlMillis": "-1000"}, subVars("", "", ""), "UNAUTHENTICATED"},
		{"no broker", offURL, nil, subVars(mobileA, "", ""), "UPSTREAM_UNAVAILABLE"},
	}
	for _, proto := range protocols {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				c := connect(t, tt.url, proto, tt.payload)
				c.subscribe(t, "1", consentStatusChanged, tt.vars)
				if got := c.errorCode(t, "1"); got != tt.want {
					t.Errorf("consentStatusChanged(%s) code = %s, want %s", tt.name, got, tt.want)
				}
			})
		}
	}
	e.bff.source.waitOpen(t, 0)
}

// TestConsentStatusChangedOverPOST checks that POST refuses subscriptions
// instead of holding the request open until an event.
func TestConsentStatusChangedOverPOST(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	r := postTo(t, e.bff.srv.URL+"/graphql", consentStatusChanged, subVars(mobileA, "", ""))
	if len(r.Errors) != 1 || r.Errors[0].code() != "BAD_USER_INPUT" {
		t.Errorf("subscription over POST errors = %+v, want one BAD_USER_INPUT", r.Errors)
	}
}

// TestSubscriptionEnds checks every way a subscription ends: the client
// stops it or goes away, the token expires, the server shuts down, the broker
// closes. Each frees its broker subscription.
func TestSubscriptionEnds(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	for _, proto := range protocols {
		t.Run(proto+"/stop", func(t *testing.T) {
			c := connect(t, e.bff.wsURL(), proto, nil)
			c.subscribe(t, "1", consentStatusChanged, subVars(mobileA, "", ""))
			e.bff.source.waitSubscribed(t, 1)
			c.stop(t, "1")
			if proto == "graphql-ws" { // graphql-transport-ws: nothing after the client's complete
				if r := c.result(t, "1"); r.kind != "complete" {
					t.Errorf("after stop got %s, want complete", r.kind)
				}
			}
			e.bff.source.waitOpen(t, 0)
		})
		t.Run(proto+"/client gone", func(t *testing.T) {
			c := connect(t, e.bff.wsURL(), proto, nil)
			c.subscribe(t, "1", consentStatusChanged, subVars(mobileA, "", ""))
			e.bff.source.waitSubscribed(t, 1)
			c.conn.Close()
			e.bff.source.waitOpen(t, 0)
		})
		t.Run(proto+"/token expiry", func(t *testing.T) {
			c := connect(t, e.bff.wsURL(), proto, map[string]any{"mobile": mobileA, "ttlMillis": "200"})
			c.subscribe(t, "1", consentStatusChanged, subVars("", "", ""))
			if got := c.errorCode(t, "1"); got != "UNAUTHENTICATED" {
				t.Errorf("subscription at token expiry ended with %s, want UNAUTHENTICATED", got)
			}
			e.bff.source.waitOpen(t, 0)
		})
		t.Run(proto+"/server shutdown", func(t *testing.T) {
			b := newBFF(t, e.bff.broker)
			b.serve(e.fp, graph.WebsocketConfig{})
			c := connect(t, b.wsURL(), proto, nil)
			c.subscribe(t, "1", consentStatusChanged, subVars(mobileA, "", ""))
			b.source.waitSubscribed(t, 1)
			b.shutdown()
			if r := c.result(t, "1"); r.kind != "complete" {
				t.Errorf("at shutdown got %s, want complete", r.kind)
			}
			if err := c.waitClosed(t); !isCloseCode(err, websocket.CloseGoingAway) {
				t.Errorf("connection at shutdown ended with %v, want close 1001", err)
			}
			b.source.waitOpen(t, 0)
		})
	}
	t.Run("broker closed", func(t *testing.T) {
		other := newLiveEnv(t, graph.WebsocketConfig{})
		c := connect(t, other.bff.wsURL(), protocols[0], nil)
		c.subscribe(t, "1", consentStatusChanged, subVars(mobileA, "", ""))
		other.bff.source.waitSubscribed(t, 1)
		other.bff.broker.Close()
		if got := c.errorCode(t, "1"); got != "UPSTREAM_UNAVAILABLE" {
			t.Errorf("subscription when the broker closed ended with %s, want UPSTREAM_UNAVAILABLE", got)
		}
	})
}

// TestRequestConsentRemembersHandle checks that an event hiding the mobile (a
// masked Type 2 VUA) reaches the customer's subscribers once requestConsent
// created the consent through the BFF.
func TestRequestConsentRemembersHandle(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	handle := requestConsent(t, e.bff.srv.URL+"/graphql", mobileA)
	c := connect(t, e.bff.wsURL(), protocols[0], nil)
	c.subscribe(t, "1", consentStatusChanged, subVars(mobileA, "", ""))
	e.bff.source.waitSubscribed(t, 1)

	body, err := json.Marshal(map[string]any{
		"consentHandle": handle, "eventType": "CONSENT", "eventStatus": "CONSENT_REJECTED",
		"consentId": "<NULL>", "vua": "XXXXXX" + mobileA[6:] + "@onemoney", "productID": product,
		"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
	})
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write(body)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.bff.srv.URL+"/webhooks/finpro", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(webhook.DefaultSignatureHeader, hex.EncodeToString(m.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST /webhooks/finpro = %d, want 200", res.StatusCode)
	}
	if got, want := stepOf(c.event(t, "1")), (step{handle, "CONSENT_REJECTED", "REJECTED", false, handle}); got != want {
		t.Errorf("masked event = %+v, want %+v", got, want)
	}
}

// TestWebsocketTransport checks the transport settings: origins, 4403 on a
// rejected connection_init, keep-alive for both protocols, the read limit.
func TestWebsocketTransport(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{
		AllowedOrigins: []string{"https://app.example.com"},
		KeepAlive:      50 * time.Millisecond,
		ReadLimit:      1024,
	})
	url := e.bff.wsURL()

	t.Run("origin", func(t *testing.T) {
		tests := []struct {
			origin string
			ok     bool
		}{
			{"", true}, // native app
			{"https://app.example.com", true},
			{"https://evil.example.com", false},
		}
		for _, tt := range tests {
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			c, resp, err := dialWS(t, url, protocols[0], h)
			if tt.ok {
				if err != nil {
					t.Errorf("Dial(Origin %q) error = %v, want success", tt.origin, err)
					continue
				}
				c.init(t, nil)
				continue
			}
			if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("Dial(Origin %q) = %v, want HTTP 403", tt.origin, err)
			}
		}
	})

	for _, proto := range protocols {
		t.Run(proto+"/rejected init", func(t *testing.T) {
			c, _, err := dialWS(t, url, proto, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.write(wsMsg{Type: "connection_init", Payload: json.RawMessage(`{"reject":true}`)}); err != nil {
				t.Fatal(err)
			}
			var errMsgs []string
			for _, m := range c.untilClosed(t) {
				var p struct {
					Message string `json:"message"`
				}
				if m.Type == "connection_error" && json.Unmarshal(m.Payload, &p) == nil {
					errMsgs = append(errMsgs, p.Message)
				}
			}
			if !isCloseCode(c.readErr, 4403) {
				t.Errorf("rejected connection_init closed with %v, want 4403", c.readErr)
			}
			// graphql-ws tells the client why, with the InitFunc's safe message.
			if proto == "graphql-ws" && !slices.Equal(errMsgs, []string{"invalid token"}) {
				t.Errorf("connection_error messages = %q, want [\"invalid token\"]", errMsgs)
			}
		})
	}

	t.Run("graphql-transport-ws/ping", func(t *testing.T) {
		c := connect(t, url, "graphql-transport-ws", nil)
		pollUntil(t, "two pings answered", func() bool {
			c.wmu.Lock()
			defer c.wmu.Unlock()
			return c.pings >= 2
		})
		// The connection stays open while the client answers.
		c.subscribe(t, "1", consentStatusChanged, subVars("", "", ""))
		if got := c.errorCode(t, "1"); got != "BAD_USER_INPUT" {
			t.Errorf("operation after pings: code %s, want BAD_USER_INPUT", got)
		}
	})
	t.Run("graphql-transport-ws/missing pong", func(t *testing.T) {
		c, _, err := dialWS(t, url, "graphql-transport-ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		c.wmu.Lock()
		c.autoPong = false
		c.wmu.Unlock()
		c.init(t, nil)
		c.waitClosed(t) // the server gives up on a client that never answers
	})
	t.Run("graphql-ws/ka", func(t *testing.T) {
		c := connect(t, url, "graphql-ws", nil)
		for n := 0; n < 3; {
			select {
			case m := <-c.msgs:
				if m.Type != "ka" {
					t.Fatalf("got %q, want ka", m.Type)
				}
				n++
			case <-c.closed:
				t.Fatalf("connection closed: %v", c.readErr)
			case <-time.After(safety):
				t.Fatal("no keep-alive")
			}
		}
	})
	t.Run("read limit", func(t *testing.T) {
		c := connect(t, url, protocols[0], nil)
		c.subscribe(t, "1", consentStatusChanged+"\n#"+strings.Repeat("x", 2048), subVars(mobileA, "", ""))
		if err := c.waitClosed(t); !isCloseCode(err, websocket.CloseMessageTooBig) {
			t.Errorf("oversized message closed with %v, want %d", err, websocket.CloseMessageTooBig)
		}
	})
}

// TestSubscriptionGoroutines opens and ends many subscriptions through the
// handler and checks the goroutine count returns to its baseline.
func TestSubscriptionGoroutines(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	round := func(conns, perConn int) {
		var cs []*wsClient
		for i := range conns {
			c := connect(t, e.bff.wsURL(), protocols[i%2], nil)
			for j := range perConn {
				c.subscribe(t, strconv.Itoa(j), consentStatusChanged, subVars(mobileA, "", ""))
			}
			cs = append(cs, c)
		}
		e.bff.source.waitSubscribed(t, conns*perConn)
		for i, c := range cs {
			if i%2 == 0 {
				c.conn.Close() // goes away
				continue
			}
			for j := range perConn { // stops each operation, then closes
				c.stop(t, strconv.Itoa(j))
				if r := c.result(t, strconv.Itoa(j)); r.kind != "complete" {
					t.Fatalf("after stop got %s, want complete", r.kind)
				}
			}
			c.conn.Close()
		}
		e.bff.source.waitOpen(t, 0)
	}
	round(2, 2) // warm up pools and lazily started goroutines
	http.DefaultClient.CloseIdleConnections()
	base := settledGoroutines()
	round(6, 5)
	http.DefaultClient.CloseIdleConnections()
	pollUntil(t, fmt.Sprintf("goroutines back to %d", base), func() bool { return runtime.NumGoroutine() <= base })
}

// settledGoroutines is the goroutine count once it stopped falling.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m >= n {
			return n
		}
		n = m
	}
	return n
}

// pollUntil polls cond until it holds; the deadline only guards a hang.
func pollUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(safety)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not reached within the safety bound: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
