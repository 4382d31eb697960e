package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// Websocket sessions in production mode (issue 12, failures 2 and 4).

const (
	testWebhookSecret = "webhook-secret-for-tests" // startProduction's FINPRO_WEBHOOK_SECRET
	demoEvents        = `subscription { consentStatusChanged(productID: "` + demoProduct + `", mobileNumber: "` + demoMobile + `") { status } }`
)

// wsToken signs a token for sub valid until exp.
func wsToken(t *testing.T, sub string, exp time.Time) string {
	return sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims(sub).with("exp", exp.Unix()))
}

// wsConnect opens a socket of protocol p and waits for connection_ack.
func wsConnect(t *testing.T, s prodServer, p wstest.Protocol, token string) *wstest.Conn {
	t.Helper()
	c := wstest.Connect(t, s.base+"/graphql", p, nil)
	c.Init(t, map[string]any{"Authorization": "Bearer " + token})
	return c
}

// postConsentEvent delivers a signed CONSENT webhook for the demo customer,
// as FinPro would.
func postConsentEvent(t *testing.T, s prodServer, handle, status string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"consentHandle": handle, "eventType": "CONSENT", "eventStatus": status,
		"consentId": "<NULL>", "vua": demoMobile + "@onemoney", "productID": demoProduct,
		"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
	})
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte(testWebhookSecret))
	m.Write(body)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.base+"/webhooks/finpro", bytes.NewReader(body))
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
}

// TestWebsocketTokenExpiry: at the token's exp the socket ends its
// subscription with UNAUTHENTICATED and closes with 4403; a socket whose
// token is already past exp (inside the verifier's clock-skew leeway, which
// HTTP still accepts) serves nothing at all.
func TestWebsocketTokenExpiry(t *testing.T) {
	s := startProduction(t, nil)
	for _, p := range wstest.Protocols() {
		t.Run(p.Name+" expires while subscribed", func(t *testing.T) {
			c := wsConnect(t, s, p, wsToken(t, "exp-"+p.Name, time.Now().Add(2*time.Second)))
			if r := c.Run(t, "{ __typename }", nil); r.Codes() != nil || r.Nexts != 1 {
				t.Fatalf("query before exp = %+v, want one result", r)
			}
			c.Subscribe(t, "1", demoEvents, nil)
			ce, got := c.ReadToClose(t)
			if ce.Code != 4403 || ce.Text != reasonTokenExpired {
				t.Errorf("close = %d %q, want 4403 %q", ce.Code, ce.Text, reasonTokenExpired)
			}
			var codes []string
			for _, m := range got {
				if m.ID != "1" || (m.Type != "error" && m.Type != p.Next) {
					t.Errorf("before the close got %s for %q, want only the subscription's error", m.Type, m.ID)
					continue
				}
				r := m.Errors(t)
				if m.Type == p.Next {
					var res struct{ Errors []wstest.Error }
					json.Unmarshal(m.Payload, &res)
					r = res.Errors
				}
				for _, e := range r {
					codes = append(codes, e.Code())
				}
			}
			if len(codes) != 1 || codes[0] != "UNAUTHENTICATED" {
				t.Errorf("subscription ended with %v, want one UNAUTHENTICATED", codes)
			}
		})
		t.Run(p.Name+" past exp at connection_init", func(t *testing.T) {
			tok := wsToken(t, "late-"+p.Name, time.Now().Add(-5*time.Second))
			if status, _, raw := doRequest(t, http.MethodPost, s.base+"/graphql", "application/json", tok, gqlBody("{__typename}")); status != 200 {
				t.Fatalf("HTTP with the token = %d %s, want 200 (inside the leeway)", status, raw)
			}
			c := wstest.Connect(t, s.base+"/graphql", p, nil)
			c.SendInit(t, map[string]any{"Authorization": "Bearer " + tok})
			c.Subscribe(t, "q", "{ __typename }", nil)
			ce, got := c.ReadToClose(t)
			if ce.Code != 4403 {
				t.Errorf("close = %d %q, want 4403", ce.Code, ce.Text)
			}
			for _, m := range got {
				if m.Type == p.Next {
					t.Errorf("the expired socket answered a query: %s", m.Payload)
				}
			}
		})
	}
}

