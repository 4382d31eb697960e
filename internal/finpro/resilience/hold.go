package resilience

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Hold is one endpoint's rate-limit hold. Once FinPro has said when to come
// back (a 429 with Retry-After or X-RateLimit-Reset, or an answer with
// X-RateLimit-Remaining 0 and X-RateLimit-Reset), calls to the endpoint are
// refused locally with ErrRateLimited and the time left until then, and FinPro
// gets none: calling it early only earns another 429 and may lengthen the
// penalty.
type Hold struct {
	mu    sync.Mutex
	until time.Time
}

// Left is how long the hold still lasts at now (0: not held).
func (h *Hold) Left(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(h.until.Sub(now), 0)
}

// Extend holds the endpoint until at least until.
func (h *Hold) Extend(until time.Time) {
	h.mu.Lock()
	if until.After(h.until) {
		h.until = until
	}
	h.mu.Unlock()
}

// HoldFor is how long an answer asks the endpoint to be left alone: a 429's
// Retry-After (or X-RateLimit-Reset), or, on any answer, X-RateLimit-Remaining
// 0 with X-RateLimit-Reset in the future. It is capped at maxHold, since the
// reset is FinPro's clock and a wild header must not silence an endpoint for
// hours; 0 means no hold.
func HoldFor(status int, h http.Header, now time.Time, maxHold time.Duration) time.Duration {
	var d time.Duration
	switch {
	case status == http.StatusTooManyRequests:
		d = RetryAfter(h, now)
	case strings.TrimSpace(h.Get("X-RateLimit-Remaining")) == "0":
		if n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil && n > 0 {
			d = time.Unix(n, 0).Sub(now)
		}
	}
	return min(max(d, 0), maxHold)
}

// RetryAfter reads Retry-After (seconds or an HTTP date) or, failing that,
// X-RateLimit-Reset (Unix seconds). It returns 0 when neither says anything usable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if n <= 0 {
				return 0
			}
			if n > 1<<20 {
				n = 1 << 20
			}
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			return max(time.Unix(n, 0).Sub(now), 0)
		}
	}
	return 0
}
