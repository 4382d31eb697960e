package graph_test

import (
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// The operations the error tests run; each reaches one FinPro path.
const (
	opBalance      = `query($m: String!, $p: ID!, $id: ID!) { customer(mobileNumber: $m, productID: $p) { account(id: $id) { balance { amount } } } }`
	opTransactions = `query($m: String!, $p: ID!, $id: ID!) { customer(mobileNumber: $m, productID: $p) { account(id: $id) { transactions(first: 5) { edges { cursor } } } } }`
	opProfile      = `query($m: String!, $p: ID!, $id: ID!) { customer(mobileNumber: $m, productID: $p) { account(id: $id) { profile { holdersType } } } }`
	opConsents     = `query($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { consents(first: 5) { edges { cursor } } } }`
)

// safeMessages are the only messages FinPro failures may show.
var safeMessages = map[string]bool{
	"not found": true, "consent is not active": true, "data is not ready yet; request data and retry later": true,
	"too many requests to FinPro; retry later": true, "FinPro is unavailable; retry later": true,
	"FinPro did not answer in time; retry later": true, "FinPro rejected the request's input": true,
	// DATA_NOT_READY explained by the fetch state (graph/errors.go notReadyMessage).
	"data is being fetched from the FIPs; it is readable once DATA_READY arrives (consentEvents)": true,
	"the FIPs refused to share the data; request data again later":                                true,
	"no data is fetched for this consent; call requestData, then wait for DATA_READY":             true,
}

// TestFinProErrorCodes injects every FinPro error code of the seed pages and
// checks the extensions.code and extensions.finproCode clients see, and that the
// message is one of the fixed safe texts.
func TestFinProErrorCodes(t *testing.T) {
	tests := []struct {
		path, code string
		op         string
		wantCode   string
	}{
		{"/getfibalance", "InvalidRequest", opBalance, "BAD_USER_INPUT"},
		{"/getfibalance", "InvalidConsentId", opBalance, "NOT_FOUND"},
		{"/getfibalance", "InvalidLinkReference", opBalance, "NOT_FOUND"},
		{"/getfibalance", "ConsentNotActive", opBalance, "CONSENT_INACTIVE"},
		{"/getfibalance", "DataNotAvailable", opBalance, "DATA_NOT_READY"},
		{"/getfibalance", "Unauthorized", opBalance, "UPSTREAM_UNAVAILABLE"},
		{"/getfibalance", "RateLimitExceeded", opBalance, "RATE_LIMITED"},
		{"/getfibalance", "InternalError", opBalance, "UPSTREAM_UNAVAILABLE"},
		{"/getfidata", "InvalidRequest", opTransactions, "BAD_USER_INPUT"},
		{"/getfidata", "InvalidConsentId", opTransactions, "NOT_FOUND"},
		{"/getfidata", "InvalidLinkReference", opTransactions, "NOT_FOUND"},
		{"/getfidata", "ConsentNotActive", opTransactions, "CONSENT_INACTIVE"},
		{"/getfidata", "DataNotAvailable", opTransactions, "DATA_NOT_READY"},
		{"/getfidata", "Unauthorized", opTransactions, "UPSTREAM_UNAVAILABLE"},
		{"/getfidata", "RateLimitExceeded", opTransactions, "RATE_LIMITED"},
		{"/getallfidata", "InvalidPayload", opProfile, "BAD_USER_INPUT"},
		{"/getallfidata", "NoDataAvailable", opProfile, "DATA_NOT_READY"},
		{"/getallfidata", "NoDataFound", opProfile, "DATA_NOT_READY"},
		{"/getallfidata", "DataIsDeleted", opProfile, "NOT_FOUND"},
		{"/v1/accounts/getconsentslist", "InvalidRequest", opConsents, "BAD_USER_INPUT"},
		{"/v1/accounts/getconsentslist", "InvalidMobileNumber", opConsents, "BAD_USER_INPUT"},
		{"/v1/accounts/getconsentslist", "InvalidStatus", opConsents, "BAD_USER_INPUT"},
		{"/v1/accounts/getconsentslist", "InvalidPageNumber", opConsents, "BAD_USER_INPUT"},
		{"/v1/accounts/getconsentslist", "InvalidPageSize", opConsents, "BAD_USER_INPUT"},
		{"/v1/accounts/getconsentslist", "AuthenticationFailed", opConsents, "UPSTREAM_UNAVAILABLE"},
		{"/getfibalance", "html503", opBalance, "UPSTREAM_UNAVAILABLE"},
	}
	for _, tc := range tests {
		t.Run(tc.path+"/"+tc.code, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			id := e.accountID(t, firstActiveLink(t, e))
			if err := e.sb.InjectFault(tc.path, tc.code, 100); err != nil {
				t.Fatalf("InjectFault: %v", err)
			}
			r := e.post(t, tc.op, map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID, "id": id})
			wantFinpro := tc.code
			if tc.code == "html503" {
				wantFinpro = ""
			}
			checkOneError(t, r, tc.wantCode, wantFinpro)
		})
	}
}

