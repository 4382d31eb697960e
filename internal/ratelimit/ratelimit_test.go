package ratelimit_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/ratelimit"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// subjectHeader names the test-only header whose value becomes the request's
// principal (standing in for the JWT middleware of server.go); without it the
// request is anonymous and counts against its IP.
const subjectHeader = "X-Test-Subject"

func withSubject(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get(subjectHeader); s != "" {
			r = r.WithContext(auth.WithPrincipal(r.Context(), auth.Principal{Subject: s}))
		}
		h.ServeHTTP(w, r)
	})
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type result struct {
	status int
	header http.Header
	errors []gqlError
}

// post sends an empty GraphQL POST as subject ("" for anonymous).
func post(t *testing.T, url, subject string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "" {
		req.Header.Set(subjectHeader, subject)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := result{status: res.StatusCode, header: res.Header}
	if len(raw) > 0 {
		var body struct{ Errors []gqlError }
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("body %q: %v", raw, err)
		}
		r.errors = body.Errors
	}
	return r
}

// TestRateLimitHTTP checks the buckets of principals and of anonymous
// callers (their IP), the 429 answer and its Retry-After.
func TestRateLimitHTTP(t *testing.T) {
	clk := newClock()
	// One request, then one every 2 seconds.
	var calls atomic.Int64 // requests that reached the handler behind the limiter
	h := ratelimit.New(ratelimit.Config{PerSecond: 0.5, Burst: 1, Now: clk.Now}).Middleware(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
	srv := httptest.NewServer(withSubject(h))
	t.Cleanup(srv.Close)
	steps := []struct {
		name        string
		subject     string
		advance     time.Duration
		wantStatus  int
		wantRetry   string
		wantRetryIn int
	}{
		{"first request of a", "a", 0, 200, "", 0},
		{"second request of a", "a", 0, 429, "2", 2},
		{"b has its own bucket", "b", 0, 200, "", 0},
		{"anonymous callers share their IP's bucket", "", 0, 200, "", 0},
		{"second anonymous request", "", 0, 429, "2", 2},
		{"a, half a second later", "a", 1500 * time.Millisecond, 429, "1", 1},
		{"a, once refilled", "a", 500 * time.Millisecond, 200, "", 0},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		calls.Store(0)
		r := post(t, srv.URL, s.subject)
		if r.status != s.wantStatus {
			t.Fatalf("%s: status = %d, want %d", s.name, r.status, s.wantStatus)
		}
		if got := r.header.Get("Retry-After"); got != s.wantRetry {
			t.Errorf("%s: Retry-After = %q, want %q", s.name, got, s.wantRetry)
		}
		if s.wantStatus != http.StatusTooManyRequests {
			continue
		}
		want := []gqlError{{
			Message:    fmt.Sprintf("too many requests; retry after %d seconds", s.wantRetryIn),
			Extensions: map[string]any{"code": "RATE_LIMITED", "retryAfterSeconds": float64(s.wantRetryIn)},
		}}
		if diff := cmp.Diff(want, r.errors); diff != "" {
			t.Errorf("%s: errors mismatch (-want +got):\n%s", s.name, diff)
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("%s: the refused request reached the handler %d times", s.name, n)
		}
	}
}

// TestRateLimitMaxKeys checks that a flood of keys keeps at most MaxKeys
// buckets, dropping the least recently used.
func TestRateLimitMaxKeys(t *testing.T) {
	clk := newClock()
	rl := ratelimit.New(ratelimit.Config{PerSecond: 1, Burst: 1, MaxKeys: 10, Now: clk.Now})
	if ok, _ := rl.Allow("keep"); !ok {
		t.Fatal(`Allow("keep") = false on a new key`)
	}
	for i := range 100 {
		if i%5 == 0 {
			rl.Allow("keep") // recently used: never dropped
		}
		if ok, _ := rl.Allow(fmt.Sprint("flood-", i)); !ok {
			t.Fatalf("Allow(flood-%d) = false on a new key", i)
		}
	}
	if got := rl.Len(); got != 10 {
		t.Errorf("Len() = %d, want 10", got)
	}
	if ok, d := rl.Allow("keep"); ok || d != time.Second {
		t.Errorf(`Allow("keep") = %v, %v; want false, 1s (its bucket was kept)`, ok, d)
	}
	if ok, _ := rl.Allow("flood-0"); !ok {
		t.Errorf(`Allow("flood-0") = false, want true (its bucket was dropped)`)
	}
}

// TestRateLimitCustomKey checks a caller-supplied Key.
func TestRateLimitCustomKey(t *testing.T) {
	clk := newClock()
	rl := ratelimit.New(ratelimit.Config{
		PerSecond: 1, Burst: 1, Now: clk.Now,
		Key: func(r *http.Request) string { return r.Header.Get("X-Client") },
	})
	h := rl.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, s := range []struct {
		client     string
		wantStatus int
	}{{"one", 200}, {"two", 200}, {"one", 429}} {
		req, err := http.NewRequest(http.MethodPost, "/graphql", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Client", s.client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != s.wantStatus {
			t.Errorf("client %s: status = %d, want %d", s.client, rec.Code, s.wantStatus)
		}
	}
}
