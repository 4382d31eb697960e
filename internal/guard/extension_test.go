package guard_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/guard"
)

const customerArgs = `query Q($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) `

// deepQuery returns a query of depth d (d >= 2): customer, then a chain of
// accounts/consent fields, then id.
func deepQuery(d int) string {
	var b strings.Builder
	b.WriteString(customerArgs + "{ ")
	chain := []string{"accounts", "consent"}
	for i := range d - 2 {
		b.WriteString(chain[i%2] + " { ")
	}
	b.WriteString("id ")
	b.WriteString(strings.Repeat("} ", d))
	return b.String()
}

// aliasQuery returns a query with n aliased fields.
func aliasQuery(n int) string {
	var b strings.Builder
	b.WriteString(customerArgs + "{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: mobileNumber ", i)
	}
	b.WriteString("} }")
	return b.String()
}

// directiveQuery returns a query with n directives.
func directiveQuery(n int) string {
	var b strings.Builder
	b.WriteString(customerArgs + "{ mobileNumber ")
	for range n {
		b.WriteString("... @include(if: true) { productID } ")
	}
	b.WriteString("} }")
	return b.String()
}

// tokenQuery returns a document of exactly n tokens (n >= 3).
func tokenQuery(n int) string {
	return "{" + strings.Repeat(" __typename", n-2) + " }"
}

// pagedQuery asks for $n consents with $n transactions per account; extra is
// added to the consent connection's selection. Its cost is 12 + 112n + 10n²
// (+1 per extra object field): customer 1, consents 10 + 1, then n edges of
// 1 + node 1 + 5 accounts of (1 + transactions 20 + 1 + n edges of 2); its
// FinPro calls 1 + 2 per account: 1 + 10n.
func pagedQuery(extra string) string {
	return `query Q($mobile: String!, $product: ID!, $n: Int) {
  customer(mobileNumber: $mobile, productID: $product) {
    consents(status: [ACTIVE], first: $n) { ` + extra + ` edges { node { accounts { transactions(first: $n) { edges { node { txnId } } } } } } }
  }
}`
}

func pagedVars(n int) map[string]any {
	v := demoVars()
	v["n"] = n
	return v
}

const pagedLimit = 12 + 112*100 + 10*100*100 // pagedQuery("") with n = 100

const pagedCalls = 1 + 10*100 // pagedQuery's FinPro calls with n = 100

// limitCase is one operation and the guard's expected verdict. An empty
// wantCode means the guard lets it run.
type limitCase struct {
	name     string
	query    string
	vars     map[string]any
	wantCode string
	wantMsg  string
}

func limitCases() []limitCase {
	const limit = "COMPLEXITY_LIMIT_EXCEEDED"
	return []limitCase{
		{"depth at limit", deepQuery(12), demoVars(), "", ""},
		{"depth over limit", deepQuery(13), demoVars(), limit, "query depth 13 exceeds the limit of 12"},
		{"aliases at limit", aliasQuery(30), demoVars(), "", ""},
		{"aliases over limit", aliasQuery(31), demoVars(), limit, "query alias count 31 exceeds the limit of 30"},
		{"directives at limit", directiveQuery(50), demoVars(), "", ""},
		{"directives over limit", directiveQuery(51), demoVars(), limit, "query directive count 51 exceeds the limit of 50"},
		{"tokens at limit", tokenQuery(2000), nil, "", ""},
		{"tokens over limit", tokenQuery(2001), nil, limit, "query token count exceeds the limit of 2000"},
		{"cost at limit", pagedQuery(""), pagedVars(100), "", ""},
		{
			"cost over limit", pagedQuery("pageInfo { hasNextPage }"), pagedVars(100), limit,
			fmt.Sprintf("query cost %d exceeds the limit of %d", pagedLimit+1, pagedLimit),
		},
		{"introspection off", `{ __schema { queryType { name } } }`, nil, "FORBIDDEN", "introspection is disabled"},
		{"__type off", `{ __type(name: "Customer") { name } }`, nil, "FORBIDDEN", "introspection is disabled"},
		{"__typename allowed", `{ __typename }`, nil, "", ""},
	}
}

// checkVerdict checks r against tc and, for a refusal, that FinPro was not
// called.
func checkVerdict(t *testing.T, e *env, tc limitCase, r response) {
	t.Helper()
	if tc.wantCode == "" {
		if len(r.Errors) != 0 || len(r.Data) == 0 || string(r.Data) == "null" {
			t.Errorf("errors = %+v, data = %.80s; want data and no errors", r.Errors, r.Data)
		}
		return
	}
	want := []gqlError{{Message: tc.wantMsg, Extensions: map[string]any{"code": tc.wantCode}}}
	if diff := cmp.Diff(want, r.Errors); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	if n := e.upstreamCalls(); n != 0 {
		t.Errorf("FinPro calls = %d (%v), want 0 for a refused operation", n, e.sb.Stats())
	}
}