// TestWebsocketSubscriptionIDs: a reused id closes a graphql-transport-ws
// socket with 4409; on graphql-ws the new start replaces the running one, and
// after the client's stop nothing more is delivered for the id.
func TestWebsocketSubscriptionIDs(t *testing.T) {
	s := startProduction(t, nil)
	tok := wsToken(t, "ids", time.Now().Add(time.Hour))

	t.Run("graphql-transport-ws duplicate", func(t *testing.T) {
		c := wsConnect(t, s, wstest.TransportWS, tok)
		c.Subscribe(t, "1", demoEvents, nil)
		c.Ping(t) // the first subscribe is read
		c.Subscribe(t, "1", demoEvents, nil)
		ce, _ := c.ReadToClose(t)
		if ce.Code != 4409 || ce.Text != "Subscriber for 1 already exists" {
			t.Errorf("close = %d %q, want 4409 \"Subscriber for 1 already exists\"", ce.Code, ce.Text)
		}
	})

	for _, p := range wstest.Protocols() {
		t.Run(p.Name+" nothing after stop", func(t *testing.T) {
			c := wsConnect(t, s, p, tok)
			c.Subscribe(t, "1", demoEvents, nil)
			if p == wstest.GraphQLWS {
				c.Subscribe(t, "1", demoEvents, nil) // replaces the first
			}
			c.Subscribe(t, "witness", demoEvents, nil)
			c.Stop(t, "1")
			// Let the subscriptions register with the broker: a query's
			// answer comes after the messages before it were read.
			c.Run(t, "{ __typename }", nil)
			time.Sleep(200 * time.Millisecond)
			postConsentEvent(t, s, "ids-"+p.Name, "CONSENT_PAUSED")
			var seen []wstest.Message
			for {
				m := c.Read(t)
				if m.ID == "witness" && m.Type == p.Next {
					break
				}
				seen = append(seen, m)
			}
			// A round trip after the witness's event: anything still on its
			// way for "1" arrives before the answer.
			c.Subscribe(t, "barrier", "{ __typename }", nil)
			for {
				m := c.Read(t)
				if m.ID == "barrier" && m.Type == "complete" {
					break
				}
				seen = append(seen, m)
			}
			for _, m := range seen {
				if m.ID == "1" && !(p == wstest.GraphQLWS && m.Type == "complete") {
					t.Errorf("after the stop got %s for id 1: %s", m.Type, m.Payload)
				}
			}
		})
	}
}

