package finpro_test

// Tests of the client's behaviour under FinPro faults: what it keeps of an
// error, rate-limit holds, the retry window, 500 retries and how they meet the
// retry budget and the circuit breaker.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Parts of a hostile errorCode: an internal host name and a secret.
const (
	leakHost   = "db-internal-7.finpro.local"
	leakSecret = "pa55w0rd-4f9c1e"
)

var leakCode = "DBERR_" + leakHost + "_" + leakSecret

func TestUnrecognisedErrorCodeIsNeverKept(t *testing.T) {
	for _, status := range []int{400, 503} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
				reply(w, status, failBody(leakCode, "connect to "+leakHost+" with "+leakSecret+" failed"))
			})
			var logs bytes.Buffer
			var mu sync.Mutex
			var calls []finpro.CallInfo
			c, _ := newClient(t, srv.URL, func(o *finpro.Options) {
				o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				o.Observer = func(ci finpro.CallInfo) {
					mu.Lock()
					calls = append(calls, ci)
					mu.Unlock()
				}
			})
			_, err := c.Balances(t.Context(), "consent-1")
			var ae *finpro.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("Balances() error = %v, want an *APIError", err)
			}
			if ae.Code != finpro.CodeUnrecognised || ae.Message != "" {
				t.Errorf("APIError Code, Message = %q, %q; want %q and no message", ae.Code, ae.Message, finpro.CodeUnrecognised)
			}
			if status == 503 && hits.Load() < 2 {
				t.Errorf("requests = %d, want a retry (so the retry log line is exercised)", hits.Load())
			}
			mu.Lock()
			observed := fmt.Sprint(calls)
			mu.Unlock()
			for name, text := range map[string]string{
				"Error()":  err.Error(),
				"%+v":      fmt.Sprintf("%+v", err),
				"%#v":      fmt.Sprintf("%#v", ae),
				"log":      logs.String(),
				"observer": observed,
			} {
				for _, bad := range []string{leakHost, leakSecret, "DBERR"} {
					if strings.Contains(text, bad) {
						t.Errorf("%s holds %q", name, bad)
					}
				}
			}
		})
	}
}

func TestRateLimitHold(t *testing.T) {
	var limited sync.Map // path -> bool
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		if v, _ := limited.Load(r.URL.Path); v == true {
			// FinPro's 429: the quota spent, and when to come back.
			w.Header().Set("Retry-After", "7")
			w.Header().Set("X-RateLimit-Remaining", "0")
			reply(w, http.StatusTooManyRequests, failBody("RateLimitExceeded", "Too many requests"))
			return
		}
		reply(w, 200, okBody(balanceData))
	})
	var mu sync.Mutex
	var classes []string
	c, clk := newClient(t, srv.URL, func(o *finpro.Options) {
		o.Observer = func(ci finpro.CallInfo) {
			mu.Lock()
			classes = append(classes, ci.Class)
			mu.Unlock()
		}
	})
	ctx := t.Context()
	limited.Store("/getfibalance", true)

	_, err := c.Balances(ctx, "consent-1")
	var ae *finpro.APIError
	if !errors.As(err, &ae) || !errors.Is(err, finpro.ErrRateLimited) || ae.Status != 429 || ae.RetryAfter != 7*time.Second {
		t.Fatalf("Balances() error = %#v, want the 429 with RetryAfter 7s", err)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("requests = %d, want 1 (Retry-After 7s is past the 1s retry window)", n)
	}
	// FinPro now answers 200, but the hold stands until Retry-After passes.
	limited.Store("/getfibalance", false)
	var got []time.Duration
	for range 10 {
		clk.Advance(650 * time.Millisecond)
		_, err := c.Balances(ctx, "consent-1")
		if !errors.As(err, &ae) || !errors.Is(err, finpro.ErrRateLimited) || ae.Status != 0 {
			t.Fatalf("held Balances() error = %#v, want a local %v", err, finpro.ErrRateLimited)
		}
		got = append(got, ae.RetryAfter)
	}
	var want []time.Duration
	for i := 1; i <= 10; i++ {
		want = append(want, 7*time.Second-time.Duration(i)*650*time.Millisecond)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RetryAfter while held (-want +got):\n%s", diff)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("requests while held = %d, want still 1", n)
	}
	// Per endpoint: another endpoint is not held.
	if _, err := c.AllFIData(ctx, "consent-1"); err != nil {
		t.Errorf("AllFIData() error = %v, want nil", err)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("requests after AllFIData = %d, want 2 (holds are per endpoint)", n)
	}
	// Per client: another client of the same FinPro is not held.
	other, _ := newClient(t, srv.URL, nil)
	if _, err := other.Balances(ctx, "consent-1"); err != nil {
		t.Errorf("other client's Balances() error = %v, want nil", err)
	}
	// Once Retry-After has passed, calls go out again.
	clk.Advance(500 * time.Millisecond)
	if _, err := c.Balances(ctx, "consent-1"); err != nil {
		t.Errorf("Balances() after the hold error = %v, want nil", err)
	}
	if n := hits.Load(); n != 4 {
		t.Errorf("requests = %d, want 4", n)
	}
	mu.Lock()
	defer mu.Unlock()
	holds := 0
	for _, cl := range classes {
		if cl == "rate_limit_hold" {
			holds++
		}
	}
	if holds != 10 {
		t.Errorf("observed %d rate_limit_hold attempts, want 10 (%v)", holds, classes)
	}
}

