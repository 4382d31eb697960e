package guard

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/moneyone-bff/finpro-bff/graph/apierr"
)

// Configure installs the document checks on srv: [Extension], and, when
// introspection is off, gqlgen's suggestion-free validation rules, so that an
// unknown field does not answer "Did you mean ...?" and leak the schema that
// introspection hides.
//
// Call it after graph.NewHandler (so the checks see queries that automatic
// persisted queries filled in). Introspection itself is enabled by
// extension.Introspection, which graph.NewHandler installs only when
// graph.Config.Introspection is set: pass the same value here.
func Configure(srv *handler.Server, l Limits, introspection bool) {
	if !introspection {
		srv.SetDisableSuggestion(true)
	}
	srv.Use(Extension(l, introspection))
}

// Extension returns the gqlgen handler extension that checks every operation,
// whatever its transport (websocket operations included), before it runs:
//
//   - the token count of the raw document, before it is parsed;
//   - depth, aliases, directives and complexity (see [Analyze]) of the
//     validated operation, with fragments expanded;
//   - when introspection is false, __schema and __type are refused with
//     FORBIDDEN (__typename is always allowed), and "Did you mean ...?"
//     suggestions are removed from error messages.
//
// Limits are refused with COMPLEXITY_LIMIT_EXCEEDED and a message naming the
// limit and its value. When introspection is true, introspection fields are
// left out of the measures (the playground's introspection query is deeper
// than any screen's query and costs no upstream call).
func Extension(l Limits, introspection bool) graphql.HandlerExtension {
	return &extension{l: l.normalized(), introspection: introspection}
}

type extension struct {
	l             Limits
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = (*extension)(nil)

const statsExtension = "Guard"

func (*extension) ExtensionName() string { return statsExtension }

func (*extension) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters counts the document's tokens before gqlgen parses
// it: the lexer stops at the first token over the limit, so the work is
// bounded by the limit, not by the document.
func (e *extension) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if e.l.MaxTokens < 0 {
		return nil
	}
	if n := countTokens(p.Query, e.l.MaxTokens+1); n > e.l.MaxTokens {
		return newError(apierr.ComplexityLimitExceeded, "query token count exceeds the limit of %d", e.l.MaxTokens)
	}
	return nil
}

// countTokens returns the number of tokens of q, comments excluded as gqlgen's
// parser excludes them, counting no further than stop. A lexical error ends
// the count: the parser reports it.
func countTokens(q string, stop int) int {
	lx := lexer.New(&ast.Source{Input: q})
	n := 0
	for n < stop {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		if tok.Kind != lexer.Comment {
			n++
		}
	}
	return n
}

// MutateOperationContext measures the validated operation.
func (e *extension) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	s := analyze(oc.Doc, oc.Operation, oc.Variables, e.l)
	oc.Stats.SetExtension(statsExtension, &s)
	switch {
	case s.Introspection && !e.introspection:
		return newError(apierr.Forbidden, "introspection is disabled")
	case exceeds(s.Depth, e.l.MaxDepth):
		return newError(apierr.ComplexityLimitExceeded, "query depth %d exceeds the limit of %d", s.Depth, e.l.MaxDepth)
	case exceeds(s.Aliases, e.l.MaxAliases):
		return newError(apierr.ComplexityLimitExceeded, "query alias count %d exceeds the limit of %d", s.Aliases, e.l.MaxAliases)
	case exceeds(s.Directives, e.l.MaxDirectives):
		return newError(apierr.ComplexityLimitExceeded, "query directive count %d exceeds the limit of %d", s.Directives, e.l.MaxDirectives)
	case exceeds(s.Complexity, e.l.MaxComplexity):
		return newError(apierr.ComplexityLimitExceeded, "query complexity %d exceeds the limit of %d", s.Complexity, e.l.MaxComplexity)
	}
	return nil
}

// InterceptResponse removes gqlparser's "Did you mean ...?" suggestions (of
// unknown arguments, types and enum values, which gqlgen's
// SetDisableSuggestion does not cover) when introspection is off.
func (e *extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if e.introspection || resp == nil {
		return resp
	}
	for _, err := range resp.Errors {
		if i := strings.Index(err.Message, " Did you mean "); i >= 0 {
			err.Message = err.Message[:i]
		}
	}
	return resp
}

// Stats are the measures of an operation.
type Stats struct {
	// Depth is the deepest field nesting; a root field has depth 1.
	Depth int
	// Aliases counts aliased fields.
	Aliases int
	// Directives counts directives on the operation and its selections.
	Directives int
	// Complexity is the operation's cost.
	Complexity int
	// Introspection reports whether the operation selects __schema or
	// __type. Their selections are left out of the other measures.
	Introspection bool
}

// GetStats returns the measures [Extension] recorded for the operation in ctx.
func GetStats(ctx context.Context) (Stats, bool) {
	if !graphql.HasOperationContext(ctx) {
		return Stats{}, false
	}
	s, ok := graphql.GetOperationContext(ctx).Stats.GetExtension(statsExtension).(*Stats)
	if !ok {
		return Stats{}, false
	}
	return *s, true
}

