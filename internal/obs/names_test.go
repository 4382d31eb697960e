package obs_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/internal/obs"
)

// TestOperationNameCap checks that client-chosen operation names stop
// getting series of their own after MaxOperationNames.
func TestOperationNameCap(t *testing.T) {
	m := obs.NewMetrics()
	ext := m.GraphQLExtension().(graphql.OperationInterceptor)
	next := func(context.Context) graphql.ResponseHandler {
		return func(context.Context) *graphql.Response { return &graphql.Response{} }
	}
	const extra = 10
	for i := range obs.MaxOperationNames + extra {
		name := "Op_" + strings.Repeat("x", i%7) + strconv.Itoa(i)
		ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{
			OperationName: name,
			Operation:     &ast.OperationDefinition{Operation: ast.Query, Name: name},
		})
		ext.InterceptOperation(ctx, next)(ctx)
	}
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "bff_graphql_operations_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == "operation" {
					names[l.GetValue()] += s.GetCounter().GetValue()
				}
			}
		}
	}
	if got, want := len(names), obs.MaxOperationNames+1; got != want {
		t.Errorf("distinct operation labels = %d, want %d (MaxOperationNames + other)", got, want)
	}
	if got := names["other"]; got != extra {
		t.Errorf(`operations counted as "other" = %v, want %d`, got, extra)
	}
}
