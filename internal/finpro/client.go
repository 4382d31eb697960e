// Package finpro is a typed client for MoneyOne's FinPro FIU API.
//
// It holds the FIU credentials (sent as FinPro's exact-case headers, never
// following redirects), maps every failure to an *APIError matching one sentinel
// (keeping only FinPro's catalogued error codes, never its free text), retries
// idempotent reads with jittered backoff under a budget, a time window and a
// per-endpoint circuit breaker, holds an endpoint FinPro rate-limited until the
// time it gave, never retries writes, and decodes FinPro's inconsistent JSON into
// one set of Go types. Money stays an exact Decimal string. FetchGuard keeps
// storms of data fetches for one consent from reaching FinPro.
package finpro

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/resilience"
)

// FinPro paths the client calls.
const (
	pathBalance         = "/getfibalance"
	pathFIData          = "/getfidata"
	pathAllFIData       = "/getallfidata"
	pathLatestFIData    = "/getalllatestfidata"
	pathConsents        = "/v1/accounts/getconsentslist"
	pathRequestConsent  = "/v2/requestconsent"
	pathRevokeConsent   = "/revokeconsent"
	pathFIRequest       = "/fi/request"
	pathFIRequestStatus = "/consent/firequest/status"
)

// idempotent lists the reads that may be retried. getalllatestfidata is absent on
// purpose: each call consumes the increment upstream.
// The journey's reads are here too: decryptUrl is a pure decryption.
// getEncryptedUrl is not: each call may open a redirect session at the AA.
var idempotent = map[string]bool{
	pathBalance:         true,
	pathFIData:          true,
	pathAllFIData:       true,
	pathConsents:        true,
	pathConsentsV3:      true,
	pathFIRequestStatus: true,
	pathDecryptURL:      true,
	pathAAList:          true,
	pathProducts:        true,
}

var allPaths = []string{
	pathBalance, pathFIData, pathAllFIData, pathLatestFIData, pathConsents, pathConsentsV3,
	pathRequestConsent, pathRevokeConsent, pathFIRequest, pathFIRequestStatus,
	pathRequestConsentV3, pathEncryptedURL, pathDecryptURL, pathAAList, pathProducts,
}

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

// CallInfo describes one attempt at a FinPro call, for Options.Observer.
type CallInfo struct {
	Endpoint string        // FinPro path, e.g. "/getfidata"
	Status   int           // HTTP status; 0 when no response arrived
	Code     string        // FinPro errorCode, if any
	Attempt  int           // 1 for the first attempt, 2 for the first retry, ...
	Duration time.Duration // time spent on the attempt (0 when refused by the breaker)
	// Kind is the attempt's sentinel (nil on success); context.Canceled when the
	// caller gave up.
	Kind error
	// Class is Kind as a short metric label: "ok", "invalid_request",
	// "not_found", "consent_inactive", "not_ready", "data_deleted",
	// "no_new_data", "rate_limited", "unauthorized", "unavailable", "timeout",
	// "canceled", "breaker_open" or "rate_limit_hold" (refused without a
	// request while the endpoint is held after a 429).
	Class string
}

// Client calls FinPro. It is safe for concurrent use.
//
// Each endpoint has its own circuit breaker and its own rate-limit hold: after
// FinPro answers 429 with Retry-After (or X-RateLimit-Reset), or any answer with
// X-RateLimit-Remaining 0, calls to that endpoint get ErrRateLimited with the
// time left in RetryAfter, without a request, until the time FinPro gave.
type Client struct {
	opts     Options
	base     string
	hc       *http.Client
	header   http.Header // template; copied per request
	breakers map[string]*resilience.Breaker
	holds    map[string]*resilience.Hold
	budget   *resilience.RetryBudget
	logger   *slog.Logger

	// Hooks replaced by tests (export_test.go).
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(n int64) int64 // uniform in [0, n)
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

	var hc http.Client
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	} else {
		hc.Transport = newTransport()
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Timeout = 0 // per attempt, through the request's context

	c := &Client{
		opts: opts,
		base: u.String(),
		hc:   &hc,
		// Assigned directly, not with Header.Set, so that the names keep FinPro's
		// exact case on the wire (finpro-upstream.md §4.26).
		header: http.Header{
			"client_id":      {opts.Credentials.ClientID},
			"client_secret":  {opts.Credentials.ClientSecret},
			"organisationId": {opts.Credentials.OrganisationID},
			"appIdentifier":  {opts.Credentials.AppIdentifier},
			"Content-Type":   {"application/json"},
			"Accept":         {"application/json"},
		},
		breakers: make(map[string]*resilience.Breaker, len(allPaths)),
		holds:    make(map[string]*resilience.Hold, len(allPaths)),
		budget:   resilience.NewRetryBudget(opts.RetryBudgetPercent, opts.RetryBudgetReserve),
		logger:   logger,
		now:      time.Now,
		sleep:    sleepCtx,
		jitter:   rand.Int64N,
	}
	for _, p := range allPaths {
		c.breakers[p] = resilience.NewBreaker(opts.BreakerThreshold, opts.BreakerCooldown)
		c.holds[p] = &resilience.Hold{}
	}
	return c, nil
}

