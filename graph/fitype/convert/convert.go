// Package convert converts the fi package's structs (internal/finpro/fi) to
// the GraphQL models (graph/model), by field name: To[M](v), for the FI-type
// plugins (graph/fitype/plugins) and Transaction.detail (graph/fitype).
//
// The FI types' summaries, holdings and transaction details are gqlgen
// models (graph/model) whose fields are the fi structs' fields under their
// GraphQL names, which differ only in case (securities.EquityHolding.ISIN is
// model.EquityHolding.Isin, CurrentODLimit is CurrentOdLimit). So they are
// converted by name, by one reflective converter, rather than by ~600 lines
// of field copies that could silently skip one. The rules:
//
//   - a string, rebit.Decimal or rebit.Date becomes nil when "" (FinPro's absent);
//     a time.Time nil when zero; *int and *bool are copied;
//   - a string into a GraphQL enum becomes that value, or UNKNOWN when the
//     enum has no such value (a value FinPro adds later is never an error and
//     never drops the row);
//   - a struct or struct pointer becomes a pointer to its model (nil for nil);
//     a slice of structs a slice of model pointers, never nil;
//   - embedded structs (RecurringDepositSummary embeds TermDepositSummary)
//     contribute their fields.
//
// A plan per (fi type, model type) pair is built once and cached. Building it
// panics when a model field has no fi field of its name (unless the model
// lists it in filledByHand) or when two types cannot convert: the tests build
// every plan (Plans; every conversion is recorded with Register), so such a
// mismatch fails there, never in production.
package convert

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// renamed maps a model field to the fi field it shows when their names
// differ (beyond case): the GraphQL name says what the XSD's does not.
var renamed = map[string]string{
	"SIPHolding.SchemeName":     "Scheme", // the XSD's scheme is the scheme's name
	"SIPTransaction.SchemeName": "Scheme",
}

// filledByHand names, per model type, the fields its plugin fills itself
// because no fi field holds them.
var filledByHand = map[string][]string{
	"InsuranceSummary": {"Riders"},   // in the schema's Profile element
	"DepositSummary":   {"Currency"}, // INR when absent
}

type plan struct {
	steps []step
	// unused are fi fields no model field reads (checked by the tests).
	unused []string
}

type step struct {
	src, dst []int // field indexes
	conv     func(src, dst reflect.Value)
}

type planKey struct{ src, dst reflect.Type }

var plans sync.Map // planKey -> *plan

// To returns src (an fi struct value or pointer) as a new *D.
func To[D any](src any) *D {
	dst := new(D)
	sv := reflect.ValueOf(src)
	if sv.Kind() == reflect.Pointer {
		if sv.IsNil() {
			return nil
		}
		sv = sv.Elem()
	}
	apply(planFor(sv.Type(), reflect.TypeFor[D]()), sv, reflect.ValueOf(dst).Elem())
	return dst
}

func apply(p *plan, src, dst reflect.Value) {
	for _, s := range p.steps {
		s.conv(src.FieldByIndex(s.src), dst.FieldByIndex(s.dst))
	}
}

func planFor(src, dst reflect.Type) *plan {
	k := planKey{src, dst}
	if p, ok := plans.Load(k); ok {
		return p.(*plan)
	}
	p := buildPlan(src, dst)
	plans.Store(k, p)
	return p
}

func buildPlan(src, dst reflect.Type) *plan {
	srcFields := map[string]reflect.StructField{}
	for _, f := range reflect.VisibleFields(src) {
		if f.IsExported() && !f.Anonymous && len(f.Index) > 0 {
			key := strings.ToLower(f.Name)
			if _, dup := srcFields[key]; !dup || len(f.Index) < len(srcFields[key].Index) {
				srcFields[key] = f
			}
		}
	}
	manual := filledByHand[dst.Name()]
	used := map[string]bool{}
	p := &plan{}
	for i := range dst.NumField() {
		df := dst.Field(i)
		if !df.IsExported() {
			continue
		}
		if contains(manual, df.Name) {
			used[strings.ToLower(df.Name)] = true // the plugin reads it, if fi has it
			continue
		}
		name := df.Name
		if r, ok := renamed[dst.Name()+"."+name]; ok {
			name = r
		}
		sf, ok := srcFields[strings.ToLower(name)]
		if !ok {
			panic(fmt.Sprintf("convert: %s.%s has no field in %s", dst.Name(), df.Name, src))
		}
		used[strings.ToLower(name)] = true
		p.steps = append(p.steps, step{src: sf.Index, dst: df.Index, conv: converter(sf.Type, df.Type, src.Name()+"."+sf.Name)})
	}
	for key, f := range srcFields {
		if !used[key] {
			p.unused = append(p.unused, src.Name()+"."+f.Name)
		}
	}
	return p
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	stringType  = reflect.TypeFor[string]()
	decimalType = reflect.TypeFor[rebit.Decimal]()
	dateType    = reflect.TypeFor[rebit.Date]()
	timeType    = reflect.TypeFor[time.Time]()
	modelDec    = reflect.TypeFor[model.Decimal]()
	modelDate   = reflect.TypeFor[model.Date]()
	validator   = reflect.TypeFor[interface{ IsValid() bool }]()
)

