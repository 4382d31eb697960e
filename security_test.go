package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// The hostile-input suite runs the BFF in production mode (FINPRO_BASE_URL
// set, so no introspection and no default secrets) against a standalone
// sandbox, and checks for every case the exact status, extensions.code and that
// FinPro was not called.

const (
	testIssuer   = "https://issuer.test"
	testAudience = "finpro-bff-test"
	testMaxDepth = 7
	testMaxAlias = 4
	testMaxBody  = 4096
	otherMobile  = "9123456780"
	demoMobile   = sandbox.DemoMobile
	demoProduct  = sandbox.DemoProductID
	complexFirst = 25 // consents(first: complexFirst) is exactly at the cost limit
)

var testSecret = strings.Repeat("s3cr3t-", 6)

// complexityQuery is a consent page whose cost grows with first.
func complexityQuery(first int) string {
	return fmt.Sprintf(`{ customer(mobileNumber: "%s", productID: "%s") { consents(first: %d, status: [ACTIVE]) { edges { node { consentHandle accounts { maskedAccountNumber transactions(first: 20) { totalCount } } } } } } }`, demoMobile, demoProduct, first)
}

// costOf measures q as the guard does.
func costOf(t *testing.T, q string) int {
	t.Helper()
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	doc, errs := gqlparser.LoadQueryWithRules(schema, q, rules.NewDefaultRules())
	if errs != nil {
		t.Fatalf("LoadQuery(%q): %v", q, errs)
	}
	return guard.Analyze(doc, doc.Operations[0], nil, guard.Limits{}).Cost
}

type prodServer struct {
	base, sandboxURL string
	logs             *syncBuffer
}

func startProduction(t *testing.T, extraEnv map[string]string) prodServer {
	t.Helper()
	sbBase, _, sbLogs, _ := startRun(t, []string{"sandbox", "-addr", "127.0.0.1:0"}, map[string]string{"LOG_LEVEL": "warn"})
	env := map[string]string{
		"FINPRO_BASE_URL":        sbBase,
		"FINPRO_CLIENT_ID":       sandbox.DefaultClientID,
		"FINPRO_CLIENT_SECRET":   sandbox.DefaultClientSecret,
		"FINPRO_ORGANISATION_ID": sandbox.DefaultOrganisationID,
		"FINPRO_APP_IDENTIFIER":  sandbox.DefaultAppIdentifier,
		"FINPRO_WEBHOOK_SECRET":  "webhook-secret-for-tests",
		"JWT_HS256_SECRET":       testSecret,
		"JWT_ISSUER":             testIssuer,
		"JWT_AUDIENCE":           testAudience,
		"GRAPHQL_MAX_DEPTH":      fmt.Sprint(testMaxDepth),
		"GRAPHQL_MAX_ALIASES":    fmt.Sprint(testMaxAlias),
		"GRAPHQL_MAX_BODY_BYTES": fmt.Sprint(testMaxBody),
		"GRAPHQL_MAX_COST":       fmt.Sprint(costOf(t, complexityQuery(complexFirst))),
		"RATE_LIMIT_PER_SECOND":  "1",
		"RATE_LIMIT_BURST":       "20",
	}
	for k, v := range extraEnv {
		env[k] = v
	}
	base, _, logs, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, env)
	t.Cleanup(func() {
		for _, secret := range []string{sandbox.DefaultClientSecret, testSecret} {
			if strings.Contains(logs.String()+sbLogs.String(), secret) {
				t.Errorf("server logs contain a secret")
			}
		}
	})
	return prodServer{base: base, sandboxURL: sbBase, logs: logs}
}

// upstreamCalls returns the sandbox's FinPro call count and resets it.
func (s prodServer) upstreamCalls(t *testing.T) int {
	t.Helper()
	_, body := get(t, s.sandboxURL+"/_sandbox/stats")
	var st struct{ Calls map[string]int }
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("stats: %v", err)
	}
	post(t, s.sandboxURL+"/_sandbox/stats/reset", "", "")
	n := 0
	for _, c := range st.Calls {
		n += c
	}
	return n
}

type claims map[string]any

