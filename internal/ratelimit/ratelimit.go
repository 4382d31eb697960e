// Package ratelimit limits requests per principal: a token bucket per key
// (the token's subject, else the client IP), shared by an HTTP middleware for
// requests and a gqlgen extension for the operations of a websocket, with the
// IETF RateLimit and RateLimit-Policy headers on every answer and 429,
// Retry-After and RATE_LIMITED (extensions.retryAfterSeconds) over the limit.
//
// What belongs here: the per-principal budget of requests and operations.
// Limits per client address before authentication (failed tokens, requests
// in flight) are internal/httpguard's; limits on what one document may ask
// are internal/guard's.
package ratelimit

import (
	"container/list"
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// Config configures a [Limiter]. Zero fields take the defaults.
type Config struct {
	// PerSecond is the sustained rate of each key (default 10); rate.Inf
	// turns limiting off.
	PerSecond rate.Limit
	// Burst is how many requests a key may make at once (default 20).
	Burst int
	// Key names the bucket of a request. The default is the principal's
	// subject (auth.PrincipalFrom) when the request carries one, else the
	// client IP of RemoteAddr. Behind a proxy RemoteAddr is the proxy's: pass
	// a Key that reads the header the trusted proxy sets.
	Key func(*http.Request) string
	// MaxKeys bounds the buckets kept (default 10000). The least recently
	// used bucket is dropped first; a dropped key starts again with a full
	// burst, so a flood of new keys costs memory no larger than MaxKeys.
	MaxKeys int
	// Now returns the current time (default time.Now); tests set it.
	Now func() time.Time
}

// Defaults of [Config].
const (
	DefaultPerSecond = 10
	DefaultBurst     = 20
	DefaultMaxKeys   = 10000
)

// Limiter is a per-key token bucket limiter shared by its HTTP
// middleware and its gqlgen extension. It is safe for concurrent use.
type Limiter struct {
	cfg Config

	mu    sync.Mutex
	order *list.List // of *bucket, most recently used first
	keys  map[string]*list.Element
}

type bucket struct {
	key string
	lim *rate.Limiter
}

// New returns a limiter configured by cfg.
func New(cfg Config) *Limiter {
	if cfg.PerSecond == 0 {
		cfg.PerSecond = DefaultPerSecond
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = DefaultMaxKeys
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Limiter{cfg: cfg, order: list.New(), keys: map[string]*list.Element{}}
}

// Middleware returns the middleware of New(cfg); see [Limiter.Middleware].
func Middleware(cfg Config) func(http.Handler) http.Handler {
	return New(cfg).Middleware
}

// Allow takes a token from key's bucket. When there is none it returns false
// and how long until there is.
func (rl *Limiter) Allow(key string) (bool, time.Duration) {
	d := rl.Take(key)
	return d.Allowed, d.RetryAfter
}

// Decision is the outcome of [Limiter.Take].
type Decision struct {
	// Allowed reports whether a token was taken.
	Allowed bool
	// Remaining is how many whole tokens are left after it.
	Remaining int
	// RetryAfter is how long until a token is there, when none was.
	RetryAfter time.Duration
	// Reset is how long until the bucket is full again.
	Reset time.Duration
}

// Take takes a token from key's bucket, like Allow, and reports where the
// bucket stands (for RateLimit headers).
func (rl *Limiter) Take(key string) Decision {
	if rl.cfg.PerSecond == rate.Inf {
		return Decision{Allowed: true, Remaining: rl.cfg.Burst}
	}
	now := rl.cfg.Now()
	rl.mu.Lock()
	defer rl.mu.Unlock()
	var b *bucket
	if e, ok := rl.keys[key]; ok {
		rl.order.MoveToFront(e)
		b = e.Value.(*bucket)
	} else {
		b = &bucket{key: key, lim: rate.NewLimiter(rl.cfg.PerSecond, rl.cfg.Burst)}
		rl.keys[key] = rl.order.PushFront(b)
		if rl.order.Len() > rl.cfg.MaxKeys {
			old := rl.order.Back()
			rl.order.Remove(old)
			delete(rl.keys, old.Value.(*bucket).key)
		}
	}
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); !r.OK() || d > 0 {
		r.CancelAt(now)
		return Decision{RetryAfter: d, Reset: rl.untilFull(b.lim, now)}
	}
	return Decision{Allowed: true, Remaining: max(int(b.lim.TokensAt(now)), 0), Reset: rl.untilFull(b.lim, now)}
}

// untilFull is how long lim takes to refill its burst.
func (rl *Limiter) untilFull(lim *rate.Limiter, now time.Time) time.Duration {
	missing := float64(rl.cfg.Burst) - lim.TokensAt(now)
	if missing <= 0 || rl.cfg.PerSecond <= 0 {
		return 0
	}
	return time.Duration(missing / float64(rl.cfg.PerSecond) * float64(time.Second))
}

// policyName names the limit in RateLimit and RateLimit-Policy.
const policyName = `"principal"`

// setHeaders writes the RateLimit-Policy and RateLimit fields of the IETF
// httpapi draft (draft-ietf-httpapi-ratelimit-headers, structured fields): the
// quota q is the burst, which refills in its window w (burst / rate, in whole
// seconds); r is what is left of it and t the seconds until it is full again.
// A client that keeps r above 0 is never refused.
func (rl *Limiter) setHeaders(h http.Header, d Decision) {
	window := math.Ceil(float64(rl.cfg.Burst) / float64(rl.cfg.PerSecond))
	h.Set("RateLimit-Policy", fmt.Sprintf("%s;q=%d;w=%d", policyName, rl.cfg.Burst, max(int(window), 1)))
	h.Set("RateLimit", fmt.Sprintf("%s;r=%d;t=%d", policyName, d.Remaining, int(math.Ceil(d.Reset.Seconds()))))
}

// Len returns the number of buckets kept.
func (rl *Limiter) Len() int {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	return rl.order.Len()
}

// retryAfter rounds d up to whole seconds, at least 1 and at most an hour (a
// limiter that never refills reports an infinite delay).
func retryAfter(d time.Duration) int {
	d = min(d, time.Hour)
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

type (
	countedKey struct{} // marks a request the middleware counted
	socketKey  struct{} // the bucket key of a websocket's upgrade request
)

// Middleware limits requests per key: over the limit it answers 429 with
// Retry-After (whole seconds) and a GraphQL-shaped body with
// extensions.code RATE_LIMITED and extensions.retryAfterSeconds. Every answer
// carries RateLimit-Policy and RateLimit headers (see setHeaders), so a
// client sees where it stands before it is refused. Place it
// after the authentication middleware, so the default key sees the principal.
//
// A websocket upgrade is counted once, and its key is kept in the
// connection's context so that [Limiter.Extension] can count each of the
// socket's operations against the same bucket (or the principal's, once
// connection_init has set one).
func (rl *Limiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := rl.key(r)
		d := rl.Take(key)
		if rl.cfg.PerSecond != rate.Inf {
			rl.setHeaders(w.Header(), d)
		}
		if !d.Allowed {
			secs := retryAfter(d.RetryAfter)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			apierr.WriteHTTP(w, http.StatusTooManyRequests, apierr.RateLimited,
				fmt.Sprintf("too many requests; retry after %d seconds", secs),
				map[string]any{"retryAfterSeconds": secs})
			return
		}
		ctx := r.Context()
		if isUpgrade(r) {
			ctx = context.WithValue(ctx, socketKey{}, key)
		} else {
			ctx = context.WithValue(ctx, countedKey{}, true)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (rl *Limiter) key(r *http.Request) string {
	if rl.cfg.Key != nil {
		return rl.cfg.Key(r)
	}
	if p, ok := auth.PrincipalFrom(r.Context()); ok && p.Subject != "" {
		return "sub:" + p.Subject
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// Extension returns a gqlgen extension that counts every operation that
// [Limiter.Middleware] did not count as a request: in practice, the
// operations of a websocket. Its key is the principal's subject (with the
// default Key) or the key of the socket's upgrade request; an operation
// without either is not limited. Over the limit the operation fails with
// RATE_LIMITED and extensions.retryAfterSeconds.
func (rl *Limiter) Extension() graphql.HandlerExtension {
	return rateExtension{rl}
}

type rateExtension struct{ rl *Limiter }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = rateExtension{}

func (rateExtension) ExtensionName() string { return "GuardRateLimit" }

func (rateExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e rateExtension) MutateOperationParameters(ctx context.Context, _ *graphql.RawParams) *gqlerror.Error {
	if counted, _ := ctx.Value(countedKey{}).(bool); counted {
		return nil
	}
	key, _ := ctx.Value(socketKey{}).(string)
	if p, ok := auth.PrincipalFrom(ctx); ok && p.Subject != "" && e.rl.cfg.Key == nil {
		key = "sub:" + p.Subject
	}
	if key == "" {
		return nil
	}
	if ok, d := e.rl.Allow(key); !ok {
		secs := retryAfter(d)
		err := apierr.GraphQL(apierr.RateLimited, "too many requests; retry after %d seconds", secs)
		err.Extensions["retryAfterSeconds"] = secs
		return err
	}
	return nil
}

// isUpgrade reports whether r asks for a websocket.
func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