// newTransport is the dedicated transport used when Options.HTTPClient is nil:
// enough idle connections per host for a GraphQL operation's fan-out.
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// call sends one FinPro request (with retries when the endpoint is idempotent)
// and decodes the envelope of a successful answer.
func call[T any](ctx context.Context, c *Client, ep, rawQuery string, in any) (*envelope[T], error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, invalid(ep, "request not encodable")
	}
	retry := idempotent[ep] && c.opts.MaxRetries > 0
	if retry {
		c.budget.Deposit()
	}
	br, hd := c.breakers[ep], c.holds[ep]
	deadline, ok := resilience.RetryDeadline(ctx)
	if !ok {
		deadline = c.now().Add(c.opts.RetryWindow)
	}
	var last error
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return nil, ctxError(ep, ctx)
		}
		if left := hd.Left(c.now()); left > 0 {
			c.observe(CallInfo{Endpoint: ep, Attempt: attempt, Kind: ErrRateLimited, Class: "rate_limit_hold"})
			return nil, heldError(ep, left)
		}
		if err := resilience.Spend(ctx, ep); err != nil {
			return nil, err
		}
		probe, ok := br.Allow(c.now())
		if !ok {
			c.observe(CallInfo{Endpoint: ep, Attempt: attempt, Kind: ErrUnavailable, Class: "breaker_open"})
			if last != nil {
				return nil, last
			}
			return nil, unavailable(ep, 0, "circuit breaker open")
		}
		start := c.now()
		env, oc, err := attemptCall[T](ctx, c, ep, rawQuery, body)
		if br.Record(oc, probe, c.now()) {
			c.logger.LogAttrs(ctx, slog.LevelWarn, "finpro circuit opened", slog.String("endpoint", ep))
		}
		ci := callInfo(ep, attempt, c.now().Sub(start), err)
		if env != nil {
			ci.Status = env.httpStatus
		}
		c.observe(ci)
		if err == nil {
			return env, nil
		}
		last = err
		var ae *APIError
		if !retry || attempt > c.opts.MaxRetries || !errors.As(err, &ae) || !retryable(ae) {
			return nil, err
		}
		wait := c.backoff(attempt)
		if ae.RetryAfter > 0 {
			if ae.RetryAfter > c.opts.MaxRetryWait {
				return nil, err
			}
			wait = max(wait, ae.RetryAfter)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			return nil, err
		}
		if c.now().Add(wait).After(deadline) {
			// Past the retry budget: answer now, RetryAfter included, rather
			// than keep an interactive caller waiting.
			return nil, err
		}
		if !c.budget.Withdraw() {
			c.logger.LogAttrs(ctx, slog.LevelWarn, "finpro retry budget exhausted", slog.String("endpoint", ep))
			return nil, err
		}
		c.logger.LogAttrs(ctx, slog.LevelInfo, "finpro retry",
			slog.String("endpoint", ep), slog.Int("attempt", attempt+1),
			slog.Int("status", ae.Status), slog.String("code", ae.Code), slog.Duration("wait", wait))
		if c.sleep(ctx, wait) != nil {
			return nil, ctxError(ep, ctx)
		}
	}
}

// retryable reports whether a failed attempt of an idempotent read may be
// repeated: 429, 500 (FinPro's InternalError), 502, 503, 504, an InternalError
// code under any status, and connection errors; nothing else.
func retryable(e *APIError) bool {
	switch e.Status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case 0:
		return e.Kind == ErrUnavailable && e.detail == detailConnection
	}
	return e.Kind == ErrUnavailable && (e.Code == "InternalError" || e.Code == "FP0070")
}

const detailConnection = "connection failed"

