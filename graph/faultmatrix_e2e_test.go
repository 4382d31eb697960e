package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
	"github.com/moneyone-bff/finpro-bff/web/playground"
)

// faultFields are, for each FinPro path, the fields whose value depends on a
// call of that path: a fault there may null these fields and no other. They
// follow the resolvers (graph/README.md's loaders table), not the answers.
var faultFields = map[string][]string{
	"/v1/accounts/getconsentslist": {"consents", "accounts", "account", "totalBalance", "insights", "netWorth"},
	"/getfibalance":                {"balance", "totalBalance"},
	"/getfidata":                   {"transactions", "insights"},
	"/getallfidata":                {"profile", "summary", "payloads", "transactions", "insights", "netWorth"},
}

// TestFaultMatrix injects a fault on each FinPro path that the dashboard and
// each example query (README, playground tabs, bench/queries, issue 11's
// first: 50 dashboard) touch, one path at a time, and checks that the answer
// keeps every field the fault does not concern, exactly as without the
// fault, with each error at the path of a field that needed the failing call.
// Each path is failed once (one consent's call: the other consents' fields
// stay) and for every call.
// The queries run under the default limits, so this also checks that every
// example is accepted by them.
func TestFaultMatrix(t *testing.T) {
	for _, q := range exampleQueries(t) {
		t.Run(q.name, func(t *testing.T) {
			// A stopped clock: FinPro stamps balances with the answer's time,
			// which would differ between the two runs.
			now := time.Now()
			sb, err := sandbox.New(sandbox.Config{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sb.Close() })
			up := httptest.NewServer(sb.Handler())
			t.Cleanup(up.Close)
			fp, err := finpro.New(finpro.Options{BaseURL: up.URL, Credentials: sandboxCredentials(), MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			srv := graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp}})
			guard.Configure(srv, guard.DefaultLimits(), false)
			me := customerToken(sandbox.DemoMobile)
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				srv.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), *me)))
			}))
			t.Cleanup(api.Close)

			sb.ResetStats()
			base := postTo(t, api.URL, q.query, q.vars)
			if len(base.Errors) > 0 {
				t.Fatalf("without faults: errors %+v", base.Errors)
			}
			var want any
			if err := json.Unmarshal(base.Data, &want); err != nil {
				t.Fatal(err)
			}
			var paths []string
			for p := range sb.Stats() {
				paths = append(paths, p)
			}
			sort.Strings(paths) // none for a query that needs no FinPro call: accepted is all it shows
			for _, path := range paths {
				for _, fc := range []struct {
					name  string
					count int
				}{{"one call", 1}, {"every call", 1000}} {
					t.Run(strings.TrimPrefix(path, "/")+"/"+fc.name, func(t *testing.T) {
						fields, ok := faultFields[path]
						if !ok {
							t.Fatalf("the query calls %s, which faultFields does not map to fields", path)
						}
						sb.ClearFaults()
						t.Cleanup(sb.ClearFaults)
						if err := sb.InjectFault(path, "InternalError", fc.count); err != nil {
							t.Fatal(err)
						}
						r := postTo(t, api.URL, q.query, q.vars)
						if len(r.Errors) == 0 {
							t.Fatal("no error although a call of the path failed")
						}
						var got any
						if err := json.Unmarshal(r.Data, &got); err != nil || got == nil {
							t.Fatalf("data is %s: the whole answer is lost", r.Data)
						}
						var errPaths [][]any
						for _, e := range r.Errors {
							p := decodePath(t, e)
							if len(p) == 0 {
								t.Errorf("error without a path: %q", e.Message)
								continue
							}
							if name, _ := lastField(p); !slices.Contains(fields, name) {
								t.Errorf("error at %v (%s): a fault on %s should only fail %v", p, e.code(), path, fields)
							}
							if v, found := at(got, p); !found || v != nil {
								t.Errorf("error at %v, but the answer has a value there", p)
							}
							errPaths = append(errPaths, p)
						}
						// Every leaf outside the failed fields is as it was.
						compareOutside(t, want, got, nil, errPaths)
					})
				}
			}
		})
	}
}

