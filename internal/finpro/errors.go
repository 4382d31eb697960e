package finpro

import (
	"errors"
	"fmt"
	"time"
)

// Sentinels for the classes of failure callers branch on. Every error the client
// returns for a FinPro answer is an *APIError that matches exactly one of them with
// errors.Is.
var (
	// ErrInvalidRequest: FinPro rejected the request's fields (InvalidRequest, ...).
	ErrInvalidRequest = errors.New("finpro: invalid request")
	// ErrNotFound: the consent ID or link reference number does not exist.
	ErrNotFound = errors.New("finpro: not found")
	// ErrConsentInactive: the consent is not ACTIVE (paused, revoked, expired, pending).
	ErrConsentInactive = errors.New("finpro: consent not active")
	// ErrNotReady: the data has not been fetched from the FIP yet.
	ErrNotReady = errors.New("finpro: data not ready")
	// ErrDataDeleted: the data is past its retention and was purged.
	ErrDataDeleted = errors.New("finpro: data deleted")
	// ErrNoNewData: getalllatestfidata has nothing new since the last pull.
	ErrNoNewData = errors.New("finpro: no new data")
	// ErrRateLimited: FinPro answered 429 and the retry budget did not cover it.
	ErrRateLimited = errors.New("finpro: rate limited")
	// ErrUnauthorized: FinPro refused the client credentials.
	ErrUnauthorized = errors.New("finpro: unauthorized")
	// ErrUnavailable: FinPro failed (5xx, a gateway page, a broken connection, an
	// undecodable body) or the circuit breaker is open.
	ErrUnavailable = errors.New("finpro: unavailable")
	// ErrTimeout: the call's deadline passed before FinPro answered.
	ErrTimeout = errors.New("finpro: timeout")
)

// APIError is a failed FinPro call. Its text names the endpoint, the HTTP status
// and FinPro's errorCode; it never holds the response body, URL or headers.
type APIError struct {
	Endpoint   string        // FinPro path, e.g. "/getfibalance"
	Status     int           // HTTP status; 0 when no response arrived
	Code       string        // FinPro errorCode; empty when FinPro sent none
	Message    string        // FinPro errorMsg; safe to log, not to show end users
	RetryAfter time.Duration // from Retry-After or X-RateLimit-Reset, 0 if none
	Kind       error         // one of the sentinels above
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("finpro %s: %v (http %d", e.Endpoint, e.Kind, e.Status)
	if e.Code != "" {
		s += ", " + e.Code
	}
	return s + ")"
}

// Is reports whether target is e's sentinel.
func (e *APIError) Is(target error) bool { return target == e.Kind }
