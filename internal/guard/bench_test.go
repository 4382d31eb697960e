package guard_test

import (
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/moneyone-bff/finpro-bff/internal/guard"
)

// BenchmarkGuardDashboard measures what the extension adds to every
// operation, on the first-party dashboard query: counting its tokens and
// measuring the validated operation.
func BenchmarkGuardDashboard(b *testing.B) {
	doc, op := parseOp(b, dashboardQuery)
	ext := guard.Extension(guard.Limits{}, false)
	params := ext.(graphql.OperationParameterMutator)
	opctx := ext.(graphql.OperationContextMutator)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		p := graphql.RawParams{Query: dashboardQuery}
		if err := params.MutateOperationParameters(ctx, &p); err != nil {
			b.Fatal(err)
		}
		oc := &graphql.OperationContext{RawQuery: dashboardQuery, Doc: doc, Operation: op, Variables: demoVars()}
		if err := opctx.MutateOperationContext(ctx, oc); err != nil {
			b.Fatal(err)
		}
	}
}
