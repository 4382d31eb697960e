package httpguard

import (
	"container/list"
	"fmt"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// AuthFailureConfig configures [AuthFailures]. Zero fields take the defaults.
type AuthFailureConfig struct {
	// PerMinute is how many failures an address is allowed per minute once
	// its burst is spent (default 10).
	PerMinute float64
	// Burst is how many failures an address may have at once (default 20).
	Burst int
	// MaxAddrs bounds the addresses remembered (default 10000), least
	// recently failed dropped first; only failing addresses take memory,
	// about 150 bytes each.
	MaxAddrs int
	// Now returns the current time (default time.Now); tests set it.
	Now func() time.Time
}

// Defaults of [AuthFailureConfig].
const (
	DefaultAuthFailuresPerMinute = 10
	DefaultAuthFailureBurst      = 20
	DefaultAuthFailureMaxAddrs   = 10000
)

// AuthFailures limits failed authentications per client address: each
// failure ([AuthFailures.Failed]) takes a token from the address's bucket,
// and while the bucket is empty the address's requests that carry a
// credential are refused before anything verifies them
// ([AuthFailures.Middleware]). Successes cost nothing, and requests without a
// credential are not refused: they never reach a verifier. IPv6 clients are
// counted per /64, the block one subscriber line gets. It is safe for
// concurrent use.
type AuthFailures struct {
	cfg AuthFailureConfig

	mu    sync.Mutex
	order *list.List // of *failBucket, most recently failed first
	addrs map[netip.Addr]*list.Element
}

type failBucket struct {
	addr netip.Addr
	lim  *rate.Limiter
}

// NewAuthFailures returns a limiter configured by cfg.
func NewAuthFailures(cfg AuthFailureConfig) *AuthFailures {
	if cfg.PerMinute <= 0 {
		cfg.PerMinute = DefaultAuthFailuresPerMinute
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultAuthFailureBurst
	}
	if cfg.MaxAddrs <= 0 {
		cfg.MaxAddrs = DefaultAuthFailureMaxAddrs
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &AuthFailures{cfg: cfg, order: list.New(), addrs: map[netip.Addr]*list.Element{}}
}

// group is the unit an address is counted in: itself for IPv4, its /64 for
// IPv6.
func group(a netip.Addr) netip.Addr {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

// Failed counts one failed authentication from addr. An invalid addr (no
// client address known) is not counted.
func (f *AuthFailures) Failed(addr netip.Addr) {
	if !addr.IsValid() {
		return
	}
	addr = group(addr)
	now := f.cfg.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.addrs[addr]
	if ok {
		f.order.MoveToFront(e)
	} else {
		lim := rate.NewLimiter(rate.Limit(f.cfg.PerMinute/60), f.cfg.Burst)
		e = f.order.PushFront(&failBucket{addr: addr, lim: lim})
		f.addrs[addr] = e
		if f.order.Len() > f.cfg.MaxAddrs {
			old := f.order.Back()
			f.order.Remove(old)
			delete(f.addrs, old.Value.(*failBucket).addr)
		}
	}
	e.Value.(*failBucket).lim.AllowN(now, 1)
}

// Blocked reports whether addr has spent its failures, and if so how long
// until it may try again.
func (f *AuthFailures) Blocked(addr netip.Addr) (bool, time.Duration) {
	if !addr.IsValid() {
		return false, 0
	}
	addr = group(addr)
	now := f.cfg.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.addrs[addr]
	if !ok {
		return false, 0
	}
	lim := e.Value.(*failBucket).lim
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return false, 0
	}
	wait := time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second))
	return true, wait
}

// Len returns the number of addresses remembered.
func (f *AuthFailures) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.order.Len()
}

// Middleware answers 429 with Retry-After and a RATE_LIMITED body to a
// request that carries a credential (an Authorization header, or a websocket
// upgrade, whose credential comes in connection_init) from an address that
// has spent its failures; other requests pass. The client address comes from
// [ClientAddrs.WithClientAddr], which must run first.
func (f *AuthFailures) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || isUpgrade(r) {
			if addr, ok := ClientAddrFrom(r.Context()); ok {
				if blocked, wait := f.Blocked(addr); blocked {
					secs := retrySeconds(wait)
					refuse(w, http.StatusTooManyRequests,
						fmt.Sprintf("too many failed authentications; retry after %d seconds", secs), secs)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
