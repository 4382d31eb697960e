package finpro_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// testSecret is the fake client secret; no error text or log line may hold it.
const testSecret = "s3cret-value-never-logged"

var testCreds = finpro.Credentials{
	ClientID:       "fp_test_client",
	ClientSecret:   testSecret,
	OrganisationID: "ORG0123",
	AppIdentifier:  "bff.test",
}

// fakeClock is an injected clock whose Sleep advances time instead of waiting.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	f.mu.Unlock()
	return ctx.Err()
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// newClient returns a client for url with a fake clock and no jitter (every
// backoff is its upper bound's half... see SetJitter below).
func newClient(t *testing.T, url string, mod func(*finpro.Options)) (*finpro.Client, *fakeClock) {
	t.Helper()
	opts := finpro.Options{BaseURL: url, Credentials: testCreds}
	if mod != nil {
		mod(&opts)
	}
	c, err := finpro.New(opts)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	clk := newFakeClock()
	finpro.SetClock(c, clk.Now, clk.Sleep)
	finpro.SetJitter(c, func(int64) int64 { return 0 })
	return c, clk
}

// fakeServer serves h and counts requests.
func fakeServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int64)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		h(w, r, n)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func okBody(data string) string {
	return `{"ver":"1.21.0","status":"success","data":` + data + `,"timestamp":"2024-10-04T09:30:00+05:30"}`
}

