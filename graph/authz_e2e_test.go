package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// FinPro paths whose calls the authorization tests count.
const (
	pathConsents   = "/v1/accounts/getconsentslist"
	pathLookup     = "/v3/getconsentslist"
	pathBalance    = "/getfibalance"
	pathAllFIData  = "/getallfidata"
	pathFIData     = "/getfidata"
	pathLatest     = "/getalllatestfidata"
	pathRequest    = "/v2/requestconsent"
	pathRevoke     = "/revokeconsent"
	pathFIRequest  = "/fi/request"
	loanProduct    = "LOAN_UNDERWRITING"
	msgNotAllowed  = "not allowed"
	msgNeedsLogin  = "authentication required"
	codeForbidden  = "FORBIDDEN"
	codeUnauthentd = "UNAUTHENTICATED"
)

// without returns every scope but the given ones.
func without(scopes ...string) []string {
	var out []string
	for _, s := range auth.DevScopes() {
		if !slices.Contains(scopes, s) {
			out = append(out, s)
		}
	}
	return out
}

// pathOf returns an error's path as "a.b.0.c".
func pathOf(e gqlError) string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		var s string
		if json.Unmarshal(p, &s) != nil {
			s = string(p)
		}
		parts[i] = s
	}
	return strings.Join(parts, ".")
}

// upstreamCalls returns the calls per FinPro path since the last reset.
func (e *env) upstreamCalls() map[string]int64 { return e.sb.Stats() }

// total adds every path's calls.
func total(calls map[string]int64) int64 {
	var n int64
	for _, c := range calls {
		n += c
	}
	return n
}

// consentOf returns a consent of the sandbox customer with mobile: the first
// with a consent ID in status under product.
func consentOf(t *testing.T, sb *sandbox.Sandbox, mobile, product, status string) sandbox.ConsentInfo {
	t.Helper()
	for _, c := range sb.Customers() {
		if c.Mobile != mobile {
			continue
		}
		for _, k := range c.Consents {
			if k.ProductID == product && k.Status == status && k.ConsentID != "" {
				return k
			}
		}
	}
	t.Fatalf("sandbox has no %s consent under %s for the customer", status, product)
	return sandbox.ConsentInfo{}
}

// checkDenied checks that every error of r is code with msg and that one is
// at path (when path is not empty).
func checkDenied(t *testing.T, r response, code, msg, path string) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("errors = none, want %s", code)
	}
	at := path == ""
	for _, e := range r.Errors {
		if e.code() != code || e.Message != msg {
			t.Errorf("error at %s = %s %q, want %s %q", pathOf(e), e.code(), e.Message, code, msg)
		}
		at = at || pathOf(e) == path
	}
	if !at {
		t.Errorf("no error at %s", path)
	}
}

