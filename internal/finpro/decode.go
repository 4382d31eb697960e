package finpro

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Decoding notes. FinPro's JSON is inconsistent (finpro-upstream.md §4): the
// client decodes it with encoding/json into unexported wire structs whose field
// types absorb the variations, then converts them to the exported types. Two
// properties of encoding/json do part of the work: object keys match field names
// case-insensitively (Profile/profile, fipId/fipID, aaId/aaID, consentID/consentId),
// and unknown keys are ignored. Names that differ by more than case
// (consent_expiry/consentExpiry, linkRefNumber/linkReferenceNumber) get one field
// each. Nothing goes through map[string]any, and the hot shape (getfidata's
// fiData[]) decodes in one pass.
//
// Each endpoint's wire structs live beside it (balance.go, consents.go,
// fidata.go, fistatus.go, requestconsent_v3.go, webhook.go, ...); this file
// holds what they share: the field types that absorb FinPro's variations
// (Decimal, flexString, flexBool, flexInt, wireTime, oneOrMany), the response
// envelope and the normalisers. Timestamps and booleans are read by
// ParseTime and ParseBool (wiretime.go).

var errBadDecimal = errors.New("finpro: not a finite decimal")

// MaxDecimalLen bounds the text of a Decimal: money never needs more, and
// apd's parser should not be handed megabytes of digits.
const MaxDecimalLen = 64

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
		if s, err = unquote(b); err != nil {
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

// unquote decodes a JSON string literal, fast when it has no escapes.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// flexString is a string FinPro sometimes sends as a number or boolean (mobile,
// reference, txnId). null is "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*f = flexString(s)
	case 'n':
		*f = ""
	case '{', '[':
		return errors.New("finpro: want a string")
	default:
		*f = flexString(b)
	}
	return nil
}

// flexBool is a boolean in any of [ParseBool]'s spellings; anything else
// ("NO_DATA_AVAILABLE", null) is false.
type flexBool bool

// scalarText returns a JSON scalar's text: a string's contents, trimmed, or a
// number's or literal's bytes.
func scalarText(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		s, err := unquote(b)
		if err != nil {
			return nil, err
		}
		b = []byte(strings.TrimSpace(s))
	}
	return b, nil
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	b, err := scalarText(b)
	if err != nil {
		return err
	}
	v, _ := ParseBool(string(b))
	*f = flexBool(v)
	return nil
}

// flexInt is an integer sent as a number or a numeric string; null and "" are 0.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b, err := scalarText(b)
	if err != nil {
		return err
	}
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return errors.New("finpro: want an integer")
	}
	*f = flexInt(n)
	return nil
}

// wireTime is a timestamp in any of FinPro's formats (see [ParseTime]). null
// and "" are the zero time; anything else is an error.
type wireTime time.Time

func (w *wireTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s, err := unquote(b)
	if err != nil {
		return errors.New("finpro: want a timestamp string")
	}
	t, err := ParseTime(s)
	if err != nil {
		return err
	}
	*w = wireTime(t)
	return nil
}

// lenientTime parses a FinPro timestamp, zero when absent or unreadable.
func lenientTime(s string) time.Time {
	t, _ := ParseTime(s)
	return t
}

// oneOrMany is a list FinPro sends as an array, as a single element, or as null.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
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

// normFIType turns FinPro's spellings into one name per type: upper case, with
// TERM-DEPOSIT written TERM_DEPOSIT.
func normFIType(s string) FIType {
	if isCanonical(s) {
		return FIType(s)
	}
	return FIType(strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(s)), "-", "_"))
}

func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// normConsentID maps FinPro's "no consent ID yet" spellings to "".
func normConsentID(s flexString) string {
	v := strings.TrimSpace(string(s))
	switch strings.ToUpper(v) {
	case "<NULL>", "NULL", "NIL", "NONE":
		return ""
	}
	return v
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstTime(ts ...wireTime) time.Time {
	for _, t := range ts {
		if !time.Time(t).IsZero() {
			return time.Time(t)
		}
	}
	return time.Time{}
}

// envelope is FinPro's response wrapper around a payload of type T.
type envelope[T any] struct {
	envelopeHead
	Data T `json:"data"`

	httpStatus int // the 2xx status it came with, for CallInfo
}

// envelopeHead is everything of an envelope but its payload.
type envelopeHead struct {
	failure
	Response    string           `json:"response"` // "ok" on /fi/request
	Timestamp   string           `json:"timestamp"`
	PageDetails *pageDetailsWire `json:"pageDetails"`
}

// envelopeDecoder is a payload that decodes its whole envelope itself: one
// with a fast path that must see the body before encoding/json validates it
// (see accountDataWire). Nested UnmarshalJSON methods are what make a decode
// slow: encoding/json finds the end of each such value with a scan, and the
// method's own json.Unmarshal validates and decodes the same bytes again, so
// a row three methods deep is read eight times.
type envelopeDecoder interface {
	decodeEnvelope(body []byte, head *envelopeHead) error
}

// decodeEnvelope decodes a 2xx body into env.
func decodeEnvelope[T any](body []byte, env *envelope[T]) error {
	if d, ok := any(&env.Data).(envelopeDecoder); ok {
		return d.decodeEnvelope(body, &env.envelopeHead)
	}
	return json.Unmarshal(body, env)
}

// timestamp is the envelope's timestamp, zero when absent or unreadable.
func (e *envelope[T]) timestamp() time.Time {
	return lenientTime(e.Timestamp)
}

type pageDetailsWire struct {
	TotalRecords      *flexInt `json:"totalRecords"`
	CurrentPageNumber flexInt  `json:"currentPageNumber"`
	TotalPages        flexInt  `json:"totalPages"`
	Limit             *flexInt `json:"limit"`
	Offset            *flexInt `json:"offset"`
}

func firstNonEmptyFlex(ss ...flexString) flexString {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
