package httpguard

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// DefaultShedRetryAfter is the Retry-After of a shed request when
// [NewInFlight] is given none.
const DefaultShedRetryAfter = time.Second

// InFlight bounds the requests being served at once. A request over the
// bound is shed at once, not queued: a queue behind a slow upstream only
// turns overload into timeouts and memory. It is safe for concurrent use.
type InFlight struct {
	slots      chan struct{}
	retryAfter int
}

// NewInFlight returns a bound of limit requests (at least 1); shed requests
// are told to retry after retryAfter (DefaultShedRetryAfter when not
// positive).
func NewInFlight(limit int, retryAfter time.Duration) *InFlight {
	if retryAfter <= 0 {
		retryAfter = DefaultShedRetryAfter
	}
	return &InFlight{slots: make(chan struct{}, max(limit, 1)), retryAfter: retrySeconds(retryAfter)}
}

// Middleware serves a request while a slot is free and answers 503 with
// Retry-After and a RATE_LIMITED body otherwise. Websocket upgrades pass
// uncounted: a socket lives for hours, and its operations are bounded per
// socket and its sockets per principal instead. A request that turns into a
// long-lived stream (an HTTP subscription) gives its slot back with
// [Release] once the stream is established, for the same reason.
func (f *InFlight) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case f.slots <- struct{}{}:
		default:
			refuse(w, http.StatusServiceUnavailable,
				fmt.Sprintf("server busy; retry after %d seconds", f.retryAfter), f.retryAfter)
			return
		}
		release := sync.OnceFunc(func() { <-f.slots })
		defer release()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), releaseKey{}, release)))
	})
}

// InFlight returns the number of requests being served.
func (f *InFlight) InFlight() int { return len(f.slots) }

type releaseKey struct{}

// Release gives back the in-flight slot of the request ctx belongs to: for a
// request that became a long-lived stream, bounded per principal instead.
// It does nothing for a request without a slot, and is safe to call twice.
func Release(ctx context.Context) {
	if release, ok := ctx.Value(releaseKey{}).(func()); ok {
		release()
	}
}