// TestScopeDenied checks every field class's scope: without it the field is
// FORBIDDEN and FinPro's path behind it is never called.
func TestScopeDenied(t *testing.T) {
	e := newEnv(t, envOptions{})
	con := consentOf(t, e.sb, sandbox.DemoMobile, sandbox.DemoProductID, "ACTIVE")
	vars := map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID, "c": con.ConsentID}
	tests := []struct {
		name    string
		missing string
		query   string
		path    string   // an error is at this path
		noCalls []string // FinPro paths that must not be called; nil: none at all
	}{
		{"customer", auth.ScopeConsentsRead,
			`query Q($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { mobileNumber } }`,
			"customer", nil},
		{"me", auth.ScopeConsentsRead,
			`query Q($p: ID!) { me(productID: $p) { mobileNumber } }`,
			"me", nil},
		{"balance", auth.ScopeBalancesRead,
			`query Q($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { accounts { id balance { amount } } } }`,
			"customer.accounts.0.balance", []string{pathBalance}},
		{"totalBalance", auth.ScopeBalancesRead,
			`query Q($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { totalBalance { amount } } }`,
			"customer.totalBalance", []string{pathBalance}},
		{"summary", auth.ScopeBalancesRead,
			`query Q($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { accounts { ... on DepositAccount { summary { currentBalance } } } } }`,
			"customer.accounts.0.summary", []string{pathAllFIData}},
		{"transactions", auth.ScopeTransactionsRead,
			`query Q($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { accounts { transactions(first: 1) { totalCount } } } }`,
			"customer.accounts.0.transactions", []string{pathFIData}},
		{"requestConsent", auth.ScopeConsentsWrite,
			`mutation M($m: String!, $p: ID!) { requestConsent(input: {mobileNumber: $m, productID: $p}) { consentHandle } }`,
			"requestConsent", nil},
		{"revokeConsent", auth.ScopeConsentsWrite,
			`mutation M($c: ID!) { revokeConsent(input: {consentID: $c}) { consent { status } } }`,
			"revokeConsent", nil},
		{"requestData", auth.ScopeConsentsWrite,
			`mutation M($c: ID!) { requestData(input: {consentID: $c}) { sessionID } }`,
			"requestData", nil},
		{"syncIncrementalData", auth.ScopeDataSync,
			`mutation M($c: ID!) { syncIncrementalData(input: {consentID: $c, idempotencyKey: "k1"}) { replayed } }`,
			"syncIncrementalData", nil},
	}
	for _, tt := range tests {
		for _, bound := range []bool{false, true} {
			name := tt.name + "/partner"
			if bound {
				name = tt.name + "/customer"
			}
			t.Run(name, func(t *testing.T) {
				e.principal = &auth.Principal{Subject: "s", Scopes: without(tt.missing), Products: []string{sandbox.DemoProductID}}
				if bound {
					e.principal.Mobile = sandbox.DemoMobile
				} else if tt.name == "me" {
					t.Skip("me needs a customer-bound token")
				}
				e.sb.ResetStats()
				r := e.post(t, tt.query, vars)
				checkDenied(t, r, codeForbidden, msgNotAllowed, tt.path)
				calls := e.upstreamCalls()
				if tt.noCalls == nil && total(calls) != 0 {
					t.Errorf("FinPro calls = %v, want none", calls)
				}
				for _, p := range tt.noCalls {
					if calls[p] != 0 {
						t.Errorf("FinPro %s calls = %d, want 0", p, calls[p])
					}
				}
			})
		}
	}
}

// TestScopeGranted is TestScopeDenied's control: with every scope the same
// field classes resolve.
func TestScopeGranted(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.principal = customerToken(sandbox.DemoMobile)
	r := e.post(t, `query Q($p: ID!) { me(productID: $p) {
	  totalBalance { amount }
	  accounts { balance { amount } profile { holdersType } transactions(first: 1) { totalCount } ... on DepositAccount { summary { currentBalance } } }
	} }`, map[string]any{"p": sandbox.DemoProductID})
	var got struct {
		Me struct {
			Accounts []json.RawMessage `json:"accounts"`
		} `json:"me"`
	}
	mustData(t, r, &got)
	if len(got.Me.Accounts) == 0 {
		t.Error("me has no accounts")
	}
}

