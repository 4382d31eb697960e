package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// The graph's guards live here: the @auth directive checks a field's scope
// before its resolver runs; the entry points (the customer queries, the
// subscription) check the customer and product the caller may use, and
// everything reached by reference (node, nodes, the mutations' consents) is
// placed first (placeConsent in node.go). Nested objects carry their customer
// and product, so their fields need no further check.
//
// Every denial has the same code and text, whatever its reason (scope,
// customer, product, consent ownership): a caller learns nothing about other
// customers from it, and no denial reaches FinPro.

// Messages of the guards' errors.
const (
	// MsgNotAllowed is the text of every FORBIDDEN error.
	MsgNotAllowed = "not allowed"
	// MsgUnauthenticated is the text of UNAUTHENTICATED errors: the same as
	// the HTTP and websocket refusals of internal/auth.
	MsgUnauthenticated = auth.PublicMessage
)

// tokenScopes maps the schema's Scope values to the token's scope strings.
var tokenScopes = map[model.Scope]string{
	model.ScopeConsentsRead:     auth.ScopeConsentsRead,
	model.ScopeConsentsWrite:    auth.ScopeConsentsWrite,
	model.ScopeBalancesRead:     auth.ScopeBalancesRead,
	model.ScopeTransactionsRead: auth.ScopeTransactionsRead,
	model.ScopeProfileRead:      auth.ScopeProfileRead,
	model.ScopeDataSync:         auth.ScopeDataSync,
}

// TokenScope returns the token scope string of a schema Scope, and false for
// a value the schema does not know.
func TokenScope(s model.Scope) (string, bool) {
	v, ok := tokenScopes[s]
	return v, ok
}

// notAllowed returns the one FORBIDDEN error of the guards.
func notAllowed() error { return apierr.New(apierr.Forbidden, MsgNotAllowed) }

// unauthenticated returns the UNAUTHENTICATED error of a request without
// identity.
func unauthenticated() error { return apierr.New(apierr.Unauthenticated, MsgUnauthenticated) }

// Auth implements the @auth(scope:) directive (generated.DirectiveRoot.Auth):
// without a principal the field fails with UNAUTHENTICATED, without the scope
// with FORBIDDEN, in both cases before next (the field's resolver) runs. An
// unknown scope denies.
func Auth(ctx context.Context, obj any, next graphql.Resolver, scope model.Scope) (any, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return nil, unauthenticated()
	}
	s, known := TokenScope(scope)
	if !known || !p.HasScope(s) {
		return nil, notAllowed()
	}
	return next(ctx)
}

// principal returns the caller: the one reading of the context's identity
// per resolver, handed on to the checks below (they take the Principal).
func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return auth.Principal{}, unauthenticated()
	}
	return p, nil
}

// authorizeCustomer checks that p may act for the customer with this mobile
// under this product: a customer-bound token only for its own customer, a
// token with a products claim only for those products.
func authorizeCustomer(p auth.Principal, mobile, productID string) error {
	if !p.AllowsCustomer(mobile) || !p.AllowsProduct(productID) {
		return notAllowed()
	}
	return nil
}

// authorizeConsentEvents checks that p may follow the consent events of a
// customer (mobile) or of one consent (handle); either may be empty. A bound
// caller's mobile defaults to its own (see eventsRequest), so it never follows
// a handle outside its customer.
func authorizeConsentEvents(p auth.Principal, mobile, productID string) error {
	if p.Bound() && mobile == "" {
		return notAllowed()
	}
	if mobile != "" {
		return authorizeCustomer(p, mobile, productID)
	}
	if !p.AllowsProduct(productID) {
		return notAllowed()
	}
	return nil
}