// Analyze measures op, a validated operation of doc, with fragments expanded
// (each fragment once per distinct context, so fragment fan-out costs linear
// work; a fragment cycle counts nothing).
//
// Complexity approximates the objects the response can hold, the measure
// Shopify's and GitHub's APIs use for the same purpose:
//
//   - a scalar or enum field costs 0, an object field 1 plus its selections;
//   - a list field costs its size times (1 + its selections). Its size is its
//     first or last argument, or, directly under a connection, the
//     connection's first or last (so edges and nodes are multiplied but
//     pageInfo and totalCount are not), or else l.ListSizes or l.ListSize;
//   - a connection (a field whose type's name ends in "Connection") queried
//     without first or last has l.ConnectionSize items.
//
// Inline fragments on different types are summed: an upper bound.
func Analyze(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, l Limits) Stats {
	return analyze(doc, op, vars, l.normalized())
}

func analyze(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, l Limits) Stats {
	w := &walker{l: l, doc: doc, vars: vars, memo: map[memoKey]Stats{}, active: map[string]bool{}}
	s := w.selectionSet(op.SelectionSet, 0)
	s.Directives = satAdd(s.Directives, len(op.Directives))
	for _, v := range op.VariableDefinitions {
		s.Directives = satAdd(s.Directives, len(v.Directives))
	}
	return s
}

type walker struct {
	l      Limits
	doc    *ast.QueryDocument
	vars   map[string]any
	memo   map[memoKey]Stats
	active map[string]bool // fragments being expanded
}

type memoKey struct {
	fragment string
	n        int
}

// selectionSet measures set; n is the size of its list fields when set is a
// connection's selection, else 0.
func (w *walker) selectionSet(set ast.SelectionSet, n int) Stats {
	var s Stats
	for _, sel := range set {
		var c Stats
		switch sel := sel.(type) {
		case *ast.Field:
			c = w.field(sel, n)
		case *ast.InlineFragment:
			c = w.selectionSet(sel.SelectionSet, n)
			c.Directives = satAdd(c.Directives, len(sel.Directives))
		case *ast.FragmentSpread:
			c = w.spread(sel, n)
			c.Directives = satAdd(c.Directives, len(sel.Directives))
		}
		s = merge(s, c)
	}
	return s
}

// merge adds the measures of siblings.
func merge(a, b Stats) Stats {
	return Stats{
		Depth:         max(a.Depth, b.Depth),
		Aliases:       satAdd(a.Aliases, b.Aliases),
		Directives:    satAdd(a.Directives, b.Directives),
		Complexity:    satAdd(a.Complexity, b.Complexity),
		Introspection: a.Introspection || b.Introspection,
	}
}

func (w *walker) spread(sp *ast.FragmentSpread, n int) Stats {
	def := sp.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(sp.Name)
	}
	if def == nil || w.active[def.Name] {
		return Stats{}
	}
	key := memoKey{def.Name, n}
	if s, ok := w.memo[key]; ok {
		return s
	}
	w.active[def.Name] = true
	s := w.selectionSet(def.SelectionSet, n)
	s.Directives = satAdd(s.Directives, len(def.Directives))
	delete(w.active, def.Name)
	w.memo[key] = s
	return s
}

func (w *walker) field(f *ast.Field, n int) Stats {
	if f.Name == "__schema" || f.Name == "__type" {
		return Stats{Introspection: true}
	}
	s := Stats{Depth: 1, Directives: len(f.Directives)}
	if f.Alias != "" && f.Alias != f.Name {
		s.Aliases = 1
	}
	if len(f.SelectionSet) == 0 {
		return s // scalars, enums and __typename cost nothing
	}
	page, paged := w.pageSize(f)
	size, childN := 1, 0
	switch {
	case f.Definition != nil && f.Definition.Type.Elem != nil: // a list
		switch {
		case paged:
			size = page
		case n > 0:
			size = n
		default:
			size = w.listSize(f)
		}
	case paged:
		childN = page
	case f.Definition != nil && strings.HasSuffix(f.Definition.Type.Name(), "Connection"):
		childN = w.l.ConnectionSize
	}
	sub := w.selectionSet(f.SelectionSet, childN)
	s.Depth = satAdd(1, sub.Depth)
	s.Aliases = satAdd(s.Aliases, sub.Aliases)
	s.Directives = satAdd(s.Directives, sub.Directives)
	s.Introspection = sub.Introspection
	s.Complexity = satMul(size, satAdd(1, sub.Complexity))
	return s
}

// pageSize returns f's first or last argument (the larger if both), with
// variables resolved; a negative value counts as 0.
func (w *walker) pageSize(f *ast.Field) (int, bool) {
	size, ok := 0, false
	for _, a := range f.Arguments {
		if a.Name != "first" && a.Name != "last" {
			continue
		}
		v, err := a.Value.Value(w.vars)
		if err != nil || v == nil {
			continue
		}
		if i, isInt := toInt(v); isInt {
			size, ok = max(size, i), true
		}
	}
	return size, ok
}

func toInt(v any) (int, bool) {
	var i int64
	switch v := v.(type) {
	case int:
		i = int64(v)
	case int32:
		i = int64(v)
	case int64:
		i = v
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			return 0, false
		}
		i = n
	default:
		return 0, false
	}
	switch {
	case i < 0:
		return 0, true
	case i > 1<<31-1:
		return 1<<31 - 1, true
	}
	return int(i), true
}

func (w *walker) listSize(f *ast.Field) int {
	if f.ObjectDefinition != nil {
		if n, ok := w.l.ListSizes[f.ObjectDefinition.Name+"."+f.Name]; ok {
			return n
		}
	}
	if n, ok := w.l.ListSizes[f.Name]; ok {
		return n
	}
	return w.l.ListSize
}
