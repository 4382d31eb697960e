package guard

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Stats are the measures of an operation.
type Stats struct {
	// Depth is the deepest field nesting; a root field has depth 1.
	Depth int
	// Aliases counts aliased fields.
	Aliases int
	// Directives counts directives on the operation and its selections.
	Directives int
	// Cost is the operation's requested cost under the schema's cost
	// directives (see [Analyze]).
	Cost int
	// FinproCalls is the most FinPro calls the operation can make under the
	// schema's @upstream directives (see [Analyze]).
	FinproCalls int
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
// Cost follows the IBM GraphQL Cost Directive specification as the schema
// declares it (graph/schema.graphqls):
//
//   - a field costs its @cost weight (0 without one) plus the weights of the
//     @cost arguments it is given; an object (a field with a selection set)
//     adds 1 per object plus its selections;
//   - a list field returns as many objects as its @listSize says: the value
//     of the largest slicing argument given (a list argument counts its
//     length), else assumedSize, else l.ListSize; on a connection the size
//     goes to its sizedFields (edges), not to pageInfo or totalCount.
//
// FinproCalls adds up @upstream(calls, per): calls per occurrence of the
// field, multiplied by the objects above it, or, with per, by the objects of
// type per on its path (one getfibalance serves every account of a consent:
// its calls count once per Consent, not once per Account). Inline fragments
// on different types are summed: both measures are upper bounds.
func Analyze(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, l Limits) Stats {
	return analyze(doc, op, vars, l.normalized())
}

func analyze(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, l Limits) Stats {
	w := &walker{l: l, doc: doc, vars: vars, memo: map[memoKey]Stats{}, active: map[string]bool{}}
	s := w.selectionSet(op.SelectionSet, scope{mult: 1})
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

// scope is what a selection set's measures depend on: the objects it is
// selected on, the objects of each type on its path (for @upstream's per),
// and the size its connection passes to its sizedFields.
type scope struct {
	mult  int
	per   map[string]int // never mutated: copied on write
	sized map[string]int // sizedFields of the enclosing connection -> size
}

func (s scope) key() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(s.mult))
	for _, m := range []map[string]int{s.per, s.sized} {
		b.WriteByte('|')
		for _, k := range slices.Sorted(maps.Keys(m)) {
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(strconv.Itoa(m[k]))
			b.WriteByte(',')
		}
	}
	return b.String()
}

type memoKey struct {
	fragment string
	scope    string
}

func (w *walker) selectionSet(set ast.SelectionSet, sc scope) Stats {
	var s Stats
	for _, sel := range set {
		var c Stats
		switch sel := sel.(type) {
		case *ast.Field:
			c = w.field(sel, sc)
		case *ast.InlineFragment:
			c = w.selectionSet(sel.SelectionSet, sc)
			c.Directives = satAdd(c.Directives, len(sel.Directives))
		case *ast.FragmentSpread:
			c = w.spread(sel, sc)
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
		Cost:          satAdd(a.Cost, b.Cost),
		FinproCalls:   satAdd(a.FinproCalls, b.FinproCalls),
		Introspection: a.Introspection || b.Introspection,
	}
}

func (w *walker) spread(sp *ast.FragmentSpread, sc scope) Stats {
	def := sp.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(sp.Name)
	}
	if def == nil || w.active[def.Name] {
		return Stats{}
	}
	key := memoKey{def.Name, sc.key()}
	if s, ok := w.memo[key]; ok {
		return s
	}
	w.active[def.Name] = true
	s := w.selectionSet(def.SelectionSet, sc)
	s.Directives = satAdd(s.Directives, len(def.Directives))
	delete(w.active, def.Name)
	w.memo[key] = s
	return s
}

