package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// TestUpstreamErrorCodeNotEchoed runs the BFF in production mode against a
// FinPro whose errorCode and errorMsg carry an internal host name and a secret
// (issue 12, failure 3): neither may reach the answer (extensions.finproCode
// included) or the log, whether FinPro's error is the caller's (400) or FinPro's
// own (503, retried and logged as an upstream failure).
func TestUpstreamErrorCodeNotEchoed(t *testing.T) {
	const (
		host   = "db-internal-7.finpro.local"
		secret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	)
	var status atomic.Int64
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(int(status.Load()))
		io.WriteString(w, `{"ver":"1.21.0","status":"failure","errorCode":"DBERR_`+host+`_`+secret+`","errorMsg":"query on `+host+` as app:`+secret+` failed"}`)
	}))
	defer fake.Close()
	base, _, logs, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{
		"FINPRO_BASE_URL":        fake.URL,
		"FINPRO_CLIENT_ID":       sandbox.DefaultClientID,
		"FINPRO_CLIENT_SECRET":   sandbox.DefaultClientSecret,
		"FINPRO_ORGANISATION_ID": sandbox.DefaultOrganisationID,
		"FINPRO_APP_IDENTIFIER":  sandbox.DefaultAppIdentifier,
		"FINPRO_WEBHOOK_SECRET":  "webhook-secret-for-tests",
		"JWT_HS256_SECRET":       testSecret,
		"JWT_ISSUER":             testIssuer,
		"JWT_AUDIENCE":           testAudience,
		"LOG_LEVEL":              "debug",
	})
	token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("partner"))
	q := gqlBody(`{ customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `") { consents { edges { node { consentHandle } } } } }`)
	for _, tc := range []struct {
		status   int
		wantCode string
	}{
		{400, "BAD_USER_INPUT"},
		{503, "UPSTREAM_UNAVAILABLE"},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			status.Store(int64(tc.status))
			code, res, raw := doRequest(t, http.MethodPost, base+"/graphql", "application/json", token, q)
			if code != http.StatusOK || len(res.Errors) == 0 || res.Errors[0].Extensions.Code != tc.wantCode {
				t.Fatalf("answer = %d %s, want 200 with a %s error", code, raw, tc.wantCode)
			}
			if !strings.Contains(raw, `"finproCode":"`+finpro.CodeUnrecognised+`"`) {
				t.Errorf("answer %s lacks finproCode %q", raw, finpro.CodeUnrecognised)
			}
			for _, bad := range []string{host, secret, "DBERR"} {
				if strings.Contains(raw, bad) {
					t.Errorf("answer holds %q: %s", bad, raw)
				}
				if strings.Contains(logs.String(), bad) {
					t.Errorf("log holds %q", bad)
				}
			}
		})
	}
	if !strings.Contains(logs.String(), finpro.CodeUnrecognised) {
		t.Errorf("log never names the upstream failure (%s); the check above proves little", finpro.CodeUnrecognised)
	}
}

// TestFinproRateLimitHold runs the BFF in production mode against the sandbox
// answering 429 with Retry-After: 7 (issue 12): the first query gets
// RATE_LIMITED with retryAfterSeconds 7 after one FinPro call; until the seven
// seconds pass the next ones get RATE_LIMITED with the seconds left and FinPro
// gets no call.
func TestFinproRateLimitHold(t *testing.T) {
	s := startProduction(t, nil)
	token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("partner"))
	q := gqlBody(`{ customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `") { consents { edges { node { consentHandle } } } } }`)
	if code, body := post(t, s.sandboxURL+"/_sandbox/faults", "", `{"path":"/v1/accounts/getconsentslist","errorCode":"RateLimitExceeded","retryAfter":7,"count":100}`); code != 200 {
		t.Fatalf("inject the rate limit: %d %s", code, body)
	}
	s.upstreamCalls(t)
	for i := range 10 {
		_, _, raw := doRequest(t, http.MethodPost, s.base+"/graphql", "application/json", token, q)
		var res struct {
			Errors []struct {
				Extensions struct {
					Code              string
					RetryAfterSeconds int
				}
			}
		}
		if err := json.Unmarshal([]byte(raw), &res); err != nil || len(res.Errors) == 0 {
			t.Fatalf("query %d: answer %s, want errors", i+1, raw)
		}
		ext := res.Errors[0].Extensions
		if ext.Code != "RATE_LIMITED" || ext.RetryAfterSeconds < 1 || ext.RetryAfterSeconds > 7 || (i == 0 && ext.RetryAfterSeconds != 7) {
			t.Errorf("query %d: extensions %+v, want RATE_LIMITED with retryAfterSeconds in 1..7 (7 first)", i+1, ext)
		}
	}
	if n := s.upstreamCalls(t); n != 1 {
		t.Errorf("FinPro calls for 10 queries inside Retry-After = %d, want 1", n)
	}
}