// TestWebsocketCaps: WS_MAX_OPERATIONS bounds one socket's operations (the
// one over it gets RATE_LIMITED, the socket goes on) and
// WS_MAX_SOCKETS_PER_PRINCIPAL the sockets of one token subject (the one over
// it closes with 1008); another principal is unaffected.
func TestWebsocketCaps(t *testing.T) {
	s := startProduction(t, map[string]string{"WS_MAX_OPERATIONS": "3", "WS_MAX_SOCKETS_PER_PRINCIPAL": "2"})
	tok := wsToken(t, "caps", time.Now().Add(time.Hour))

	t.Run("operations per socket", func(t *testing.T) {
		c := wsConnect(t, s, wstest.TransportWS, tok)
		for _, id := range []string{"a", "b", "c"} {
			c.Subscribe(t, id, demoEvents, nil)
		}
		c.Subscribe(t, "d", demoEvents, nil)
		r := c.Collect(t, "d")
		if r.Ended != "error" || len(r.Codes()) != 1 || r.Codes()[0] != "RATE_LIMITED" {
			t.Errorf("fourth subscription = %+v, want an error RATE_LIMITED", r)
		}
		c.Stop(t, "a")
		c.Subscribe(t, "e", demoEvents, nil)
		if got := c.Ping(t); len(got) != 0 {
			t.Errorf("a subscription in the freed slot got %v, want it running quietly", got)
		}
		c.Close()
	})

	t.Run("sockets per principal", func(t *testing.T) {
		// Its own subject: the server frees the other subtest's socket
		// asynchronously after the client closes it.
		tok := wsToken(t, "caps-sockets", time.Now().Add(time.Hour))
		first := wsConnect(t, s, wstest.TransportWS, tok)
		wsConnect(t, s, wstest.GraphQLWS, tok)
		third := wstest.Connect(t, s.base+"/graphql", wstest.TransportWS, nil)
		third.SendInit(t, map[string]any{"Authorization": "Bearer " + tok})
		ce, _ := third.ReadToClose(t)
		if ce.Code != websocket.ClosePolicyViolation || ce.Text != reasonTooManyConnections {
			t.Errorf("third socket's close = %d %q, want 1008 %q", ce.Code, ce.Text, reasonTooManyConnections)
		}
		wsConnect(t, s, wstest.TransportWS, wsToken(t, "caps-other", time.Now().Add(time.Hour)))

		// A closed socket frees its slot.
		first.Close()
		deadline := time.Now().Add(wstest.Timeout)
		for {
			c := wstest.Connect(t, s.base+"/graphql", wstest.TransportWS, nil)
			c.SendInit(t, map[string]any{"Authorization": "Bearer " + tok})
			if m, err := c.TryRead(); err == nil && m.Type == "connection_ack" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the slot of a closed socket was never freed")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestWebsocketShutdown opens 100 subscriptions over five sockets of both
// protocols, and one socket that never sent connection_init, then stops the
// server: every subscription gets exactly one complete, every socket closes
// with 1001, and run returns only after all of it was written.
func TestWebsocketShutdown(t *testing.T) {
	const sockets, each = 5, 20
	s := startProduction(t, map[string]string{
		"WS_MAX_OPERATIONS": fmt.Sprint(each + 1), // and the barrier query
		"RATE_LIMIT_BURST":  "1000",               // every operation counts
	})
	tok := wsToken(t, "shutdown", time.Now().Add(time.Hour))
	var conns []*wstest.Conn
	for i := range sockets {
		p := wstest.Protocols()[i%2]
		c := wsConnect(t, s, p, tok)
		for j := range each {
			c.Subscribe(t, fmt.Sprint("s", j), demoEvents, nil)
		}
		// Every subscribe has been read once a query's answer arrives, and
		// none of them ended.
		if early := roundTripWS(t, c, "barrier"); len(early) != 0 {
			t.Fatalf("socket %d: before the shutdown got %v", i, early)
		}
		conns = append(conns, c)
	}
	idle := wstest.Connect(t, s.base+"/graphql", wstest.TransportWS, nil)

	if err := s.stop(); err != nil {
		t.Fatalf("run after cancel = %v, want nil", err)
	}
	completed := 0
	for i, c := range conns {
		ce, got := c.ReadToClose(t)
		if ce.Code != websocket.CloseGoingAway {
			t.Errorf("socket %d: close = %d %q, want 1001", i, ce.Code, ce.Text)
		}
		n := map[string]int{}
		for _, m := range got {
			if m.Type == "complete" {
				n[m.ID]++
			} else {
				t.Errorf("socket %d: got %s for %q before the close, want only complete", i, m.Type, m.ID)
			}
		}
		for j := range each {
			if id := fmt.Sprint("s", j); n[id] != 1 {
				t.Errorf("socket %d: %s got %d completes, want 1", i, id, n[id])
			} else {
				completed++
			}
		}
	}
	if completed != sockets*each {
		t.Errorf("%d of %d subscriptions got complete", completed, sockets*each)
	}
	if ce := idle.ReadClose(t); ce.Code != websocket.CloseGoingAway {
		t.Errorf("socket before connection_init: close = %d %q, want 1001", ce.Code, ce.Text)
	}
}

// TestWebsocketInitTimeout: a socket that sends no connection_init within
// WS_INIT_TIMEOUT closes with 4408.
func TestWebsocketInitTimeout(t *testing.T) {
	s := startProduction(t, map[string]string{"WS_INIT_TIMEOUT": "300ms"})
	for _, p := range wstest.Protocols() {
		t.Run(p.Name, func(t *testing.T) {
			c := wstest.Connect(t, s.base+"/graphql", p, nil)
			ce := c.ReadClose(t)
			if ce.Code != 4408 || ce.Text != "Connection initialisation timeout" {
				t.Errorf("close = %d %q, want 4408 \"Connection initialisation timeout\"", ce.Code, ce.Text)
			}
		})
	}
}

// roundTripWS runs a query under id and returns the messages of other
// operations that arrived before its complete.
func roundTripWS(t *testing.T, c *wstest.Conn, id string) []wstest.Message {
	t.Helper()
	c.Subscribe(t, id, "{ __typename }", nil)
	var other []wstest.Message
	for {
		m := c.Read(t)
		switch {
		case m.ID != id:
			other = append(other, m)
		case m.Type == "complete":
			return other
		}
	}
}