func failBody(code, msg string) string {
	return `{"ver":"1.21.0","timestamp":"2024-10-04T09:30:00+05:30","errorCode":"` + code + `","errorMsg":"` + msg + `","status":"failure"}`
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

const balanceData = `[{"fiType":"DEPOSIT","fipId":"HDFC-FIP","fipName":"HDFC Bank","balance":"101666.33","linkReferenceNumber":"lr-1","maskedAccountNumber":"XXXXXXXX3900"}]`

// checkSafe fails when an error's text leaks the secret, a URL or a body.
func checkSafe(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	s := err.Error()
	for _, bad := range []string{testSecret, "http://", "https://", "<", "{"} {
		if strings.Contains(s, bad) {
			t.Errorf("error text holds %q (must not leak secrets, URLs or bodies)", bad)
		}
	}
}

func TestExactCaseHeadersOnTheWire(t *testing.T) {
	// Go's HTTP server canonicalises header names (client_id -> Client_id), so
	// the request is read from a raw TCP listener to see the bytes as sent.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan map[string]string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		hdr := map[string]string{}
		if _, err := br.ReadString('\n'); err != nil { // request line
			got <- nil
			return
		}
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				got <- nil
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			name, value, _ := strings.Cut(line, ":")
			hdr[name] = strings.TrimSpace(value)
		}
		n, _ := strconv.Atoi(hdr["Content-Length"])
		io.CopyN(io.Discard, br, int64(n))
		body := okBody(balanceData)
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		got <- hdr
	}()

	c, _ := newClient(t, "http://"+ln.Addr().String(), nil)
	if _, err := c.Balances(t.Context(), "consent-1"); err != nil {
		t.Fatalf("Balances() error = %v", err)
	}
	hdr := <-got
	if hdr == nil {
		t.Fatal("fake listener read no request")
	}
	want := map[string]string{
		"client_id":      testCreds.ClientID,
		"organisationId": testCreds.OrganisationID,
		"appIdentifier":  testCreds.AppIdentifier,
		"Content-Type":   "application/json",
		"Accept":         "application/json",
	}
	for name, v := range want {
		if hdr[name] != v {
			t.Errorf("header %q on the wire = %q, want %q", name, hdr[name], v)
		}
	}
	if hdr["client_secret"] != testSecret { // value not printed on purpose
		t.Errorf("header %q on the wire is missing or wrong (exact case required)", "client_secret")
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	other, otherHits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		if r.Header.Get("client_secret") != "" || r.Header.Get("client_id") != "" {
			t.Errorf("redirect target received FinPro credentials")
		}
		reply(w, 200, okBody(balanceData))
	})
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		http.Redirect(w, r, other.URL+"/getfibalance", http.StatusTemporaryRedirect)
	})
	c, _ := newClient(t, srv.URL, nil)
	_, err := c.Balances(t.Context(), "consent-1")
	if !errors.Is(err, finpro.ErrUnavailable) {
		t.Fatalf("Balances() error = %v, want %v", err, finpro.ErrUnavailable)
	}
	var ae *finpro.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusTemporaryRedirect {
		t.Errorf("Balances() error = %#v, want an *APIError with status 307", err)
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("redirect target got %d requests, want 0", n)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("FinPro got %d requests, want 1 (a 3xx is not retried)", n)
	}
	checkSafe(t, err)
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name      string
		header    func(clk *fakeClock) http.Header
		failures  int64 // 429s before a 200
		deadline  time.Duration
		wantHits  int64
		wantErr   error
		wantSleep []time.Duration
	}{
		{
			name:      "seconds honoured",
			header:    func(*fakeClock) http.Header { return http.Header{"Retry-After": {"1"}} },
			failures:  2,
			wantHits:  3,
			wantSleep: []time.Duration{time.Second, time.Second},
		},
		{
			name: "http date honoured",
			header: func(clk *fakeClock) http.Header {
				return http.Header{"Retry-After": {clk.Now().Add(2 * time.Second).Format(http.TimeFormat)}}
			},
			failures:  1,
			wantHits:  2,
			wantSleep: []time.Duration{2 * time.Second},
		},
		{
			name: "X-RateLimit-Reset honoured",
			header: func(clk *fakeClock) http.Header {
				return http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(clk.Now().Add(1500*time.Millisecond).Unix(), 10)}}
			},
			failures:  1,
			wantHits:  2,
			wantSleep: []time.Duration{time.Second}, // Unix seconds: the fake clock is on a whole second
		},
		{
			name:     "longer than the cap gives up at once",
			header:   func(*fakeClock) http.Header { return http.Header{"Retry-After": {"30"}} },
			failures: 5,
			wantHits: 1,
			wantErr:  finpro.ErrRateLimited,
		},
		{
			name:     "past the deadline gives up at once",
			header:   func(*fakeClock) http.Header { return http.Header{"Retry-After": {"2"}} },
			failures: 5,
			deadline: time.Second,
			wantHits: 1,
			wantErr:  finpro.ErrRateLimited,
		},
		{
			name:      "still limited after the retries",
			header:    func(*fakeClock) http.Header { return http.Header{"Retry-After": {"1"}} },
			failures:  5,
			wantHits:  3,
			wantErr:   finpro.ErrRateLimited,
			wantSleep: []time.Duration{time.Second, time.Second},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var clk *fakeClock
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				if n <= tc.failures {
					for k, v := range tc.header(clk) {
						w.Header()[k] = v
					}
					reply(w, http.StatusTooManyRequests, failBody("RateLimitExceeded", "Too many requests"))
					return
				}
				reply(w, 200, okBody(balanceData))
			})
			var c *finpro.Client
			// A window long enough for every wait here; the window itself
			// is tested in resilience_test.go.
			c, clk = newClient(t, srv.URL, func(o *finpro.Options) { o.RetryWindow = time.Minute })
			ctx := t.Context()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			_, err := c.Balances(ctx, "consent-1")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Balances() error = %v, want %v", err, tc.wantErr)
			}
			if got := hits.Load(); got != tc.wantHits {
				t.Errorf("requests = %d, want %d", got, tc.wantHits)
			}
			if diff := cmp.Diff(tc.wantSleep, clk.Sleeps()); diff != "" {
				t.Errorf("waits between attempts (-want +got):\n%s", diff)
			}
			var ae *finpro.APIError
			if tc.wantErr != nil && (!errors.As(err, &ae) || ae.Status != 429 || ae.Code != "RateLimitExceeded") {
				t.Errorf("Balances() error = %#v, want an *APIError with status 429 and code RateLimitExceeded", err)
			}
		})
	}
}

