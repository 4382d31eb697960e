package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// Protections of the server itself in production mode (issue 12, gaps).

// doFrom is doRequest from the client address xff behind the test's proxy
// (TRUSTED_PROXIES=127.0.0.1), returning the response's headers too.
func doFrom(t *testing.T, s prodServer, xff, token, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.base+"/graphql", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(raw)
}

// TestAuthFailureLimit: 150 bad tokens from one client address reach the
// verifier AUTH_FAILURE_BURST times (401); the rest, and that address's other
// credentials, get 429 with Retry-After before any verification, while other
// addresses and requests without a credential are unaffected. Websockets
// count and are refused the same way.
func TestAuthFailureLimit(t *testing.T) {
	const burst = 5
	s := startProduction(t, map[string]string{
		"AUTH_FAILURES_PER_MINUTE": "1",
		"AUTH_FAILURE_BURST":       "5",
		"TRUSTED_PROXIES":          "127.0.0.1",
	})
	good := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("af"))
	bad := sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 40)), goodClaims("af"))
	q := gqlBody("{__typename}")
	const attacker, neighbour = "198.51.100.1", "198.51.100.2"

	counts := map[int]int{}
	var last http.Header
	var lastBody string
	for range 150 {
		status, h, body := doFrom(t, s, attacker, bad, q)
		counts[status]++
		if status == http.StatusTooManyRequests {
			last, lastBody = h, body
		}
	}
	if counts[401] != burst || counts[429] != 150-burst {
		t.Fatalf("150 bad tokens: statuses %v, want %d x 401 then 429", counts, burst)
	}
	if ra := last.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("429 Retry-After = %q, want whole seconds", ra)
	}
	if !strings.Contains(lastBody, `"code":"RATE_LIMITED"`) || !strings.Contains(lastBody, `"retryAfterSeconds":`) {
		t.Errorf("429 body %s, want RATE_LIMITED with retryAfterSeconds", lastBody)
	}
	for _, tc := range []struct {
		name, xff, token string
		want             int
	}{
		{"the address's valid token, unverified", attacker, good, 429},
		{"the address without a token", attacker, "", 401},
		{"another address, bad token", neighbour, bad, 401},
		{"another address, valid token", neighbour, good, 200},
	} {
		if status, _, body := doFrom(t, s, tc.xff, tc.token, q); status != tc.want {
			t.Errorf("%s = %d %.200s, want %d", tc.name, status, body, tc.want)
		}
	}

	t.Run("websocket", func(t *testing.T) {
		h := http.Header{"X-Forwarded-For": {attacker}}
		if _, resp, err := wstest.Dial(t, s.base+"/graphql", h, wstest.TransportWS.Name); err == nil || resp == nil || resp.StatusCode != 429 {
			t.Errorf("upgrade from the blocked address: err %v, response %v; want HTTP 429", err, resp)
		}
		// Bad tokens in connection_init count like bad headers.
		const wsClient = "198.51.100.3"
		h = http.Header{"X-Forwarded-For": {wsClient}}
		for range burst {
			c, _, err := wstest.Dial(t, s.base+"/graphql", h, wstest.TransportWS.Name)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			c.SendInit(t, map[string]any{"Authorization": "Bearer " + bad})
			if ce := c.ReadClose(t); ce.Code != 4403 {
				t.Errorf("bad connection_init close = %d, want 4403", ce.Code)
			}
		}
		if _, resp, err := wstest.Dial(t, s.base+"/graphql", h, wstest.TransportWS.Name); err == nil || resp == nil || resp.StatusCode != 429 {
			t.Errorf("upgrade after %d bad connection_inits: err %v, response %v; want HTTP 429", burst, err, resp)
		}
	})
}

