// Package wire is the one home of FinPro's wire quirks (finpro-upstream.md §4):
// the field types and parsers that absorb what FinPro and the FIPs send
// inconsistently. Strings sent as numbers ([String]), booleans in a dozen
// spellings ([Bool], [ParseBool]), integers as strings ([Int]), a list sent as
// one element ([OneOrMany]), "<NULL>" for an absent id ([ID]), exact decimals
// as strings or numbers ([Decimal]), timestamps in every layout FinPro writes
// ([Time], [ParseTime]), the IST zone of naive timestamps ([IST]) and the
// currency an absent one means ([DefaultCurrency]).
//
// Package finpro's endpoint wire structs and package fi's FI-type decoder
// build on these; nothing here knows an endpoint. A contributor may make a
// decoder more tolerant here alone; what each one accepts is pinned by this
// package's tests and by finpro's and fi's decoding tests.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// DefaultCurrency is the currency of an amount FinPro sends without one: the
// ReBIT schemas' currency is optional and means INR when absent.
const DefaultCurrency = "INR"

// Currency is s trimmed, or DefaultCurrency when that is empty.
func Currency(s string) string {
	return FirstNonEmpty(strings.TrimSpace(s), DefaultCurrency)
}

var errBadDecimal = errors.New("finpro: not a finite decimal")

// MaxDecimalLen bounds the text of a Decimal: money never needs more, and
// apd's parser should not be handed megabytes of digits.
const MaxDecimalLen = 64

// Decimal is an exact decimal exactly as FinPro wrote it; finpro.Decimal
// decodes through it.
type Decimal string

// UnmarshalJSON decodes a JSON string or number holding a finite decimal, keeping
// its digits exactly as sent. null leaves d unchanged and "" decodes to "" (FinPro
// sends empty strings for absent values); NaN, infinities and anything that is not
// a decimal are errors.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errBadDecimal
	}
	var s string
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return errBadDecimal
		}
		return nil
	case '"':
		var err error
		if s, err = Unquote(b); err != nil {
			return errBadDecimal
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*d = ""
			return nil
		}
	default:
		s = string(b)
	}
	if !validDecimal(s) {
		return errBadDecimal
	}
	*d = Decimal(s)
	return nil
}

// validDecimal reports whether s is a finite decimal. Plain [-]digits[.digits]
// is checked by hand (the common case, no allocation); anything else (exponents,
// a leading '+' or '.', ...) must parse with apd as a finite number.
func validDecimal(s string) bool {
	if len(s) == 0 || len(s) > MaxDecimalLen {
		return false
	}
	if PlainDecimal(s) {
		return true
	}
	v, _, err := apd.NewFromString(s)
	return err == nil && v.Form == apd.Finite
}

// PlainDecimal reports whether s is [-]digits[.digits], the form FinPro
// usually writes and Decimal keeps: checked by hand, with no allocation.
func PlainDecimal(s string) bool {
	i := 0
	if len(s) > 0 && s[0] == '-' {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	frac := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		frac++
	}
	return frac > 0 && i == len(s)
}

// Unquote decodes a JSON string literal, fast when it has no escapes.
func Unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// Scalar is a JSON scalar's text: a string's contents (trimmed) or a number's
// or boolean's literal. Objects, arrays, null and anything that is not JSON
// are not scalars (ok false).
func Scalar(raw []byte) (text string, ok bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return "", false
	case raw[0] == '"':
		if len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 {
			return strings.TrimSpace(string(raw[1 : len(raw)-1])), true // no escapes: the common case
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	case raw[0] == '{' || raw[0] == '[':
		return "", false
	}
	if string(raw) == "true" || string(raw) == "false" {
		return string(raw), true
	}
	if !isNumberLiteral(raw) {
		return "", false
	}
	return string(raw), true
}

