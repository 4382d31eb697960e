package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lists is a generated file in miniature: one list marshaller per case, each
// over an element whose fields reach FinPro (or not) in a different way.
const lists = `package generated

func (ec *executionContext) marshalPlain(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._Plain(ctx, sel, v[i])
	})
	return ret
}

func (ec *executionContext) _Plain(ctx context.Context, sel ast.SelectionSet, obj *T) graphql.Marshaler {
	innerFunc := func(ctx context.Context, fs *graphql.FieldSet) graphql.Marshaler {
		defer func() {
			if r := recover(); r != nil {
				ec.Error(ctx, ec.Recover(ctx, r))
			}
		}()
		return ec._Plain_name(ctx, obj)
	}
	out.Concurrently(0, func(ctx context.Context) graphql.Marshaler { return innerFunc(ctx, out) })
	out.Dispatch(ctx)
	return out
}

func (ec *executionContext) _Plain_name(ctx context.Context, obj *T) graphql.Marshaler {
	return graphql.ResolveField(ctx, field, func(ctx context.Context) (any, error) { return obj.Name, nil })
}

func (ec *executionContext) marshalResolved(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._Resolved(ctx, sel, v[i])
	})
}

func (ec *executionContext) _Resolved(ctx context.Context, sel ast.SelectionSet, obj *T) graphql.Marshaler {
	return graphql.ResolveField(ctx, field, func(ctx context.Context) (any, error) { return ec.Resolvers.Account().Balance(ctx, obj) })
}

func (ec *executionContext) marshalPure(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return graphql.ResolveField(ctx, field, func(ctx context.Context) (any, error) { return ec.Resolvers.Transaction().Detail(ctx, v[i]) })
	})
}

func (ec *executionContext) marshalMethod(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return graphql.ResolveField(ctx, field, func(ctx context.Context) (any, error) { return v[i].Balance(ctx) })
	})
}

func (ec *executionContext) marshalGo(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		go ec._Plain(ctx, sel, v[i])
		return graphql.Null
	})
}

func (ec *executionContext) marshalUnknown(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec.somethingElse(ctx, v[i])
	})
}

// A cycle (as in __Type's fields) that waits at one end waits everywhere.
func (ec *executionContext) marshalCycle(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._A(ctx, sel, v[i])
	})
}

func (ec *executionContext) _A(ctx context.Context, sel ast.SelectionSet, obj *T) graphql.Marshaler {
	return ec._B(ctx, sel, obj)
}

func (ec *executionContext) _B(ctx context.Context, sel ast.SelectionSet, obj *T) graphql.Marshaler {
	ec._A(ctx, sel, obj)
	return ec._Resolved(ctx, sel, obj)
}

// A cycle in which nothing waits is synchronous.
func (ec *executionContext) marshalQuietCycle(ctx context.Context, sel ast.SelectionSet, v []*T) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec._C(ctx, sel, v[i])
	})
}

func (ec *executionContext) _C(ctx context.Context, sel ast.SelectionSet, obj *T) graphql.Marshaler {
	ec._D(ctx, sel, obj)
	return ec._Plain(ctx, sel, obj)
}

func (ec *executionContext) _D(ctx context.Context, sel ast.SelectionSet, obj *T) graphql.Marshaler {
	return ec._C(ctx, sel, obj)
}
`

func TestInlineSyncLists(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "lists.generated.go")
	if err := os.WriteFile(name, []byte(lists), 0o644); err != nil {
		t.Fatal(err)
	}
	inlined, concurrent, err := inlineSyncLists([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	if inlined != 3 || concurrent != 5 {
		t.Errorf("inlined %d, concurrent %d; want 3 and 5", inlined, concurrent)
	}
	out, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		list   string
		inline bool
	}{
		{"marshalPlain", true},      // struct fields, innerFunc, Concurrently and Dispatch
		{"marshalResolved", false},  // a resolver
		{"marshalPure", true},       // a resolver in pureResolvers
		{"marshalMethod", false},    // a model method taking the context
		{"marshalGo", false},        // a go statement
		{"marshalUnknown", false},   // a call gqlgenpatch does not know
		{"marshalCycle", false},     // a cycle reaching a resolver
		{"marshalQuietCycle", true}, // a cycle reaching none
	} {
		body := funcBody(t, string(out), tc.list)
		if got := strings.Contains(body, inlineName+"("); got != tc.inline {
			t.Errorf("%s inlined = %v, want %v:\n%s", tc.list, got, tc.inline, body)
		}
	}

	// A second run changes nothing.
	if _, _, err := inlineSyncLists([]string{name}); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(out) {
		t.Error("a second run changed the file")
	}
}

// funcBody returns the source of the method called name.
func funcBody(t *testing.T, src, name string) string {
	t.Helper()
	i := strings.Index(src, ") "+name+"(")
	if i < 0 {
		t.Fatalf("no %s in the output", name)
	}
	end := strings.Index(src[i:], "\n}\n")
	return src[i : i+end]
}