// TestAuthFailureLimitIgnoresUntrustedForwarding: without TRUSTED_PROXIES
// the peer is the client, so a forged X-Forwarded-For neither spreads one
// attacker over many addresses nor blocks the address it names.
func TestAuthFailureLimitIgnoresUntrustedForwarding(t *testing.T) {
	s := startProduction(t, map[string]string{"AUTH_FAILURES_PER_MINUTE": "1", "AUTH_FAILURE_BURST": "3"})
	bad := sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 40)), goodClaims("af"))
	var statuses []int
	for i := range 5 {
		status, _, _ := doFrom(t, s, "198.51.100."+string(rune('1'+i)), bad, gqlBody("{__typename}"))
		statuses = append(statuses, status)
	}
	if want := []int{401, 401, 401, 429, 429}; !slices.Equal(statuses, want) {
		t.Errorf("statuses = %v, want %v", statuses, want)
	}
}

// TestInFlightShedding holds MAX_IN_FLIGHT queries inside a FinPro that does
// not answer: every further query is shed at once with 503, Retry-After and a
// GraphQL-shaped body, without reaching FinPro, and health checks still
// answer; once FinPro answers, queries are admitted again.
func TestInFlightShedding(t *testing.T) {
	const limit, extra = 4, 20
	arrived := make(chan struct{}, 100)
	release := make(chan struct{})
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		arrived <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"ver":"1.21.0","status":"failure","errorCode":"InvalidRequest","errorMsg":"no"}`)
	}))
	defer fake.Close()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock()
	base, _, _, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{
		"FINPRO_BASE_URL":        fake.URL,
		"FINPRO_CLIENT_ID":       sandbox.DefaultClientID,
		"FINPRO_CLIENT_SECRET":   sandbox.DefaultClientSecret,
		"FINPRO_ORGANISATION_ID": sandbox.DefaultOrganisationID,
		"FINPRO_APP_IDENTIFIER":  sandbox.DefaultAppIdentifier,
		"FINPRO_WEBHOOK_SECRET":  testWebhookSecret,
		"FINPRO_RETRY_WINDOW":    "0s",
		"JWT_HS256_SECRET":       testSecret,
		"JWT_ISSUER":             testIssuer,
		"JWT_AUDIENCE":           testAudience,
		"MAX_IN_FLIGHT":          fmt.Sprint(limit),
	})
	s := prodServer{base: base}
	token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("slow"))
	q := gqlBody(`{ customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `") { consents { totalCount } } }`)

	var wg sync.WaitGroup
	held := make([]int, limit)
	for i := range limit {
		wg.Go(func() { held[i], _, _ = doFrom(t, s, "", token, q) })
	}
	for range limit {
		select {
		case <-arrived:
		case <-time.After(wstest.Timeout):
			t.Fatal("the held queries never reached FinPro")
		}
	}
	for i := range extra {
		status, h, body := doFrom(t, s, "", token, q)
		if status != http.StatusServiceUnavailable || h.Get("Retry-After") != "1" ||
			!strings.Contains(body, `"code":"RATE_LIMITED"`) || !strings.Contains(body, `"retryAfterSeconds":1`) {
			t.Fatalf("query %d over the bound = %d Retry-After %q %s, want 503, Retry-After 1, RATE_LIMITED", i+1, status, h.Get("Retry-After"), body)
		}
	}
	if status, _ := get(t, base+"/healthz"); status != 200 {
		t.Errorf("/healthz while saturated = %d, want 200", status)
	}
	if n := len(arrived); n != 0 {
		t.Errorf("%d shed queries reached FinPro", n)
	}
	unblock()
	wg.Wait()
	for i, status := range held {
		if status != 200 {
			t.Errorf("held query %d = %d, want 200 (a GraphQL error from FinPro)", i, status)
		}
	}
	if status, _, body := doFrom(t, s, "", token, q); status != 200 {
		t.Errorf("after the burst = %d %s, want 200", status, body)
	}
}