func TestRateLimitHoldSources(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		header   func(now time.Time) http.Header
		call     string // "write" for RequestFI, else Balances
		wantHold time.Duration
	}{
		{"429 Retry-After", 429, func(time.Time) http.Header { return http.Header{"Retry-After": {"7"}, "X-Ratelimit-Remaining": {"0"}} }, "", 7 * time.Second},
		{"429 on a write", 429, func(time.Time) http.Header { return http.Header{"Retry-After": {"7"}, "X-Ratelimit-Remaining": {"0"}} }, "write", 7 * time.Second},
		{"429 X-RateLimit-Reset", 429, func(now time.Time) http.Header {
			return http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(5*time.Second).Unix(), 10)}}
		}, "", 5 * time.Second},
		// A 429 that does not say the quota is spent (a gateway's burst
		// limiter) fails its own call only.
		{"429 with calls remaining", 429, func(time.Time) http.Header { return http.Header{"Retry-After": {"7"}, "X-Ratelimit-Remaining": {"4"}} }, "", 0},
		{"429 without X-RateLimit headers", 429, func(time.Time) http.Header { return http.Header{"Retry-After": {"7"}} }, "", 0},
		{"200 with nothing remaining", 200, func(now time.Time) http.Header {
			return http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(3*time.Second).Unix(), 10)}}
		}, "", 3 * time.Second},
		{"200 with some remaining", 200, func(now time.Time) http.Header {
			return http.Header{"X-Ratelimit-Remaining": {"1"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Add(3*time.Second).Unix(), 10)}}
		}, "", 0},
		{"429 without a time", 429, func(time.Time) http.Header { return http.Header{} }, "", 0},
		{"capped at MaxHold", 429, func(time.Time) http.Header {
			return http.Header{"Retry-After": {"86400"}, "X-Ratelimit-Remaining": {"0"}}
		}, "", 30 * time.Second},
		{"503 Retry-After is not a hold", 503, func(time.Time) http.Header { return http.Header{"Retry-After": {"7"}} }, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var clk *fakeClock
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				if n == 1 {
					for k, v := range tc.header(clk.Now()) {
						w.Header()[k] = v
					}
					if tc.status == 200 {
						reply(w, 200, okBody(balanceData))
					} else {
						reply(w, tc.status, failBody("RateLimitExceeded", "Too many requests"))
					}
					return
				}
				if tc.call == "write" {
					reply(w, 200, `{"ver":"1.21.0","response":"ok","data":{"consentId":"consent-1","sessionId":"s-1"}}`)
					return
				}
				reply(w, 200, okBody(balanceData))
			})
			var c *finpro.Client
			c, clk = newClient(t, srv.URL, func(o *finpro.Options) {
				o.MaxRetries = -1
				o.MaxHold = 30 * time.Second
			})
			call := func() error {
				if tc.call == "write" {
					_, err := c.RequestFI(t.Context(), finpro.FIRequest{ConsentID: "consent-1"})
					return err
				}
				_, err := c.Balances(t.Context(), "consent-1")
				return err
			}
			call()
			err := call()
			var ae *finpro.APIError
			switch {
			case tc.wantHold == 0:
				if err != nil || hits.Load() != 2 {
					t.Errorf("second call: error = %v after %d requests, want nil after 2 (no hold)", err, hits.Load())
				}
			case !errors.As(err, &ae) || !errors.Is(err, finpro.ErrRateLimited) || ae.RetryAfter != tc.wantHold || hits.Load() != 1:
				t.Errorf("second call: error = %#v after %d requests, want %v held for %v after 1", err, hits.Load(), finpro.ErrRateLimited, tc.wantHold)
			default:
				clk.Advance(tc.wantHold)
				if err := call(); err != nil || hits.Load() != 2 {
					t.Errorf("after the hold: error = %v after %d requests, want nil after 2", err, hits.Load())
				}
			}
		})
	}
}