func TestRetriesOnlyIdempotentReads(t *testing.T) {
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *finpro.Client) error
		wantHits int64
	}{
		{"RequestConsent", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.RequestConsent(ctx, finpro.ConsentRequest{ProductID: "P", VUA: "9876543210@onemoney", AccountID: "a"})
			return err
		}, 1},
		{"RevokeConsent", func(ctx context.Context, c *finpro.Client) error {
			return c.RevokeConsent(ctx, "consent-1")
		}, 1},
		{"RequestFI", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.RequestFI(ctx, finpro.FIRequest{ConsentID: "consent-1"})
			return err
		}, 1},
		{"LatestFIData", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.LatestFIData(ctx, "consent-1")
			return err
		}, 1},
		{"Balances", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.Balances(ctx, "consent-1")
			return err
		}, 3},
		{"FIData", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: "c", LinkReferenceNumber: "l", Limit: 10})
			return err
		}, 3},
		{"AllFIData", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.AllFIData(ctx, "consent-1")
			return err
		}, 3},
		{"Consents", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9876543210", ProductID: "P"})
			return err
		}, 3},
		{"FIRequestStatus", func(ctx context.Context, c *finpro.Client) error {
			_, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentID: "consent-1"})
			return err
		}, 3},
	}
	for _, status := range []int{500, 502, 503, 504} {
		for _, tc := range tests {
			t.Run(fmt.Sprint(status, "/", tc.name), func(t *testing.T) {
				srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
					w.WriteHeader(status)
				})
				c, _ := newClient(t, srv.URL, nil)
				err := tc.call(t.Context(), c)
				if !errors.Is(err, finpro.ErrUnavailable) {
					t.Errorf("%s() error = %v, want %v", tc.name, err, finpro.ErrUnavailable)
				}
				if got := hits.Load(); got != tc.wantHits {
					t.Errorf("%s() made %d requests, want %d", tc.name, got, tc.wantHits)
				}
			})
		}
	}
}

func TestNotRetried(t *testing.T) {
	// FinPro's own 4xx answers are final even for reads.
	for _, status := range []int{400, 401, 404, 409} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
				reply(w, status, `{"status":"failure"}`)
			})
			c, _ := newClient(t, srv.URL, nil)
			if _, err := c.Balances(t.Context(), "consent-1"); err == nil {
				t.Fatal("Balances() error = nil, want an error")
			}
			if got := hits.Load(); got != 1 {
				t.Errorf("requests = %d, want 1", got)
			}
		})
	}
}

func TestConnectionErrorRetried(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			// Drop the connection without an answer.
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		reply(w, 200, okBody(balanceData))
	}))
	defer srv.Close()
	c, clk := newClient(t, srv.URL, nil)
	got, err := c.Balances(t.Context(), "consent-1")
	if err != nil {
		t.Fatalf("Balances() error = %v, want nil after a retry", err)
	}
	if len(got) != 1 || hits.Load() != 2 {
		t.Errorf("Balances() = %d rows after %d requests, want 1 row after 2", len(got), hits.Load())
	}
	if diff := cmp.Diff([]time.Duration{50 * time.Millisecond}, clk.Sleeps()); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
}

func TestHTMLGatewayPage(t *testing.T) {
	const page = "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"
	for _, status := range []int{200, 502, 503} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(status)
				io.WriteString(w, page)
			})
			c, _ := newClient(t, srv.URL, func(o *finpro.Options) { o.MaxRetries = -1 })
			_, err := c.Balances(t.Context(), "consent-1")
			if !errors.Is(err, finpro.ErrUnavailable) {
				t.Fatalf("Balances() error = %v, want %v", err, finpro.ErrUnavailable)
			}
			for _, bad := range []string{"html", "Temporarily", "<"} {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("Balances() error text holds %q from the body", bad)
				}
			}
			checkSafe(t, err)
		})
	}
}