// backoff is the jittered exponential wait before retry number attempt:
// uniformly in [d/2, d) for d = BackoffBase·2^(attempt-1), capped at MaxRetryWait.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.BackoffBase
	for i := 1; i < attempt && d < c.opts.MaxRetryWait; i++ {
		d *= 2
	}
	d = min(d, c.opts.MaxRetryWait)
	half := int64(d / 2)
	if half <= 0 {
		return d
	}
	return time.Duration(half + c.jitter(half))
}

// attemptCall makes one HTTP request and returns the decoded envelope or the
// error, plus what the circuit breaker should make of it.
func attemptCall[T any](ctx context.Context, c *Client, ep, rawQuery string, body []byte) (*envelope[T], resilience.Outcome, error) {
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	target := c.base + ep
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(actx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, resilience.Neutral, invalid(ep, "request not buildable")
	}
	h := make(http.Header, len(c.header))
	for k, v := range c.header {
		h[k] = v
	}
	req.Header = h

	resp, err := c.hc.Do(req)
	if err != nil {
		oc, err := transportError(ctx, actx, ep, 0)
		return nil, oc, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBodyBytes+1))
	// Drain a little so the connection can be reused, then close.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
	status := resp.StatusCode
	c.holds[ep].Note(status, resp.Header, c.now(), c.opts.MaxHold)
	if err != nil {
		oc, err := transportError(ctx, actx, ep, status)
		return nil, oc, err
	}
	if int64(len(data)) > c.opts.MaxBodyBytes {
		oc := resilience.Neutral
		if status >= 500 {
			oc = resilience.Failure
		}
		return nil, oc, unavailable(ep, status, "response too large")
	}

	var (
		env    envelope[T]
		f      *failure
		bodyOK = true
	)
	if status >= 200 && status < 300 {
		if decodeEnvelope(data, &env) == nil {
			f = &env.failure
		} else {
			// The payload did not decode; a failure envelope might still be
			// there (with data of an unexpected shape).
			var fo failure
			if json.Unmarshal(data, &fo) == nil && fo.failed() {
				f = &fo
			} else {
				bodyOK = false
			}
		}
	} else {
		var fo failure
		if json.Unmarshal(data, &fo) == nil {
			f = &fo
		}
	}
	if ae := responseError(ep, status, resp.Header, f, bodyOK, c.now()); ae != nil {
		return nil, breakerOutcome(ae), ae
	}
	env.httpStatus = status
	return &env, resilience.Success, nil
}

// transportError classifies a failed request or body read: the caller's
// cancellation, a deadline (the caller's or the attempt's), or a broken connection.
func transportError(ctx, actx context.Context, ep string, status int) (resilience.Outcome, error) {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return resilience.Neutral, ctxError(ep, ctx)
	case ctx.Err() != nil:
		return resilience.Neutral, timeoutError(ep)
	case actx.Err() != nil:
		e := timeoutError(ep)
		e.Status = status
		return resilience.Failure, e
	}
	return resilience.Failure, unavailable(ep, status, detailConnection)
}

func breakerOutcome(e *APIError) resilience.Outcome {
	switch {
	case e.Kind == ErrRateLimited:
		return resilience.Neutral
	case e.Kind == ErrUnavailable && (e.Status < 200 || e.Status >= 300):
		return resilience.Failure
	case e.Kind == ErrUnavailable:
		return resilience.Neutral
	}
	return resilience.Success
}

// ctxError is the error for a call the caller's context ended.
func ctxError(ep string, ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return timeoutError(ep)
	}
	return &canceledError{endpoint: ep, cause: ctx.Err()}
}

func (c *Client) observe(ci CallInfo) {
	if c.opts.Observer != nil {
		c.opts.Observer(ci)
	}
}

func callInfo(ep string, attempt int, d time.Duration, err error) CallInfo {
	ci := CallInfo{Endpoint: ep, Attempt: attempt, Duration: d, Class: "ok"}
	var ae *APIError
	switch {
	case err == nil:
	case errors.As(err, &ae):
		ci.Status, ci.Code, ci.Kind, ci.Class = ae.Status, ae.Code, ae.Kind, kindClass[ae.Kind]
	default:
		ci.Kind, ci.Class = context.Canceled, "canceled"
	}
	return ci
}

var kindClass = map[error]string{
	ErrInvalidRequest:  "invalid_request",
	ErrNotFound:        "not_found",
	ErrConsentInactive: "consent_inactive",
	ErrNotReady:        "not_ready",
	ErrDataDeleted:     "data_deleted",
	ErrNoNewData:       "no_new_data",
	ErrRateLimited:     "rate_limited",
	ErrUnauthorized:    "unauthorized",
	ErrUnavailable:     "unavailable",
	ErrTimeout:         "timeout",
}
