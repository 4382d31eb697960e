package guard_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/guard"
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

const query = `query Q($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { mobileNumber } }`

func TestRateLimitHTTP(t *testing.T) {
	clk := newClock()
	// One request, then one every 2 seconds.
	e := newEnv(t, envOptions{rate: &guard.RateLimitConfig{PerSecond: 0.5, Burst: 1, Now: clk.Now}})
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
		e.sb.ResetStats()
		r := e.post(t, query, demoVars(), subjectHeader, s.subject)
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
		if diff := cmp.Diff(want, r.body.Errors); diff != "" {
			t.Errorf("%s: errors mismatch (-want +got):\n%s", s.name, diff)
		}
		if n := e.upstreamCalls(); n != 0 {
			t.Errorf("%s: FinPro calls = %d, want 0", s.name, n)
		}
	}
}

// TestRateLimitWebsocket checks that each operation of a websocket counts
// against the principal's bucket, which HTTP requests share.
func TestRateLimitWebsocket(t *testing.T) {
	clk := newClock()
	e := newEnv(t, envOptions{rate: &guard.RateLimitConfig{PerSecond: 1, Burst: 2, Now: clk.Now}})
	ws := e.dialWS(t, "w") // the upgrade counts against the IP's bucket
	for i, wantCodes := range [][]string{nil, nil, {"RATE_LIMITED"}} {
		if got := ws.run(t, query, demoVars()).codes(); !cmp.Equal(got, wantCodes) {
			t.Errorf("operation %d: codes = %q, want %q", i+1, got, wantCodes)
		}
	}
	if r := e.post(t, query, demoVars(), subjectHeader, "w"); r.status != http.StatusTooManyRequests {
		t.Errorf("HTTP request of the same principal: status = %d, want 429", r.status)
	}
	clk.Advance(time.Second)
	if got := ws.run(t, query, demoVars()).codes(); got != nil {
		t.Errorf("operation after refill: codes = %q, want none", got)
	}
}

// TestRateLimitMaxKeys checks that a flood of keys keeps at most MaxKeys
// buckets, dropping the least recently used.
func TestRateLimitMaxKeys(t *testing.T) {
	clk := newClock()
	rl := guard.NewRateLimiter(guard.RateLimitConfig{PerSecond: 1, Burst: 1, MaxKeys: 10, Now: clk.Now})
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
	rl := guard.NewRateLimiter(guard.RateLimitConfig{
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