func firstActiveLink(t *testing.T, e *env) string {
	t.Helper()
	return activeConsents(e.demo(t))[0].LinkRefs[0]
}

func checkOneError(t *testing.T, r response, wantCode, wantFinpro string) {
	t.Helper()
	if len(r.Errors) != 1 {
		t.Fatalf("errors = %+v, want one", r.Errors)
	}
	got := r.Errors[0]
	if got.code() != wantCode || got.finproCode() != wantFinpro {
		t.Errorf("extensions = %v, want code %s, finproCode %q", got.Extensions, wantCode, wantFinpro)
	}
	if !safeMessages[got.Message] && wantFinpro != "" {
		t.Errorf("message = %q, want one of the fixed safe messages", got.Message)
	}
}

// TestErrorCodesOfOperations covers the codes that come from the BFF itself or
// from real (not injected) upstream refusals.
func TestErrorCodesOfOperations(t *testing.T) {
	e := newEnv(t, envOptions{})
	demo := e.demo(t)
	var revoked, periodic string
	for _, k := range demo.Consents {
		if k.Status == "REVOKED" && revoked == "" {
			revoked = k.ConsentID
		}
		if k.Status == "ACTIVE" && k.FetchType == "PERIODIC" {
			periodic = k.ConsentID
		}
	}
	otherLink := activeConsents(demo)[1].LinkRefs[len(activeConsents(demo)[1].LinkRefs)-1]
	foreignCursor := ""
	{
		c := e.transactionsPage(t, otherLink, map[string]any{"first": 1})
		foreignCursor = *c.PageInfo.EndCursor
	}
	accountID := e.accountID(t, firstActiveLink(t, e))
	vars := func(kv ...any) map[string]any {
		m := map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID, "id": accountID}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	const txns = `query($m: String!, $p: ID!, $id: ID!, $first: Int, $after: String, $last: Int) { customer(mobileNumber: $m, productID: $p) { account(id: $id) { transactions(first: $first, after: $after, last: $last) { edges { cursor } } } } }`
	tests := []struct {
		name       string
		op         string
		vars       map[string]any
		wantCode   string
		wantFinpro string
	}{
		{"mobile not 10 digits", opConsents, vars("m", "+919876543210"), "BAD_USER_INPUT", ""},
		{"first 0", txns, vars("first", 0), "BAD_USER_INPUT", ""},
		{"first 101", txns, vars("first", 101), "BAD_USER_INPUT", ""},
		{"last 101", txns, vars("last", 101), "BAD_USER_INPUT", ""},
		{"first and last", txns, vars("first", 1, "last", 1), "BAD_USER_INPUT", ""},
		{"cursor of another account", txns, vars("first", 1, "after", foreignCursor), "BAD_USER_INPUT", ""},
		{"garbage cursor", txns, vars("first", 1, "after", "%%%"), "BAD_USER_INPUT", ""},
		{"unknown account", opBalance, vars("id", relay.AccountID("h.nope", "nope")), "NOT_FOUND", ""},
		{"validation failure", `query { nope }`, nil, "BAD_USER_INPUT", ""},
		{"parse failure", `query {`, nil, "BAD_USER_INPUT", ""},
		{"me without identity", `query { me(productID: "PFM_DASHBOARD") { mobileNumber } }`, nil, "UNAUTHENTICATED", ""},
		{"revoke a revoked consent", `mutation($c: ID!) { revokeConsent(input: {consentID: $c}) { consent { status } } }`, map[string]any{"c": revoked}, "CONSENT_INACTIVE", "InvalidStatus"},
		{"revoke an unknown consent", `mutation($c: ID!) { revokeConsent(input: {consentID: $c}) { consent { status } } }`, map[string]any{"c": "00000000-0000-4000-8000-000000000000"}, "NOT_FOUND", ""},
		{"requestData for an unknown consent", `mutation($c: ID!) { requestData(input: {consentID: $c}) { sessionID } }`, map[string]any{"c": "00000000-0000-4000-8000-000000000000"}, "NOT_FOUND", ""},
		{"sync with an empty key", `mutation($c: ID!) { syncIncrementalData(input: {consentID: $c, idempotencyKey: ""}) { replayed } }`, map[string]any{"c": periodic}, "BAD_USER_INPUT", ""},
		{"requestConsent with a bad mobile", `mutation { requestConsent(input: {mobileNumber: "12345", productID: "PFM_DASHBOARD"}) { consentHandle } }`, nil, "BAD_USER_INPUT", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post(t, tc.op, tc.vars)
			if len(r.Errors) == 0 {
				t.Fatalf("no errors, want %s", tc.wantCode)
			}
			got := r.Errors[0]
			if got.code() != tc.wantCode || got.finproCode() != tc.wantFinpro {
				t.Errorf("extensions = %v (message %q), want code %s, finproCode %q", got.Extensions, got.Message, tc.wantCode, tc.wantFinpro)
			}
			if strings.Contains(got.Message, sandbox.DemoMobile) || strings.Contains(got.Message, "http") {
				t.Errorf("message %q leaks input or upstream details", got.Message)
			}
		})
	}
}

