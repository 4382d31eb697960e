package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/config"
)

// TestCrossOrigin checks CORS on /graphql through run() in production mode:
// a browser's preflight is answered before authentication (it never carries
// the token) for the origins in ALLOWED_ORIGINS only, and the actual request
// from such an origin gets Access-Control-Allow-Origin (echoed, never "*",
// never with credentials); another origin's requests get no CORS headers, so
// the browser keeps the answer from the page.
func TestCrossOrigin(t *testing.T) {
	const app = "https://app.lender.example"
	s := startProduction(t, map[string]string{"ALLOWED_ORIGINS": app + ", https://admin.lender.example"})
	token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("partner-app"))

	for _, tc := range []struct {
		name        string
		method      string
		origin      string
		header      map[string]string
		body        string
		wantStatus  int
		allowOrigin string
	}{
		{"preflight from the front end", "OPTIONS", app,
			map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"},
			"", http.StatusNoContent, app},
		{"preflight with Apollo's headers", "OPTIONS", app,
			map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "apollo-require-preflight,content-type,authorization"},
			"", http.StatusNoContent, app},
		{"preflight from another origin", "OPTIONS", "https://evil.example",
			map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"},
			"", http.StatusForbidden, ""},
		{"query from the front end", "POST", app,
			map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"},
			`{"query":"{ __typename }"}`, http.StatusOK, app},
		{"unauthenticated query from the front end: 401 the page can read", "POST", app,
			map[string]string{"Content-Type": "application/json"},
			`{"query":"{ __typename }"}`, http.StatusUnauthorized, app},
		{"query from another origin", "POST", "https://evil.example",
			map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"},
			`{"query":"{ __typename }"}`, http.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, s.base+"/graphql", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Origin", tc.origin)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", res.StatusCode, tc.wantStatus)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.allowOrigin)
			}
			if got := res.Header.Get("Access-Control-Allow-Credentials"); got != "" {
				t.Errorf("Access-Control-Allow-Credentials %q: tokens are never cookies", got)
			}
			if tc.method == "OPTIONS" && tc.wantStatus == http.StatusNoContent {
				if got := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(got, "authorization") {
					t.Errorf("Access-Control-Allow-Headers %q lacks Authorization", got)
				}
			}
		})
	}
}

// TestListenAddressDefault checks that sandbox mode, whose admin API is
// unauthenticated, listens on loopback unless ADDR says otherwise, and that
// production mode keeps listening on every interface.
func TestListenAddressDefault(t *testing.T) {
	prod := map[string]string{
		"FINPRO_BASE_URL": "https://finpro.example", "FINPRO_CLIENT_ID": "c", "FINPRO_CLIENT_SECRET": "s",
		"FINPRO_ORGANISATION_ID": "o", "FINPRO_APP_IDENTIFIER": "a", "FINPRO_WEBHOOK_SECRET": "w",
		"JWT_HS256_SECRET": testSecret, "JWT_ISSUER": testIssuer, "JWT_AUDIENCE": testAudience,
	}
	for _, tc := range []struct {
		name, cmd string
		env       map[string]string
		want      string
	}{
		{"sandbox mode", "serve", map[string]string{}, "127.0.0.1:8080"},
		{"sandbox mode, ADDR set", "serve", map[string]string{"ADDR": ":9000"}, ":9000"},
		{"production", "serve", prod, ":8080"},
	} {
		cfg, err := config.Parse(tc.cmd, nil, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if cfg.Addr != tc.want {
			t.Errorf("%s: Addr %q, want %q", tc.name, cfg.Addr, tc.want)
		}
	}
}
