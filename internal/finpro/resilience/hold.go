package resilience

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Hold is one endpoint's rate-limit hold. Once FinPro has said its quota is
// spent and when to come back, calls to the endpoint are refused locally with
// ErrRateLimited and the time left until then, and FinPro gets none: calling
// it early only earns another 429 and may lengthen the penalty.
//
// FinPro says the quota is spent with X-RateLimit-Remaining: 0 (on a 429 or
// on any answer, with X-RateLimit-Reset), which every FinPro answer carries.
// A 429 that does not say so (a gateway's burst limiter, a proxy) fails only
// its own call, until [HoldStrikes] such 429s come in a row: holding a whole
// endpoint for each stray 429 would blank every screen that needs it for
// the Retry-After, while FinPro answers the other calls.
type Hold struct {
	mu      sync.Mutex
	until   time.Time
	strikes int // 429s in a row that did not say the quota is spent
}

// HoldStrikes is how many 429s in a row, none saying the quota is spent,
// put an endpoint on hold.
const HoldStrikes = 3

// Note records an answer's rate-limit headers: it extends the hold as the
// answer asks (see [HoldFor]), or, for a 429 that does not say the quota is
// spent, counts a strike and holds only at the HoldStrikes-th in a row. Any
// other answer ends the run of strikes.
func (h *Hold) Note(status int, hdr http.Header, now time.Time, maxHold time.Duration) {
	d := HoldFor(status, hdr, now, maxHold)
	h.mu.Lock()
	defer h.mu.Unlock()
	if status != http.StatusTooManyRequests {
		h.strikes = 0
	} else if !quotaSpent(hdr) {
		if h.strikes++; h.strikes < HoldStrikes {
			return
		}
	}
	if until := now.Add(d); d > 0 && until.After(h.until) {
		h.until = until
	}
}

// quotaSpent reports whether an answer says the endpoint's quota is used up.
func quotaSpent(h http.Header) bool {
	return strings.TrimSpace(h.Get("X-RateLimit-Remaining")) == "0"
}

// Left is how long the hold still lasts at now (0: not held).
func (h *Hold) Left(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(h.until.Sub(now), 0)
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
	case quotaSpent(h):
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
