package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
)

// fieldSpy is a field middleware: the generated code marshals plain scalar
// fields without one (graph/internal/gqlgenpatch), so NewHandler refuses it.
type fieldSpy struct{}

func (fieldSpy) ExtensionName() string                   { return "fieldSpy" }
func (fieldSpy) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldSpy) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// operationSpy intercepts operations only.
type operationSpy struct{}

func (operationSpy) ExtensionName() string                   { return "operationSpy" }
func (operationSpy) Validate(graphql.ExecutableSchema) error { return nil }
func (operationSpy) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(ctx)
}

func TestNewHandlerRefusesFieldMiddleware(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tc := range []struct {
		name      string
		ext       graphql.HandlerExtension
		wantPanic string // "" when NewHandler must accept it
	}{
		{"field interceptor", fieldSpy{}, "fieldSpy intercepts fields"},
		{"operation interceptor", operationSpy{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				switch {
				case tc.wantPanic == "" && r != nil:
					t.Fatalf("NewHandler panicked: %v", r)
				case tc.wantPanic != "" && (r == nil || !strings.Contains(r.(string), tc.wantPanic)):
					t.Fatalf("NewHandler recovered %v, want a panic with %q", r, tc.wantPanic)
				}
			}()
			graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: e.fp}, Extensions: []graphql.HandlerExtension{tc.ext}})
		})
	}
}
