// Package tagdec is the tag-driven decoder of the FI schemas' Go types: it
// fills structs declared with `fi` tags from FinPro's JSON rendering of the
// ReBIT XML by reflection instead of encoding/json, for three reasons:
//
//   - encoding/json stops at the first value an UnmarshalJSON method rejects, so
//     one odd amount would lose the whole account. Here a value that does not
//     fit its field leaves the field zero, is reported by path in
//     [Decoder.Malformed], and the rest decodes.
//   - FinPro's XML-to-JSON rendering varies (finpro-upstream.md §3-4): a single
//     element arrives as an object or a one-element array, numbers as strings or
//     numbers, booleans as "true"/"YES"/true, attribute names in varying case
//     (FatcaStatus, fatcaStatus) and with or without punctuation (lock-inFlag).
//     Keys therefore match after normalisation (lower case, letters and digits
//     only) and containers accept both shapes.
//   - A tag may name a path through wrapper elements (Investment/Holdings/Holding)
//     and alternatives (|) for the schemas' misspellings, so the Go types stay
//     flat and readable.
//
// Tag grammar: `fi:"path[|path...][,enum=Name][,default=Value]"`; a path is
// element or attribute names joined by '/'. enum=Name normalises the value
// with the [Codec]'s enum function (Name names the value list, which is the
// caller's business). default=Value fills a string field its element leaves
// absent, null or empty (currency=INR: the schemas' currency is optional and
// means INR when absent).
//
// The decoder knows strings, time.Time, *bool, *int and nested structs,
// struct pointers and struct slices. Any other string-kinded leaf type (a
// decimal, a date) is read by the [Parser] the [Codec] maps it to, so those
// types stay with the package that owns them.
package tagdec

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Parser reads a leaf value's text as a field type: the normalised text, or
// false if the text does not fit (the field is then absent and reported).
type Parser func(string) (string, bool)

// Codec is a decoder configuration and its cache of struct layouts. It is
// safe for concurrent use; one per set of types, for the process's life.
type Codec struct {
	scalars map[reflect.Type]Parser
	enum    func(string) string
	specs   sync.Map // reflect.Type -> []fieldSpec
}

// New returns a Codec that reads fields of the types in scalars with their
// parsers and normalises enum-tagged strings with enum.
func New(scalars map[reflect.Type]Parser, enum func(string) string) *Codec {
	return &Codec{scalars: scalars, enum: enum}
}

// fieldKind is how a struct field is decoded.
type fieldKind int

const (
	kindString fieldKind = iota
	kindScalar           // a Codec scalar: its parser
	kindTime
	kindBool // *bool
	kindInt  // *int
	kindStruct
	kindStructPtr
	kindSlice // []struct
)

var (
	timeType    = reflect.TypeFor[time.Time]()
	boolPtrType = reflect.TypeFor[*bool]()
	intPtrType  = reflect.TypeFor[*int]()
)

// fieldSpec is one decodable struct field.
type fieldSpec struct {
	index []int
	paths [][]string // normalised segments, first match wins
	kind  fieldKind
	parse Parser // kindScalar's parser
	enum  bool   // normalise the value (an enum=Name tag)
	def   string // default of an absent string, "" if none
}

// specsOf returns the decodable fields of struct type t. Untagged anonymous
// struct fields are flattened (their fields read the same object).
func (c *Codec) specsOf(t reflect.Type) []fieldSpec {
	if v, ok := c.specs.Load(t); ok {
		return v.([]fieldSpec)
	}
	var out []fieldSpec
	for i := range t.NumField() {
		f := t.Field(i)
		tag, tagged := f.Tag.Lookup("fi")
		if f.Anonymous && !tagged && f.Type.Kind() == reflect.Struct {
			for _, s := range c.specsOf(f.Type) {
				s.index = append([]int{i}, s.index...)
				out = append(out, s)
			}
			continue
		}
		if !tagged || tag == "-" || !f.IsExported() {
			continue
		}
		spec := fieldSpec{index: []int{i}, kind: c.kindOf(f.Type)}
		if spec.kind == kindScalar {
			spec.parse = c.scalars[f.Type]
		}
		paths, opts, _ := strings.Cut(tag, ",")
		for _, p := range strings.Split(paths, "|") {
			var segs []string
			for _, s := range strings.Split(p, "/") {
				segs = append(segs, NormKey(s))
			}
			spec.paths = append(spec.paths, segs)
		}
		for _, o := range strings.Split(opts, ",") {
			if name, ok := strings.CutPrefix(o, "enum="); ok {
				spec.enum = name != ""
			} else if v, ok := strings.CutPrefix(o, "default="); ok && spec.kind == kindString {
				spec.def = v
			}
		}
		out = append(out, spec)
	}
	c.specs.Store(t, out)
	return out
}

func (c *Codec) kindOf(t reflect.Type) fieldKind {
	if _, ok := c.scalars[t]; ok {
		return kindScalar
	}
	switch {
	case t == timeType:
		return kindTime
	case t == boolPtrType:
		return kindBool
	case t == intPtrType:
		return kindInt
	case t.Kind() == reflect.String:
		return kindString
	case t.Kind() == reflect.Struct:
		return kindStruct
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		return kindStructPtr
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return kindSlice
	}
	panic("fi: unsupported field type " + t.String())
}