func goodClaims(sub string) claims {
	now := time.Now()
	return claims{
		"iss": testIssuer, "aud": testAudience, "sub": sub,
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
		"scope": strings.Join(auth.DevScopes(), " "),
	}
}

func (c claims) with(kv ...any) claims {
	out := claims{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func sign(t *testing.T, method jwt.SigningMethod, key any, c claims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, jwt.MapClaims(c)).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return tok
}

// unsigned builds an alg-none token by hand (golang-jwt refuses to make one
// without its unsafe marker, and the header spelling matters here).
func unsigned(alg string, c claims) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": alg, "typ": "JWT"}) + "." + enc(c) + "."
}

type gqlResult struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Path       []any
		Extensions struct{ Code string }
	}
}

func (r gqlResult) codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Extensions.Code)
	}
	return out
}

func doRequest(t *testing.T, method, u, contentType, token, body string) (int, gqlResult, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r gqlResult
	json.Unmarshal(raw, &r)
	return resp.StatusCode, r, string(raw)
}

func gqlBody(q string) string {
	b, _ := json.Marshal(map[string]string{"query": q})
	return string(b)
}

// bodyOfSize returns a valid request body of exactly n bytes.
func bodyOfSize(n int) string {
	b := `{"query":"{__typename}` + `"}`
	return b[:len(b)-2] + strings.Repeat(" ", n-len(b)) + `"}`
}

// nested returns a query whose deepest field (a __typename) is at depth.
func nested(depth int) string {
	levels := []string{
		`customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `")`,
		"consents(status: [ACTIVE])", "edges", "node", "accounts", "transactions(first: 1)", "edges", "node",
	}
	if depth-1 > len(levels) || depth < 2 {
		panic("nested: depth out of range")
	}
	q := "__typename"
	for i := depth - 2; i >= 0; i-- {
		q = levels[i] + " { " + q + " }"
	}
	return "{ " + q + " }"
}

