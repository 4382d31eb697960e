// Package httpguard provides HTTP middleware that protects the server itself,
// whatever the query: a limit on failed authentications per client address
// ([AuthFailures]), a bound on requests in flight that sheds the excess at once
// ([InFlight]), Cache-Control: no-store on every answer ([NoStore]), and the
// client address of a request behind trusted proxies ([ClientAddrs]).
//
// Refusals carry a GraphQL-shaped body (errors[0].extensions.code
// RATE_LIMITED with retryAfterSeconds) and a Retry-After header, so that
// GraphQL clients handle them like the server's other limits.
package httpguard

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// ClientAddrs finds the address of the client behind a request. The zero
// value trusts no proxy: the address is the peer's (RemoteAddr).
type ClientAddrs struct {
	trusted []netip.Prefix
}

// NewClientAddrs returns a ClientAddrs that trusts the proxies in trusted:
// when the peer is one of them, the client is the right-most address of
// X-Forwarded-For that is not a trusted proxy (each proxy appends the address
// it received the request from, so entries left of the last untrusted one
// could have been written by the client itself).
func NewClientAddrs(trusted []netip.Prefix) ClientAddrs {
	return ClientAddrs{trusted: trusted}
}

// ParsePrefixes parses a comma-separated list of CIDR prefixes or single
// addresses ("10.0.0.0/8, 192.168.1.7").
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q: want an address or a CIDR prefix", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q: want an address or a CIDR prefix", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Of returns r's client address; the zero Addr when RemoteAddr is not an IP
// address (a test's httptest.NewRequest says "192.0.2.1:1234", a unix socket
// says "@").
func (c ClientAddrs) Of(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	addr := ap.Addr().Unmap()
	if !c.isTrusted(addr) {
		return addr
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return addr // a hop we cannot read: stop at the last proxy
			}
			if a = a.Unmap(); !c.isTrusted(a) {
				return a
			}
			addr = a
		}
	}
	return addr
}

func (c ClientAddrs) isTrusted(a netip.Addr) bool {
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type addrKey struct{}

// WithClientAddr returns middleware that puts r's client address (see
// [ClientAddrs.Of]) into the request's context, for [ClientAddrFrom]: a
// websocket's connection_init, which runs with the upgrade request's context,
// finds it there.
func (c ClientAddrs) WithClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addrKey{}, c.Of(r))))
	})
}

// ClientAddrFrom returns the client address WithClientAddr stored, and
// whether there was one.
func ClientAddrFrom(ctx context.Context) (netip.Addr, bool) {
	a, ok := ctx.Value(addrKey{}).(netip.Addr)
	return a, ok && a.IsValid()
}

// NoStore sets Cache-Control: no-store on every answer of next: GraphQL
// answers carry financial data, which no browser, proxy or CDN may keep
// (GET queries are cacheable by default otherwise).
func NoStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// retrySeconds rounds d up to whole seconds, at least 1.
func retrySeconds(d time.Duration) int {
	return max(int((d+time.Second-1)/time.Second), 1)
}

// refuse writes a GraphQL-shaped refusal with Retry-After.
func refuse(w http.ResponseWriter, status int, msg string, retryAfter int) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	apierr.WriteHTTP(w, status, apierr.RateLimited, msg, map[string]any{"retryAfterSeconds": retryAfter})
}

// isUpgrade reports whether r asks for a websocket.
func isUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
