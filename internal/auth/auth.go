// Package auth carries the caller's identity through a request's context.
//
// The HTTP middleware (and, for websockets, the connection_init handler) puts a
// verified Principal into the context with WithPrincipal; resolvers read it with
// PrincipalFrom. JWT verification arrives in a later change; this package only
// defines the identity and its context accessors.
package auth

import (
	"context"
	"time"
)

// Principal is an authenticated caller.
type Principal struct {
	// Subject is the token's sub claim.
	Subject string
	// Mobile binds the caller to one customer (the token's mobile claim); empty
	// for callers not bound to a customer. It is personal data: never log it.
	Mobile string
	// Scopes are the token's scopes, e.g. "balances:read".
	Scopes []string
	// Products are the productIDs the caller may use; empty means any.
	Products []string
	// ExpiresAt is when the token stops being valid; long-lived operations
	// (subscriptions) end then. Zero means no expiry is known.
	ExpiresAt time.Time
}

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// PrincipalFrom returns the caller's identity, if the request carries one.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}
