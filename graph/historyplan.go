package graph

import (
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/insights"
)

// historySpan is the union of the ranges every insights field of the
// operation asks (Customer.insights and each account type's insights, in
// fragments too; a field @skip or @include leaves out is not counted), so
// that the loaders read each consent's history once, with that span, however
// the fields resolve in time (loaders.Options.HistoryFrom and HistoryTo). ok is false when
// the operation has no insights field with a valid range; a field with an
// invalid one fails on its own and is not counted.
func historySpan(oc *graphql.OperationContext, now time.Time) (span insights.Range, ok bool) {
	if oc == nil || oc.Operation == nil {
		return span, false
	}
	seen := map[*ast.FragmentDefinition]bool{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, s := range set {
			if !included(s, oc.Variables) {
				continue
			}
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == "insights" && s.Definition != nil && s.Definition.Arguments.ForName("from") != nil {
					if r, err := fieldRange(s, oc.Variables, now); err == nil {
						span, ok = widen(span, ok, r), true
					}
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if d := s.Definition; d != nil && !seen[d] {
					seen[d] = true
					walk(d.SelectionSet)
				}
			}
		}
	}
	walk(oc.Operation.SelectionSet)
	return span, ok
}

// fieldRange is the range an insights field asks, as its resolver will see it.
func fieldRange(f *ast.Field, vars map[string]any, now time.Time) (insights.Range, error) {
	args := f.ArgumentMap(vars)
	date := func(name string) *model.Date {
		if s, ok := args[name].(string); ok {
			d := model.Date(s)
			return &d
		}
		return nil
	}
	return fitype.InsightsRange(date("from"), date("to"), now)
}

func widen(span insights.Range, ok bool, r insights.Range) insights.Range {
	if !ok {
		return r
	}
	if r.From.Before(span.From) {
		span.From = r.From
	}
	if r.To.After(span.To) {
		span.To = r.To
	}
	return span
}

// included reports whether the selection's @skip and @include let it run.
func included(s ast.Selection, vars map[string]any) bool {
	var ds ast.DirectiveList
	switch s := s.(type) {
	case *ast.Field:
		ds = s.Directives
	case *ast.InlineFragment:
		ds = s.Directives
	case *ast.FragmentSpread:
		ds = s.Directives
	}
	if d := ds.ForName("skip"); d != nil && d.ArgumentMap(vars)["if"] == true {
		return false
	}
	if d := ds.ForName("include"); d != nil && d.ArgumentMap(vars)["if"] == false {
		return false
	}
	return true
}
