// Command gqlgenpatch is the last step of `go generate ./graph/...`: it edits
// gqlgen's output where gqlgen v0.17.95 does needless work on the hot path.
//
// Every generated object marshaller ends by handing its @defer groups to
// ProcessDeferredGroup, computing the field's full response path for it
// (graphql.GetPath: a slice and a boxed element per level) even when nothing
// is deferred, which ProcessDeferredGroup then ignores. For a dashboard that is
// one path per transaction and per edge: 17% of the query's allocations.
// gqlgenpatch wraps each such call in `if len(deferLabelToView) > 0`, which
// changes nothing else (the call adds 0 and returns at once without defers).
//
// The same guarded block then returns the object without its deferred fields
// (omitDeferred, written beside the generated files as helperFile): gqlgen
// writes a deferred field as null in the initial payload, where the @defer
// proposal (and Apollo Client and Relay) want it absent until its incremental
// payload delivers it; a null there reads as a non-null field that is null
// with no error.
//
// Lists whose elements cannot wait are marshalled on the caller's goroutine
// (see inline.go): gqlgen starts a goroutine per element of every list, which
// costs more than marshalling a transaction edge.
//
// Without defers, the object is then written by marshalFields (written beside
// the generated files too) rather than by graphql.FieldSet's MarshalGQL,
// which allocates a map of the keys written and a copy of every field per
// object: a fifth of a cached dashboard's allocations.
//
// An object makes its deferred fields' FieldSet and views at its first
// deferred field, not for every object (see lazyDefers).
//
// A scalar that is a plain struct field of its object is marshalled directly,
// without graphql.ResolveField's field context, closures and boxing (see
// direct.go).
//
// It fails when a ProcessDeferredGroup call does not have the expected shape,
// so a gqlgen upgrade that changes the template is noticed; drop this step
// once gqlgen skips the path itself. Running it twice changes nothing.
//
// Usage: go run ./internal/gqlgenpatch DIR (the generated package's directory).
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
)

const (
	call = "\n\tatomic.AddInt32(&ec.Deferred, int32(min(len(deferLabelToView), math.MaxInt32)))\n" +
		"\n\tec.ProcessDeferredGroup(graphql.DeferredGroup{\n" +
		"\t\tDefers:   deferLabelToView,\n" +
		"\t\tPath:     graphql.GetPath(ctx),\n" +
		"\t\tFieldSet: deferredFieldSet,\n" +
		"\t\tContext:  ctx,\n" +
		"\t})\n"
	guard  = "\n\tif len(deferLabelToView) > 0 { // gqlgenpatch: no path without defers"
	omit   = "\t\treturn omitDeferred(fields, out.Values) // gqlgenpatch: deferred fields come later\n"
	marker = "ec.ProcessDeferredGroup("
	// tail is how an object marshaller ends once its call is guarded, and
	// directTail what it becomes: the object's own writer instead of gqlgen's
	// FieldSet.MarshalGQL (see marshalFields in helper.go.tmpl).
	tail       = "\t\treturn omitDeferred(fields, out.Values) // gqlgenpatch: deferred fields come later\n\t}\n\n\treturn out\n}"
	directTail = "\t\treturn omitDeferred(fields, out.Values) // gqlgenpatch: deferred fields come later\n\t}\n\n\treturn marshalFields(fields, out.Values) // gqlgenpatch: no allocation per field\n}"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gqlgenpatch DIR")
		os.Exit(2)
	}
	if err := patchDir(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgenpatch:", err)
		os.Exit(1)
	}
}

func patchDir(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no Go files in %s", dir)
	}
	if err := os.WriteFile(filepath.Join(dir, helperFile), []byte(helperSrc), 0o644); err != nil {
		return err
	}
	for _, f := range files {
		if filepath.Base(f) == helperFile {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		out, err := patch(src)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if !bytes.Equal(out, src) {
			if err := os.WriteFile(f, out, 0o644); err != nil {
				return err
			}
		}
	}
	var generated []string
	for _, f := range files {
		if filepath.Base(f) != helperFile {
			generated = append(generated, f)
		}
	}
	if _, err := directFields(generated); err != nil {
		return err
	}
	_, _, err = inlineSyncLists(generated)
	return err
}