func TestRetryWindow(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		after     string // Retry-After of the failures
		failures  int64
		window    time.Duration
		ctxWindow time.Duration // WithRetryDeadline from now, when set
		wantErr   error
		wantAfter time.Duration
		wantHits  int64
		wantSleep []time.Duration
	}{
		{name: "429 longer than the window answers at once", status: 429, after: "2", failures: 9,
			wantErr: finpro.ErrRateLimited, wantAfter: 2 * time.Second, wantHits: 1},
		{name: "503 longer than the window answers at once", status: 503, after: "2", failures: 9,
			wantErr: finpro.ErrUnavailable, wantAfter: 2 * time.Second, wantHits: 1},
		{name: "a wait that fits is waited for", status: 503, after: "1", failures: 1,
			wantHits: 2, wantSleep: []time.Duration{time.Second}},
		{name: "the window is shared by the call's retries", status: 503, failures: 9, window: 200 * time.Millisecond,
			wantErr: finpro.ErrUnavailable, wantHits: 3, wantSleep: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}},
		{name: "the context's deadline replaces the window", status: 429, after: "2", failures: 1, ctxWindow: 5 * time.Second,
			wantHits: 2, wantSleep: []time.Duration{2 * time.Second}},
		{name: "a short context deadline", status: 503, failures: 9, ctxWindow: 60 * time.Millisecond,
			wantErr: finpro.ErrUnavailable, wantHits: 2, wantSleep: []time.Duration{50 * time.Millisecond}},
		{name: "no window, no retries", status: 503, failures: 9, window: -1,
			wantErr: finpro.ErrUnavailable, wantHits: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				if n <= tc.failures {
					if tc.after != "" {
						w.Header().Set("Retry-After", tc.after)
					}
					reply(w, tc.status, `{"status":"failure"}`)
					return
				}
				reply(w, 200, okBody(balanceData))
			})
			c, clk := newClient(t, srv.URL, func(o *finpro.Options) {
				o.RetryWindow = tc.window
				o.BreakerThreshold = 100
			})
			ctx := t.Context()
			if tc.ctxWindow > 0 {
				ctx = finpro.WithRetryDeadline(ctx, clk.Now().Add(tc.ctxWindow))
			}
			_, err := c.Balances(ctx, "consent-1")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Balances() error = %v, want %v", err, tc.wantErr)
			}
			var ae *finpro.APIError
			if tc.wantErr != nil && (!errors.As(err, &ae) || ae.RetryAfter != tc.wantAfter) {
				t.Errorf("Balances() error = %#v, want RetryAfter %v", err, tc.wantAfter)
			}
			if n := hits.Load(); n != tc.wantHits {
				t.Errorf("requests = %d, want %d", n, tc.wantHits)
			}
			if diff := cmp.Diff(tc.wantSleep, clk.Sleeps()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetryDeadlineSharedByARequest(t *testing.T) {
	// Two calls under one request's deadline: the first spends it, so the
	// second may not wait.
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n%2 == 1 {
			w.Header().Set("Retry-After", "1")
			reply(w, 503, `{}`)
			return
		}
		reply(w, 200, okBody(balanceData))
	})
	c, clk := newClient(t, srv.URL, nil)
	ctx := finpro.WithRetryDeadline(t.Context(), clk.Now().Add(time.Second))
	if _, err := c.Balances(ctx, "consent-1"); err != nil {
		t.Fatalf("first Balances() error = %v, want nil after waiting 1s", err)
	}
	_, err := c.Balances(ctx, "consent-1")
	var ae *finpro.APIError
	if !errors.As(err, &ae) || !errors.Is(err, finpro.ErrUnavailable) || ae.RetryAfter != time.Second {
		t.Fatalf("second Balances() error = %#v, want %v with RetryAfter 1s", err, finpro.ErrUnavailable)
	}
	if n := hits.Load(); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
}

