package guard

import (
	"container/list"
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// RateLimitConfig configures a [RateLimiter]. Zero fields take the defaults.
type RateLimitConfig struct {
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

// Defaults of [RateLimitConfig].
const (
	DefaultRatePerSecond = 10
	DefaultRateBurst     = 20
	DefaultRateMaxKeys   = 10000
)

// RateLimiter is a per-key token bucket limiter shared by its HTTP
// middleware and its gqlgen extension. It is safe for concurrent use.
type RateLimiter struct {
	cfg RateLimitConfig

	mu    sync.Mutex
	order *list.List // of *bucket, most recently used first
	keys  map[string]*list.Element
}

type bucket struct {
	key string
	lim *rate.Limiter
}

// NewRateLimiter returns a limiter configured by cfg.
func NewRateLimiter(cfg RateLimitConfig) *RateLimiter {
	if cfg.PerSecond == 0 {
		cfg.PerSecond = DefaultRatePerSecond
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultRateBurst
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = DefaultRateMaxKeys
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &RateLimiter{cfg: cfg, order: list.New(), keys: map[string]*list.Element{}}
}

// RateLimit returns the middleware of NewRateLimiter(cfg); see
// [RateLimiter.Middleware].
func RateLimit(cfg RateLimitConfig) func(http.Handler) http.Handler {
	return NewRateLimiter(cfg).Middleware
}

// Allow takes a token from key's bucket. When there is none it returns false
// and how long until there is.
func (rl *RateLimiter) Allow(key string) (bool, time.Duration) {
	d := rl.Take(key)
	return d.Allowed, d.RetryAfter
}

// Decision is the outcome of [RateLimiter.Take].
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
func (rl *RateLimiter) Take(key string) Decision {
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
func (rl *RateLimiter) untilFull(lim *rate.Limiter, now time.Time) time.Duration {
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
func (rl *RateLimiter) setHeaders(h http.Header, d Decision) {
	window := math.Ceil(float64(rl.cfg.Burst) / float64(rl.cfg.PerSecond))
	h.Set("RateLimit-Policy", fmt.Sprintf("%s;q=%d;w=%d", policyName, rl.cfg.Burst, max(int(window), 1)))
	h.Set("RateLimit", fmt.Sprintf("%s;r=%d;t=%d", policyName, d.Remaining, int(math.Ceil(d.Reset.Seconds()))))
}

// Len returns the number of buckets kept.
func (rl *RateLimiter) Len() int {
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
// connection's context so that [RateLimiter.Extension] can count each of the
// socket's operations against the same bucket (or the principal's, once
// connection_init has set one).
func (rl *RateLimiter) Middleware(next http.Handler) http.Handler {
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

func (rl *RateLimiter) key(r *http.Request) string {
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
// [RateLimiter.Middleware] did not count as a request: in practice, the
// operations of a websocket. Its key is the principal's subject (with the
// default Key) or the key of the socket's upgrade request; an operation
// without either is not limited. Over the limit the operation fails with
// RATE_LIMITED and extensions.retryAfterSeconds.
func (rl *RateLimiter) Extension() graphql.HandlerExtension {
	return rateExtension{rl}
}

type rateExtension struct{ rl *RateLimiter }

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
		err := newError(apierr.RateLimited, "too many requests; retry after %d seconds", secs)
		err.Extensions["retryAfterSeconds"] = secs
		return err
	}
	return nil
}
