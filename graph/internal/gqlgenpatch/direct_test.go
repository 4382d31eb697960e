package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fields is a generated file in miniature: one field per case.
const fields = `package generated

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

func (ec *executionContext) _T_plain(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_scalar(ctx, field) },
		func(ctx context.Context) (any, error) { return obj.Name, nil },
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v *string) graphql.Marshaler { return ec.marshalOString(ctx, selections, v) },
		true, false)
}

func (ec *executionContext) _T_nonNull(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_scalar(ctx, field) },
		func(ctx context.Context) (any, error) { return obj.ID, nil },
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v string) graphql.Marshaler { return ec.marshalNString(ctx, selections, v) },
		true, true)
}

func (ec *executionContext) _T_time(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_scalar(ctx, field) },
		func(ctx context.Context) (any, error) { return obj.At, nil },
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v time.Time) graphql.Marshaler { return ec.marshalNTime(ctx, selections, v) },
		true, true)
}

func (ec *executionContext) _T_directive(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_scalar(ctx, field) },
		func(ctx context.Context) (any, error) { return obj.Name, nil },
		func(ctx context.Context, next graphql.Resolver) graphql.Resolver { return next },
		func(ctx context.Context, selections ast.SelectionSet, v *string) graphql.Marshaler { return ec.marshalOString(ctx, selections, v) },
		true, false)
}

func (ec *executionContext) _T_resolver(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_scalar(ctx, field) },
		func(ctx context.Context) (any, error) { return ec.Resolvers.T().Name(ctx, obj) },
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v *string) graphql.Marshaler { return ec.marshalOString(ctx, selections, v) },
		true, false)
}

func (ec *executionContext) _T_args(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_args(ctx, field) },
		func(ctx context.Context) (any, error) { return obj.Name, nil },
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v *string) graphql.Marshaler { return ec.marshalOString(ctx, selections, v) },
		true, false)
}

func (ec *executionContext) _T_object(ctx context.Context, field graphql.CollectedField, obj *T) (ret graphql.Marshaler) {
	return graphql.ResolveField(ctx, ec.OperationContext, field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) { return ec.fieldContext_scalar(ctx, field) },
		func(ctx context.Context) (any, error) { return obj.Child, nil },
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v *T) graphql.Marshaler { return ec.marshalOT(ctx, selections, v) },
		true, false)
}

func (ec *executionContext) fieldContext_scalar(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	return graphql.NewScalarFieldContext("T", field, false, false, errors.New("no child fields"))
}

func (ec *executionContext) fieldContext_args(ctx context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {
	fc = &graphql.FieldContext{Object: "T", Field: field}
	if fc.Args, err = ec.field_T_args(ctx, field.ArgumentMap(ec.Variables)); err != nil {
		return fc, err
	}
	return fc, nil
}

func (ec *executionContext) marshalOString(ctx context.Context, sel ast.SelectionSet, v *string) graphql.Marshaler {
	if v == nil {
		return graphql.Null
	}
	_ = sel
	_ = ctx
	return graphql.MarshalString(*v)
}

func (ec *executionContext) marshalNString(ctx context.Context, sel ast.SelectionSet, v string) graphql.Marshaler {
	_ = sel
	res := graphql.MarshalString(v)
	if res == graphql.Null {
		if !graphql.HasFieldError(ctx, graphql.GetFieldContext(ctx)) {
			graphql.AddErrorf(ctx, "the requested element is null which the schema does not allow")
		}
	}
	return res
}

func (ec *executionContext) marshalNTime(ctx context.Context, sel ast.SelectionSet, v time.Time) graphql.Marshaler {
	_ = sel
	res := graphql.MarshalTime(v)
	if res == graphql.Null {
		if !graphql.HasFieldError(ctx, graphql.GetFieldContext(ctx)) {
			graphql.AddErrorf(ctx, "the requested element is null which the schema does not allow")
		}
	}
	return res
}

func (ec *executionContext) marshalOT(ctx context.Context, sel ast.SelectionSet, v *T) graphql.Marshaler {
	if v == nil {
		return graphql.Null
	}
	return ec._T(ctx, sel, v)
}
`

func TestDirectFields(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "fields.generated.go")
	if err := os.WriteFile(name, []byte(fields), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := directFields([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("directFields rewrote %d fields, want 2", n)
	}
	out, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field  string
		direct string // the rewritten body's return; "" when the field keeps ResolveField
	}{
		{"plain", "return ec.marshalOString(ctx, field.Selections, obj.Name)"},
		{"nonNull", "return ec.marshalNString(ctx, field.Selections, obj.ID)"},
		{"time", ""},      // MarshalTime may return Null: its error needs the field context
		{"directive", ""}, // a directive wraps the resolver
		{"resolver", ""},  // a resolver may wait and fail
		{"args", ""},      // the field context coerces arguments
		{"object", ""},    // the child object's fields need its path
	} {
		t.Run(tc.field, func(t *testing.T) {
			body := funcBody(t, string(out), "_T_"+tc.field)
			if tc.direct == "" {
				if !strings.Contains(body, "graphql.ResolveField(") || strings.Contains(body, directName) {
					t.Errorf("%s was rewritten:\n%s", tc.field, body)
				}
				return
			}
			if !strings.Contains(body, directName) || !strings.Contains(body, tc.direct) {
				t.Errorf("%s is not marshalled directly:\n%s", tc.field, body)
			}
		})
	}
	t.Run("idempotent", func(t *testing.T) {
		if n, err := directFields([]string{name}); err != nil || n != 0 {
			t.Fatalf("second run: %d rewritten, error %v", n, err)
		}
		again, _ := os.ReadFile(name)
		if string(again) != string(out) {
			t.Error("a second run changed the file")
		}
	})
	t.Run("imports kept where used", func(t *testing.T) {
		if !strings.Contains(string(out), "\t\"time\"\n") {
			t.Error("the time import was dropped although _T_time uses it")
		}
	})
}
