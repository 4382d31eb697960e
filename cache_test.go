package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/config"
)

// TestCacheSetting checks FINPRO_CACHE's wiring through run() in production
// mode: on by default, a repeated dashboard makes no FinPro call (the
// answer's extensions.cost counts the calls that reached FinPro); off, it
// makes as many as the one before it, as before the cache.
func TestCacheSetting(t *testing.T) {
	const dashboard = `{"query":"{ customer(mobileNumber: \"9876543210\", productID: \"PFM_DASHBOARD\") { consents(status: [ACTIVE]) { edges { node { consentHandle accounts { linkReferenceNumber balance { amount } transactions(last: 5) { edges { node { txnId amount } } } } } } } } }"}`
	for _, tc := range []struct {
		setting string
		cached  bool
	}{
		{"", true},
		{"on", true},
		{"off", false},
	} {
		t.Run("FINPRO_CACHE="+tc.setting, func(t *testing.T) {
			env := map[string]string{"GRAPHQL_MAX_DEPTH": "0", "GRAPHQL_MAX_COST": "0"} // the defaults
			if tc.setting != "" {
				env["FINPRO_CACHE"] = tc.setting
			}
			s := startProduction(t, env)
			token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("partner-app"))
			calls := func() int {
				t.Helper()
				req, _ := http.NewRequest("POST", s.base+"/graphql", strings.NewReader(dashboard))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				var out struct {
					Errors     []json.RawMessage `json:"errors"`
					Extensions struct {
						Cost struct {
							ActualFinproCalls int `json:"actualFinproCalls"`
						} `json:"cost"`
					} `json:"extensions"`
				}
				if err := json.Unmarshal(b, &out); err != nil || len(out.Errors) > 0 {
					t.Fatalf("HTTP %d: %v %s", res.StatusCode, err, out.Errors)
				}
				return out.Extensions.Cost.ActualFinproCalls
			}
			// The first two read the counts the next ones guess from.
			first, second, third := calls(), calls(), calls()
			if first == 0 {
				t.Fatal("the first dashboard made no FinPro call")
			}
			if tc.cached && (second != 0 || third != 0) {
				t.Errorf("repeated dashboards made %d and %d FinPro calls, want 0", second, third)
			}
			if !tc.cached && (second == 0 || third != second) {
				t.Errorf("FinPro calls of three dashboards without the cache = %d, %d, %d; want the last two equal and non-zero", first, second, third)
			}
			// /metrics says so: hits and entries with the cache, no cache series without it.
			_, body := get(t, s.admin(t)+"/metrics")
			hits := metricValue(body, `bff_finpro_cache_reads_total{result="hit"}`)
			entries := metricValue(body, "bff_finpro_cache_entries")
			if tc.cached && (hits <= 0 || entries <= 0) {
				t.Errorf("metrics with the cache: hits %v, entries %v; want both positive", hits, entries)
			}
			if !tc.cached && strings.Contains(body, "bff_finpro_cache_") {
				t.Error("metrics without the cache carry bff_finpro_cache_ series")
			}
		})
	}
}

// TestCacheSandboxAdmin checks that in sandbox mode a change through the
// sandbox's admin API, which sends no event, empties the cache: a fault
// injected after a cached dashboard reaches the next one.
func TestCacheSandboxAdmin(t *testing.T) {
	base, _, _, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{"LOG_LEVEL": "warn"})
	token := sign(t, jwt.SigningMethodHS256, []byte(config.SandboxJWTSecret),
		goodClaims("partner-app").with("iss", config.SandboxJWTIssuer, "aud", config.SandboxJWTAudience))
	q := gqlBody(`{ customer(mobileNumber: "` + demoMobile + `", productID: "` + demoProduct + `") { consents(status: [ACTIVE]) { edges { node { consentHandle accounts { balance { amount } } } } } } }`)
	codes := func() []string {
		t.Helper()
		status, r, raw := doRequest(t, http.MethodPost, base+"/graphql", "application/json", token, q)
		if status != http.StatusOK {
			t.Fatalf("HTTP %d: %s", status, raw)
		}
		return r.codes()
	}
	for range 2 {
		if c := codes(); len(c) > 0 {
			t.Fatalf("errors %v before the fault", c)
		}
	}
	if status, body := post(t, base+"/_sandbox/faults", "", `{"path":"/getfibalance","errorCode":"InternalError","count":100}`); status != http.StatusOK {
		t.Fatalf("POST /_sandbox/faults = %d %s", status, body)
	}
	if c := codes(); len(c) == 0 {
		t.Error("the dashboard after an injected fault has no error: served from the cache")
	}
}

// metricValue returns the value of the series named exactly series in a
// Prometheus text exposition, -1 when it is absent.
func metricValue(body, series string) float64 {
	for line := range strings.SplitSeq(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}