// example is one query a user would run, with its variables.
type example struct {
	name  string
	query string
	vars  map[string]any
}

// exampleQueries reads the queries the project shows users: the README's,
// the playground's tabs (queries only), bench/queries, and issue 11's
// natural first-party dashboard.
func exampleQueries(t *testing.T) []example {
	t.Helper()
	var out []example
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	for i, b := range blocks {
		doc := b[1]
		if i := strings.Index(doc, "\nsubscription"); i >= 0 {
			doc = doc[:i]
		}
		if strings.HasPrefix(strings.TrimSpace(doc), "query") {
			out = append(out, example{name: fmt.Sprintf("README %d", i+1), query: doc})
		}
	}
	for _, ex := range playground.Examples() {
		if !strings.Contains(ex.Query, "\nquery ") || strings.Contains(ex.Query, "\nmutation ") || strings.Contains(ex.Query, "\nsubscription ") {
			continue
		}
		var vars map[string]any
		if ex.Variables != "" {
			if err := json.Unmarshal([]byte(ex.Variables), &vars); err != nil {
				t.Fatalf("playground %s variables: %v", ex.Name, err)
			}
		}
		out = append(out, example{name: "playground " + ex.Name, query: ex.Query, vars: vars})
	}
	files, err := filepath.Glob("../bench/queries/*.graphql")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, example{name: "bench " + filepath.Base(f), query: string(b)})
	}
	out = append(out, example{name: "dashboard first 50", query: dashboardFirst50})
	if len(out) < 5 {
		t.Fatalf("only %d example queries found", len(out))
	}
	return out
}

// dashboardFirst50 is issue 11's dashboard, as a first-party frontend writes it.
const dashboardFirst50 = `query Dashboard {
  me(productID: "PFM_DASHBOARD") {
    id mobileNumber
    totalBalance { amount currency }
    consents(status: [ACTIVE], first: 50) {
      totalCount
      edges { node {
        id consentHandle consentID status fetchType expiresAt
        accounts {
          __typename id linkReferenceNumber maskedAccountNumber fiType fipId fipName
          balance { amount currency asOf }
          profile { holdersType holders { name nominee } }
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

func decodePath(t *testing.T, e gqlError) []any {
	t.Helper()
	var p []any
	for _, raw := range e.Path {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("path element %s: %v", raw, err)
		}
		p = append(p, v)
	}
	return p
}

// lastField is the last field name of a response path (indices skipped).
func lastField(p []any) (string, bool) {
	for i := len(p) - 1; i >= 0; i-- {
		if s, ok := p[i].(string); ok {
			return s, true
		}
	}
	return "", false
}

// at returns the value at path p of a decoded answer.
func at(v any, p []any) (any, bool) {
	for _, k := range p {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = m[k]; !ok {
				return nil, false
			}
		case float64: // JSON indices decode as float64 (test code: not money)
			a, ok := v.([]any)
			if !ok || int(k) >= len(a) {
				return nil, false
			}
			v = a[int(k)]
		}
	}
	return v, true
}

// compareOutside reports every leaf of want, outside the subtrees at
// errPaths, that got lacks or holds with another value.
func compareOutside(t *testing.T, want, got any, path []any, errPaths [][]any) {
	t.Helper()
	for _, ep := range errPaths {
		if len(ep) <= len(path) && slices.EqualFunc(ep, path[:len(ep)], func(a, b any) bool { return a == b }) {
			return // inside a failed field
		}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("at %v: not an object any more", path)
			return
		}
		for k, v := range w {
			compareOutside(t, v, g[k], append(slices.Clone(path), k), errPaths)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("at %v: not the same list any more (want %d items)", path, len(w))
			return
		}
		for i, v := range w {
			compareOutside(t, v, g[i], append(slices.Clone(path), float64(i)), errPaths)
		}
	default:
		if want != got {
			// Values are not printed: they may be personal data.
			t.Errorf("at %v: a field the fault does not concern changed", path)
		}
	}
}