func TestContextCancelled(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c, _ := newClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Balances(ctx, "consent-1")
		errc <- err
	}()
	<-arrived
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Balances() error = %v, want context.Canceled", err)
		}
		var ae *finpro.APIError
		if errors.As(err, &ae) {
			t.Errorf("Balances() error = %v, want no *APIError for the caller's cancellation", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Balances() did not return after its context was cancelled")
	}
}

func TestDeadline(t *testing.T) {
	release := make(chan struct{})
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	tests := []struct {
		name     string
		ctxLimit time.Duration
		timeout  time.Duration
	}{
		{"caller deadline", 50 * time.Millisecond, 0},
		{"attempt timeout", 0, 50 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newClient(t, srv.URL, func(o *finpro.Options) { o.Timeout = tc.timeout })
			ctx := t.Context()
			if tc.ctxLimit > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctxLimit)
				defer cancel()
			}
			before := hits.Load()
			_, err := c.Balances(ctx, "consent-1")
			if !errors.Is(err, finpro.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Balances() error = %v, want %v wrapping context.DeadlineExceeded", err, finpro.ErrTimeout)
			}
			if got := hits.Load() - before; got != 1 {
				t.Errorf("requests = %d, want 1 (timeouts are not retried)", got)
			}
		})
	}
}

func TestCircuitBreaker(t *testing.T) {
	var healthy atomic.Bool
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		if healthy.Load() {
			reply(w, 200, okBody(balanceData))
			return
		}
		reply(w, 500, failBody("InternalError", "Internal Server Error"))
	})
	var mu sync.Mutex
	var classes []string
	c, clk := newClient(t, srv.URL, func(o *finpro.Options) {
		o.MaxRetries = -1 // one attempt per call; retries meet the breaker in resilience_test.go
		o.BreakerThreshold = 3
		o.BreakerCooldown = 10 * time.Second
		o.Observer = func(ci finpro.CallInfo) {
			mu.Lock()
			classes = append(classes, ci.Class)
			mu.Unlock()
		}
	})
	ctx := t.Context()
	balances := func() error { _, err := c.Balances(ctx, "consent-1"); return err }

	for i := range 3 {
		if err := balances(); !errors.Is(err, finpro.ErrUnavailable) {
			t.Fatalf("call %d: Balances() error = %v, want %v", i+1, err, finpro.ErrUnavailable)
		}
	}
	// Open: fails fast without a request.
	err := balances()
	if !errors.Is(err, finpro.ErrUnavailable) || hits.Load() != 3 {
		t.Fatalf("open circuit: Balances() error = %v after %d requests, want %v after 3", err, hits.Load(), finpro.ErrUnavailable)
	}
	// Other endpoints have their own breaker.
	if _, err := c.AllFIData(ctx, "consent-1"); !errors.Is(err, finpro.ErrUnavailable) || hits.Load() != 4 {
		t.Fatalf("AllFIData() with /getfibalance open: error = %v after %d requests, want a request", err, hits.Load())
	}
	// Half-open after the cool-down: a failed probe opens it again.
	clk.Advance(10 * time.Second)
	if err := balances(); !errors.Is(err, finpro.ErrUnavailable) || hits.Load() != 5 {
		t.Fatalf("failed probe: error = %v after %d requests, want a request", err, hits.Load())
	}
	if err := balances(); !errors.Is(err, finpro.ErrUnavailable) || hits.Load() != 5 {
		t.Fatalf("after failed probe: error = %v after %d requests, want no request", err, hits.Load())
	}
	// A successful probe closes it.
	clk.Advance(10 * time.Second)
	healthy.Store(true)
	for i := range 3 {
		if err := balances(); err != nil {
			t.Fatalf("closed again, call %d: Balances() error = %v", i+1, err)
		}
	}
	if got := hits.Load(); got != 8 {
		t.Errorf("requests = %d, want 8", got)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"unavailable", "unavailable", "unavailable", "breaker_open", "unavailable", "unavailable", "breaker_open", "ok", "ok", "ok"}
	if diff := cmp.Diff(want, classes); diff != "" {
		t.Errorf("observed attempts (-want +got):\n%s", diff)
	}
}