func TestHostileRequests(t *testing.T) {
	s := startProduction(t, nil)
	gql := s.base + "/graphql"

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})

	hs := func(c claims) string { return sign(t, jwt.SigningMethodHS256, []byte(testSecret), c) }
	now := time.Now()
	customerQ := func(mobile string) string {
		return `{ customer(mobileNumber: "` + mobile + `", productID: "` + demoProduct + `") { consents { edges { node { consentHandle } } } } }`
	}
	withScopes := func(sub string, scopes ...string) string {
		return hs(goodClaims(sub).with("scope", strings.Join(scopes, " ")))
	}
	bound := func(sub string) string { return hs(goodClaims(sub).with("mobile", demoMobile)) }

	type tc struct {
		name        string
		method      string // default POST
		contentType string // default application/json
		token       string
		body        string // default gqlBody(query)
		query       string
		wantStatus  int
		wantCodes   []string // extensions.code of the errors, in order; nil = no errors
		wantData    bool     // data must be non-null (a partial result)
		upstream    bool     // FinPro may be called (only for allowed requests)
	}
	unauth := []string{"UNAUTHENTICATED"}
	cases := []tc{
		{name: "no token", query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "alg none", token: unsigned("none", goodClaims("none")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "alg NONE", token: unsigned("NONE", goodClaims("NONE")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "HS256 signed with the RSA public key", token: sign(t, jwt.SigningMethodHS256, pubPEM, goodClaims("confused")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "RS256 against an HS256 key", token: sign(t, jwt.SigningMethodRS256, rsaKey, goodClaims("rs")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "wrong secret", token: sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 40)), goodClaims("wrong")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "expired", token: hs(goodClaims("exp").with("exp", now.Add(-time.Hour).Unix())), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "not yet valid", token: hs(goodClaims("nbf").with("nbf", now.Add(time.Hour).Unix())), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "wrong iss", token: hs(goodClaims("iss").with("iss", "https://evil.test")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "wrong aud", token: hs(goodClaims("aud").with("aud", "someone-else")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "missing aud", token: hs(goodClaims("noaud").with("aud", nil)), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "missing exp", token: hs(goodClaims("noexp").with("exp", nil)), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "garbage token", token: "not.a.jwt", query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "bad mobile claim", token: hs(goodClaims("mob").with("mobile", "+919876543210")), query: "{__typename}", wantStatus: 401, wantCodes: unauth},
		{name: "1 MB token", token: strings.Repeat("a", 1<<20), query: "{__typename}", wantStatus: 431},

		{name: "valid token", token: withScopes("ok", auth.ScopeConsentsRead), query: "{__typename}", wantStatus: 200},
		{name: "bound token reads its own customer", token: bound("own"), query: customerQ(demoMobile), wantStatus: 200, wantData: true, upstream: true},
		{name: "bound token asks for another customer", token: bound("other"), query: customerQ(otherMobile), wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
		{name: "bound token aliases another customer", token: bound("alias"), query: `{ a: customer(mobileNumber: "` + otherMobile + `", productID: "` + demoProduct + `") { mobileNumber } }`, wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
		{name: "product outside the token's products", token: hs(goodClaims("prod").with("products", []string{"LOAN_UNDERWRITING"})), query: customerQ(demoMobile), wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
		{name: "consents without consents:read", token: withScopes("s1", auth.ScopeBalancesRead), query: customerQ(demoMobile), wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
		{name: "balance without balances:read", token: withScopes("s2", auth.ScopeConsentsRead), query: `{ customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `") { totalBalance { amount } } }`, wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
		{name: "mutation without consents:write", token: withScopes("s3", auth.ScopeConsentsRead), query: `mutation { revokeConsent(input: {consentID: "00000000-0000-4000-8000-000000000000"}) { consent { status } } }`, wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
		{name: "sync without data:sync", token: withScopes("s4", auth.ScopeConsentsRead), query: `mutation { syncIncrementalData(input: {consentID: "00000000-0000-4000-8000-000000000000", idempotencyKey: "k1"}) { replayed } }`, wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},

		{name: "depth at the limit", token: withScopes("d1", auth.DevScopes()...), query: nested(testMaxDepth), wantStatus: 200, wantData: true, upstream: true},
		{name: "depth over the limit", token: withScopes("d2", auth.DevScopes()...), query: nested(testMaxDepth + 1), wantStatus: 200, wantCodes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}},
		{name: "aliases at the limit", token: withScopes("a1", auth.DevScopes()...), query: "{ a: __typename b: __typename c: __typename d: __typename }", wantStatus: 200},
		{name: "aliases over the limit", token: withScopes("a2", auth.DevScopes()...), query: "{ a: __typename b: __typename c: __typename d: __typename e: __typename }", wantStatus: 200, wantCodes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}},
		{name: "complexity at the limit", token: withScopes("c1", auth.DevScopes()...), query: complexityQuery(complexFirst), wantStatus: 200, wantData: true, upstream: true},
		{name: "complexity over the limit", token: withScopes("c2", auth.DevScopes()...), query: complexityQuery(complexFirst + 1), wantStatus: 200, wantCodes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}},
		{name: "body at the limit", token: withScopes("b1", auth.DevScopes()...), body: bodyOfSize(testMaxBody), wantStatus: 200},
		{name: "body over the limit", token: withScopes("b2", auth.DevScopes()...), body: bodyOfSize(testMaxBody + 1), wantStatus: 413, wantCodes: []string{"BAD_USER_INPUT"}},
		{name: "text/plain POST (CSRF)", token: withScopes("t1", auth.DevScopes()...), contentType: "text/plain", query: "{__typename}", wantStatus: 415, wantCodes: []string{"BAD_USER_INPUT"}},
		{name: "form POST (CSRF)", token: withScopes("t2", auth.DevScopes()...), contentType: "application/x-www-form-urlencoded", body: "query=%7B__typename%7D", wantStatus: 415, wantCodes: []string{"BAD_USER_INPUT"}},
		{name: "mutation over GET", method: "GET", token: withScopes("g1", auth.DevScopes()...), query: `mutation { revokeConsent(input: {consentID: "x"}) { consent { status } } }`, wantStatus: 405, wantCodes: []string{"BAD_USER_INPUT"}},
		{name: "batch array", token: withScopes("ba", auth.DevScopes()...), body: "[" + gqlBody("{__typename}") + "," + gqlBody("{__typename}") + "]", wantStatus: 400, wantCodes: []string{"BAD_USER_INPUT"}},
		{name: "introspection in production mode", token: withScopes("i1", auth.DevScopes()...), query: "{ __schema { types { name } } }", wantStatus: 200, wantCodes: []string{"FORBIDDEN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.upstreamCalls(t) // reset
			method, ct, body, u := c.method, c.contentType, c.body, gql
			if method == "" {
				method = "POST"
			}
			if ct == "" && method == "POST" {
				ct = "application/json"
			}
			if body == "" && method == "POST" {
				body = gqlBody(c.query)
			}
			if method == "GET" {
				u += "?query=" + url.QueryEscape(c.query)
			}
			status, r, raw := doRequest(t, method, u, ct, c.token, body)
			if status != c.wantStatus {
				t.Errorf("status = %d, want %d; body %.300s", status, c.wantStatus, raw)
			}
			if got := r.codes(); strings.Join(got, ",") != strings.Join(c.wantCodes, ",") {
				t.Errorf("extensions.code = %v, want %v; body %.300s", got, c.wantCodes, raw)
			}
			if c.wantData && (len(r.Data) == 0 || string(r.Data) == "null") {
				t.Errorf("data = %s, want a result", r.Data)
			}
			if n := s.upstreamCalls(t); !c.upstream && n != 0 {
				t.Errorf("FinPro was called %d times, want 0", n)
			}
		})
	}

	t.Run("no field suggestions in production mode", func(t *testing.T) {
		_, _, raw := doRequest(t, "POST", gql, "application/json", withScopes("sg", auth.DevScopes()...), gqlBody("{ customr }"))
		if strings.Contains(raw, "Did you mean") || strings.Contains(raw, "customer") {
			t.Errorf("error suggests a field name: %.300s", raw)
		}
	})

	t.Run("rate limit per principal", func(t *testing.T) {
		tok := withScopes("flood", auth.ScopeConsentsRead)
		var status int
		var raw string
		for range 25 { // burst 20 at 1/s
			status, _, raw = doRequest(t, "POST", gql, "application/json", tok, gqlBody("{__typename}"))
			if status == 429 {
				break
			}
		}
		if status != 429 || !strings.Contains(raw, "RATE_LIMITED") {
			t.Fatalf("25 requests in a burst of 20: last = %d %.200s, want 429 RATE_LIMITED", status, raw)
		}
		// Another principal is unaffected.
		if status, _, _ := doRequest(t, "POST", gql, "application/json", withScopes("calm", auth.ScopeConsentsRead), gqlBody("{__typename}")); status != 200 {
			t.Errorf("another principal during the flood = %d, want 200", status)
		}
	})

	t.Run("websocket", func(t *testing.T) {
		wsURL := "ws" + strings.TrimPrefix(gql, "http")
		dial := func(t *testing.T, token string) (*websocket.Conn, error) {
			d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
			conn, _, err := d.DialContext(t.Context(), wsURL, nil)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			t.Cleanup(func() { conn.Close() })
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + token}})
			var ack struct{ Type string }
			return conn, conn.ReadJSON(&ack)
		}
		for _, bad := range []struct{ name, token string }{
			{"expired", hs(goodClaims("wexp").with("exp", now.Add(-time.Hour).Unix()))},
			{"alg none", unsigned("none", goodClaims("wnone"))},
			{"wrong aud", hs(goodClaims("waud").with("aud", "x"))},
		} {
			t.Run("connection_init "+bad.name, func(t *testing.T) {
				_, err := dial(t, bad.token)
				if ce := new(websocket.CloseError); !errors.As(err, &ce) || ce.Code != 4403 {
					t.Errorf("read after connection_init = %v, want close 4403", err)
				}
			})
		}
		ops := []struct {
			name, token, query, wantCode string
		}{
			{"depth over the limit", withScopes("wd", auth.DevScopes()...), nested(testMaxDepth + 1), "COMPLEXITY_LIMIT_EXCEEDED"},
			{"complexity over the limit", withScopes("wc", auth.DevScopes()...), complexityQuery(complexFirst + 1), "COMPLEXITY_LIMIT_EXCEEDED"},
			{"introspection", withScopes("wi", auth.DevScopes()...), "{ __schema { types { name } } }", "FORBIDDEN"},
			{"another customer's events", bound("wb"), `subscription { consentStatusChanged(productID: "` + demoProduct + `", mobileNumber: "` + otherMobile + `") { status } }`, "FORBIDDEN"},
			{"events without consents:read", withScopes("ws", auth.ScopeBalancesRead), `subscription { consentStatusChanged(productID: "` + demoProduct + `", mobileNumber: "` + demoMobile + `") { status } }`, "FORBIDDEN"},
		}
		for _, op := range ops {
			t.Run(op.name, func(t *testing.T) {
				s.upstreamCalls(t)
				conn, err := dial(t, op.token)
				if err != nil {
					t.Fatalf("connection_init: %v", err)
				}
				conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]string{"query": op.query}})
				var msg struct {
					Type    string
					Payload json.RawMessage
				}
				if err := conn.ReadJSON(&msg); err != nil {
					t.Fatalf("read: %v", err)
				}
				if !strings.Contains(string(msg.Payload), `"code":"`+op.wantCode+`"`) {
					t.Errorf("%s %s, want code %s", msg.Type, msg.Payload, op.wantCode)
				}
				if n := s.upstreamCalls(t); n != 0 {
					t.Errorf("FinPro was called %d times, want 0", n)
				}
			})
		}
	})
}

