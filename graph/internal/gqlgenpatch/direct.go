package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path"
	"sort"
	"strconv"
)

// gqlgen resolves every field through graphql.ResolveField, also a scalar that
// is only a struct field of its object (a transaction's amount or narration):
// a FieldContext (and the error its fieldContext function makes for child
// fields it has none of), a context.Context carrying it, the resolver's and the
// middleware's closures, the value boxed in an any and unboxed again. That is
// six or seven allocations per scalar of every transaction. directFields
// rewrites such a field to marshal the struct field at once where nothing
// could tell the difference:
//
//   - the resolver is `return obj.X, nil` (a struct field read: it cannot fail
//     or panic, and its value is never a nil any, the only value
//     ResolveField's null check could catch, as no such field has an
//     interface type that does not need the context to marshal);
//   - no directive wraps it (ResolveField's middleware argument is nil);
//   - its fieldContext function is graphql.NewScalarFieldContext alone (no
//     arguments to coerce, no child fields);
//   - its marshal function never reads the context: the FieldContext is only
//     ever read by an error (see needsContext), and none can happen.
//
// What is skipped besides is the operation's field middleware
// (graphql.FieldInterceptor extensions), which this handler has none of:
// graph.NewHandler refuses one, so that adding one is noticed.
//
// directName marks a rewritten field.
const directName = "// gqlgenpatch: a plain field, marshalled directly"

// directFields rewrites the plain scalar fields of the Go files in files and
// returns how many it rewrote.
func directFields(files []string) (int, error) {
	fset, parsed, bodies, err := parseGenerated(files)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, f := range parsed {
		type edit struct {
			from, to int
			text     string
		}
		var edits []edit
		for _, d := range f.ast.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !isECMethod(fd) || fd.Body == nil {
				continue
			}
			text, ok := direct(fd, bodies, f.src, fset)
			if !ok {
				continue
			}
			edits = append(edits, edit{
				from: fset.Position(fd.Body.Lbrace).Offset + 1,
				to:   fset.Position(fd.Body.Rbrace).Offset,
				text: text,
			})
		}
		if len(edits) == 0 {
			continue
		}
		sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
		out := f.src
		for _, e := range edits {
			out = append(out[:e.from:e.from], append([]byte(e.text), out[e.to:]...)...)
		}
		out, err := dropUnusedImports(out)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(f.name, out, 0o644); err != nil {
			return 0, err
		}
		total += len(edits)
	}
	return total, nil
}

// direct returns the new body of fd when it is a plain field.
func direct(fd *ast.FuncDecl, bodies map[string]*ast.BlockStmt, src []byte, fset *token.FileSet) (string, bool) {
	call, ok := soleReturn(fd.Body)
	if !ok || !isPkgCall(call, "graphql", "ResolveField") || len(call.Args) != 9 {
		return "", false
	}
	if id, ok := call.Args[5].(*ast.Ident); !ok || id.Name != "nil" {
		return "", false // a directive
	}
	// The field context: ec.fieldContext_T_f(ctx, field), that function
	// being graphql.NewScalarFieldContext alone.
	fcName, ok := soleECCall(call.Args[3])
	if !ok {
		return "", false
	}
	fcBody, ok := bodies[fcName]
	if !ok {
		return "", false
	}
	if c, ok := soleReturn(fcBody); !ok || !isPkgCall(c, "graphql", "NewScalarFieldContext") {
		return "", false
	}
	// The resolver: return obj.X, nil.
	res, ok := call.Args[4].(*ast.FuncLit)
	if !ok || len(res.Body.List) != 1 {
		return "", false
	}
	ret, ok := res.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 2 {
		return "", false
	}
	sel, ok := ret.Results[0].(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "obj" {
		return "", false
	}
	if id, ok := ret.Results[1].(*ast.Ident); !ok || id.Name != "nil" {
		return "", false
	}
	// The marshal function: ec.marshalT(ctx, selections, v), which never
	// reads the context.
	mName, ok := soleECCall(call.Args[6])
	if !ok {
		return "", false
	}
	mBody, ok := bodies[mName]
	if !ok || needsContext(mBody) {
		return "", false
	}
	field := string(src[fset.Position(sel.Pos()).Offset:fset.Position(sel.End()).Offset])
	return fmt.Sprintf("\n\t%s\n\treturn ec.%s(ctx, field.Selections, %s)\n", directName, mName, field), true
}

// soleReturn returns the call a block consists of: `return f(...)`.
func soleReturn(b *ast.BlockStmt) (*ast.CallExpr, bool) {
	if b == nil || len(b.List) != 1 {
		return nil, false
	}
	ret, ok := b.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil, false
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	return call, ok
}

// soleECCall returns the method a closure `func(...) { return ec.m(...) }`
// calls.
func soleECCall(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.FuncLit)
	if !ok {
		return "", false
	}
	call, ok := soleReturn(lit.Body)
	if !ok {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "ec" {
		return "", false
	}
	return sel.Sel.Name, true
}

// neverNull are the graphql marshallers that never return graphql.Null: a
// generated marshaller's `if res == graphql.Null` error after one of them
// cannot happen.
var neverNull = map[string]bool{"MarshalString": true, "MarshalID": true, "MarshalBoolean": true, "MarshalInt": true}

// needsContext reports whether a marshal function's body reads its context,
// leaving out `_ = ctx` and the null check after a marshaller in neverNull.
func needsContext(body *ast.BlockStmt) bool {
	safe := map[ast.Stmt]bool{}
	for i, st := range body.List {
		if as, ok := st.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			if l, ok := as.Lhs[0].(*ast.Ident); ok && l.Name == "_" {
				safe[st] = true
				continue
			}
			if c, ok := as.Rhs[0].(*ast.CallExpr); ok && i+1 < len(body.List) {
				sel, ok := c.Fun.(*ast.SelectorExpr)
				if ok && isPkgCall(c, "graphql", sel.Sel.Name) && neverNull[sel.Sel.Name] && isNullCheck(body.List[i+1], as.Lhs[0]) {
					safe[body.List[i+1]] = true
				}
			}
		}
	}
	for _, st := range body.List {
		if safe[st] {
			continue
		}
		found := false
		ast.Inspect(st, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "ctx" {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// isNullCheck reports whether st is `if res == graphql.Null { ... }` for the
// variable res.
func isNullCheck(st ast.Stmt, res ast.Expr) bool {
	is, ok := st.(*ast.IfStmt)
	if !ok || is.Init != nil || is.Else != nil {
		return false
	}
	be, ok := is.Cond.(*ast.BinaryExpr)
	if !ok || be.Op != token.EQL {
		return false
	}
	l, ok1 := be.X.(*ast.Ident)
	r, ok2 := res.(*ast.Ident)
	if !ok1 || !ok2 || l.Name != r.Name {
		return false
	}
	var b bytes.Buffer
	if err := format.Node(&b, token.NewFileSet(), be.Y); err != nil {
		return false
	}
	return b.String() == "graphql.Null"
}

// dropUnusedImports returns src, formatted, without the imports only the
// rewritten closures used (time, for a time.Time field's marshaller).
func dropUnusedImports(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	var cut [][2]int
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return nil, err
		}
		name := path.Base(p)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		if name == "_" || name == "." || used[name] {
			continue
		}
		cut = append(cut, [2]int{fset.Position(spec.Pos()).Offset, fset.Position(spec.End()).Offset})
	}
	for i := len(cut) - 1; i >= 0; i-- {
		src = append(src[:cut[i][0]:cut[i][0]], src[cut[i][1]:]...)
	}
	return format.Source(src)
}