func TestRetryBudget(t *testing.T) {
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c, _ := newClient(t, srv.URL, func(o *finpro.Options) {
		o.RetryBudgetPercent = 10
		o.RetryBudgetReserve = 2
		o.BreakerThreshold = 1000
	})
	const calls = 12
	for range calls {
		if _, err := c.Balances(t.Context(), "consent-1"); !errors.Is(err, finpro.ErrUnavailable) {
			t.Fatalf("Balances() error = %v, want %v", err, finpro.ErrUnavailable)
		}
	}
	// The first call spends the reserve (2 retries); each further call earns a
	// tenth of a retry, so the 11th call has one more.
	if got, want := hits.Load(), int64(calls+2+1); got != want {
		t.Errorf("requests for %d calls = %d, want %d", calls, got, want)
	}
}

func TestOversizedBody(t *testing.T) {
	srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		reply(w, 200, okBody(`[{"balance":"1.00","fipName":"`+strings.Repeat("x", 4096)+`"}]`))
	})
	c, _ := newClient(t, srv.URL, func(o *finpro.Options) { o.MaxBodyBytes = 1024 })
	_, err := c.Balances(t.Context(), "consent-1")
	if !errors.Is(err, finpro.ErrUnavailable) || !strings.Contains(err.Error(), "too large") {
		t.Errorf("Balances() error = %v, want %v (response too large)", err, finpro.ErrUnavailable)
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		code   string
		status int
		call   string // "revoke" or "" for Balances
		want   error
	}{
		{"InvalidRequest", 400, "", finpro.ErrInvalidRequest},
		{"InvalidPayload", 400, "", finpro.ErrInvalidRequest},
		{"InvalidMobileNumber", 400, "", finpro.ErrInvalidRequest},
		{"InvalidStatus", 400, "", finpro.ErrInvalidRequest},
		{"InvalidPageNumber", 400, "", finpro.ErrInvalidRequest},
		{"InvalidPageSize", 400, "", finpro.ErrInvalidRequest},
		{"InvalidConsentId", 400, "", finpro.ErrNotFound},
		{"InvalidLinkReference", 400, "", finpro.ErrNotFound},
		{"ConsentNotActive", 400, "", finpro.ErrConsentInactive},
		{"InvalidStatus", 400, "revoke", finpro.ErrConsentInactive},
		{"DataNotAvailable", 400, "", finpro.ErrNotReady},
		{"NoDataAvailable", 400, "", finpro.ErrNotReady},
		{"NoDataFound", 400, "", finpro.ErrNotReady},
		{"FP0063", 400, "", finpro.ErrNotReady},
		{"DataIsDeleted", 400, "", finpro.ErrDataDeleted},
		{"NoIncrementalData", 400, "", finpro.ErrNoNewData},
		{"Unauthorized", 401, "", finpro.ErrUnauthorized},
		{"AuthenticationFailed", 401, "", finpro.ErrUnauthorized},
		{"RateLimitExceeded", 429, "", finpro.ErrRateLimited},
		{"InternalError", 500, "", finpro.ErrUnavailable},
		{"FP0058", 400, "", finpro.ErrInvalidRequest},
		{"nodataavailable", 400, "", finpro.ErrNotReady},
		{"missingConsentInfo", 400, "", finpro.ErrInvalidRequest},
		{"FP0021", 400, "", finpro.ErrInvalidRequest},
		{"invalid_consent_handle", 400, "", finpro.ErrNotFound},
		{"FP0024", 400, "", finpro.ErrNotFound},
		{"InvalidAA", 400, "", finpro.ErrInvalidRequest},
		{"FP0029", 400, "", finpro.ErrInvalidRequest},
		{"SomethingNew", 400, "", finpro.ErrInvalidRequest},
		{"SomethingNew", 403, "", finpro.ErrUnauthorized},
		{"", 404, "", finpro.ErrNotFound},
		{"", 401, "", finpro.ErrUnauthorized},
		{"NoDataFound", 200, "", finpro.ErrNotReady}, // a 2xx failure envelope
		{"", 418, "", finpro.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.code, "/", tc.status, tc.call), func(t *testing.T) {
			srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
				if tc.code == "" {
					w.WriteHeader(tc.status)
					return
				}
				reply(w, tc.status, failBody(tc.code, "message "+tc.code))
			})
			c, _ := newClient(t, srv.URL, func(o *finpro.Options) { o.MaxRetries = -1 })
			var err error
			endpoint := "/getfibalance"
			if tc.call == "revoke" {
				endpoint = "/revokeconsent"
				err = c.RevokeConsent(t.Context(), "consent-1")
			} else {
				_, err = c.Balances(t.Context(), "consent-1")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			// Codes pass in the catalogue's spelling; others become
			// CodeUnrecognised; errorMsg is never kept.
			code := tc.code
			switch code {
			case "nodataavailable":
				code = "NoDataAvailable"
			case "SomethingNew":
				code = finpro.CodeUnrecognised
			}
			want := &finpro.APIError{Endpoint: endpoint, Status: tc.status, Code: code, Kind: tc.want}
			var ae *finpro.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error = %#v, want an *APIError", err)
			}
			got := *ae
			got.RetryAfter = 0
			if diff := cmp.Diff(*want, got, cmp.Comparer(func(a, b error) bool { return a == b }), cmpopts.IgnoreUnexported(finpro.APIError{})); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			checkSafe(t, err)
		})
	}
}