// TestJWKSUnknownKidFlood starts the server with a JWKS issuer and sends
// tokens with unknown kids: all are refused, and the JWKS endpoint is not
// hammered.
func TestJWKSUnknownKidFlood(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int32
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		fmt.Fprintf(w, `{"keys":[{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"%s","e":"AQAB"}]}`,
			base64.RawURLEncoding.EncodeToString(key.N.Bytes()))
	}))
	t.Cleanup(jwks.Close)
	s := startProduction(t, map[string]string{"JWT_HS256_SECRET": "", "JWT_JWKS_URL": jwks.URL + "/jwks"})

	good := goodClaims("jwks")
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(good))
	tok.Header["kid"] = "k1"
	signed, _ := tok.SignedString(key)
	if status, _, raw := doRequest(t, "POST", s.base+"/graphql", "application/json", signed, gqlBody("{__typename}")); status != 200 {
		t.Fatalf("known kid = %d %.200s, want 200", status, raw)
	}
	before := fetches.Load()
	for i := range 50 {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims(good))
		tok.Header["kid"] = fmt.Sprintf("unknown-%d", i)
		signed, _ := tok.SignedString(key)
		if status, _, _ := doRequest(t, "POST", s.base+"/graphql", "application/json", signed, gqlBody("{__typename}")); status != 401 {
			t.Fatalf("unknown kid %d = %d, want 401", i, status)
		}
	}
	if extra := fetches.Load() - before; extra > 1 {
		t.Errorf("50 unknown kids caused %d JWKS fetches, want at most 1", extra)
	}
}

// TestPublicKeyFile checks a PEM-configured server accepts RS256 and refuses
// the HS256-with-the-public-key confusion.
func TestPublicKeyFile(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	path := filepath.Join(t.TempDir(), "issuer.pem")
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startProduction(t, map[string]string{"JWT_HS256_SECRET": "", "JWT_PUBLIC_KEY_FILE": path})
	for _, c := range []struct {
		name  string
		token string
		want  int
	}{
		{"RS256", sign(t, jwt.SigningMethodRS256, key, goodClaims("rs")), 200},
		{"HS256 with the public key as secret", sign(t, jwt.SigningMethodHS256, pemBytes, goodClaims("hs")), 401},
	} {
		if status, _, raw := doRequest(t, "POST", s.base+"/graphql", "application/json", c.token, gqlBody("{__typename}")); status != c.want {
			t.Errorf("%s = %d %.200s, want %d", c.name, status, raw, c.want)
		}
	}
}
