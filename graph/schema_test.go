package graph_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/generated"
)

var update = flag.Bool("update", false, "update goldens instead of checking against them")

// TestSchemaGolden keeps the public contract visible in review: any schema
// change shows up as a diff of the repository's schema.graphql (go test
// -update), the file codegen users point at and GET /graphql/schema.graphql
// serves.
func TestSchemaGolden(t *testing.T) {
	b := bytes.NewBuffer(graph.SDL())
	const golden = "../schema.graphql"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("schema differs from %s (-want +got); run go test ./graph -update if intended:\n%s", golden, diff)
	}
}

// TestSchemaDescribed checks that every type, field, argument and enum value
// of the schema carries a description.
func TestSchemaDescribed(t *testing.T) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	for name, def := range s.Types {
		if def.BuiltIn || name[0] == '_' {
			continue
		}
		if def.Description == "" {
			t.Errorf("type %s has no description", name)
		}
		for _, f := range def.Fields {
			if f.Name[0] == '_' {
				continue
			}
			if f.Description == "" {
				t.Errorf("field %s.%s has no description", name, f.Name)
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					t.Errorf("argument %s.%s(%s) has no description", name, f.Name, a.Name)
				}
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				t.Errorf("enum value %s.%s has no description", name, v.Name)
			}
		}
	}
}