// TestLimitsHTTP runs each limit at its value and one past it through the
// real handler over HTTP POST.
func TestLimitsHTTP(t *testing.T) {
	e := newEnv(t, envOptions{limits: guard.Limits{MaxCost: pagedLimit, MaxFinproCalls: pagedCalls}})
	for _, tc := range limitCases() {
		t.Run(tc.name, func(t *testing.T) {
			e.sb.ResetStats()
			r := e.post(t, tc.query, tc.vars)
			// A refused operation is a request error: 200 under
			// application/json (GraphQL over HTTP), with no data.
			wantStatus := http.StatusOK
			if r.status != wantStatus {
				t.Errorf("POST %s: status = %d, want %d", tc.name, r.status, wantStatus)
			}
			checkVerdict(t, e, tc, r.body)
		})
	}
}

// TestLimitsWebsocket runs the same cases as operations of one websocket:
// the limits hold per operation, whatever the transport.
func TestLimitsWebsocket(t *testing.T) {
	e := newEnv(t, envOptions{limits: guard.Limits{MaxCost: pagedLimit, MaxFinproCalls: pagedCalls}})
	ws := e.dialWS(t, "")
	for _, tc := range limitCases() {
		t.Run(tc.name, func(t *testing.T) {
			e.sb.ResetStats()
			checkVerdict(t, e, tc, ws.run(t, tc.query, tc.vars))
		})
	}
}

// dashboardQuery is the first-party dashboard (graph/e2e_test.go).
const dashboardQuery = `query Dashboard($mobile: String!, $product: ID!) {
  customer(mobileNumber: $mobile, productID: $product) {
    consents(status: [ACTIVE], first: 20) {
      totalCount
      edges { node {
        consentID status
        accounts {
          __typename linkReferenceNumber maskedAccountNumber fiType fipId
          balance { amount currency }
          transactions(first: 20) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage }
            edges { node { txnId type mode amount currentBalance narration reference valueDate transactionTimestamp } }
          }
        }
      } }
    }
  }
}`

// TestDefaultLimits checks that the defaults let the first-party dashboard
// run and refuse first: 100 at two levels.
func TestDefaultLimits(t *testing.T) {
	e := newEnv(t, envOptions{})
	r := e.post(t, dashboardQuery, demoVars())
	if r.status != http.StatusOK || len(r.body.Errors) != 0 {
		t.Fatalf("dashboard: status %d, errors %+v; want 200 and no errors", r.status, r.body.Errors)
	}
	if string(r.body.Data) == "null" || len(r.body.Data) == 0 {
		t.Fatalf("dashboard: no data")
	}
	e.sb.ResetStats()
	r = e.post(t, pagedQuery(""), pagedVars(100))
	checkVerdict(t, e, limitCase{
		wantCode: "COMPLEXITY_LIMIT_EXCEEDED",
		wantMsg:  fmt.Sprintf("query cost %d exceeds the limit of %d", pagedLimit, guard.DefaultMaxCost),
	}, r.body)

	// The dashboard a first-party frontend writes: pages of 50, every field.
	e.sb.ResetStats()
	r = e.post(t, dashboard50, demoVars())
	if r.status != http.StatusOK || len(r.body.Errors) != 0 || len(r.body.Data) == 0 {
		t.Errorf("dashboard at 50: status %d, errors %+v; want 200 and no errors", r.status, r.body.Errors)
	}
}

// dashboard50 is issue 11's natural first-party dashboard.
const dashboard50 = `query Dashboard($mobile: String!, $product: ID!) {
  customer(mobileNumber: $mobile, productID: $product) {
    consents(status: [ACTIVE], first: 50) {
      edges { node {
        id consentID status fetchType expiresAt
        accounts {
          __typename id linkReferenceNumber maskedAccountNumber fiType fipId fipName
          balance { amount currency asOf }
          profile { holdersType holders { name pan email mobile dob nominee } }
          transactions(first: 20) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { id txnId type mode amount currentBalance narration transactionTimestamp } }
          }
        }
      } }
    }
  }
}`

// TestFinproCallLimit checks that an operation that could make more FinPro
// calls than MaxFinproCalls is refused before it makes any.
func TestFinproCallLimit(t *testing.T) {
	e := newEnv(t, envOptions{limits: guard.Limits{MaxFinproCalls: 21}})
	const at = customerArgs + `{ accounts { transactions(last: 3) { edges { node { txnId } } } } } }`
	const over = customerArgs + `{ accounts { balance { amount } transactions(last: 3) { edges { node { txnId } } } } } }`
	for _, tc := range []limitCase{
		{name: "at the limit", query: at, vars: demoVars()},
		{name: "over the limit", query: over, vars: demoVars(), wantCode: "COMPLEXITY_LIMIT_EXCEEDED", wantMsg: "query could make 31 FinPro calls, over the limit of 21"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.sb.ResetStats()
			checkVerdict(t, e, tc, e.post(t, tc.query, tc.vars).body)
		})
	}
}

