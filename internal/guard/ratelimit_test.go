package guard_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/ratelimit"
)

const query = `query Q($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { mobileNumber } }`

// TestRateLimitWebsocket checks that each operation of a websocket counts
// against the principal's bucket, which HTTP requests share.
func TestRateLimitWebsocket(t *testing.T) {
	var elapsed atomic.Int64 // the limiter's clock, advanced by hand
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	now := func() time.Time { return start.Add(time.Duration(elapsed.Load())) }
	e := newEnv(t, envOptions{rate: &ratelimit.Config{PerSecond: 1, Burst: 2, Now: now}})
	ws := e.dialWS(t, "w") // the upgrade counts against the IP's bucket
	for i, wantCodes := range [][]string{nil, nil, {"RATE_LIMITED"}} {
		if got := ws.run(t, query, demoVars()).codes(); !cmp.Equal(got, wantCodes) {
			t.Errorf("operation %d: codes = %q, want %q", i+1, got, wantCodes)
		}
	}
	if r := e.post(t, query, demoVars(), subjectHeader, "w"); r.status != http.StatusTooManyRequests {
		t.Errorf("HTTP request of the same principal: status = %d, want 429", r.status)
	}
	elapsed.Add(int64(time.Second))
	if got := ws.run(t, query, demoVars()).codes(); got != nil {
		t.Errorf("operation after refill: codes = %q, want none", got)
	}
}
