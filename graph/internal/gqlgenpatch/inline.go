package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"sort"
)

// gqlgen marshals every list with graphql.MarshalSliceConcurrently, which
// starts a goroutine per element (past the first). That is what lets the
// elements' resolvers wait for FinPro side by side, but most lists hold
// plain values: a page of transaction edges, a balance's fields, enum lists.
// Marshalling those is a few microseconds of CPU per element, and the
// goroutine (its start, its stack growth, the WaitGroup) costs more than the
// work. inlineSyncLists rewrites the call to marshalSliceInline, which
// marshals one element after the other on the caller's goroutine, wherever
// nothing under the element can wait:
//
// A generated function is synchronous when it has no go statement and every
// call in it that passes the context goes to the graphql package or a
// FieldSet's Dispatch (the closures they are given, FieldSet.Concurrently's
// among them, are judged by their own content), to the function's own
// innerFunc closure, to ec.Error, ec.Recover or ec.ProcessDeferredGroup (deferred
// fragments run after the initial payload whatever the list does), to a
// resolver in pureResolvers, or to another synchronous generated function.
// Anything else that takes the context (a resolver, a model method with a
// context, a directive, a context marshaler) may wait, and keeps its list
// concurrent. The rule is conservative: an unknown call counts as one that
// may wait.

// inlineName is what a synchronous list's MarshalSliceConcurrently becomes.
const inlineName = "marshalSliceInline"

// pureResolvers are the resolvers that compute from their object alone: no
// FinPro call, no loader, nothing that waits. Each says so in its doc
// comment; a resolver added here must too.
var pureResolvers = map[string]bool{
	"Transaction.Detail": true, // graph/resolvers/fi_transaction.go: decodes the row the page holds
}

// pureResolver reports whether sel is ec.Resolvers.T().F with T.F in
// pureResolvers.
func pureResolver(sel *ast.SelectorExpr) bool {
	call, ok := sel.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	typ, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	res, ok := typ.X.(*ast.SelectorExpr)
	if !ok || res.Sel.Name != "Resolvers" {
		return false
	}
	if ec, ok := res.X.(*ast.Ident); !ok || ec.Name != "ec" {
		return false
	}
	return pureResolvers[typ.Sel.Name+"."+sel.Sel.Name]
}

// syncSafe are the executionContext methods outside the generated files that
// never wait.
var syncSafe = map[string]bool{"Error": true, "Recover": true, "ProcessDeferredGroup": true}

// inlineSyncLists rewrites the synchronous lists of the Go files in files and
// returns how many it rewrote and how many stay concurrent.
func inlineSyncLists(files []string) (inlined, concurrent int, err error) {
	fset, parsed, bodies, err := parseGenerated(files)
	if err != nil {
		return 0, 0, err
	}
	a := analysis{bodies: bodies}
	for _, f := range parsed {
		var edits []int // offsets of MarshalSliceConcurrently selectors to rewrite
		ast.Inspect(f.ast, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isPkgCall(call, "graphql", "MarshalSliceConcurrently") || len(call.Args) != 5 {
				return true
			}
			elem, ok := call.Args[4].(*ast.FuncLit)
			if !ok {
				concurrent++
				return true
			}
			if a.syncNode(elem.Body) {
				edits = append(edits, fset.Position(call.Fun.Pos()).Offset)
				inlined++
			} else {
				concurrent++
			}
			return true
		})
		if len(edits) == 0 {
			continue
		}
		sort.Sort(sort.Reverse(sort.IntSlice(edits)))
		out := f.src
		old := []byte("graphql.MarshalSliceConcurrently")
		for _, off := range edits {
			if !bytes.HasPrefix(out[off:], old) {
				return 0, 0, fmt.Errorf("%s: offset %d is not a MarshalSliceConcurrently call", f.name, off)
			}
			out = append(out[:off:off], append([]byte(inlineName), out[off+len(old):]...)...)
		}
		out, err := format.Source(out)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(f.name, out, 0o644); err != nil {
			return 0, 0, err
		}
	}
	return inlined, concurrent, nil
}

// generatedFile is one parsed file of the generated package.
type generatedFile struct {
	name string
	src  []byte
	ast  *ast.File
}

// parseGenerated parses files and indexes the executionContext's methods by
// name, for the passes that follow calls across files.
func parseGenerated(files []string) (*token.FileSet, []generatedFile, map[string]*ast.BlockStmt, error) {
	fset := token.NewFileSet()
	var parsed []generatedFile
	bodies := map[string]*ast.BlockStmt{}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, nil, err
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, nil, err
		}
		parsed = append(parsed, generatedFile{name, src, f})
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && isECMethod(fd) && fd.Body != nil {
				bodies[fd.Name.Name] = fd.Body
			}
		}
	}
	return fset, parsed, bodies, nil
}

// analysis decides which generated functions are synchronous.
type analysis struct {
	bodies map[string]*ast.BlockStmt
	wait   map[string]bool // the methods that may wait; nil until solved
}

// solve marks every method that may wait: those that wait themselves, then,
// until nothing changes, those calling one that may wait (call cycles, as in
// __Type's fields, stay synchronous unless something in them waits).
func (a *analysis) solve() {
	a.wait = map[string]bool{}
	callers := map[string][]string{}
	var todo []string
	for name, body := range a.bodies {
		direct, callees := scan(body, a.bodies)
		for _, c := range callees {
			callers[c] = append(callers[c], name)
		}
		if direct {
			a.wait[name] = true
			todo = append(todo, name)
		}
	}
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, c := range callers[n] {
			if !a.wait[c] {
				a.wait[c] = true
				todo = append(todo, c)
			}
		}
	}
}

// syncNode reports whether nothing under n may wait.
func (a *analysis) syncNode(n ast.Node) bool {
	if a.wait == nil {
		a.solve()
	}
	direct, callees := scan(n, a.bodies)
	if direct {
		return false
	}
	for _, c := range callees {
		if a.wait[c] {
			return false
		}
	}
	return true
}

// scan returns whether n itself may wait and the generated methods it calls.
func scan(n ast.Node, bodies map[string]*ast.BlockStmt) (wait bool, callees []string) {
	ast.Inspect(n, func(n ast.Node) bool {
		if wait {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			wait = true
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "innerFunc" || id.Name == inlineName) {
				return true // a closure of the same function, inspected with it
			}
			sel, isSel := n.Fun.(*ast.SelectorExpr)
			if isSel && pureResolver(sel) {
				return true
			}
			if isSel {
				if x, ok := sel.X.(*ast.Ident); ok {
					switch x.Name {
					case "out", "deferredFieldSet":
						if sel.Sel.Name == "Dispatch" {
							return true // runs the closures given to Concurrently
						}
					case "graphql":
						return true // the closures it is given are part of n
					case "ec":
						if _, ok := bodies[sel.Sel.Name]; ok {
							callees = append(callees, sel.Sel.Name)
						} else if !syncSafe[sel.Sel.Name] {
							wait = true
						}
						return true
					}
				}
			}
			for _, arg := range n.Args {
				if id, ok := arg.(*ast.Ident); ok && (id.Name == "ctx" || id.Name == "rctx") {
					wait = true
					return false
				}
			}
		}
		return true
	})
	return wait, callees
}

func isECMethod(fd *ast.FuncDecl) bool {
	if fd.Recv == nil || len(fd.Recv.List) != 1 {
		return false
	}
	star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "executionContext"
}

func isPkgCall(call *ast.CallExpr, pkg, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}
