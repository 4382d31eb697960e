package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/resilience"
)

// Sentinels for the classes of failure callers branch on (package finpro
// re-exports them). Every error the client returns for a FinPro answer is an
// *APIError that matches exactly one of them with errors.Is.
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
// and FinPro's errorCode; it never holds the response body, URL, headers or any
// other upstream free text.
type APIError struct {
	Endpoint string // FinPro path, e.g. "/getfibalance"
	Status   int    // HTTP status; 0 when no response arrived
	// Code is FinPro's errorCode in its catalogue's spelling ("NoDataAvailable",
	// "FP0024"), CodeUnrecognised for a code outside the catalogue, empty when
	// FinPro sent none. It is safe to log and to show.
	Code string
	// Message is never filled from a FinPro answer: errorMsg is free text that
	// may hold host names, secrets or PII, so the client reads it only to
	// classify the error and drops it. It is for errors built by hand.
	Message string
	// RetryAfter is when to try again: from Retry-After or X-RateLimit-Reset,
	// or what is left of a rate-limit hold or a fetch cooldown; 0 if unknown.
	RetryAfter time.Duration
	Kind       error // one of the sentinels above

	// detail is the client's own explanation ("undecodable response", "circuit
	// breaker open", ...). It is written by this package only, so it is safe to
	// show in Error.
	detail string
	// cause is a context error (context.DeadlineExceeded) the error wraps, so that
	// errors.Is(err, context.DeadlineExceeded) holds for timeouts. Transport errors
	// are never kept: their text holds the URL.
	cause error
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("finpro %s: %v (http %d", e.Endpoint, e.Kind, e.Status)
	if e.Code != "" {
		s += ", " + e.Code
	}
	s += ")"
	if e.detail != "" {
		s += ": " + e.detail
	}
	return s
}

// Is reports whether target is e's sentinel.
func (e *APIError) Is(target error) bool { return target == e.Kind }

// Unwrap returns the context error behind a timeout, or nil.
func (e *APIError) Unwrap() error { return e.cause }

// CodeUnrecognised is APIError.Code for an errorCode that is not in FinPro's
// catalogue. FinPro's codes are a closed vocabulary (the seed pages and the
// Postman error catalogue, finpro-upstream.md §1d); anything else is free text
// of unknown origin, which has been seen to carry host names and secrets
// ("DBERR_db-internal-7.finpro.local_<secret>"), so it is never kept, logged or
// shown: it becomes this one fixed value.
const CodeUnrecognised = "UNRECOGNISED"

// catalogueCode is one errorCode of FinPro's catalogue: its spelling as the
// catalogue writes it and its sentinel.
type catalogueCode struct {
	code string
	kind error
}

// catalogue holds every errorCode FinPro documents (seeds 000-003 and
// finpro-upstream.md §1d, both "not ready" spellings and the FP00xx numbers
// some tenants send in their place), keyed by lower case: codes are matched
// case-insensitively and passed on in the catalogue's spelling.
var catalogue = func() map[string]catalogueCode {
	m := map[string]catalogueCode{}
	for kind, codes := range map[error][]string{
		ErrInvalidRequest: {"InvalidRequest", "InvalidPayload", "InvalidMobileNumber", "InvalidStatus",
			"InvalidPageNumber", "InvalidPageSize", "missingConsentInfo", "InvalidAA",
			"FP0021", "FP0029", "FP0055", "FP0058"},
		ErrNotFound:        {"InvalidConsentId", "InvalidLinkReference", "invalid_consent_handle", "FP0024", "FP0034"},
		ErrConsentInactive: {"ConsentNotActive"},
		ErrNotReady:        {"DataNotAvailable", "NoDataAvailable", "NoDataFound", "FP0060", "FP0063"},
		ErrDataDeleted:     {"DataIsDeleted", "FP0061"},
		ErrNoNewData:       {"NoIncrementalData"},
		ErrUnauthorized:    {"Unauthorized", "AuthenticationFailed"},
		ErrRateLimited:     {"RateLimitExceeded"},
		ErrUnavailable:     {"InternalError", "FP0070"},
	} {
		for _, c := range codes {
			m[strings.ToLower(c)] = catalogueCode{code: c, kind: kind}
		}
	}
	return m
}()

// lookupCode returns the catalogue's spelling and sentinel of an errorCode
// FinPro sent, or CodeUnrecognised and nil.
func lookupCode(raw string) (code string, kind error) {
	if cc, ok := catalogue[strings.ToLower(strings.TrimSpace(raw))]; ok {
		return cc.code, cc.kind
	}
	return CodeUnrecognised, nil
}

