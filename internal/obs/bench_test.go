package obs_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// BenchmarkRequestID is the fixed cost RequestID adds to every request, with
// the JSON logger of production at warn (the "request" line not written).
func BenchmarkRequestID(b *testing.B) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := obs.RequestID(logger)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = obs.RequestIDFrom(r.Context())
		w.WriteHeader(http.StatusNoContent)
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