func TestInternalErrorRetriedOnReadsOnly(t *testing.T) {
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *finpro.Client) error
		wantHits int64
		wantErr  bool
	}{
		{"Balances", func(ctx context.Context, c *finpro.Client) error { _, err := c.Balances(ctx, "consent-1"); return err }, 2, false},
		{"Consents", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9876543210", ProductID: "P"})
			return err
		}, 2, false},
		{"LatestFIData", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.LatestFIData(ctx, "consent-1")
			return err
		}, 1, true},
		{"RequestFI", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.RequestFI(ctx, finpro.FIRequest{ConsentID: "consent-1"})
			return err
		}, 1, true},
		{"RevokeConsent", func(ctx context.Context, c *finpro.Client) error { return c.RevokeConsent(ctx, "consent-1") }, 1, true},
		{"RequestConsent", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.RequestConsent(ctx, finpro.ConsentRequest{ProductID: "P", VUA: "9876543210@onemoney", AccountID: "a"})
			return err
		}, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				if n == 1 {
					reply(w, 500, failBody("InternalError", "Internal Server Error"))
					return
				}
				reply(w, 200, okBody(`[]`))
			})
			c, clk := newClient(t, srv.URL, nil)
			err := tc.call(t.Context(), c)
			if (err != nil) != tc.wantErr {
				t.Errorf("%s() error = %v, want error %v", tc.name, err, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, finpro.ErrUnavailable) {
				t.Errorf("%s() error = %v, want %v", tc.name, err, finpro.ErrUnavailable)
			}
			if n := hits.Load(); n != tc.wantHits {
				t.Errorf("%s() made %d requests, want %d", tc.name, n, tc.wantHits)
			}
			if !tc.wantErr && len(clk.Sleeps()) != 1 {
				t.Errorf("%s() waited %v, want one backoff", tc.name, clk.Sleeps())
			}
		})
	}
}

func TestRetriesMeetBudgetAndBreaker(t *testing.T) {
	internalError := func(w http.ResponseWriter, r *http.Request, _ int64) {
		reply(w, 500, failBody("InternalError", "Internal Server Error"))
	}
	t.Run("the breaker stops a call's retries", func(t *testing.T) {
		srv, hits := fakeServer(t, internalError)
		var classes []string
		c, _ := newClient(t, srv.URL, func(o *finpro.Options) {
			o.BreakerThreshold = 2
			o.Observer = func(ci finpro.CallInfo) { classes = append(classes, ci.Class) }
		})
		_, err := c.Balances(t.Context(), "consent-1")
		var ae *finpro.APIError
		if !errors.As(err, &ae) || ae.Status != 500 || ae.Code != "InternalError" {
			t.Fatalf("Balances() error = %#v, want the last 500", err)
		}
		if n := hits.Load(); n != 2 {
			t.Errorf("requests = %d, want 2: the second failure opens the circuit before the last retry", n)
		}
		if _, err := c.Balances(t.Context(), "consent-1"); !errors.Is(err, finpro.ErrUnavailable) || hits.Load() != 2 {
			t.Errorf("next Balances() error = %v after %d requests, want %v and no request", err, hits.Load(), finpro.ErrUnavailable)
		}
		want := []string{"unavailable", "unavailable", "breaker_open", "breaker_open"}
		if diff := cmp.Diff(want, classes); diff != "" {
			t.Errorf("observed attempts (-want +got):\n%s", diff)
		}
	})
	t.Run("the retry budget stops a call's retries", func(t *testing.T) {
		srv, hits := fakeServer(t, internalError)
		c, _ := newClient(t, srv.URL, func(o *finpro.Options) {
			o.RetryBudgetReserve = 1
			o.BreakerThreshold = 100
		})
		c.Balances(t.Context(), "consent-1")
		if n := hits.Load(); n != 2 {
			t.Errorf("first call: requests = %d, want 2 (the reserve holds one retry)", n)
		}
		c.Balances(t.Context(), "consent-1")
		if n := hits.Load(); n != 3 {
			t.Errorf("second call: requests = %d, want 3 (no retry left)", n)
		}
	})
}
