// Package auth verifies the caller's JWT and carries the caller's identity
// through a request's context.
//
// A [Verifier] checks a token against one key source (an HS256 secret, a PEM
// public key, or a JWKS URL) with an explicit algorithm allow-list, and turns
// its claims into a [Principal]. [Middleware] does this for HTTP requests
// (Authorization: Bearer), [WebsocketInit] for the connection_init payload of
// a websocket; both put the Principal into the context with [WithPrincipal],
// and resolvers read it with [PrincipalFrom]. [Mint] makes HS256 tokens for
// local use.
//
// What belongs here: what a token must carry (algorithms, claims, expiry)
// and who the caller then is (Principal, its scopes, products and customer).
// Finding and parsing the verification keys (PEM, JWK Set fetching and
// caching) is internal/auth/keys'.
package auth

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// The scopes a token's scope claim may grant.
const (
	ScopeConsentsRead     = "consents:read"
	ScopeConsentsWrite    = "consents:write"
	ScopeBalancesRead     = "balances:read"
	ScopeTransactionsRead = "transactions:read"
	ScopeProfileRead      = "profile:read"
	ScopeDataSync         = "data:sync"
)

// DevScopes returns every scope the API knows, for the sandbox's development
// token. Each call returns a new slice.
func DevScopes() []string {
	return []string{
		ScopeConsentsRead,
		ScopeConsentsWrite,
		ScopeBalancesRead,
		ScopeTransactionsRead,
		ScopeProfileRead,
		ScopeDataSync,
	}
}

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

// HasScope reports whether the caller's token grants scope s.
func (p Principal) HasScope(s string) bool {
	return s != "" && slices.Contains(p.Scopes, s)
}

// AllowsProduct reports whether the caller may use the product with the given
// productID. A token without a products claim may use any product.
func (p Principal) AllowsProduct(productID string) bool {
	return len(p.Products) == 0 || slices.Contains(p.Products, productID)
}

// AllowsCustomer reports whether the caller may act for the customer with the
// given mobile number: a caller bound to a customer only for that customer, a
// caller not bound to one (see [Principal.Bound]) for any customer.
func (p Principal) AllowsCustomer(mobile string) bool {
	return p.Mobile == "" || p.Mobile == mobile
}

// Bound reports whether the caller's token binds it to one customer.
func (p Principal) Bound() bool {
	return p.Mobile != ""
}

// LogValue implements [slog.LogValuer]. It logs the subject and scopes only:
// the mobile number is personal data.
func (p Principal) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("sub", p.Subject),
		slog.String("scope", strings.Join(p.Scopes, " ")),
		slog.Bool("bound", p.Bound()),
	)
}

// String returns a description of p without its mobile number, so that
// printing a Principal with %v cannot leak it.
func (p Principal) String() string {
	return "auth.Principal{Subject: " + p.Subject + ", Scopes: [" + strings.Join(p.Scopes, " ") + "], Mobile: " + p.redactedMobile() + "}"
}

// GoString is String for %#v.
func (p Principal) GoString() string { return p.String() }

func (p Principal) redactedMobile() string {
	if p.Mobile == "" {
		return "none"
	}
	return "REDACTED"
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
