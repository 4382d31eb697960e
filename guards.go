package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/config"
	"github.com/moneyone-bff/finpro-bff/internal/httpguard"
)

// serverGuards are the protections of the server itself around /graphql
// (internal/httpguard), built from the configuration.
type serverGuards struct {
	addrs    httpguard.ClientAddrs
	failures *httpguard.AuthFailures // nil: AUTH_FAILURES_PER_MINUTE=0
	inFlight *httpguard.InFlight     // nil: MAX_IN_FLIGHT=0
}

func newServerGuards(cfg *config.Config) serverGuards {
	g := serverGuards{addrs: httpguard.NewClientAddrs(cfg.TrustedProxies)}
	if cfg.AuthFailuresPerMinute > 0 {
		g.failures = httpguard.NewAuthFailures(httpguard.AuthFailureConfig{
			PerMinute: float64(cfg.AuthFailuresPerMinute),
			Burst:     cfg.AuthFailureBurst,
		})
	}
	if cfg.MaxInFlight > 0 {
		g.inFlight = httpguard.NewInFlight(cfg.MaxInFlight, time.Second)
	}
	return g
}

// authFailed counts a presented credential that did not verify against the
// client address of ctx. A missing credential is not counted: it reaches no
// verifier, and an app calls before its user has signed in.
func (g serverGuards) authFailed(ctx context.Context, err error) {
	if g.failures == nil || errors.Is(err, auth.ErrMissingToken) {
		return
	}
	addr, _ := httpguard.ClientAddrFrom(ctx)
	g.failures.Failed(addr)
}

// onAuthError answers a request whose token did not verify (auth.Middleware's
// onError), counting the failure.
func (g serverGuards) onAuthError(w http.ResponseWriter, r *http.Request, err error) {
	g.authFailed(r.Context(), err)
	auth.Unauthorized(w, r, err)
}

// beforeAuth refuses, before the verifier, the credentials of addresses that
// spent their failures.
func (g serverGuards) beforeAuth(next http.Handler) http.Handler {
	if g.failures == nil {
		return next
	}
	return g.failures.Middleware(next)
}

// outer runs first on /graphql: it marks every answer Cache-Control:
// no-store (they carry financial data, and refusals must not be cached
// either), finds the client address and sheds the requests over
// MAX_IN_FLIGHT, before anything parses them.
func (g serverGuards) outer(next http.Handler) http.Handler {
	if g.inFlight != nil {
		next = g.inFlight.Middleware(next)
	}
	return httpguard.NoStore(g.addrs.WithClientAddr(next))
}
