// Package finpro is a typed client for MoneyOne's FinPro FIU API.
//
// It holds the FIU credentials (sent as FinPro's exact-case headers, never
// following redirects), maps every failure to an *APIError matching one sentinel
// (keeping only FinPro's catalogued error codes, never its free text), retries
// idempotent reads with jittered backoff under a budget, a time window and a
// per-endpoint circuit breaker, holds an endpoint FinPro rate-limited until the
// time it gave, never retries writes, and decodes FinPro's inconsistent JSON into
// one set of Go types. Money stays an exact Decimal string.
//
// This package is the client's surface: Options, the exported types, one file
// per group of endpoints (methods, request bodies and checks) and FinPro's
// event vocabulary (events.go). The answers' types and decoding live below
// it, under finpro's names (aliases): internal/finpro/internal/fidata the FI
// data endpoints' (getfidata, getallfidata, getalllatestfidata, getfibalance:
// Decimal, Transaction, FIAccount, Balance, ...), internal/finpro/internal/consents
// the consent endpoints' (Consent, ConsentStatus, ConsentHandle),
// internal/finpro/internal/fistatus the state of a data fetch (FIStatus,
// FetchState). Over a *Client: the
// consent journey's lookups and AA redirects (AA list, products,
// getEncryptedUrl, decryptUrl) are functions of internal/finpro/journey, and
// internal/finpro/fetchguard keeps storms of data fetches for one consent from
// reaching FinPro. Webhook bodies are decoded by internal/finpro/webhookpayload.
// Below it, internal/finpro/internal/transport makes the calls (retries,
// breaker, hold, envelope, error mapping) to the paths of
// internal/finpro/internal/paths, internal/finpro/internal/check holds the
// request checks endpoints share, internal/finpro/resilience the mechanisms
// the transport uses, and internal/finpro/wire every wire quirk the decoders
// share (timestamps, IST, flexible strings, booleans and integers, one-or-many
// lists, "<NULL>").
package finpro

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// Credentials are the FIU's FinPro keys. ClientSecret must never reach a client,
// a log line or an error message.
type Credentials struct {
	ClientID       string
	ClientSecret   string
	OrganisationID string
	AppIdentifier  string
}

// LogValue keeps the secret out of logs.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", "REDACTED"))
}

// String keeps the secret out of fmt output too.
func (c Credentials) String() string {
	return "finpro.Credentials{ClientID: " + c.ClientID + ", ClientSecret: REDACTED}"
}

// GoString keeps the secret out of %#v.
func (c Credentials) GoString() string { return c.String() }

// Options configure a Client. Zero values get safe defaults.
type Options struct {
	BaseURL     string // e.g. https://tenant-uat.moneyone.in
	Credentials Credentials
	// HTTPClient is used for transport only; the client disables its redirects and
	// applies its own timeouts. Nil uses a dedicated transport.
	HTTPClient *http.Client
	// Timeout bounds one attempt (default 10s).
	Timeout time.Duration
	// MaxBodyBytes bounds a response body (default 32 MiB).
	MaxBodyBytes int64
	// MaxRetries is the number of retries of an idempotent read (default 2;
	// negative: none).
	MaxRetries int
	// Logger receives retry and breaker events; nil discards them.
	Logger *slog.Logger

	// Observer, when set, is called once per attempt (and once per call refused
	// by the circuit breaker) so metrics can be attached without this package
	// importing a metrics library. It must be fast and safe for concurrent use.
	Observer func(CallInfo)

	// BackoffBase is the first retry's backoff before jitter (default 100ms); each
	// further retry doubles it, up to MaxRetryWait.
	BackoffBase time.Duration
	// MaxRetryWait caps a backoff and is the longest Retry-After the client will
	// wait for (default 2s): a longer one, or one that would pass the context's
	// deadline, ends the call at once with the 429's ErrRateLimited.
	MaxRetryWait time.Duration
	// RetryWindow is the per-call retry budget in time (default 1s; negative:
	// no retries): a retry is made only if the wait before it ends within this
	// long of the call's start. A context from WithRetryDeadline replaces it
	// with a deadline shared by a whole request. A Retry-After longer than what
	// is left is not waited for: the call answers at once with the error, whose
	// RetryAfter tells the caller when to come back.
	RetryWindow time.Duration
	// MaxHold caps how long a rate-limit answer keeps an endpoint on hold
	// (default 1m); see Client.
	MaxHold time.Duration
	// RetryBudgetPercent is how many retries each 100 calls earn (default 10).
	// Retries spend from a token bucket that every call refills by this share and
	// that holds at most RetryBudgetReserve retries, so during an outage retries
	// stay near this percentage of calls instead of multiplying the load.
	RetryBudgetPercent int
	// RetryBudgetReserve is the bucket's size in retries (default 10).
	RetryBudgetReserve int
	// BreakerThreshold is the number of consecutive failures (5xx, connection
	// errors, attempt timeouts) of one endpoint that open its circuit (default 5).
	BreakerThreshold int
	// BreakerCooldown is how long an open circuit refuses calls before letting
	// one probe through (default 10s).
	BreakerCooldown time.Duration
}