// TestConsentInactiveSaysStatus: CONSENT_INACTIVE carries the consent's
// status, whether FinPro refused (a revoked consent) or the BFF did (a
// consent without a consent ID yet).
func TestConsentInactiveSaysStatus(t *testing.T) {
	e := newEnv(t, envOptions{})
	var revoked string
	for _, k := range e.demo(t).Consents {
		if k.Status == "REVOKED" {
			revoked = k.ConsentID
			break
		}
	}
	pending := requestConsent(t, e.api.URL+"/graphql", sandbox.DemoMobile)
	tests := []struct {
		name, op string
		vars     map[string]any
		want     string
	}{
		{"revoked, refused by FinPro", `mutation($c: ID!) { revokeConsent(input: {consentID: $c}) { consent { status } } }`, map[string]any{"c": revoked}, "REVOKED"},
		{"pending, refused by the BFF", `mutation($id: ID!) { requestData(input: {id: $id}) { sessionID } }`, map[string]any{"id": relay.ConsentID(relay.ConsentRef(pending, ""))}, "PENDING"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post(t, tc.op, tc.vars)
			if len(r.Errors) != 1 || r.Errors[0].code() != "CONSENT_INACTIVE" || r.Errors[0].Extensions["consentStatus"] != tc.want {
				t.Errorf("errors = %+v, want CONSENT_INACTIVE with consentStatus %s", r.Errors, tc.want)
			}
		})
	}
}