// helperFile holds omitDeferred in the generated package.
const helperFile = "gqlgenpatch.go"

// helperSrc is the helper file's source, kept as a template so that it is not
// compiled into this command's package.
//
//go:embed helper.go.tmpl
var helperSrc string

var errShape = errors.New("a ProcessDeferredGroup call has a shape gqlgenpatch does not know: check the gqlgen upgrade")

// patch returns src with every ProcessDeferredGroup call guarded, formatted.
func patch(src []byte) ([]byte, error) {
	want := bytes.Count(src, []byte(marker))
	if want == 0 {
		return src, nil
	}
	done := bytes.Count(src, []byte(guard))
	out := bytes.ReplaceAll(src, []byte(call), []byte(guard+indent(call)+omit+"\t}\n"))
	if bytes.Count(out, []byte(guard)) != want || bytes.Count(out, []byte("omitDeferred(fields, out.Values)")) != want {
		return nil, fmt.Errorf("%w (%d calls, %d already guarded, %d matched)", errShape, want, done, bytes.Count(out, []byte(guard))-done)
	}
	if bytes.Equal(out, src) {
		return src, nil
	}
	out, err := format.Source(out)
	if err != nil {
		return nil, err
	}
	out = bytes.ReplaceAll(out, []byte(tail), []byte(directTail))
	if n := bytes.Count(out, []byte("return marshalFields(fields, out.Values)")); n != want {
		return nil, fmt.Errorf("%w (%d calls, %d objects end with return out)", errShape, want, n)
	}
	return lazyDefers(out, want)
}

// The deferred fields' FieldSet and views, which gqlgen makes for every object
// (two or three allocations each), are made at the object's first deferred
// field: without one, nothing but the guarded block reads them, and it skips
// nil ones (len of a nil map is 0).
const (
	eagerSet   = "\tdeferredFieldSet := graphql.NewFieldSet(nil)\n\tdeferLabelToView := make(map[string]*graphql.FieldSetView)\n"
	lazySet    = "\tvar deferredFieldSet *graphql.FieldSet // gqlgenpatch: made at the first deferred field\n\tvar deferLabelToView map[string]*graphql.FieldSetView\n"
	addField   = "\t\t\t\tdeferredFieldSet.AddField(field)\n"
	lazyAdd    = "\t\t\t\tif deferredFieldSet == nil {\n\t\t\t\t\tdeferredFieldSet = graphql.NewFieldSet(nil)\n\t\t\t\t\tdeferLabelToView = make(map[string]*graphql.FieldSetView)\n\t\t\t\t}\n\t\t\t\tdeferredFieldSet.AddField(field)\n"
	lazyMarker = "// gqlgenpatch: made at the first deferred field"
)

func lazyDefers(src []byte, want int) ([]byte, error) {
	if bytes.Contains(src, []byte(lazyMarker)) {
		return src, nil
	}
	adds := bytes.Count(src, []byte(addField))
	out := bytes.ReplaceAll(src, []byte(eagerSet), []byte(lazySet))
	out = bytes.ReplaceAll(out, []byte(addField), []byte(lazyAdd))
	if n := bytes.Count(out, []byte(lazyMarker)); n != want || bytes.Count(out, []byte("deferredFieldSet = graphql.NewFieldSet(nil)")) != adds {
		return nil, fmt.Errorf("%w (%d calls, %d objects make their deferred field set as expected)", errShape, want, n)
	}
	return format.Source(out)
}

// indent adds a tab to every non-empty line of s.
func indent(s string) string {
	var b bytes.Buffer
	for i, line := range bytes.Split([]byte(s), []byte("\n")) {
		if i > 0 {
			b.WriteByte('\n')
		}
		if len(line) > 0 {
			b.WriteByte('\t')
		}
		b.Write(line)
	}
	return b.String()
}
