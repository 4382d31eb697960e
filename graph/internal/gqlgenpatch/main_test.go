package main

import (
	"errors"
	"strings"
	"testing"
)

const unpatched = `package generated

func (ec *executionContext) _T(ctx context.Context) graphql.Marshaler {
	out := graphql.NewFieldSet(fields)
	deferredFieldSet := graphql.NewFieldSet(nil)
	deferLabelToView := make(map[string]*graphql.FieldSetView)
	for i, field := range fields {
		switch field.Name {
		case "x":
			if field.IsDeferred() {
				deferredFieldSet.AddField(field)
			}
		}
	}
	out.Dispatch(ctx)
	if out.Invalids > 0 {
		return graphql.Null
	}

	atomic.AddInt32(&ec.Deferred, int32(min(len(deferLabelToView), math.MaxInt32)))

	ec.ProcessDeferredGroup(graphql.DeferredGroup{
		Defers:   deferLabelToView,
		Path:     graphql.GetPath(ctx),
		FieldSet: deferredFieldSet,
		Context:  ctx,
	})

	return out
}
`

func TestPatch(t *testing.T) {
	patched, err := patch([]byte(unpatched))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		src     string
		want    string // a substring of the result; "" when the source must come back unchanged
		wantErr error
	}{
		{"guards the call", unpatched, "\tif len(deferLabelToView) > 0 { // gqlgenpatch: no path without defers\n\t\tatomic.AddInt32(", nil},
		{"returns the object without its deferred fields", unpatched, "\t\t})\n\t\treturn omitDeferred(fields, out.Values) // gqlgenpatch: deferred fields come later\n\t}\n", nil},
		{"writes the object itself without defers", unpatched, "\t}\n\n\treturn marshalFields(fields, out.Values) // gqlgenpatch: no allocation per field\n}\n", nil},
		{"another ending", strings.Replace(unpatched, "\treturn out\n", "\treturn out.Values\n", 1), "", errShape},
		{"makes the deferred field set at the first deferred field", unpatched, "\tvar deferredFieldSet *graphql.FieldSet // gqlgenpatch: made at the first deferred field\n\tvar deferLabelToView map[string]*graphql.FieldSetView\n", nil},
		{"makes it once", unpatched, "\t\t\t\tif deferredFieldSet == nil {\n\t\t\t\t\tdeferredFieldSet = graphql.NewFieldSet(nil)\n\t\t\t\t\tdeferLabelToView = make(map[string]*graphql.FieldSetView)\n\t\t\t\t}\n\t\t\t\tdeferredFieldSet.AddField(field)\n", nil},
		{"another deferred field set", strings.Replace(unpatched, "deferredFieldSet := graphql.NewFieldSet(nil)", "deferredFieldSet := graphql.NewFieldSet(fields)", 1), "", errShape},
		{"idempotent", string(patched), "", nil},
		{"no call", "package generated\n\nfunc f() {}\n", "", nil},
		{"unknown shape", strings.Replace(unpatched, "Path:     graphql.GetPath(ctx),", "Path:     graphql.GetPath(ctx),\n\t\tLabel:    \"x\",", 1), "", errShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := patch([]byte(tc.src))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("patch error = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if tc.want == "" && string(got) != tc.src {
				t.Errorf("patch changed a source it should leave alone:\n%s", got)
			}
			if tc.want != "" && !strings.Contains(string(got), tc.want) {
				t.Errorf("patch result lacks %q:\n%s", tc.want, got)
			}
		})
	}
}