// TestNoStore: every answer of /graphql, data or refusal, over GET or POST,
// carries Cache-Control: no-store, so no browser, proxy or CDN keeps
// financial data.
func TestNoStore(t *testing.T) {
	s := startProduction(t, map[string]string{"RATE_LIMIT_BURST": "1", "RATE_LIMIT_PER_SECOND": "1"})
	tok := func(sub string) string { return sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims(sub)) }
	data := `{ customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `") { consents { edges { node { consentHandle } } } } }`
	limited := tok("ns-limited")
	for _, tc := range []struct {
		name, method, ct, token, body string
		wantStatus                    int
	}{
		{"consent data", "POST", "application/json", tok("ns1"), gqlBody(data), 200},
		{"consent data over GET", "GET", "", tok("ns2"), "", 200},
		{"no token", "POST", "application/json", "", gqlBody(data), 401},
		{"malformed body", "POST", "application/json", tok("ns3"), `{"query":`, 400},
		{"wrong content type", "POST", "text/plain", tok("ns4"), gqlBody(data), 415},
		{"first of a burst of 1", "POST", "application/json", limited, gqlBody("{__typename}"), 200},
		{"rate limited", "POST", "application/json", limited, gqlBody("{__typename}"), 429},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := s.base + "/graphql"
			if tc.method == "GET" {
				u += "?query=" + url.QueryEscape(data)
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, u, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.ct != "" {
				req.Header.Set("Content-Type", tc.ct)
			}
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Values("Cache-Control"); len(got) != 1 || got[0] != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
		})
	}
}

// TestAdminListener: metrics and pprof are served on ADMIN_ADDR only, never
// on the public listener; the admin listener answers health checks too.
func TestAdminListener(t *testing.T) {
	s := startProduction(t, nil)
	admin := s.admin(t)
	if u, err := url.Parse(admin); err != nil || u.Hostname() != "127.0.0.1" {
		t.Errorf("admin listener at %s, want loopback", admin)
	}
	for _, tc := range []struct {
		base, path string
		want       int
		contains   string
	}{
		{s.base, "/metrics", 404, ""},
		{s.base, "/debug/pprof/", 404, ""},
		{s.base, "/debug/pprof/goroutine?debug=1", 404, ""},
		{admin, "/metrics", 200, "bff_http_requests_total"},
		{admin, "/debug/pprof/", 200, "goroutine"},
		{admin, "/debug/pprof/goroutine?debug=1", 200, "goroutine profile"},
		{admin, "/healthz", 200, `"ok"`},
		{admin, "/readyz", 200, `"ready"`},
		{admin, "/graphql", 404, ""},
	} {
		status, body := get(t, tc.base+tc.path)
		if status != tc.want || !strings.Contains(body, tc.contains) {
			t.Errorf("GET %s%s = %d %.100q, want %d containing %q", tc.base, tc.path, status, body, tc.want, tc.contains)
		}
	}
}

// TestRateLimitHeaders: every answer tells the client where it stands in the
// per-principal limit (IETF draft RateLimit-Policy and RateLimit): a burst of
// 5 at 1 a second is the quota 5 over a 5 s window, each request takes one,
// and the refusal says 0 remain.
func TestRateLimitHeaders(t *testing.T) {
	const burst = 5
	s := startProduction(t, map[string]string{"RATE_LIMIT_PER_SECOND": "1", "RATE_LIMIT_BURST": fmt.Sprint(burst)})
	tok := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("rl-headers"))
	for n := 1; n <= burst+1; n++ {
		status, h, _ := doFrom(t, s, "", tok, gqlBody("{__typename}"))
		if got, want := h.Get("RateLimit-Policy"), `"principal";q=5;w=5`; got != want {
			t.Errorf("request %d: RateLimit-Policy = %q, want %q", n, got, want)
		}
		left := max(burst-n, 0)
		// t: the seconds until the 5 are back, one a second.
		want := fmt.Sprintf(`"principal";r=%d;t=%d`, left, burst-left)
		if got := h.Get("RateLimit"); got != want {
			t.Errorf("request %d: RateLimit = %q, want %q", n, got, want)
		}
		wantStatus := 200
		if n > burst {
			wantStatus = 429
		}
		if status != wantStatus {
			t.Errorf("request %d: status %d, want %d", n, status, wantStatus)
		}
	}
}
