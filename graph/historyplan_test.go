package graph

import (
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// TestHistorySpan checks the span the loaders are given is the union of the
// ranges the operation's insights fields ask, as their resolvers will see
// them: through fragments and variables, with defaults, without the fields
// @skip or @include leave out or whose range is invalid.
func TestHistorySpan(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, finpro.IST)
	const head = `query($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { `
	tests := []struct {
		name     string
		query    string
		vars     map[string]any
		from, to string // "" when no span
	}{
		{"no insights", head + `accounts { id } } }`, nil, "", ""},
		{"customer level", head + `insights(from: "2026-01-01", to: "2026-01-31") { currency } } }`, nil, "2026-01-01", "2026-01-31"},
		{"defaults", head + `insights { currency } } }`, nil, "2026-01-01", "2026-12-03"},
		{"union across levels", head + `insights(from: "2026-01-01", to: "2026-01-31") { currency }
			accounts { ... on DepositAccount { insights(from: "2025-12-15", to: "2026-01-10") { currency } } } } }`, nil, "2025-12-15", "2026-01-31"},
		{"named fragment and variable", `query($m: String!, $p: ID!, $from: Date) { customer(mobileNumber: $m, productID: $p) { accounts { ...F } } }
			fragment F on DepositAccount { insights(from: $from, to: "2026-03-31") { currency } }`, map[string]any{"from": "2025-06-01"}, "2025-06-01", "2026-03-31"},
		{"skipped field", `query($m: String!, $p: ID!, $skip: Boolean!) { customer(mobileNumber: $m, productID: $p) { insights(from: "2026-01-01", to: "2026-01-31") { currency }
			far: insights(from: "2020-01-01", to: "2020-12-31") @skip(if: $skip) { currency } } }`, map[string]any{"skip": true}, "2026-01-01", "2026-01-31"},
		{"excluded fragment", head + `insights(from: "2026-01-01", to: "2026-01-31") { currency }
			... @include(if: false) { far: insights(from: "2020-01-01", to: "2020-12-31") { currency } } } }`, nil, "2026-01-01", "2026-01-31"},
		{"invalid range not counted", head + `insights(from: "2026-01-01", to: "2026-01-31") { currency }
			bad: insights(from: "2026-02-01", to: "2026-01-01") { currency } } }`, nil, "2026-01-01", "2026-01-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQueryWithRules(schema, tt.query, nil)
			if errs != nil {
				t.Fatalf("query: %v", errs)
			}
			vars := map[string]any{"m": "x", "p": "x"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: vars}
			span, ok := historySpan(oc, now)
			if tt.from == "" {
				if ok {
					t.Fatalf("span %v, want none", span)
				}
				return
			}
			if !ok {
				t.Fatal("no span")
			}
			if got := span.From.Format(time.DateOnly) + ".." + span.To.Format(time.DateOnly); got != tt.from+".."+tt.to {
				t.Errorf("span %s, want %s..%s", got, tt.from, tt.to)
			}
		})
	}
}
