package transport

import (
	"encoding/json"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Envelope is FinPro's response wrapper around a payload of type T.
type Envelope[T any] struct {
	Head
	Data T `json:"data"`

	HTTPStatus int `json:"-"` // the 2xx status it came with, for CallInfo
}

// Head is everything of an envelope but its payload.
type Head struct {
	Failure
	Response    string       `json:"response"` // "ok" on /fi/request
	Timestamp   string       `json:"timestamp"`
	PageDetails *PageDetails `json:"pageDetails"`
}

// EnvelopeDecoder is a payload that decodes its whole envelope itself: one
// with a fast path that must see the body before encoding/json validates it
// (finpro's getfidata rows). Nested UnmarshalJSON methods are what make a
// decode slow: encoding/json finds the end of each such value with a scan,
// and the method's own json.Unmarshal validates and decodes the same bytes
// again, so a row three methods deep is read eight times.
type EnvelopeDecoder interface {
	DecodeEnvelope(body []byte, head *Head) error
}

// Decode decodes a 2xx body into env.
func Decode[T any](body []byte, env *Envelope[T]) error {
	if d, ok := any(&env.Data).(EnvelopeDecoder); ok {
		return d.DecodeEnvelope(body, &env.Head)
	}
	return json.Unmarshal(body, env)
}

// Time is the envelope's timestamp, zero when absent or unreadable.
func (e *Envelope[T]) Time() time.Time {
	return wire.LenientTime(e.Timestamp)
}

// PageDetails is FinPro's paging metadata as sent, in the envelope or in a
// payload.
type PageDetails struct {
	TotalRecords      *wire.Int `json:"totalRecords"`
	CurrentPageNumber wire.Int  `json:"currentPageNumber"`
	TotalPages        wire.Int  `json:"totalPages"`
	Limit             *wire.Int `json:"limit"`
	Offset            *wire.Int `json:"offset"`
}
