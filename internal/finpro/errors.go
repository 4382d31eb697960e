package finpro

import "github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"

// Sentinels for the classes of failure callers branch on. Every error the client
// returns for a FinPro answer is an *APIError that matches exactly one of them with
// errors.Is. The mapping from FinPro's statuses and error codes to them is
// internal/finpro/internal/transport's.
var (
	// ErrInvalidRequest: FinPro rejected the request's fields (InvalidRequest, ...).
	ErrInvalidRequest = transport.ErrInvalidRequest
	// ErrNotFound: the consent ID or link reference number does not exist.
	ErrNotFound = transport.ErrNotFound
	// ErrConsentInactive: the consent is not ACTIVE (paused, revoked, expired, pending).
	ErrConsentInactive = transport.ErrConsentInactive
	// ErrNotReady: the data has not been fetched from the FIP yet.
	ErrNotReady = transport.ErrNotReady
	// ErrDataDeleted: the data is past its retention and was purged.
	ErrDataDeleted = transport.ErrDataDeleted
	// ErrNoNewData: getalllatestfidata has nothing new since the last pull.
	ErrNoNewData = transport.ErrNoNewData
	// ErrRateLimited: FinPro answered 429 and the retry budget did not cover it.
	ErrRateLimited = transport.ErrRateLimited
	// ErrUnauthorized: FinPro refused the client credentials.
	ErrUnauthorized = transport.ErrUnauthorized
	// ErrUnavailable: FinPro failed (5xx, a gateway page, a broken connection, an
	// undecodable body) or the circuit breaker is open.
	ErrUnavailable = transport.ErrUnavailable
	// ErrTimeout: the call's deadline passed before FinPro answered.
	ErrTimeout = transport.ErrTimeout
)

// APIError is a failed FinPro call: its Endpoint, HTTP Status, FinPro's
// catalogued errorCode (Code), RetryAfter and sentinel (Kind). Its text never
// holds the response body, URL, headers or any other upstream free text.
type APIError = transport.APIError

// CodeUnrecognised is APIError.Code for an errorCode that is not in FinPro's
// catalogue (see [transport.CodeUnrecognised]): such codes are free text of
// unknown origin and are never kept, logged or shown.
const CodeUnrecognised = transport.CodeUnrecognised
