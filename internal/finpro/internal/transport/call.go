// Package transport is package finpro's machinery below its API: one FinPro
// call as an HTTP POST with the FIU's headers, a bounded body read and no
// redirects; retries of idempotent reads with jittered backoff under a retry
// budget and a time window; the per-endpoint circuit breaker and rate-limit
// hold (internal/finpro/resilience); the response envelope; and the mapping
// of every failure to an *APIError of one sentinel, keeping only FinPro's
// catalogued error codes.
//
// Package finpro re-exports what callers see (APIError, the sentinels,
// CallInfo, CodeUnrecognised) and owns the endpoints: their paths, which are
// idempotent, their bodies and wire structs. A contributor may change retry,
// breaker, hold and error-mapping mechanics here alone, as long as finpro's
// client and resilience tests pass.
package transport

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
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/resilience"
)

// Config is a Caller's settings, defaults already applied (package finpro's
// Options says what each one means and its default).
type Config struct {
	// BaseURL is FinPro's absolute URL without a trailing slash.
	BaseURL string
	// Header is sent with every request, copied; its names keep their case.
	Header http.Header
	// HTTPClient is used for transport only; nil uses a dedicated transport.
	// Its redirects are disabled and its Timeout replaced by Timeout per attempt.
	HTTPClient *http.Client
	// Endpoints lists every path the client calls, true for the reads that
	// may be retried.
	Endpoints map[string]bool
	// InactiveOnInvalidStatus is the path (revokeconsent) whose InvalidStatus
	// means the consent is not active, not an invalid request.
	InactiveOnInvalidStatus string

	Timeout            time.Duration
	MaxBodyBytes       int64
	MaxRetries         int // 0: none
	BackoffBase        time.Duration
	MaxRetryWait       time.Duration
	RetryWindow        time.Duration // 0: no retries unless the context has a retry deadline
	MaxHold            time.Duration
	RetryBudgetPercent int
	RetryBudgetReserve int
	BreakerThreshold   int
	BreakerCooldown    time.Duration
	Logger             *slog.Logger // non-nil
	Observer           func(CallInfo)
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

// Caller makes FinPro calls. It is safe for concurrent use.
type Caller struct {
	cfg      Config
	hc       *http.Client
	breakers map[string]*resilience.Breaker
	holds    map[string]*resilience.Hold
	budget   *resilience.RetryBudget

	// The clock, the sleep between retries and the backoff's random source
	// (uniform in [0, n)); tests replace them before the first call.
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func(n int64) int64
}

// New returns a Caller for cfg.
func New(cfg Config) *Caller {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		hc.Transport = newTransport()
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Timeout = 0 // per attempt, through the request's context
	c := &Caller{
		cfg:      cfg,
		hc:       &hc,
		breakers: make(map[string]*resilience.Breaker, len(cfg.Endpoints)),
		holds:    make(map[string]*resilience.Hold, len(cfg.Endpoints)),
		budget:   resilience.NewRetryBudget(cfg.RetryBudgetPercent, cfg.RetryBudgetReserve),
		Now:      time.Now,
		Sleep:    sleepCtx,
		Jitter:   rand.Int64N,
	}
	for p := range cfg.Endpoints {
		c.breakers[p] = resilience.NewBreaker(cfg.BreakerThreshold, cfg.BreakerCooldown)
		c.holds[p] = &resilience.Hold{}
	}
	return c
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

// Call sends one FinPro request to path ep (with retries when the endpoint is
// idempotent) and decodes the envelope of a successful answer.
func Call[T any](ctx context.Context, c *Caller, ep, rawQuery string, in any) (*Envelope[T], error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, Invalid(ep, "request not encodable")
	}
	retry := c.cfg.Endpoints[ep] && c.cfg.MaxRetries > 0
	if retry {
		c.budget.Deposit()
	}
	br, hd := c.breakers[ep], c.holds[ep]
	deadline, ok := resilience.RetryDeadline(ctx)
	if !ok {
		deadline = c.Now().Add(c.cfg.RetryWindow)
	}
	var last error
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return nil, CtxError(ep, ctx)
		}
		if left := hd.Left(c.Now()); left > 0 {
			c.observe(CallInfo{Endpoint: ep, Attempt: attempt, Kind: ErrRateLimited, Class: "rate_limit_hold"})
			return nil, heldError(ep, left)
		}
		if err := resilience.Spend(ctx, ep); err != nil {
			return nil, err
		}
		probe, ok := br.Allow(c.Now())
		if !ok {
			c.observe(CallInfo{Endpoint: ep, Attempt: attempt, Kind: ErrUnavailable, Class: "breaker_open"})
			if last != nil {
				return nil, last
			}
			return nil, Unavailable(ep, 0, "circuit breaker open")
		}
		start := c.Now()
		env, oc, err := attemptCall[T](ctx, c, ep, rawQuery, body)
		if br.Record(oc, probe, c.Now()) {
			c.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "finpro circuit opened", slog.String("endpoint", ep))
		}
		ci := callInfo(ep, attempt, c.Now().Sub(start), err)
		if env != nil {
			ci.Status = env.HTTPStatus
		}
		c.observe(ci)
		if err == nil {
			return env, nil
		}
		last = err
		var ae *APIError
		if !retry || attempt > c.cfg.MaxRetries || !errors.As(err, &ae) || !retryable(ae) {
			return nil, err
		}
		wait := c.backoff(attempt)
		if ae.RetryAfter > 0 {
			if ae.RetryAfter > c.cfg.MaxRetryWait {
				return nil, err
			}
			wait = max(wait, ae.RetryAfter)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			return nil, err
		}
		if c.Now().Add(wait).After(deadline) {
			// Past the retry budget: answer now, RetryAfter included, rather
			// than keep an interactive caller waiting.
			return nil, err
		}
		if !c.budget.Withdraw() {
			c.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "finpro retry budget exhausted", slog.String("endpoint", ep))
			return nil, err
		}
		c.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "finpro retry",
			slog.String("endpoint", ep), slog.Int("attempt", attempt+1),
			slog.Int("status", ae.Status), slog.String("code", ae.Code), slog.Duration("wait", wait))
		if c.Sleep(ctx, wait) != nil {
			return nil, CtxError(ep, ctx)
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
func (c *Caller) backoff(attempt int) time.Duration {
	d := c.cfg.BackoffBase
	for i := 1; i < attempt && d < c.cfg.MaxRetryWait; i++ {
		d *= 2
	}
	d = min(d, c.cfg.MaxRetryWait)
	half := int64(d / 2)
	if half <= 0 {
		return d
	}
	return time.Duration(half + c.Jitter(half))
}

// attemptCall makes one HTTP request and returns the decoded envelope or the
// error, plus what the circuit breaker should make of it.
func attemptCall[T any](ctx context.Context, c *Caller, ep, rawQuery string, body []byte) (*Envelope[T], resilience.Outcome, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	target := c.cfg.BaseURL + ep
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(actx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, resilience.Neutral, Invalid(ep, "request not buildable")
	}
	h := make(http.Header, len(c.cfg.Header))
	for k, v := range c.cfg.Header {
		h[k] = v
	}
	req.Header = h

	resp, err := c.hc.Do(req)
	if err != nil {
		oc, err := transportError(ctx, actx, ep, 0)
		return nil, oc, err
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	// Drain a little so the connection can be reused, then close.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
	status := resp.StatusCode
	c.holds[ep].Note(status, resp.Header, c.Now(), c.cfg.MaxHold)
	if err != nil {
		oc, err := transportError(ctx, actx, ep, status)
		return nil, oc, err
	}
	if int64(len(data)) > c.cfg.MaxBodyBytes {
		oc := resilience.Neutral
		if status >= 500 {
			oc = resilience.Failure
		}
		return nil, oc, Unavailable(ep, status, "response too large")
	}

	var (
		env    Envelope[T]
		f      *Failure
		bodyOK = true
	)
	if status >= 200 && status < 300 {
		if Decode(data, &env) == nil {
			f = &env.Failure
		} else {
			// The payload did not decode; a failure envelope might still be
			// there (with data of an unexpected shape).
			var fo Failure
			if json.Unmarshal(data, &fo) == nil && fo.Failed() {
				f = &fo
			} else {
				bodyOK = false
			}
		}
	} else {
		var fo Failure
		if json.Unmarshal(data, &fo) == nil {
			f = &fo
		}
	}
	if ae := responseError(ep, status, resp.Header, f, bodyOK, ep == c.cfg.InactiveOnInvalidStatus, c.Now()); ae != nil {
		return nil, breakerOutcome(ae), ae
	}
	env.HTTPStatus = status
	return &env, resilience.Success, nil
}

// transportError classifies a failed request or body read: the caller's
// cancellation, a deadline (the caller's or the attempt's), or a broken connection.
func transportError(ctx, actx context.Context, ep string, status int) (resilience.Outcome, error) {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return resilience.Neutral, CtxError(ep, ctx)
	case ctx.Err() != nil:
		return resilience.Neutral, timeoutError(ep)
	case actx.Err() != nil:
		e := timeoutError(ep)
		e.Status = status
		return resilience.Failure, e
	}
	return resilience.Failure, Unavailable(ep, status, detailConnection)
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

// CtxError is the error for a call the caller's context ended.
func CtxError(ep string, ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return timeoutError(ep)
	}
	return &canceledError{endpoint: ep, cause: ctx.Err()}
}

func (c *Caller) observe(ci CallInfo) {
	if c.cfg.Observer != nil {
		c.cfg.Observer(ci)
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