// CallInfo describes one attempt at a FinPro call, for Options.Observer (see
// its fields).
type CallInfo = transport.CallInfo

// Client calls FinPro. It is safe for concurrent use.
//
// Each endpoint has its own circuit breaker and its own rate-limit hold: after
// FinPro answers 429 with Retry-After (or X-RateLimit-Reset), or any answer with
// X-RateLimit-Remaining 0, calls to that endpoint get ErrRateLimited with the
// time left in RetryAfter, without a request, until the time FinPro gave.
type Client struct {
	t *transport.Caller
}

// New returns a Client for opts.BaseURL.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("finpro: BaseURL must be an absolute http or https URL")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("finpro: BaseURL must not carry user info, a query or a fragment")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 32 << 20
	}
	switch {
	case opts.MaxRetries == 0:
		opts.MaxRetries = 2
	case opts.MaxRetries < 0:
		opts.MaxRetries = 0
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = 100 * time.Millisecond
	}
	if opts.MaxRetryWait <= 0 {
		opts.MaxRetryWait = 2 * time.Second
	}
	switch {
	case opts.RetryWindow == 0:
		opts.RetryWindow = time.Second
	case opts.RetryWindow < 0:
		opts.RetryWindow = 0
	}
	if opts.MaxHold <= 0 {
		opts.MaxHold = time.Minute
	}
	if opts.RetryBudgetPercent <= 0 {
		opts.RetryBudgetPercent = 10
	}
	if opts.RetryBudgetReserve <= 0 {
		opts.RetryBudgetReserve = 10
	}
	if opts.BreakerThreshold <= 0 {
		opts.BreakerThreshold = 5
	}
	if opts.BreakerCooldown <= 0 {
		opts.BreakerCooldown = 10 * time.Second
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	return &Client{t: transport.New(transport.Config{
		BaseURL: u.String(),
		// Assigned directly, not with Header.Set, so that the names keep FinPro's
		// exact case on the wire (finpro-upstream.md §4.26).
		Header: http.Header{
			"client_id":      {opts.Credentials.ClientID},
			"client_secret":  {opts.Credentials.ClientSecret},
			"organisationId": {opts.Credentials.OrganisationID},
			"appIdentifier":  {opts.Credentials.AppIdentifier},
			"Content-Type":   {"application/json"},
			"Accept":         {"application/json"},
		},
		HTTPClient:              opts.HTTPClient,
		Endpoints:               paths.Endpoints,
		InactiveOnInvalidStatus: paths.RevokeConsent,
		Timeout:                 opts.Timeout,
		MaxBodyBytes:            opts.MaxBodyBytes,
		MaxRetries:              opts.MaxRetries,
		BackoffBase:             opts.BackoffBase,
		MaxRetryWait:            opts.MaxRetryWait,
		RetryWindow:             opts.RetryWindow,
		MaxHold:                 opts.MaxHold,
		RetryBudgetPercent:      opts.RetryBudgetPercent,
		RetryBudgetReserve:      opts.RetryBudgetReserve,
		BreakerThreshold:        opts.BreakerThreshold,
		BreakerCooldown:         opts.BreakerCooldown,
		Logger:                  logger,
		Observer:                opts.Observer,
	})}, nil
}

// call sends one FinPro request (with retries when the endpoint is idempotent)
// and decodes the envelope of a successful answer.
func call[T any](ctx context.Context, c *Client, ep, rawQuery string, in any) (*transport.Envelope[T], error) {
	return transport.Call[T](ctx, c.t, ep, rawQuery, in)
}

// Transport returns the caller c makes its calls with, for the endpoint
// packages below internal/finpro (journey): only they may import transport
// to use it.
func (c *Client) Transport() *transport.Caller { return c.t }
