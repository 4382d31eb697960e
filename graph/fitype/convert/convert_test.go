package convert_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	_ "github.com/moneyone-bff/finpro-bff/graph/fitype/plugins" // registers the plugins' conversions (and, through fitype, Transaction.detail's)
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// TestEveryFieldShown builds every conversion plan (a GraphQL field without
// an fi field panics) and checks that no fi field is left out of the graph.
func TestEveryFieldShown(t *testing.T) {
	for pair, unused := range convert.Plans() {
		if len(unused) > 0 {
			t.Errorf("%s: fi fields with no GraphQL field: %v", pair, unused)
		}
	}
	if len(convert.Plans()) < 40 {
		t.Errorf("only %d conversions: are the plugins registering theirs?", len(convert.Plans()))
	}
}

// TestEveryFieldConverts fills every field of each fi type with a value and
// checks that the conversion leaves no GraphQL field empty: a field the
// converter matched by name but did not copy would show as null.
func TestEveryFieldConverts(t *testing.T) {
	for _, c := range convert.Pairs() {
		src := reflect.New(c[0])
		fill(src.Elem())
		dst := reflect.New(c[1])
		convert.Apply(src.Elem(), dst.Elem())
		for _, missing := range empty(c[1].Name(), dst.Elem()) {
			t.Errorf("%s -> %s: %s is empty", c[0].Name(), c[1].Name(), missing)
		}
	}
}

// fill sets every field of the fi struct v: enums to their first value.
func fill(v reflect.Value) {
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		switch {
		case sf.Anonymous && f.Kind() == reflect.Struct:
			fill(f)
		case f.Type() == reflect.TypeFor[rebit.Decimal]():
			f.SetString("12.50")
		case f.Type() == reflect.TypeFor[rebit.Date]():
			f.SetString("2024-01-31")
		case f.Type() == reflect.TypeFor[time.Time]():
			f.Set(reflect.ValueOf(time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)))
		case f.Kind() == reflect.String:
			val := "x"
			if _, opts, _ := strings.Cut(sf.Tag.Get("fi"), ","); strings.HasPrefix(opts, "enum=") {
				val = fi.Enums[strings.TrimPrefix(opts, "enum=")][0]
			}
			f.SetString(val)
		case f.Type() == reflect.TypeFor[*int]():
			n := 3
			f.Set(reflect.ValueOf(&n))
		case f.Type() == reflect.TypeFor[*bool]():
			b := true
			f.Set(reflect.ValueOf(&b))
		case f.Kind() == reflect.Pointer:
			p := reflect.New(f.Type().Elem())
			fill(p.Elem())
			f.Set(p)
		case f.Kind() == reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 1, 1)
			fill(s.Index(0))
			f.Set(s)
		case f.Kind() == reflect.Struct:
			fill(f)
		}
	}
}

// empty lists the nil pointers, empty lists and UNKNOWN enums under v.
func empty(path string, v reflect.Value) []string {
	var out []string
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		p := path + "." + sf.Name
		if convert.FilledByHand(v.Type().Name(), sf.Name) {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer:
			if f.IsNil() {
				out = append(out, p)
			} else if f.Elem().Kind() == reflect.Struct && f.Elem().Type() != reflect.TypeFor[time.Time]() {
				out = append(out, empty(p, f.Elem())...)
			} else if f.Elem().Kind() == reflect.String && f.Elem().String() == "UNKNOWN" {
				out = append(out, p+" (UNKNOWN)")
			}
		case reflect.Slice:
			if f.Len() == 0 {
				out = append(out, p)
			}
			for j := range f.Len() {
				if e := f.Index(j); e.Kind() == reflect.Pointer && !e.IsNil() {
					out = append(out, empty(p, e.Elem())...)
				}
			}
		case reflect.String:
			if f.String() == "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// TestUnknownEnumValue: a value no enum of the schema has becomes UNKNOWN,
// never an error or a dropped row.
func TestUnknownEnumValue(t *testing.T) {
	tx := convert.To[model.EquityTransaction](&securities.EquityTransaction{Exchange: "MCX", Type: "PLEDGE", Units: "5"})
	if tx == nil || *tx.Exchange != model.ExchangeUnknown || *tx.Type != model.TransactionTypeUnknown || *tx.Units != "5" {
		t.Errorf("converted = %+v", tx)
	}
	if tx.OptionType != nil {
		t.Errorf("an absent enum is %v, want nil", *tx.OptionType)
	}
}