// statusKind maps an HTTP status to a sentinel when FinPro sent no known code.
func statusKind(status int) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return ErrUnauthorized
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500, status >= 300 && status < 400:
		// A 3xx is never followed (the secret is a header): FinPro moved or a
		// proxy is misbehaving, either way it is not answering.
		return ErrUnavailable
	case status >= 400:
		return ErrInvalidRequest
	}
	return nil
}

// Failure is what the client reads of a FinPro failure envelope.
type Failure struct {
	Status    string `json:"status"`
	ErrorCode string `json:"errorCode"`
	ErrorMsg  string `json:"errorMsg"`
}

// Failed reports whether a decoded envelope says the call failed, even under 2xx.
func (f *Failure) Failed() bool {
	return strings.EqualFold(f.Status, "failure") || f.ErrorCode != ""
}

// responseError is the one place a FinPro response becomes an error. It returns
// nil when status is 2xx and env (the decoded envelope, nil when the body was not
// JSON) does not report a failure. bodyOK is false when the body could not be read
// or decoded; a 2xx with such a body is ErrUnavailable ("undecodable response").
//
// inactiveOnInvalidStatus is set for the endpoint (revokeconsent) where
// FinPro's InvalidStatus means the consent is not ACTIVE or PAUSED.
func responseError(endpoint string, status int, h http.Header, env *Failure, bodyOK, inactiveOnInvalidStatus bool, now time.Time) *APIError {
	ok2xx := status >= 200 && status < 300
	if ok2xx && bodyOK && (env == nil || !env.Failed()) {
		return nil
	}
	e := &APIError{Endpoint: endpoint, Status: status}
	// FinPro's errorCode is kept only as a catalogue code and its errorMsg not
	// at all: both are upstream free text (see CodeUnrecognised). errorMsg is
	// read once, here, for the one classification that needs it.
	revoked := false
	if env != nil && strings.TrimSpace(env.ErrorCode) != "" {
		e.Code, e.Kind = lookupCode(env.ErrorCode)
		revoked = strings.Contains(strings.ToLower(env.ErrorMsg), "revoked")
	}
	switch {
	case e.Code != "":
		switch {
		case e.Kind == ErrInvalidRequest && e.Code == "InvalidStatus" && inactiveOnInvalidStatus:
			// Revoking a consent that is not ACTIVE or PAUSED (docs/upstream-decisions.md).
			e.Kind = ErrConsentInactive
		case e.Kind == ErrInvalidRequest && revoked:
			// FP0058 "Consent ID is Revoked with consent type as VIEW": the
			// data APIs' way of saying the consent is no longer active.
			e.Kind = ErrConsentInactive
		}
		if e.Kind == nil {
			e.Kind = statusKind(status)
		}
	case !ok2xx:
		e.Kind = statusKind(status)
	}
	if e.Kind == nil {
		// A 2xx that says "failure" without a code we know, or a body we could not
		// read: FinPro is not answering in a way we can use.
		e.Kind = ErrUnavailable
		if !bodyOK {
			e.detail = "undecodable response"
		}
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e.RetryAfter = resilience.RetryAfter(h, now)
	}
	return e
}

// NewError is an error of kind (one of the sentinels) with the client's own
// detail, which must hold nothing from upstream.
func NewError(endpoint string, status int, kind error, retryAfter time.Duration, detail string) *APIError {
	return &APIError{Endpoint: endpoint, Status: status, Kind: kind, RetryAfter: retryAfter, detail: detail}
}

// Invalid returns the error for a request the client refuses to send.
func Invalid(endpoint, detail string) *APIError {
	return &APIError{Endpoint: endpoint, Kind: ErrInvalidRequest, detail: detail}
}

// Unavailable returns an ErrUnavailable error with the client's own detail.
func Unavailable(endpoint string, status int, detail string) *APIError {
	return &APIError{Endpoint: endpoint, Status: status, Kind: ErrUnavailable, detail: detail}
}

// timeoutError returns an ErrTimeout error wrapping context.DeadlineExceeded.
func timeoutError(endpoint string) *APIError {
	return &APIError{Endpoint: endpoint, Kind: ErrTimeout, detail: "deadline exceeded", cause: context.DeadlineExceeded}
}

// canceledError is returned when the caller's context was cancelled: it is not a
// FinPro answer, so it is not an *APIError and matches only context.Canceled.
type canceledError struct {
	endpoint string
	cause    error
}

func (e *canceledError) Error() string { return "finpro " + e.endpoint + ": " + e.cause.Error() }
func (e *canceledError) Unwrap() error { return e.cause }

// heldError is the answer to a call refused by its endpoint's hold.
func heldError(ep string, left time.Duration) *APIError {
	return &APIError{Endpoint: ep, Kind: ErrRateLimited, RetryAfter: left, detail: "held after FinPro's rate limit"}
}