// TestWrongCredentials: FinPro refusing the BFF's own credentials is an
// upstream failure for the client, never UNAUTHENTICATED.
func TestWrongCredentials(t *testing.T) {
	creds := sandboxCredentials()
	creds.ClientSecret = "wrong"
	e := newEnv(t, envOptions{credentials: &creds})
	r := e.post(t, opConsents, map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID})
	checkOneError(t, r, "UPSTREAM_UNAVAILABLE", "AuthenticationFailed")

	const sync = `mutation($c: ID!) { syncIncrementalData(input: {consentID: $c, idempotencyKey: "x"}) { replayed } }`
	r = e.post(t, sync, map[string]any{"c": activeConsents(e.demo(t))[0].ConsentID})
	checkOneError(t, r, "UPSTREAM_UNAVAILABLE", "Unauthorized")
}

// TestNoIncrementalData: FinPro's NoIncrementalData is an empty sync result.
func TestNoIncrementalData(t *testing.T) {
	e := newEnv(t, envOptions{})
	if err := e.sb.InjectFault("/getalllatestfidata", "NoIncrementalData", 1); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sync struct {
			Replayed bool  `json:"replayed"`
			Accounts []any `json:"accounts"`
		} `json:"syncIncrementalData"`
	}
	const q = `mutation($c: ID!) { syncIncrementalData(input: {consentID: $c, idempotencyKey: "nothing-new"}) { replayed accounts { fiType } } }`
	mustData(t, e.post(t, q, map[string]any{"c": activeConsents(e.demo(t))[0].ConsentID}), &got)
	if got.Sync.Replayed || got.Sync.Accounts == nil || len(got.Sync.Accounts) != 0 {
		t.Errorf("sync = %+v, want an empty, fresh result", got.Sync)
	}
}

// TestSiblingFieldsSurvive: one consent's balances fail; the accounts of the
// other consent keep their balances and every account keeps its other fields.
func TestSiblingFieldsSurvive(t *testing.T) {
	e := newEnv(t, envOptions{})
	if err := e.sb.InjectFault("/getfibalance", "ConsentNotActive", 1); err != nil {
		t.Fatal(err)
	}
	r := e.post(t, dashboardQuery, demoVars())
	if len(r.Errors) == 0 {
		t.Fatal("no errors, want the failing consent's balances to fail")
	}
	failed := map[string]bool{} // consent index of failing balances
	for _, er := range r.Errors {
		if er.code() != "CONSENT_INACTIVE" || len(er.Path) < 6 || string(er.Path[len(er.Path)-1]) != `"balance"` {
			t.Errorf("error %+v, want CONSENT_INACTIVE on a balance", er)
			continue
		}
		failed[string(er.Path[4])] = true
	}
	r.Errors = nil
	var got dashboard
	mustData(t, r, &got)
	withBalance, without := 0, 0
	for _, edge := range got.Customer.Consents.Edges {
		for _, a := range edge.Node.Accounts {
			if a.Balance == nil {
				without++
			} else {
				withBalance++
			}
			if len(a.Transactions.Edges) == 0 {
				t.Errorf("account %s lost its transactions", a.LinkReferenceNumber)
			}
		}
	}
	if withBalance == 0 || without == 0 {
		t.Errorf("accounts with balance = %d, without = %d; want some of each", withBalance, without)
	}
	if len(failed) != 1 {
		t.Errorf("failing consents = %v, want exactly one", failed)
	}
}

// TestMe resolves the customer bound to the caller's identity.
func TestMe(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.principal = customerToken(sandbox.DemoMobile)
	var got struct {
		Me struct {
			Accounts []struct {
				ID string `json:"id"`
			} `json:"accounts"`
		} `json:"me"`
	}
	mustData(t, e.post(t, `query { me(productID: "PFM_DASHBOARD") { accounts { id } } }`, nil), &got)
	if len(got.Me.Accounts) == 0 {
		t.Error("me has no accounts")
	}
}