func (w *walker) field(f *ast.Field, sc scope) Stats {
	if f.Name == "__schema" || f.Name == "__type" {
		return Stats{Introspection: true}
	}
	s := Stats{Depth: 1, Directives: len(f.Directives)}
	if f.Alias != "" && f.Alias != f.Name {
		s.Aliases = 1
	}
	def := f.Definition
	if len(f.SelectionSet) == 0 {
		if def != nil { // __typename has none
			s.Cost = satAdd(weight(def.Directives), w.argWeights(f))
			s.FinproCalls = w.calls(def, sc)
		}
		return s // scalars and enums weigh 0 but for their @cost
	}
	size, sized := 1, map[string]int(nil)
	child := scope{mult: sc.mult, per: sc.per}
	if def != nil { // only an unvalidated document has none
		s.Cost = satAdd(weight(def.Directives), w.argWeights(f))
		s.FinproCalls = w.calls(def, sc)
		size, sized = w.sizes(f, sc)
		child = scope{mult: satMul(sc.mult, size), per: sc.per, sized: sized}
	}
	if t := typeName(def); t != "" {
		child.per = maps.Clone(sc.per)
		if child.per == nil {
			child.per = map[string]int{}
		}
		child.per[t] = child.mult
	}
	sub := w.selectionSet(f.SelectionSet, child)
	s.Depth = satAdd(1, sub.Depth)
	s.Aliases = satAdd(s.Aliases, sub.Aliases)
	s.Directives = satAdd(s.Directives, sub.Directives)
	s.Introspection = sub.Introspection
	s.Cost = satAdd(s.Cost, satMul(size, satAdd(1, sub.Cost)))
	s.FinproCalls = satAdd(s.FinproCalls, sub.FinproCalls)
	return s
}

func typeName(def *ast.FieldDefinition) string {
	if def == nil {
		return ""
	}
	return def.Type.Name()
}

// sizes returns how many objects f returns and what it passes to the
// sizedFields of its type (a connection's edges).
func (w *walker) sizes(f *ast.Field, sc scope) (int, map[string]int) {
	ls := f.Definition.Directives.ForName("listSize")
	n, given := 0, false
	if ls != nil {
		n, given = w.slicing(f, ls)
		if !given {
			if v, ok := intArg(ls, "assumedSize"); ok {
				n, given = v, true
			}
		}
	}
	if f.Definition.Type.Elem == nil { // an object, or a connection
		if ls == nil || !given {
			return 1, nil
		}
		sized := map[string]int{}
		for _, name := range stringsArg(ls, "sizedFields") {
			sized[name] = n
		}
		return 1, sized
	}
	switch {
	case given:
		return n, nil
	case sc.sized[f.Name] > 0:
		return sc.sized[f.Name], nil
	}
	return w.l.ListSize, nil
}

// slicing returns the largest slicing argument f is given.
func (w *walker) slicing(f *ast.Field, ls *ast.Directive) (int, bool) {
	size, ok := 0, false
	for _, name := range stringsArg(ls, "slicingArguments") {
		a := f.Arguments.ForName(name)
		if a == nil {
			continue
		}
		v, err := a.Value.Value(w.vars)
		if err != nil || v == nil {
			continue
		}
		if l, isList := v.([]any); isList {
			size, ok = max(size, len(l)), true
		} else if i, isInt := toInt(v); isInt {
			size, ok = max(size, i), true
		}
	}
	return size, ok
}

// calls returns the FinPro calls of one occurrence of def in sc.
func (w *walker) calls(def *ast.FieldDefinition, sc scope) int {
	up := def.Directives.ForName("upstream")
	if up == nil {
		return 0
	}
	n, _ := intArg(up, "calls")
	objects := sc.mult
	if a := up.Arguments.ForName("per"); a != nil && a.Value != nil {
		if m, ok := sc.per[a.Value.Raw]; ok {
			objects = m
		}
	}
	return satMul(n, objects)
}

// argWeights adds the @cost weights of the arguments f is given.
func (w *walker) argWeights(f *ast.Field) int {
	total := 0
	for _, a := range f.Arguments {
		if d := f.Definition.Arguments.ForName(a.Name); d != nil {
			total = satAdd(total, weight(d.Directives))
		}
	}
	return total
}

// weight returns a @cost directive's weight, rounded up; 0 without one.
func weight(dirs ast.DirectiveList) int {
	d := dirs.ForName("cost")
	if d == nil {
		return 0
	}
	a := d.Arguments.ForName("weight")
	if a == nil || a.Value == nil {
		return 0
	}
	f, err := strconv.ParseFloat(a.Value.Raw, 64) // a weight, never money
	if err != nil || f <= 0 {
		return 0
	}
	if f >= 1<<31 {
		return 1<<31 - 1
	}
	n := int(f)
	if float64(n) < f {
		n++
	}
	return n
}

func intArg(d *ast.Directive, name string) (int, bool) {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return 0, false
	}
	n, err := strconv.Atoi(a.Value.Raw)
	return max(n, 0), err == nil
}

func stringsArg(d *ast.Directive, name string) []string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return nil
	}
	out := make([]string, 0, len(a.Value.Children))
	for _, c := range a.Value.Children {
		if c.Value != nil {
			out = append(out, c.Value.Raw)
		}
	}
	return out
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
