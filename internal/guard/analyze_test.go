package guard_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
)

// parseOp parses and validates query against the real schema.
func parseOp(t testing.TB, query string) (*ast.QueryDocument, *ast.OperationDefinition) {
	t.Helper()
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatalf("ParseQuery: %v", err)
	}
	if errs := validator.ValidateWithRules(schema, doc, rules.NewDefaultRules()); len(errs) != 0 {
		t.Fatalf("Validate: %v", errs)
	}
	return doc, doc.Operations[0]
}

func TestAnalyze(t *testing.T) {
	const c = `{ customer(mobileNumber: "9876543210", productID: "P") `
	// Expected values worked by hand from the schema's directives:
	// Customer.consents @cost 10 (assumedSize 20, sizes edges), accounts
	// @cost 10 (assumedSize 10), Consent.accounts assumedSize 5,
	// Account.balance @cost 10, transactions @cost 20 (sizes edges),
	// Profile.holders assumedSize 2; objects weigh 1, scalars 0. FinPro calls:
	// consents and accounts 1 per Customer, balance 1 per Consent,
	// transactions 2 per account.
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  guard.Stats
	}{
		{
			"scalars are free", c + `{ mobileNumber productID } }`, nil,
			guard.Stats{Depth: 2, Cost: 1},
		},
		{
			// customer 1 + consents 10 + 1 x (1 + 20 x (edge 1 + node (1 + accounts 5 x (1 + balance 11 + transactions 62)))).
			"dashboard", dashboardQuery, nil,
			guard.Stats{Depth: 9, Cost: 1 + 10 + 1 + 20*(1+1+5*(1+11+62)), FinproCalls: 1 + 20 + 2*20*5},
		},
		{
			"connection without first uses assumedSize", c + `{ consents { totalCount pageInfo { hasNextPage } edges { node { id } } } } }`, nil,
			guard.Stats{Depth: 5, Cost: 1 + 10 + 1 + 1 + 20*2, FinproCalls: 1},
		},
		{
			"first from a variable", `query Q($n: Int) { customer(mobileNumber: "9876543210", productID: "P") { consents(first: $n) { edges { node { id } } } } }`,
			map[string]any{"n": int64(7)},
			guard.Stats{Depth: 5, Cost: 1 + 10 + 1 + 7*2, FinproCalls: 1},
		},
		{
			"last counts like first", c + `{ accounts { transactions(last: 3) { edges { node { txnId } } } } } }`, nil,
			guard.Stats{Depth: 6, Cost: 1 + 10 + 10*(1+20+1+3*2), FinproCalls: 1 + 2*10},
		},
		{
			"plain lists use assumedSize", c + `{ accounts { consent { accounts { id } } } } }`, nil,
			guard.Stats{Depth: 5, Cost: 1 + 10 + 10*(1+1+5*1), FinproCalls: 1},
		},
		{
			"calls per consent count once per consent, not per account", c + `{ consents(first: 3) { edges { node { accounts { balance { amount } } } } } } }`, nil,
			guard.Stats{Depth: 7, Cost: 1 + 10 + 1 + 3*(1+1+5*(1+11)), FinproCalls: 1 + 3},
		},
		{
			"aliases and directives", c + `{ a: mobileNumber b: productID @skip(if: false) productID @include(if: true) } }`, nil,
			guard.Stats{Depth: 2, Aliases: 2, Directives: 2, Cost: 1},
		},
		{
			"fragments are expanded", `query { customer(mobileNumber: "9876543210", productID: "P") { ...F ...F } }
fragment F on Customer { x: mobileNumber accounts { id } }`, nil,
			guard.Stats{Depth: 3, Aliases: 2, Cost: 1 + 2*(10+10*1), FinproCalls: 2},
		},
		{
			"nodes counts its ids", `{ nodes(ids: ["a", "b", "c"]) { id } }`, nil,
			guard.Stats{Depth: 2, Cost: 10 + 3*1, FinproCalls: 2},
		},
		{
			"introspection is left out", `{ __typename __schema { types { fields { type { ofType { name } } } } } }`, nil,
			guard.Stats{Depth: 1, Introspection: true},
		},
		{
			"first: 100 nested", `{ customer(mobileNumber: "9876543210", productID: "P") { consents(first: 100) { edges { node { accounts { transactions(first: 100) { edges { node { txnId } } } } } } } } }`, nil,
			guard.Stats{Depth: 9, Cost: 1 + 10 + 1 + 100*(1+1+5*(1+20+1+100*2)), FinproCalls: 1 + 2*100*5},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, op := parseOp(t, tc.query)
			got := guard.Analyze(doc, op, tc.vars, guard.Limits{})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Analyze(%s) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

// TestAnalyzeFragmentFanOut checks that a document whose fragments each
// spread the next twice (2^30 expanded fields) is measured in linear time
// with saturated, not overflowed, counts.
func TestAnalyzeFragmentFanOut(t *testing.T) {
	const levels = 30
	var b strings.Builder
	b.WriteString(`query { customer(mobileNumber: "9876543210", productID: "P") { ...F00 } }` + "\n")
	for i := range levels {
		b.WriteString("fragment F" + itoa(i) + " on Customer { ...F" + itoa(i+1) + " ...F" + itoa(i+1) + " }\n")
	}
	b.WriteString("fragment F" + itoa(levels) + " on Customer { a: accounts { id } }\n")
	doc, err := parser.ParseQuery(&ast.Source{Input: b.String()})
	if err != nil {
		t.Fatal(err)
	}
	// Not validated (gqlparser's own overlap check is quadratic in the
	// expansion); Analyze finds fragments by name.
	got := guard.Analyze(doc, doc.Operations[0], nil, guard.Limits{})
	if got.Aliases != 1<<30 || got.Cost <= guard.DefaultMaxCost {
		t.Errorf("Analyze(fan-out) = %+v, want 2^30 aliases and a cost over the default limit", got)
	}
}

// TestAnalyzeFragmentCycle checks that a fragment cycle (which validation
// refuses) cannot make Analyze recurse forever.
func TestAnalyzeFragmentCycle(t *testing.T) {
	doc, err := parser.ParseQuery(&ast.Source{Input: `query { ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }`})
	if err != nil {
		t.Fatal(err)
	}
	got := guard.Analyze(doc, doc.Operations[0], nil, guard.Limits{})
	if want := (guard.Stats{Depth: 1}); got != want {
		t.Errorf("Analyze(cycle) = %+v, want %+v", got, want)
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// TestGetStats checks that the extension records its measures on the
// operation.
func TestGetStats(t *testing.T) {
	doc, op := parseOp(t, dashboardQuery)
	oc := &graphql.OperationContext{RawQuery: dashboardQuery, Doc: doc, Operation: op}
	ext := guard.Extension(guard.Limits{}, false).(graphql.OperationContextMutator)
	if err := ext.MutateOperationContext(t.Context(), oc); err != nil {
		t.Fatalf("MutateOperationContext(dashboard) = %v, want nil", err)
	}
	got, ok := guard.GetStats(graphql.WithOperationContext(t.Context(), oc))
	if want := (guard.Stats{Depth: 9, Cost: 7452, FinproCalls: 221}); !ok || got != want {
		t.Errorf("GetStats() = %+v, %v; want %+v, true", got, ok, want)
	}
	if _, ok := guard.GetStats(t.Context()); ok {
		t.Errorf("GetStats(ctx without operation) ok = true, want false")
	}
}
