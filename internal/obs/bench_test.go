package obs_test

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/obs"
)

// BenchmarkGraphQLExtension measures the extension's overhead per query:
// InterceptOperation and its response handler around an operation that does
// nothing (with OpenTelemetry's no-op tracer, as without an OTLP endpoint).
func BenchmarkGraphQLExtension(b *testing.B) {
	for _, bc := range []struct {
		name string
		resp *graphql.Response
	}{
		{"ok", &graphql.Response{}},
		{"error", &graphql.Response{Errors: gqlerror.List{{Message: "x", Extensions: map[string]any{"code": "NOT_FOUND"}}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ext := obs.NewMetrics().GraphQLExtension().(graphql.OperationInterceptor)
			ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
				OperationName: "Dashboard",
				Operation:     &ast.OperationDefinition{Operation: ast.Query, Name: "Dashboard"},
			})
			next := func(context.Context) graphql.ResponseHandler {
				return func(context.Context) *graphql.Response { return bc.resp }
			}
			b.ReportAllocs()
			for b.Loop() {
				ext.InterceptOperation(ctx, next)(ctx)
			}
		})
	}
}

// BenchmarkFinproObserver measures recording one upstream attempt.
func BenchmarkFinproObserver(b *testing.B) {
	obsv := obs.NewMetrics().FinproObserver()
	b.ReportAllocs()
	for b.Loop() {
		obsv(finproCall)
	}
}

var finproCall = finpro.CallInfo{Endpoint: "/getfidata", Status: 200, Class: "ok", Attempt: 1, Duration: 1500 * time.Microsecond}
