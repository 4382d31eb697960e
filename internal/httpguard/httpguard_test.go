package httpguard_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/httpguard"
)

func TestClientAddrs(t *testing.T) {
	trusted, err := httpguard.ParsePrefixes("10.0.0.0/8, 192.0.2.7, fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"direct", "203.0.113.5:1234", nil, "203.0.113.5"},
		{"untrusted peer's header ignored", "203.0.113.5:1234", []string{"198.51.100.1"}, "203.0.113.5"},
		{"one trusted proxy", "10.1.2.3:1234", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client-written entries left of the last untrusted hop", "10.1.2.3:1234", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted proxies", "10.1.2.3:1234", []string{"198.51.100.1, 192.0.2.7"}, "198.51.100.1"},
		{"several header lines", "10.1.2.3:1234", []string{"198.51.100.1", "10.9.9.9"}, "198.51.100.1"},
		{"all hops trusted", "10.1.2.3:1234", []string{"10.4.4.4"}, "10.4.4.4"},
		{"garbage hop stops at the proxy", "10.1.2.3:1234", []string{"198.51.100.1, not-an-ip"}, "10.1.2.3"},
		{"ipv6 trusted proxy", "[fd00::1]:1234", []string{"2001:db8::9"}, "2001:db8::9"},
		{"ipv4-mapped peer", "[::ffff:203.0.113.5]:1234", nil, "203.0.113.5"},
		{"not an address", "@", nil, "invalid IP"},
	}
	c := httpguard.NewClientAddrs(trusted)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := c.Of(r).String(); got != tt.want {
				t.Errorf("Of = %s, want %s", got, tt.want)
			}
		})
	}
	if _, err := httpguard.ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("ParsePrefixes(10.0.0.0/33) accepted it")
	}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type refusal struct {
	Errors []struct {
		Message    string
		Extensions struct {
			Code              string
			RetryAfterSeconds int
		}
	}
}

func decodeRefusal(t *testing.T, rec *httptest.ResponseRecorder) refusal {
	t.Helper()
	var r refusal
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || len(r.Errors) != 1 {
		t.Fatalf("body %q: want one GraphQL error (%v)", rec.Body, err)
	}
	return r
}

func TestAuthFailures(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	f := httpguard.NewAuthFailures(httpguard.AuthFailureConfig{PerMinute: 6, Burst: 3, Now: clk.now})
	var served int
	h := httpguard.ClientAddrs{}.WithClientAddr(f.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served++
	})))
	do := func(remote string, withToken bool) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.RemoteAddr = remote
		if withToken {
			r.Header.Set("Authorization", "Bearer x")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	bad := netip.MustParseAddr("203.0.113.5")
	for range 3 {
		if rec := do("203.0.113.5:1", true); rec.Code != 200 {
			t.Fatalf("inside the burst = %d, want served", rec.Code)
		}
		f.Failed(bad)
	}
	rec := do("203.0.113.5:1", true)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 3 failures = %d, want 429", rec.Code)
	}
	// 6 a minute: the next failure is allowed 10 s after the burst.
	if got := rec.Header().Get("Retry-After"); got != "10" {
		t.Errorf("Retry-After = %q, want 10", got)
	}
	if r := decodeRefusal(t, rec); r.Errors[0].Extensions.Code != "RATE_LIMITED" || r.Errors[0].Extensions.RetryAfterSeconds != 10 {
		t.Errorf("refusal = %+v, want RATE_LIMITED, retryAfterSeconds 10", r)
	}
	if rec := do("203.0.113.5:1", false); rec.Code != 200 {
		t.Errorf("blocked address without a credential = %d, want served (it reaches no verifier)", rec.Code)
	}
	if rec := do("203.0.113.6:1", true); rec.Code != 200 {
		t.Errorf("another address = %d, want served", rec.Code)
	}
	clk.advance(10 * time.Second)
	if rec := do("203.0.113.5:1", true); rec.Code != 200 {
		t.Errorf("after Retry-After = %d, want served", rec.Code)
	}
	if served != 6 {
		t.Errorf("served %d requests, want 6", served)
	}
}

func TestAuthFailuresIPv6Groups(t *testing.T) {
	f := httpguard.NewAuthFailures(httpguard.AuthFailureConfig{Burst: 2})
	f.Failed(netip.MustParseAddr("2001:db8:1:2::1"))
	f.Failed(netip.MustParseAddr("2001:db8:1:2:ffff::9"))
	if blocked, _ := f.Blocked(netip.MustParseAddr("2001:db8:1:2::77")); !blocked {
		t.Error("a third address of the same /64 is not blocked")
	}
	if blocked, _ := f.Blocked(netip.MustParseAddr("2001:db8:1:3::1")); blocked {
		t.Error("another /64 is blocked")
	}
}

func TestAuthFailuresBoundedMemory(t *testing.T) {
	f := httpguard.NewAuthFailures(httpguard.AuthFailureConfig{Burst: 1, MaxAddrs: 100})
	base := netip.MustParseAddr("198.18.0.0")
	a := base
	for range 10_000 {
		f.Failed(a)
		a = a.Next()
	}
	if n := f.Len(); n != 100 {
		t.Errorf("Len = %d after 10000 addresses, want the bound 100", n)
	}
	if blocked, _ := f.Blocked(a.Prev()); !blocked {
		t.Error("the most recent address was dropped")
	}
}

func TestInFlight(t *testing.T) {
	const limit = 3
	f := httpguard.NewInFlight(limit, 2*time.Second)
	release := make(chan struct{})
	entered := make(chan struct{}, limit)
	h := f.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
	}))
	var wg sync.WaitGroup
	codes := make([]int, limit)
	for i := range limit {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
			codes[i] = rec.Code
		})
	}
	for range limit {
		<-entered
	}
	if n := f.InFlight(); n != limit {
		t.Errorf("InFlight = %d, want %d", n, limit)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "2" {
		t.Errorf("one over the bound = %d Retry-After %q, want 503 and 2", rec.Code, rec.Header().Get("Retry-After"))
	}
	if r := decodeRefusal(t, rec); r.Errors[0].Extensions.Code != "RATE_LIMITED" {
		t.Errorf("refusal = %+v, want RATE_LIMITED", r)
	}
	up := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	up.Header.Set("Upgrade", "websocket")
	go func() { <-entered }()
	close(release)
	h.ServeHTTP(httptest.NewRecorder(), up) // passes uncounted (and returns at once: release is closed)
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("request %d inside the bound = %d, want 200", i, c)
		}
	}
	if n := f.InFlight(); n != 0 {
		t.Errorf("InFlight = %d after all returned, want 0", n)
	}
}

func TestNoStore(t *testing.T) {
	rec := httptest.NewRecorder()
	httpguard.NoStore(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/graphql", nil))
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
}
