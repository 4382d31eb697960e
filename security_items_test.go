package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// Production-mode tests of issue 12's items fixed elsewhere (failures 1 and
// 5, the fetch storm); failure 3 and FinPro's 429 hold are in
// upstream_errors_test.go.

// sandboxConsent returns a consent of the standalone sandbox.
func (s prodServer) sandboxConsent(t *testing.T, mobile, product, status string) sandbox.ConsentInfo {
	t.Helper()
	_, body := get(t, s.sandboxURL+"/_sandbox/customers")
	var out struct{ Customers []sandbox.CustomerInfo }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("customers: %v", err)
	}
	for _, c := range out.Customers {
		for _, k := range c.Consents {
			if c.Mobile == mobile && k.ProductID == product && k.Status == status && k.ConsentID != "" {
				return k
			}
		}
	}
	t.Fatalf("the sandbox has no %s %s consent for the customer", status, product)
	return sandbox.ConsentInfo{}
}

// upstreamByPath returns the sandbox's FinPro calls by path and resets them.
func (s prodServer) upstreamByPath(t *testing.T) map[string]int {
	t.Helper()
	_, body := get(t, s.sandboxURL+"/_sandbox/stats")
	var st struct{ Calls map[string]int }
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("stats: %v", err)
	}
	post(t, s.sandboxURL+"/_sandbox/stats/reset", "", "")
	return st.Calls
}

// TestConsentOfAnotherProduct (failure 1): a partner token limited to
// LOAN_UNDERWRITING acting on a PFM_DASHBOARD consent, by id or consentID,
// with or without productID, gets exactly the answer of a consent that does
// not exist, and FinPro gets no call for the action.
func TestConsentOfAnotherProduct(t *testing.T) {
	s := startProduction(t, map[string]string{"RATE_LIMIT_BURST": "1000"})
	pfm := s.sandboxConsent(t, demoMobile, demoProduct, "ACTIVE")
	loanPartner := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("loan-partner").with("products", []string{"LOAN_UNDERWRITING"}))
	type vars = map[string]any
	const nobody = "00000000-0000-4000-8000-00000000dead"
	mutations := []struct {
		name, query, action string
	}{
		{"revokeConsent", `mutation M($c: ID, $id: ID, $p: ID) { revokeConsent(input: {consentID: $c, id: $id, productID: $p}) { consent { status } } }`, "/revokeconsent"},
		{"requestData", `mutation M($c: ID, $id: ID, $p: ID) { requestData(input: {consentID: $c, id: $id, productID: $p}) { sessionID } }`, "/fi/request"},
		{"syncIncrementalData", `mutation M($c: ID, $id: ID, $p: ID) { syncIncrementalData(input: {consentID: $c, id: $id, idempotencyKey: "k1", productID: $p}) { replayed } }`, "/getalllatestfidata"},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			run := func(v vars) string {
				b, _ := json.Marshal(map[string]any{"query": m.query, "variables": v})
				status, _, raw := doRequest(t, http.MethodPost, s.base+"/graphql", "application/json", loanPartner, string(b))
				if status != 200 {
					t.Errorf("%v: status %d, want 200", v, status)
				}
				return raw
			}
			s.upstreamByPath(t)
			want := run(vars{"c": nobody})
			if !strings.Contains(want, `"code":"NOT_FOUND"`) {
				t.Fatalf("nonexistent consent = %s, want NOT_FOUND", want)
			}
			for _, v := range []vars{
				{"c": pfm.ConsentID},
				{"c": pfm.ConsentID, "p": "LOAN_UNDERWRITING"},
				{"id": relay.ConsentID(relay.ConsentRef(pfm.ConsentHandle, ""))},
				{"id": relay.ConsentID(relay.ConsentRef(pfm.ConsentHandle, "")), "p": "LOAN_UNDERWRITING"},
			} {
				got := run(v)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%v: answer differs from a nonexistent consent's (-nonexistent +got):\n%s", v, diff)
				}
			}
			if calls := s.upstreamByPath(t); calls[m.action] != 0 {
				t.Errorf("FinPro calls %v, want none to %s", calls, m.action)
			}
		})
	}
	if got := s.sandboxConsent(t, demoMobile, demoProduct, "ACTIVE"); got.ConsentHandle != pfm.ConsentHandle {
		t.Errorf("after the attempts the consent is no longer ACTIVE")
	}
}