// isNumberLiteral reports whether b is a JSON number, of any size. It never
// goes through a float.
func isNumberLiteral(b []byte) bool {
	return len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) && json.Valid(b)
}

// String is a string FinPro sometimes sends as a number or boolean (mobile,
// reference, txnId). null is "".
type String string

// UnmarshalJSON reads a string, a number's or literal's text, or null as "";
// an object or array is an error.
func (f *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case '"':
		s, err := Unquote(b)
		if err != nil {
			return err
		}
		*f = String(s)
	case 'n':
		*f = ""
	case '{', '[':
		return errors.New("finpro: want a string")
	default:
		*f = String(b)
	}
	return nil
}

// Bool is a boolean in any of [ParseBool]'s spellings; anything else
// ("NO_DATA_AVAILABLE", null, an object) is false.
type Bool bool

// UnmarshalJSON reads any of ParseBool's spellings, as a string or a literal.
func (f *Bool) UnmarshalJSON(b []byte) error {
	text, _ := Scalar(b)
	v, _ := ParseBool(text)
	*f = Bool(v)
	return nil
}

// Int is an integer sent as a number or a numeric string; null, "" and
// "null" are 0.
type Int int

// UnmarshalJSON reads an integer, a numeric string, null or "".
func (f *Int) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*f = 0
		return nil
	}
	text, ok := Scalar(b)
	if !ok {
		return errors.New("finpro: want an integer")
	}
	if text == "" || text == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return errors.New("finpro: want an integer")
	}
	*f = Int(n)
	return nil
}

// Time is a timestamp in any of FinPro's formats (see [ParseTime]). null
// and "" are the zero time; anything else is an error.
type Time time.Time

// UnmarshalJSON reads a timestamp string in any of ParseTime's layouts.
func (w *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s, err := Unquote(b)
	if err != nil {
		return errors.New("finpro: want a timestamp string")
	}
	t, err := ParseTime(s)
	if err != nil {
		return err
	}
	*w = Time(t)
	return nil
}

// LenientTime parses a FinPro timestamp, zero when absent or unreadable.
func LenientTime(s string) time.Time {
	t, _ := ParseTime(s)
	return t
}

// FirstTime is the first of ts that is not zero, or the zero time.
func FirstTime(ts ...Time) time.Time {
	for _, t := range ts {
		if !time.Time(t).IsZero() {
			return time.Time(t)
		}
	}
	return time.Time{}
}

// OneOrMany is a list FinPro sends as an array, as a single element, or as null.
type OneOrMany[T any] []T

// UnmarshalJSON reads an array, null (nil) or one element.
func (o *OneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case '[':
		return json.Unmarshal(b, (*[]T)(o))
	case 'n':
		*o = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = []T{v}
	return nil
}

// Container decodes an element FinPro sends as null, as the bare array of its
// children, or as an object around them (ReBIT's Transactions{startDate,
// Transaction} and Holders{type, Holder}, finpro-upstream.md §4.10 and §4.15):
// null leaves children and obj alone, an array decodes into children, an
// object into obj, and isObject says it was one.
func Container(b []byte, children, obj any) (isObject bool, err error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return false, errors.New("finpro: empty value")
	}
	switch b[0] {
	case 'n':
		return false, nil
	case '[':
		return false, json.Unmarshal(b, children)
	}
	return true, json.Unmarshal(b, obj)
}

// ID is an identifier FinPro may send as "<NULL>", "NULL", "NIL" or "NONE"
// (in any case) when there is none yet, such as consentId on
// CONSENT_REJECTED (finpro-upstream.md §4.12): those are "", anything else
// is s trimmed.
func ID(s String) string {
	v := strings.TrimSpace(string(s))
	switch strings.ToUpper(v) {
	case "<NULL>", "NULL", "NIL", "NONE":
		return ""
	}
	return v
}

// FirstNonEmpty is the first of ss that is not "", or "".
func FirstNonEmpty[S ~string](ss ...S) S {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