// TestLimitsOff checks that a negative limit turns its check off.
func TestLimitsOff(t *testing.T) {
	e := newEnv(t, envOptions{limits: guard.Limits{MaxDepth: -1, MaxAliases: -1, MaxDirectives: -1, MaxTokens: -1, MaxCost: -1, MaxFinproCalls: -1}})
	for _, tc := range limitCases() {
		if tc.wantCode != "COMPLEXITY_LIMIT_EXCEEDED" || strings.HasPrefix(tc.name, "cost") {
			continue // the over-limit cost case runs 100 consents of 100 transactions: skip it
		}
		t.Run(tc.name, func(t *testing.T) {
			tc.wantCode = ""
			checkVerdict(t, e, tc, e.post(t, tc.query, tc.vars).body)
		})
	}
}

// introspectionQuery is the shape of GraphiQL's introspection query: the
// TypeRef fragment nests ofType deeper than MaxDepth.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name }
    types { ...FullType }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name args { name type { ...TypeRef } } type { ...TypeRef } }
  inputFields { name type { ...TypeRef } }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name }
  possibleTypes { ...TypeRef }
}
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

func TestIntrospection(t *testing.T) {
	tests := []struct {
		name          string
		introspection bool
		wantCode      string
	}{
		{"production refuses", false, "FORBIDDEN"},
		{"dev mode allows the playground's query", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOptions{introspection: tc.introspection})
			r := e.post(t, introspectionQuery, nil)
			if got := r.body.codes(); !slices.Equal(got, nonEmpty(tc.wantCode)) {
				t.Errorf("introspection query: codes = %q, want %q", got, nonEmpty(tc.wantCode))
			}
			if tc.wantCode == "" && !strings.Contains(string(r.body.Data), `"queryType":{"name":"Query"}`) {
				t.Errorf("introspection query: data lacks the query type")
			}
		})
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// TestSuggestions checks that without introspection no error suggests names
// from the schema, and that with it (dev mode) suggestions stay.
func TestSuggestions(t *testing.T) {
	queries := []struct{ name, query string }{
		{"unknown field", customerArgs + "{ mobileNumbr } }"},
		{"unknown argument", `{ customer(mobileNumbe: "9876543210", productID: "P") { productID } }`},
		{"unknown enum value", customerArgs + "{ consents(status: [ACTIV]) { totalCount } } }"},
	}
	for _, introspection := range []bool{false, true} {
		e := newEnv(t, envOptions{introspection: introspection})
		for _, q := range queries {
			t.Run(fmt.Sprintf("%s/introspection=%v", q.name, introspection), func(t *testing.T) {
				r := e.post(t, q.query, demoVars())
				if len(r.body.Errors) == 0 {
					t.Fatalf("no errors, want a validation error")
				}
				got := strings.Contains(r.body.Errors[0].Message, "Did you mean")
				if got != introspection {
					t.Errorf("message %q: has suggestion = %v, want %v", r.body.Errors[0].Message, got, introspection)
				}
				if c := r.body.Errors[0].code(); c != "BAD_USER_INPUT" {
					t.Errorf("code = %q, want BAD_USER_INPUT", c)
				}
			})
		}
	}
}

// TestCostExtension checks extensions.cost of an answer: the requested cost
// and FinPro calls worked by hand from the schema's directives (see
// TestAnalyze), the actual FinPro calls as the sandbox counted them, the
// actual cost as the objects of the answer (counted here by decoding it) plus
// 10 per call, and the limits.
func TestCostExtension(t *testing.T) {
	limits := guard.Limits{MaxCost: 5000, MaxFinproCalls: 100}
	e := newEnv(t, envOptions{limits: limits})
	const q = customerArgs + `{ consents(status: [ACTIVE], first: 3) { edges { node { accounts { balance { amount } } } } } } }`
	e.sb.ResetStats()
	r := e.post(t, q, demoVars())
	if len(r.body.Errors) > 0 {
		t.Fatalf("errors %+v", r.body.Errors)
	}
	calls := int(e.upstreamCalls())
	var data any
	if err := json.Unmarshal(r.body.Data, &data); err != nil {
		t.Fatal(err)
	}
	objects := countMaps(data) - 1 // the data object itself is not counted
	want := guard.Cost{
		RequestedQueryCost:   1 + 10 + 1 + 3*(1+1+5*(1+11)),
		ActualQueryCost:      objects + 10*calls,
		MaximumQueryCost:     5000,
		RequestedFinproCalls: 1 + 3,
		ActualFinproCalls:    calls,
		MaximumFinproCalls:   100,
	}
	if got := r.body.Extensions.Cost; got == nil || *got != want {
		t.Errorf("extensions.cost = %+v, want %+v", got, want)
	}
	if calls < 2 || objects < 5 {
		t.Errorf("the query made %d calls and returned %d objects: too small to test", calls, objects)
	}
}

func countMaps(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := 1
		for _, x := range v {
			n += countMaps(x)
		}
		return n
	case []any:
		n := 0
		for _, x := range v {
			n += countMaps(x)
		}
		return n
	}
	return 0
}