// TestMalformedBodies (failure 5): bodies that are not a GraphQL request get
// 400 with a BAD_USER_INPUT error, and nothing panics (the log holds no
// recovered panic).
func TestMalformedBodies(t *testing.T) {
	s := startProduction(t, map[string]string{"LOG_LEVEL": "debug", "RATE_LIMIT_BURST": "1000"})
	tok := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("malformed"))
	for _, body := range []string{
		``,
		`{`,
		`{"query":`,
		`[`,
		`null`,
		`"{__typename}"`,
		`42`,
		`{"query": 5}`,
		`{"query": null}`,
		`{"query": {}}`,
		`{"query":"{__typename}","variables":"x"}`,
		`{"query":"{__typename}","variables":[1]}`,
		`{"query":"{__typename}","operationName":7}`,
		`{"query":"{__typename}","extensions":"x"}`,
		`{"query":"{__typename}"} {"query":"{__typename}"}`,
		`{"query":"{__typename}"}garbage`,
		strings.Repeat("[", 3000),
		`{"query":"{__typename}","variables":` + strings.Repeat(`{"a":`, 600) + `1` + strings.Repeat(`}`, 599) + `}`, // one short
	} {
		status, r, raw := doRequest(t, http.MethodPost, s.base+"/graphql", "application/json", tok, body)
		if status != http.StatusBadRequest || len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "BAD_USER_INPUT" {
			t.Errorf("body %.60q: %d %.200s, want 400 BAD_USER_INPUT", body, status, raw)
		}
	}
	for _, bad := range []string{"panic", "goroutine ", "runtime error"} {
		if strings.Contains(strings.ToLower(s.logs.String()), bad) {
			t.Errorf("the log mentions %q", bad)
		}
	}
}

// TestFetchStorm: five back-to-back requestData calls for one consent reach
// FinPro's /fi/request once (FINPRO_FI_REQUEST_COOLDOWN): every caller gets
// the same session, the repeats marked reused. With the guard off, all five
// reach FinPro.
func TestFetchStorm(t *testing.T) {
	for _, tc := range []struct {
		cooldown  string
		wantCalls int
	}{
		{"", 1}, // the default, 1m
		{"0s", 5},
	} {
		t.Run("cooldown "+tc.cooldown, func(t *testing.T) {
			env := map[string]string{"RATE_LIMIT_BURST": "1000"}
			if tc.cooldown != "" {
				env["FINPRO_FI_REQUEST_COOLDOWN"] = tc.cooldown
			}
			s := startProduction(t, env)
			k := s.sandboxConsent(t, demoMobile, demoProduct, "ACTIVE")
			tok := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("storm"))
			b, _ := json.Marshal(map[string]any{
				"query":     `mutation M($c: ID) { requestData(input: {consentID: $c}) { sessionID reused } }`,
				"variables": map[string]any{"c": k.ConsentID},
			})
			s.upstreamByPath(t)
			sessions := map[string]bool{}
			reused := 0
			for i := range 5 {
				_, _, raw := doRequest(t, http.MethodPost, s.base+"/graphql", "application/json", tok, string(b))
				var res struct {
					Data struct {
						RequestData struct {
							SessionID string
							Reused    bool
						}
					}
				}
				if err := json.Unmarshal([]byte(raw), &res); err != nil || res.Data.RequestData.SessionID == "" {
					t.Fatalf("requestData %d = %s, want a session", i+1, raw)
				}
				sessions[res.Data.RequestData.SessionID] = true
				if res.Data.RequestData.Reused {
					reused++
				}
			}
			if calls := s.upstreamByPath(t)["/fi/request"]; calls != tc.wantCalls {
				t.Errorf("FinPro /fi/request calls = %d, want %d", calls, tc.wantCalls)
			}
			if len(sessions) != tc.wantCalls || reused != 5-tc.wantCalls {
				t.Errorf("%d sessions, %d reused; want %d and %d", len(sessions), reused, tc.wantCalls, 5-tc.wantCalls)
			}
		})
	}
}