func TestValidationSendsNothing(t *testing.T) {
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		reply(w, 200, okBody(`{}`))
	})
	c, _ := newClient(t, srv.URL, nil)
	ctx := t.Context()
	tests := []struct {
		name string
		call func() error
	}{
		{"Balances empty consent", func() error { _, err := c.Balances(ctx, ""); return err }},
		{"Balance empty link", func() error { _, err := c.Balance(ctx, "c", " "); return err }},
		{"FIData empty consent", func() error { _, err := c.FIData(ctx, finpro.FIDataRequest{LinkReferenceNumber: "l"}); return err }},
		{"FIData negative limit", func() error {
			_, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: "c", LinkReferenceNumber: "l", Limit: -1})
			return err
		}},
		{"FIData negative offset", func() error {
			_, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: "c", LinkReferenceNumber: "l", Limit: 10, Offset: -1})
			return err
		}},
		{"AllFIData empty consent", func() error { _, err := c.AllFIData(ctx, ""); return err }},
		{"LatestFIData empty consent", func() error { _, err := c.LatestFIData(ctx, ""); return err }},
		{"Consents short mobile", func() error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "987654321", ProductID: "P"})
			return err
		}},
		{"Consents +91 mobile", func() error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "+919876543210", ProductID: "P"})
			return err
		}},
		{"Consents bad status", func() error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9876543210", ProductID: "P", Status: []finpro.ConsentStatus{"active"}})
			return err
		}},
		{"Consents negative page", func() error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9876543210", ProductID: "P", PageNumber: -1, PageSize: 10})
			return err
		}},
		{"Consents negative page size", func() error {
			_, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9876543210", ProductID: "P", PageSize: -5})
			return err
		}},
		{"RequestConsent no product", func() error {
			_, err := c.RequestConsent(ctx, finpro.ConsentRequest{VUA: "9876543210@onemoney"})
			return err
		}},
		{"RequestConsent bad vua", func() error {
			_, err := c.RequestConsent(ctx, finpro.ConsentRequest{ProductID: "P", VUA: "98765"})
			return err
		}},
		{"RevokeConsent empty", func() error { return c.RevokeConsent(ctx, "") }},
		{"RequestFI empty", func() error { _, err := c.RequestFI(ctx, finpro.FIRequest{}); return err }},
		{"FIRequestStatus empty", func() error { _, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{}); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ae *finpro.APIError
			if !errors.Is(err, finpro.ErrInvalidRequest) || !errors.As(err, &ae) || ae.Status != 0 {
				t.Errorf("error = %v, want an *APIError %v with status 0", err, finpro.ErrInvalidRequest)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("invalid requests reached FinPro %d times, want 0", n)
	}
}

