package finpro

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hold is one endpoint's rate-limit hold. Once FinPro has said when to come
// back (a 429 with Retry-After or X-RateLimit-Reset, or an answer with
// X-RateLimit-Remaining 0 and X-RateLimit-Reset), calls to the endpoint are
// refused locally with ErrRateLimited and the time left until then, and FinPro
// gets none: calling it early only earns another 429 and may lengthen the
// penalty.
type hold struct {
	mu    sync.Mutex
	until time.Time
}

// left is how long the hold still lasts at now (0: not held).
func (h *hold) left(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(h.until.Sub(now), 0)
}

// extend holds the endpoint until at least until.
func (h *hold) extend(until time.Time) {
	h.mu.Lock()
	if until.After(h.until) {
		h.until = until
	}
	h.mu.Unlock()
}

// holdFor is how long an answer asks the endpoint to be left alone: a 429's
// Retry-After (or X-RateLimit-Reset), or, on any answer, X-RateLimit-Remaining
// 0 with X-RateLimit-Reset in the future. It is capped at maxHold, since the
// reset is FinPro's clock and a wild header must not silence an endpoint for
// hours; 0 means no hold.
func holdFor(status int, h http.Header, now time.Time, maxHold time.Duration) time.Duration {
	var d time.Duration
	switch {
	case status == http.StatusTooManyRequests:
		d = retryAfter(h, now)
	case strings.TrimSpace(h.Get("X-RateLimit-Remaining")) == "0":
		if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil && n > 0 {
			d = time.Unix(n, 0).Sub(now)
		}
	}
	return min(max(d, 0), maxHold)
}

// heldError is the answer to a call refused by its endpoint's hold.
func heldError(ep string, left time.Duration) *APIError {
	return &APIError{Endpoint: ep, Kind: ErrRateLimited, RetryAfter: left, detail: "held after FinPro's rate limit"}
}
