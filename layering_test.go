package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestInternalDoesNotImportGraph keeps the layers apart: the packages under
// internal/ serve the GraphQL layer (graph/) and the server, never the other
// way round, so the contracts they share (internal/apierr, internal/auth)
// live under internal/ and graph/ can change without touching them. Tests may
// import graph to drive the real handler.
func TestInternalDoesNotImportGraph(t *testing.T) {
	const module = "github.com/moneyone-bff/finpro-bff/"
	checked := 0
	err := filepath.WalkDir("internal", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == module+"graph" || strings.HasPrefix(p, module+"graph/") {
				t.Errorf("%s imports %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files under internal/", checked)
	}
}