// converter returns how a value of type s becomes a value of type d; name
// says which field, for the panic of a mismatch.
func converter(s, d reflect.Type, name string) func(src, dst reflect.Value) {
	switch {
	case s == d: // string to String!, *int, *bool
		return func(src, dst reflect.Value) { dst.Set(src) }
	case d.Kind() == reflect.Pointer && d.Elem() == modelDec && s == decimalType,
		d.Kind() == reflect.Pointer && d.Elem() == modelDate && s == dateType,
		d.Kind() == reflect.Pointer && d.Elem() == stringType && s == stringType:
		et := d.Elem()
		return func(src, dst reflect.Value) {
			if src.String() == "" {
				return
			}
			v := reflect.New(et)
			v.Elem().SetString(src.String())
			dst.Set(v)
		}
	case d.Kind() == reflect.Pointer && d.Elem().Kind() == reflect.String && d.Elem().Implements(validator) && s.Kind() == reflect.String:
		et := d.Elem()
		return func(src, dst reflect.Value) {
			if src.String() == "" {
				return
			}
			dst.Set(enumValue(et, src.String()))
		}
	case d.Kind() == reflect.Pointer && d.Elem() == timeType && s == timeType:
		return func(src, dst reflect.Value) {
			if t := src.Interface().(time.Time); !t.IsZero() {
				dst.Set(reflect.ValueOf(&t))
			}
		}
	case d.Kind() == reflect.Pointer && d.Elem().Kind() == reflect.Struct && (s.Kind() == reflect.Struct || s.Kind() == reflect.Pointer && s.Elem().Kind() == reflect.Struct):
		return func(src, dst reflect.Value) {
			if src.Kind() == reflect.Pointer {
				if src.IsNil() {
					return
				}
				src = src.Elem()
			}
			v := reflect.New(d.Elem())
			apply(planFor(src.Type(), d.Elem()), src, v.Elem())
			dst.Set(v)
		}
	case d.Kind() == reflect.Slice && d.Elem().Kind() == reflect.Pointer && d.Elem().Elem().Kind() == reflect.Struct && s.Kind() == reflect.Slice && s.Elem().Kind() == reflect.Struct:
		et := d.Elem().Elem()
		return func(src, dst reflect.Value) {
			p := planFor(src.Type().Elem(), et)
			out := reflect.MakeSlice(d, src.Len(), src.Len())
			backing := reflect.MakeSlice(reflect.SliceOf(et), src.Len(), src.Len()) // one allocation for the elements
			for i := range src.Len() {
				apply(p, src.Index(i), backing.Index(i))
				out.Index(i).Set(backing.Index(i).Addr())
			}
			dst.Set(out)
		}
	}
	panic(fmt.Sprintf("convert: cannot convert %s (%s) to %s", name, s, d))
}

// enumValue returns v as a new *E (E a GraphQL enum), UNKNOWN when E has no
// value v. The fi package already normalised v (upper snake case, the XSDs'
// misspellings mapped).
func enumValue(et reflect.Type, v string) reflect.Value {
	p := reflect.New(et)
	p.Elem().SetString(v)
	if !p.Elem().Interface().(interface{ IsValid() bool }).IsValid() {
		p.Elem().SetString("UNKNOWN")
	}
	return p
}

// Enum is enumValue for one enum type, for the plugins' hand-filled fields.
func Enum[E ~string](v string) *E {
	if v == "" {
		return nil
	}
	return enumValue(reflect.TypeFor[E](), v).Interface().(*E)
}

// Plans builds the plan of every conversion the plugins make and returns, per
// pair, the fi fields no GraphQL field shows. It panics on a mismatch (see
// To). For tests.
func Plans() map[string][]string {
	out := map[string][]string{}
	for _, c := range conversions {
		p := planFor(c.src, c.dst)
		out[c.src.Name()+" -> "+c.dst.Name()] = p.unused
		walkPlan(c.src, c.dst, out)
	}
	return out
}

// walkPlan adds the plans of the nested structs of a conversion.
func walkPlan(src, dst reflect.Type, out map[string][]string) {
	p := planFor(src, dst)
	for _, s := range p.steps {
		sf, df := src.FieldByIndex(s.src), dst.FieldByIndex(s.dst)
		st, dt := sf.Type, df.Type
		if st.Kind() == reflect.Pointer || st.Kind() == reflect.Slice {
			st = st.Elem()
		}
		for dt.Kind() == reflect.Pointer || dt.Kind() == reflect.Slice {
			dt = dt.Elem()
		}
		if st.Kind() == reflect.Struct && dt.Kind() == reflect.Struct && st != timeType {
			key := st.Name() + " -> " + dt.Name()
			if _, seen := out[key]; !seen {
				out[key] = planFor(st, dt).unused
				walkPlan(st, dt, out)
			}
		}
	}
}

// conversion is one top-level (fi, model) pair a plugin converts.
type conversion struct{ src, dst reflect.Type }

var conversions []conversion

// Register records a top-level conversion for Plans (each plugin registers its
// summary's, so the tests build every plan the graph uses).
func Register[S, D any]() struct{} {
	conversions = append(conversions, conversion{reflect.TypeFor[S](), reflect.TypeFor[D]()})
	return struct{}{}
}
