package sandbox_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

func TestBadInput(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	active := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	cid := active.ConsentID
	without := func(h string) map[string]string {
		m := authHeaders()
		delete(m, h)
		return m
	}
	with := func(h, v string) map[string]string {
		m := authHeaders()
		m[h] = v
		return m
	}
	huge := `{"consentID":"` + strings.Repeat("a", 2<<20) + `"}`
	list := func(extra string) string {
		return `{"mobileNumber":"9876543210","productID":"PFM_DASHBOARD"` + extra + `}`
	}
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		headers    map[string]string
		wantStatus int
		wantCode   string
	}{
		{"no client_id", "POST", "/getfibalance", `{}`, without("client_id"), 401, "Unauthorized"},
		{"no client_secret", "POST", "/getfibalance", `{}`, without("client_secret"), 401, "Unauthorized"},
		{"no organisationId", "POST", "/getfidata", `{}`, without("organisationId"), 401, "Unauthorized"},
		{"no appIdentifier", "POST", "/getallfidata", `{}`, without("appIdentifier"), 401, "Unauthorized"},
		{"wrong secret", "POST", "/getalllatestfidata", `{}`, with("client_secret", "nope"), 401, "Unauthorized"},
		{"list no secret", "POST", "/v1/accounts/getconsentslist", list(""), without("client_secret"), 401, "AuthenticationFailed"},
		{"balance bad GUID", "POST", "/getfibalance", `{"consentID":"abc123"}`, nil, 400, "InvalidRequest"},
		{"balance missing consent", "POST", "/getfibalance", `{"linkReferenceNumber":"7f8227f1-697f-40d3-a4af-0508f5d0a1dd"}`, nil, 400, "InvalidRequest"},
		{"balance bad link ref", "POST", "/getfibalance", `{"consentID":"` + cid + `","linkReferenceNumber":"x"}`, nil, 400, "InvalidRequest"},
		{"fidata missing link ref", "POST", "/getfidata", `{"consentID":"` + cid + `"}`, nil, 400, "InvalidRequest"},
		{"fidata bad limit", "POST", "/getfidata?limit=-1", `{"consentID":"` + cid + `","linkReferenceNumber":"` + active.LinkRefs[0] + `"}`, nil, 400, "InvalidRequest"},
		{"fidata word offset", "POST", "/getfidata?offset=abc", `{"consentID":"` + cid + `","linkReferenceNumber":"` + active.LinkRefs[0] + `"}`, nil, 400, "InvalidRequest"},
		{"allfidata both ids", "POST", "/getallfidata", `{"consentID":"` + cid + `","accountID":"x"}`, nil, 400, "InvalidPayload"},
		{"allfidata neither id", "POST", "/getallfidata", `{}`, nil, 400, "InvalidPayload"},
		{"allfidata bad chars", "POST", "/getallfidata", `{"consentID":"abc$%"}`, nil, 400, "InvalidRequest"},
		{"allfidata bad date", "POST", "/getallfidata", `{"consentID":"` + cid + `","transactionsStartDate":"31/10/2026"}`, nil, 400, "InvalidRequest"},
		{"allfidata consentID number", "POST", "/getallfidata", `{"consentID":42}`, nil, 400, "InvalidRequest"},
		{"latest empty", "POST", "/getalllatestfidata", `{}`, nil, 400, "InvalidRequest"},
		{"9-digit mobile", "POST", "/v1/accounts/getconsentslist", `{"mobileNumber":"987654321","productID":"PFM_DASHBOARD"}`, nil, 400, "InvalidMobileNumber"},
		{"+91 mobile", "POST", "/v1/accounts/getconsentslist", `{"mobileNumber":"+919876543210","productID":"PFM_DASHBOARD"}`, nil, 400, "InvalidMobileNumber"},
		{"list missing product", "POST", "/v1/accounts/getconsentslist", `{"mobileNumber":"9876543210"}`, nil, 400, "InvalidRequest"},
		{"unknown status", "POST", "/v1/accounts/getconsentslist", list(`,"status":["ACTIVE","DORMANT"]`), nil, 400, "InvalidStatus"},
		{"lowercase status", "POST", "/v1/accounts/getconsentslist", list(`,"status":["active"]`), nil, 400, "InvalidStatus"},
		{"status not array", "POST", "/v1/accounts/getconsentslist", list(`,"status":"ACTIVE"`), nil, 400, "InvalidStatus"},
		{"pageNumber 0", "POST", "/v1/accounts/getconsentslist", list(`,"pageNumber":0,"pageSize":10`), nil, 400, "InvalidPageNumber"},
		{"pageNumber past end", "POST", "/v1/accounts/getconsentslist", list(`,"pageNumber":99,"pageSize":10`), nil, 400, "InvalidPageNumber"},
		{"pageSize 0", "POST", "/v1/accounts/getconsentslist", list(`,"pageSize":0`), nil, 400, "InvalidPageSize"},
		{"pageSize 101", "POST", "/v1/accounts/getconsentslist", list(`,"pageSize":101`), nil, 400, "InvalidPageSize"},
		{"pageSize string", "POST", "/v1/accounts/getconsentslist", list(`,"pageSize":"10"`), nil, 400, "InvalidRequest"},
		{"malformed JSON", "POST", "/getfibalance", `{"consentID":`, nil, 400, "InvalidRequest"},
		{"trailing garbage", "POST", "/getfibalance", `{"consentID":"` + cid + `"} x`, nil, 400, "InvalidRequest"},
		{"JSON array body", "POST", "/getfibalance", `[]`, nil, 400, "InvalidRequest"},
		{"empty body", "POST", "/getfibalance", ``, nil, 400, "InvalidRequest"},
		{"null body", "POST", "/getfibalance", `null`, nil, 400, "InvalidRequest"},
		{"wrong content type", "POST", "/getfibalance", `{"consentID":"` + cid + `"}`, with("Content-Type", "text/plain"), 400, "InvalidRequest"},
		{"no content type", "POST", "/getfibalance", `{"consentID":"` + cid + `"}`, without("Content-Type"), 400, "InvalidRequest"},
		{"huge body", "POST", "/getfibalance", huge, nil, 400, "InvalidRequest"},
		{"GET", "GET", "/getfibalance", ``, nil, 405, "MethodNotAllowed"},
		{"PUT", "PUT", "/v1/accounts/getconsentslist", list(""), nil, 405, "MethodNotAllowed"},
		{"unknown path", "POST", "/getfibalances", `{}`, nil, 404, "NotFound"},
		{"root", "GET", "/", ``, nil, 404, "NotFound"},
		{"requestconsent empty", "POST", "/v2/requestconsent", `{}`, nil, 400, "InvalidRequest"},
		{"requestconsent bad vua", "POST", "/v2/requestconsent", `{"productID":"PFM_DASHBOARD","vua":"98765@onemoney","partyIdentifierType":"MOBILE","partyIdentifierValue":"9876543210","accountID":"a1"}`, nil, 400, "InvalidRequest"},
		{"requestconsent bad party type", "POST", "/v2/requestconsent", `{"productID":"PFM_DASHBOARD","vua":"9876543210@onemoney","partyIdentifierType":"AADHAR","partyIdentifierValue":"9876543210","accountID":"a1"}`, nil, 400, "InvalidRequest"},
		{"requestconsent bad PAN", "POST", "/v2/requestconsent", `{"productID":"PFM_DASHBOARD","vua":"9876543210@onemoney","partyIdentifierType":"PAN","partyIdentifierValue":"1234567890","accountID":"a1"}`, nil, 400, "InvalidRequest"},
		{"requestconsent unknown product", "POST", "/v2/requestconsent", `{"productID":"NOPE","vua":"9876543210@onemoney","partyIdentifierType":"MOBILE","partyIdentifierValue":"9876543210","accountID":"a1"}`, nil, 400, "InvalidRequest"},
		{"revoke bad GUID", "POST", "/revokeconsent", `{"consentID":"not-a-guid"}`, nil, 400, "InvalidRequest"},
		{"fi request handle-style id", "POST", "/fi/request", `{"consentID":"` + cid + `"}`, nil, 400, "InvalidRequest"},
		{"fi request bad date", "POST", "/fi/request", `{"consentId":"` + cid + `","fiDataRangeFrom":"yesterday"}`, nil, 400, "InvalidRequest"},
		{"fi request reversed range", "POST", "/fi/request", `{"consentId":"` + cid + `","fiDataRangeFrom":"2026-10-01T00:00:00Z","fiDataRangeTo":"2026-01-01T00:00:00Z"}`, nil, 400, "InvalidRequest"},
		{"fi status nothing", "POST", "/consent/firequest/status", `{}`, nil, 400, "InvalidRequest"},
		{"fi status bad session", "POST", "/consent/firequest/status", `{"sessionId":"x"}`, nil, 400, "InvalidRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.headers
			if h == nil {
				h = authHeaders()
			}
			r := do(t, srv, tc.method, tc.path, tc.body, h)
			if r.status != tc.wantStatus || r.code() != tc.wantCode {
				t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, r.status, r.code(), tc.wantStatus, tc.wantCode)
			}
			if r.env["status"] != "failure" {
				t.Errorf("%s %s: envelope status = %v, want failure", tc.method, tc.path, r.env["status"])
			}
			if msg, _ := r.env["errorMsg"].(string); msg == "" {
				t.Errorf("%s %s: empty errorMsg", tc.method, tc.path)
			}
			if r.header.Get("X-RateLimit-Limit") == "" && tc.wantStatus != http.StatusNotFound {
				t.Errorf("%s %s: no X-RateLimit-Limit header", tc.method, tc.path)
			}
		})
	}
}

// TestSeedErrorMessages checks the seed pages' exact messages.
func TestSeedErrorMessages(t *testing.T) {
	_, srv := newSandbox(t, sandbox.Config{})
	tests := []struct {
		path, body, wantMsg string
	}{
		{"/getfibalance", `{"linkReferenceNumber":"7f8227f1-697f-40d3-a4af-0508f5d0a1dd"}`, "[consentID is required]"},
		{"/getfidata", `{}`, "[linkReferenceNumber is required] [consentID is required]"},
		{"/getalllatestfidata", `{}`, "[consentID is required]"},
		{"/getfibalance", `{"consentID":"00000000-0000-4000-8000-000000000000"}`, "Consent ID does not exist"},
	}
	for _, tc := range tests {
		r := post(t, srv, tc.path, tc.body)
		if got := r.env["errorMsg"]; got != tc.wantMsg {
			t.Errorf("POST %s %s: errorMsg = %q, want %q", tc.path, tc.body, got, tc.wantMsg)
		}
	}
}