// NormKey normalises a JSON key or tag segment: lower case, letters and digits
// only, so "lock-inFlag", "lockInFlag" and "LOCK_IN_FLAG" meet.
func NormKey(s string) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}
	if plain {
		return s // already normal: no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

// Decoder is one decoding by a Codec: what to leave out and what did not
// decode. The zero value is not usable; set Codec.
type Decoder struct {
	Codec *Codec
	// Skip is a top-level element left undecoded ("transactions" for a
	// summary), normalised; "" decodes everything.
	Skip string
	// Malformed are the normalised paths (never values: they may be PII) of
	// the fields whose value did not fit their type; the fields are absent.
	Malformed []string
}

// Into decodes raw (a JSON object) into the struct v points to.
func (d *Decoder) Into(raw []byte, v any) {
	rv := reflect.ValueOf(v).Elem()
	d.object("", raw, rv)
}

// Object is a JSON object with normalised keys.
type Object map[string]json.RawMessage

// ParseObject parses raw as a JSON object with normalised keys; a non-empty
// array yields its first element (an element sent as an array by mistake).
func ParseObject(raw []byte) (Object, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil || len(arr) == 0 {
			return nil, false
		}
		raw = bytes.TrimSpace(arr[0])
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	out := make(Object, len(m))
	for k, v := range m {
		nk := NormKey(k)
		if _, dup := out[nk]; !dup {
			out[nk] = v
		}
	}
	return out, true
}

// Join appends a segment to a path.
func Join(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "/" + seg
}

// IsNull reports whether raw is empty or JSON null.
func IsNull(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// object decodes the JSON object raw into struct v; path names it in issues.
func (d *Decoder) object(path string, raw []byte, v reflect.Value) {
	m, ok := ParseObject(raw)
	if !ok {
		d.AddMalformed(path)
		return
	}
	// nested caches wrapper objects reached by multi-segment paths.
	var nested map[string]Object
	lookup := func(segs []string) (json.RawMessage, string, bool) {
		cur, p := m, path
		for i, s := range segs {
			val, ok := cur[s]
			if !ok {
				return nil, "", false
			}
			p = Join(p, s)
			if i == len(segs)-1 {
				return val, p, true
			}
			if nested == nil {
				nested = map[string]Object{}
			}
			next, seen := nested[p]
			if !seen {
				next, _ = ParseObject(val)
				nested[p] = next
			}
			if next == nil {
				return nil, "", false
			}
			cur = next
		}
		return nil, "", false
	}
	for _, f := range d.Codec.specsOf(v.Type()) {
		if path == "" && d.Skip != "" && f.paths[0][0] == d.Skip {
			continue
		}
		for _, segs := range f.paths {
			val, p, ok := lookup(segs)
			if !ok {
				continue
			}
			d.field(p, val, v.FieldByIndex(f.index), f)
			break
		}
		if f.def != "" {
			if fv := v.FieldByIndex(f.index); fv.String() == "" {
				fv.SetString(f.def)
			}
		}
	}
}

// AddMalformed reports the value at path as malformed.
func (d *Decoder) AddMalformed(path string) {
	d.Malformed = append(d.Malformed, path)
}

// field decodes one value into fv.
func (d *Decoder) field(path string, raw []byte, fv reflect.Value, f fieldSpec) {
	if IsNull(raw) {
		return
	}
	switch f.kind {
	case kindStruct:
		d.object(path, raw, fv)
		return
	case kindStructPtr:
		p := reflect.New(fv.Type().Elem())
		d.object(path, raw, p.Elem())
		fv.Set(p)
		return
	case kindSlice:
		d.slice(path, raw, fv)
		return
	}
	text, ok := wire.Scalar(raw)
	if !ok {
		d.AddMalformed(path)
		return
	}
	if text == "" {
		return // FinPro's "absent"
	}
	switch f.kind {
	case kindString:
		if f.enum {
			text = d.Codec.enum(text)
		}
		fv.SetString(text)
	case kindScalar:
		if s, ok := f.parse(text); ok {
			fv.SetString(s)
			return
		}
		d.AddMalformed(path)
	case kindTime:
		if t, err := wire.ParseTime(text); err == nil {
			fv.Set(reflect.ValueOf(t))
			return
		}
		d.AddMalformed(path)
	case kindBool:
		if b, ok := wire.ParseBool(text); ok {
			fv.Set(reflect.ValueOf(&b))
			return
		}
		d.AddMalformed(path)
	case kindInt:
		if n, ok := parseInt(text); ok {
			fv.Set(reflect.ValueOf(&n))
			return
		}
		d.AddMalformed(path)
	}
}

// slice decodes an array of objects, or a single object, into a struct slice.
// Elements that are not objects are reported and skipped.
func (d *Decoder) slice(path string, raw []byte, fv reflect.Value) {
	raw = bytes.TrimSpace(raw)
	var elems []json.RawMessage
	switch raw[0] {
	case '[':
		if json.Unmarshal(raw, &elems) != nil {
			d.AddMalformed(path)
			return
		}
	case '{':
		elems = []json.RawMessage{raw}
	default:
		d.AddMalformed(path)
		return
	}
	et := fv.Type().Elem()
	out := reflect.MakeSlice(fv.Type(), 0, len(elems))
	for _, e := range elems {
		if IsNull(e) {
			continue
		}
		if bytes.TrimSpace(e)[0] != '{' {
			d.AddMalformed(path)
			continue
		}
		ev := reflect.New(et).Elem()
		d.object(path, e, ev)
		out = reflect.Append(out, ev)
	}
	if out.Len() > 0 {
		fv.Set(out)
	}
}

// parseInt accepts an integer, or a decimal with no fractional part ("36.0").
func parseInt(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	d, ok := ParseDecimal(s)
	if !ok {
		return 0, false
	}
	whole, frac, _ := strings.Cut(string(d), ".")
	if strings.Trim(frac, "0") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(whole)
	return n, err == nil
}