// TestUnauthenticated checks that a request without identity fails every
// entry point with UNAUTHENTICATED before any FinPro call, and that me needs
// a customer-bound token.
func TestUnauthenticated(t *testing.T) {
	e := newEnv(t, envOptions{})
	tests := []struct {
		name      string
		principal *auth.Principal
		query     string
	}{
		{"customer", nil, `{ customer(mobileNumber: "9876543210", productID: "PFM_DASHBOARD") { totalBalance { amount } } }`},
		{"me", nil, `{ me(productID: "PFM_DASHBOARD") { mobileNumber } }`},
		{"mutation", nil, `mutation { revokeConsent(input: {consentID: "c-1"}) { consent { status } } }`},
		{"me unbound", partner(), `{ me(productID: "PFM_DASHBOARD") { mobileNumber } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.principal = tt.principal
			e.sb.ResetStats()
			checkDenied(t, e.post(t, tt.query, nil), codeUnauthentd, msgNeedsLogin, "")
			if calls := e.upstreamCalls(); total(calls) != 0 {
				t.Errorf("FinPro calls = %v, want none", calls)
			}
		})
	}
}

// TestCustomerBinding checks that a customer-bound token reaches its own
// customer only: another mobile is FORBIDDEN with no FinPro call, through
// every entry point, and looks exactly like a mobile nobody has.
func TestCustomerBinding(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.principal = customerToken(mobileA)
	const customerQ = `query Q($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { consents { totalCount } } }`

	t.Run("own", func(t *testing.T) {
		var got struct {
			Customer struct{ Consents struct{ TotalCount int } }
		}
		mustData(t, e.post(t, customerQ, map[string]any{"m": mobileA, "p": product}), &got)
		if got.Customer.Consents.TotalCount == 0 {
			t.Error("own customer has no consents")
		}
	})

	var denials []response
	for _, m := range []string{mobileB, "9000000099"} { // another customer, nobody
		e.sb.ResetStats()
		r := e.post(t, customerQ, map[string]any{"m": m, "p": product})
		checkDenied(t, r, codeForbidden, msgNotAllowed, "customer")
		if calls := e.upstreamCalls(); total(calls) != 0 {
			t.Errorf("FinPro calls = %v, want none", calls)
		}
		denials = append(denials, r)
	}
	if diff := cmp.Diff(denials[0], denials[1]); diff != "" {
		t.Errorf("another customer's denial differs from nobody's (-other +nobody):\n%s", diff)
	}

	t.Run("alias", func(t *testing.T) {
		e.sb.ResetStats()
		r := e.post(t, `query Q($a: String!, $b: String!, $p: ID!) {
		  a: customer(mobileNumber: $a, productID: $p) { consents { totalCount } }
		  b: customer(mobileNumber: $b, productID: $p) { consents { totalCount } }
		}`, map[string]any{"a": mobileA, "b": mobileB, "p": product})
		if len(r.Errors) != 1 || pathOf(r.Errors[0]) != "b" {
			t.Fatalf("errors = %+v, want one at b", r.Errors)
		}
		checkDenied(t, r, codeForbidden, msgNotAllowed, "b")
		// a resolved (its consent list was read); b never reached FinPro.
		if got := e.upstreamCalls(); got[pathConsents] != 1 || total(got) != 1 {
			t.Errorf("FinPro calls = %v, want one consent list (a's)", got)
		}
	})

	t.Run("requestConsent", func(t *testing.T) {
		e.sb.ResetStats()
		r := e.post(t, `mutation M($m: String!, $p: ID!) { requestConsent(input: {mobileNumber: $m, productID: $p}) { consentHandle } }`,
			map[string]any{"m": mobileB, "p": product})
		checkDenied(t, r, codeForbidden, msgNotAllowed, "requestConsent")
		if calls := e.upstreamCalls(); total(calls) != 0 {
			t.Errorf("FinPro calls = %v, want none", calls)
		}
	})
}

// TestConsentOwnership checks the mutations that take a consent (by its
// global id or FinPro's consentID): each places the consent first, with one
// /v3/getconsentslist lookup and before FinPro's write, and acts only when the
// caller could see it on the customer path: its own customer for a bound
// token, its products for a token limited to products, the productID argument
// when given. Anything else is the same NOT_FOUND as a consent that does not
// exist (issue 12, failure 1: a partner limited to LOAN_UNDERWRITING revoked
// PFM_DASHBOARD consents).
func TestConsentOwnership(t *testing.T) {
	e := newEnv(t, envOptions{})
	theirs := consentOf(t, e.sb, mobileB, product, "ACTIVE")
	mine := consentOf(t, e.sb, mobileA, product, "ACTIVE")
	myLoan := consentOf(t, e.sb, mobileA, loanProduct, "ACTIVE")
	mutations := []struct {
		name, query, write string
	}{
		{"revokeConsent", `mutation M($c: ID, $id: ID, $p: ID) { revokeConsent(input: {consentID: $c, id: $id, productID: $p}) { consent { status } } }`, pathRevoke},
		{"requestData", `mutation M($c: ID, $id: ID, $p: ID) { requestData(input: {consentID: $c, id: $id, productID: $p}) { sessionID } }`, pathFIRequest},
		{"syncIncrementalData", `mutation M($c: ID, $id: ID, $p: ID) { syncIncrementalData(input: {consentID: $c, id: $id, idempotencyKey: "k1", productID: $p}) { replayed } }`, pathLatest},
	}
	type vars = map[string]any
	loanPartner := &auth.Principal{Subject: "s", Scopes: auth.DevScopes(), Products: []string{loanProduct}}
	boundPFM := &auth.Principal{Subject: "s", Mobile: mobileA, Scopes: auth.DevScopes(), Products: []string{product}}
	tests := []struct {
		name      string
		principal *auth.Principal
		vars      vars
	}{
		{"another customer's", customerToken(mobileA), vars{"c": theirs.ConsentID}},
		{"nobody's", customerToken(mobileA), vars{"c": "00000000-0000-4000-8000-00000000dead"}},
		{"another customer's by id", customerToken(mobileA), vars{"id": relay.ConsentID(relay.ConsentRef(theirs.ConsentHandle, ""))}},
		{"own under another product", boundPFM, vars{"c": myLoan.ConsentID}},
		{"own, wrong productID", customerToken(mobileA), vars{"c": mine.ConsentID, "p": loanProduct}},
		{"partner limited to another product", loanPartner, vars{"c": mine.ConsentID}},
		{"partner limited, productID given", loanPartner, vars{"c": mine.ConsentID, "p": loanProduct}},
		{"partner limited, by id", loanPartner, vars{"id": relay.ConsentID(relay.ConsentRef(mine.ConsentHandle, ""))}},
	}
	for _, m := range mutations {
		var shapes []response
		for _, tt := range tests {
			t.Run(m.name+"/"+tt.name, func(t *testing.T) {
				e.principal = tt.principal
				e.sb.ResetStats()
				r := e.post(t, m.query, tt.vars)
				checkDenied(t, r, "NOT_FOUND", "not found", m.name)
				calls := e.upstreamCalls()
				if calls[m.write] != 0 || calls[pathLookup] != 1 || total(calls) != 1 {
					t.Errorf("FinPro calls = %v, want one consent lookup only", calls)
				}
				shapes = append(shapes, r)
			})
		}
		for i := 1; i < len(shapes); i++ {
			if diff := cmp.Diff(shapes[0], shapes[i]); diff != "" {
				t.Errorf("%s: %s differs from another customer's consent (-other +this):\n%s", m.name, tests[i].name, diff)
			}
		}
	}
	for _, k := range []sandbox.ConsentInfo{theirs, mine} {
		if got, err := e.sb.Consent(k.ConsentHandle); err != nil || got.Status != "ACTIVE" {
			t.Errorf("consent after the attempts: status %q, err %v; want ACTIVE", got.Status, err)
		}
	}

	// Allowed: the customer's own consent, by consentID and by id, whatever
	// products the token names as long as the consent's is among them.
	e.principal = &auth.Principal{Subject: "s", Mobile: mobileA, Scopes: auth.DevScopes(), Products: []string{product, loanProduct}}
	e.sb.ResetStats()
	var data struct {
		RequestData struct{ SessionID string } `json:"requestData"`
	}
	mustData(t, e.post(t, mutations[1].query, vars{"c": myLoan.ConsentID}), &data)
	if data.RequestData.SessionID == "" {
		t.Error("requestData on own consent: empty sessionID")
	}
	if calls := e.upstreamCalls(); calls[pathFIRequest] != 1 || calls[pathLookup] != 1 || total(calls) != 2 {
		t.Errorf("FinPro calls = %v, want 1 lookup then 1 data request", calls)
	}
	e.principal = customerToken(mobileA)
	var revoked struct {
		RevokeConsent struct{ Consent struct{ ID, Status string } } `json:"revokeConsent"`
	}
	mineID := relay.ConsentID(relay.ConsentRef(mine.ConsentHandle, ""))
	mustData(t, e.post(t, `mutation M($id: ID, $p: ID) { revokeConsent(input: {id: $id, productID: $p}) { consent { id status } } }`, vars{"id": mineID, "p": product}), &revoked)
	if got := revoked.RevokeConsent.Consent; got.Status != "REVOKED" || got.ID != mineID {
		t.Errorf("revokeConsent(own) consent = %+v, want id %s, REVOKED", got, mineID)
	}
	for _, v := range []vars{{}, {"c": mine.ConsentID, "id": mineID}} {
		checkDenied(t, e.post(t, mutations[0].query, v), "BAD_USER_INPUT", "give exactly one of id and consentID", "revokeConsent")
	}
}

// TestProductsClaim checks that a token's products claim limits the products
// of every entry point, before any FinPro call.
func TestProductsClaim(t *testing.T) {
	e := newEnv(t, envOptions{})
	tests := []struct {
		name, query, path string
	}{
		{"customer", `{ customer(mobileNumber: "9876543210", productID: "LOAN_UNDERWRITING") { consents { totalCount } } }`, "customer"},
		{"me", `{ me(productID: "LOAN_UNDERWRITING") { consents { totalCount } } }`, "me"},
		{"requestConsent", `mutation { requestConsent(input: {mobileNumber: "9876543210", productID: "LOAN_UNDERWRITING"}) { consentHandle } }`, "requestConsent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.principal = &auth.Principal{Subject: "s", Mobile: sandbox.DemoMobile, Scopes: auth.DevScopes(), Products: []string{sandbox.DemoProductID}}
			e.sb.ResetStats()
			checkDenied(t, e.post(t, tt.query, nil), codeForbidden, msgNotAllowed, tt.path)
			if calls := e.upstreamCalls(); total(calls) != 0 {
				t.Errorf("FinPro calls = %v, want none", calls)
			}
		})
	}
	var got struct {
		Customer struct{ Consents struct{ TotalCount int } }
	}
	mustData(t, e.post(t, `{ customer(mobileNumber: "9876543210", productID: "PFM_DASHBOARD") { consents { totalCount } } }`, nil), &got)
}

// TestSubscriptionAuthz checks consentStatusChanged's guards over the
// websocket: the scope, the customer binding (argument or default) and the
// products claim, each refused before the broker sees a subscription.
func TestSubscriptionAuthz(t *testing.T) {
	e := newLiveEnv(t, graph.WebsocketConfig{})
	tests := []struct {
		name      string
		payload   map[string]any
		vars      map[string]any
		code, msg string
	}{
		{"other customer", map[string]any{"mobile": mobileA}, subVars(mobileB, "", ""), codeForbidden, msgNotAllowed},
		{"other customer by handle", map[string]any{"mobile": mobileA}, subVars(mobileB, "some-handle", ""), codeForbidden, msgNotAllowed},
		{"no scope", map[string]any{"mobile": mobileA, "scope": "balances:read"}, subVars(mobileA, "", ""), codeForbidden, msgNotAllowed},
		{"product not in token", map[string]any{"products": loanProduct}, subVars(mobileA, "", ""), codeForbidden, msgNotAllowed},
		{"product not in token by handle", map[string]any{"products": loanProduct}, subVars("", "some-handle", ""), codeForbidden, msgNotAllowed},
		{"no principal", map[string]any{"anonymous": true}, subVars(mobileA, "", ""), codeUnauthentd, msgNeedsLogin},
	}
	for _, proto := range protocols {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				c := connect(t, e.bff.wsURL(), proto, tt.payload)
				c.subscribe(t, "1", consentStatusChanged, tt.vars)
				r := c.result(t, "1")
				if r.kind != "error" || len(r.errors) != 1 || r.errors[0].code() != tt.code || r.errors[0].Message != tt.msg {
					t.Errorf("consentStatusChanged(%s) = %s %+v, want one %s %q", tt.name, r.kind, r.errors, tt.code, tt.msg)
				}
			})
		}
	}
	if n := len(e.bff.source.subscribed); n != 0 {
		t.Errorf("subscriptions that reached the broker = %d, want 0", n)
	}
	// Control: the bound customer's own stream opens (mobile defaulted).
	c := connect(t, e.bff.wsURL(), protocols[0], map[string]any{"mobile": mobileA, "products": product})
	c.subscribe(t, "1", consentStatusChanged, subVars("", "", ""))
	e.bff.source.waitSubscribed(t, 1)
	c.stop(t, "1")
	e.bff.source.waitOpen(t, 0)
}