func TestObserver(t *testing.T) {
	srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		switch n {
		case 1:
			reply(w, 503, `{}`)
		case 2:
			reply(w, 400, failBody("ConsentNotActive", "Consent is not in active state"))
		default:
			reply(w, 200, `{"ver":"1.21.0","status":"success","data":[]}`)
		}
	})
	var got []finpro.CallInfo
	c, _ := newClient(t, srv.URL, func(o *finpro.Options) {
		o.Observer = func(ci finpro.CallInfo) { got = append(got, ci) }
	})
	c.Balances(t.Context(), "consent-1")
	c.Balances(t.Context(), "consent-1")
	want := []finpro.CallInfo{
		{Endpoint: "/getfibalance", Status: 503, Attempt: 1, Kind: finpro.ErrUnavailable, Class: "unavailable"},
		{Endpoint: "/getfibalance", Status: 400, Code: "ConsentNotActive", Attempt: 2, Kind: finpro.ErrConsentInactive, Class: "consent_inactive"},
		{Endpoint: "/getfibalance", Status: 200, Attempt: 1, Class: "ok"},
	}
	opts := []cmp.Option{
		cmp.Comparer(func(a, b error) bool { return a == b }),
		cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Duration" }, cmp.Ignore()),
	}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("observed calls (-want +got):\n%s", diff)
	}
}

func TestSecretsStayOutOfLogs(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	logger.Info("config", "finpro", testCreds)
	opts := finpro.Options{BaseURL: "https://tenant.moneyone.in", Credentials: testCreds}
	for _, s := range []string{
		buf.String(),
		fmt.Sprintf("%v", testCreds),
		fmt.Sprintf("%+v", opts),
		fmt.Sprintf("%#v", testCreds),
	} {
		if strings.Contains(s, testSecret) {
			t.Errorf("formatted credentials hold the secret")
		}
	}
	if !strings.Contains(buf.String(), testCreds.ClientID) {
		t.Errorf("logged credentials lack the client id")
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "tenant.moneyone.in", "ftp://x", "https://user:" + testSecret + "@tenant.moneyone.in"} {
		_, err := finpro.New(finpro.Options{BaseURL: u})
		if err == nil {
			t.Errorf("New(BaseURL %q) error = nil, want an error", u)
			continue
		}
		checkSafe(t, err)
	}
}

// TestCallBudget checks that a context's CallBudget counts every attempt and
// refuses the calls past its limit without sending them.
func TestCallBudget(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ver":"1.21.0","status":"success","data":[]}`)
	}))
	t.Cleanup(srv.Close)
	c, err := finpro.New(finpro.Options{BaseURL: srv.URL, Credentials: finpro.Credentials{ClientID: "id", ClientSecret: testSecret, OrganisationID: "o", AppIdentifier: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	b := &finpro.CallBudget{Limit: 2}
	ctx := finpro.WithCallBudget(t.Context(), b)
	for i, wantErr := range []error{nil, nil, finpro.ErrCallBudget, finpro.ErrCallBudget} {
		if _, err := c.Balances(ctx, "c1"); !errors.Is(err, wantErr) {
			t.Errorf("call %d: error = %v, want %v", i+1, err, wantErr)
		}
	}
	if hits.Load() != 2 || b.Used() != 2 {
		t.Errorf("FinPro saw %d calls, budget used %d; want 2 and 2", hits.Load(), b.Used())
	}
}
