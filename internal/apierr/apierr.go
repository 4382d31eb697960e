// Package apierr is the API's error contract, shared by every layer: the
// error codes clients branch on (extensions.code), an error type whose message
// is safe to show to API clients, and [WriteHTTP], the one writer of the
// GraphQL-shaped bodies of requests refused before GraphQL runs (auth,
// httpguard, guard). The error presenter (package graph) shows only safe
// messages; every other error becomes "internal error".
//
// It imports nothing of this module, so that any package may use it. A new
// code belongs here and in architecture.md §6, and is a change of the API.
package apierr

import (
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Code is a value of extensions.code. The list is closed: clients branch on it.
type Code string

// The codes of the error contract (architecture.md §6).
const (
	Unauthenticated         Code = "UNAUTHENTICATED"
	Forbidden               Code = "FORBIDDEN"
	BadUserInput            Code = "BAD_USER_INPUT"
	NotFound                Code = "NOT_FOUND"
	ConsentInactive         Code = "CONSENT_INACTIVE"
	DataNotReady            Code = "DATA_NOT_READY"
	RateLimited             Code = "RATE_LIMITED"
	UpstreamUnavailable     Code = "UPSTREAM_UNAVAILABLE"
	UpstreamTimeout         Code = "UPSTREAM_TIMEOUT"
	ComplexityLimitExceeded Code = "COMPLEXITY_LIMIT_EXCEEDED"
	Internal                Code = "INTERNAL"
)

// Error is an error whose Message is safe to show to API clients. Err, when
// set, is the cause; it is kept for errors.Is and logs, never shown.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with a safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadInput returns a BAD_USER_INPUT error. Its message must name the argument
// and must not echo personal data (mobile numbers, PAN).
func BadInput(format string, args ...any) *Error {
	return New(BadUserInput, format, args...)
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	return errors.AsType[*Error](err)
}

// Detailed is an error with extensions the error presenter adds to the
// client's answer beside the code the cause maps to. The values must be safe
// to show: global ids and counts, never personal data or upstream text.
type Detailed struct {
	Err        error
	Extensions map[string]any
}

func (e *Detailed) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *Detailed) Unwrap() error { return e.Err }

// WithExtensions returns err with extensions for the client (see Detailed).
func WithExtensions(err error, ext map[string]any) error {
	return &Detailed{Err: err, Extensions: ext}
}

// ExtensionsOf returns the extensions of the first Detailed in err's chain.
func ExtensionsOf(err error) map[string]any {
	if d, ok := errors.AsType[*Detailed](err); ok {
		return d.Extensions
	}
	return nil
}

// GraphQL returns a GraphQL error in the contract's shape, for the paths that
// answer without the error presenter (refusals of gqlgen extensions, which
// gqlgen's websocket transport sends unpresented, and websocket messages):
// the code is both in the extensions and in the wrapped [*Error], which the
// presenter keeps where it does run. The message must be safe to show.
func GraphQL(code Code, format string, args ...any) *gqlerror.Error {
	msg := fmt.Sprintf(format, args...)
	return &gqlerror.Error{
		Message:    msg,
		Err:        &Error{Code: code, Message: msg},
		Extensions: map[string]any{"code": string(code)},
	}
}
