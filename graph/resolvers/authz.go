package resolvers

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/moneyone-bff/finpro-bff/graph/apierr"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// The graph's guards live here: the @auth directive checks a field's scope
// before its resolver runs; the entry points (the customer queries, the
// subscription, the mutations) check the customer and product the caller may
// use. Nested objects carry their customer and product, so their fields need
// no further check.
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
	msgNeedsProduct    = "productID is required with a customer-bound token"
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

// callerMobile returns the mobile number the caller's identity is bound to.
func callerMobile(ctx context.Context) (string, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok || p.Mobile == "" {
		return "", unauthenticated()
	}
	return p.Mobile, nil
}

// authorizeCustomer checks that the caller may act for the customer with this
// mobile under this product: a customer-bound token only for its own customer,
// a token with a products claim only for those products.
func authorizeCustomer(ctx context.Context, mobile, productID string) error {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return unauthenticated()
	}
	if !p.AllowsCustomer(mobile) || !p.AllowsProduct(productID) {
		return notAllowed()
	}
	return nil
}

// authorizeConsentEvents checks that the caller may follow the consent events
// of a customer (mobile) or of one consent (handle); either may be empty. A
// bound caller's mobile defaults to its own (see consentEvents), so it never
// follows a handle outside its customer.
func authorizeConsentEvents(ctx context.Context, mobile, handle, productID string) error {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return unauthenticated()
	}
	if p.Bound() && mobile == "" {
		return notAllowed()
	}
	if mobile != "" {
		return authorizeCustomer(ctx, mobile, productID)
	}
	if !p.AllowsProduct(productID) {
		return notAllowed()
	}
	return nil
}

// authorizeConsent checks that the caller may act on the consent with FinPro
// consent ID consentID (the mutations that take one). productArg is the
// mutation's optional productID.
//
// An unbound token may act on any consent of its products (FinPro cannot tell
// a consent's product without its customer, so only productArg is checked).
// A bound token may act only on its own customer's consents: the consent must
// be in the customer's consent list (one call per product, in parallel)
// under productArg, or, without it, under one of the token's products. A
// consent of another customer and a consent that does not exist are the same
// FORBIDDEN, and FinPro's write is never called for them.
func authorizeConsent(ctx context.Context, consentID string, productArg *string) error {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return unauthenticated()
	}
	var products []string
	if productArg != nil {
		if err := validID("productID", *productArg); err != nil {
			return err
		}
		if !p.AllowsProduct(*productArg) {
			return notAllowed()
		}
		products = []string{*productArg}
	}
	if !p.Bound() {
		return nil
	}
	if products == nil {
		products = p.Products
	}
	if len(products) == 0 {
		return apierr.BadInput(msgNeedsProduct)
	}
	found := make([]bool, len(products))
	errs := make([]error, len(products))
	var wg sync.WaitGroup
	for i, product := range products {
		wg.Go(func() {
			found[i], errs[i] = customerHasConsent(ctx, p.Mobile, product, consentID)
		})
	}
	wg.Wait()
	for i := range products {
		if found[i] {
			return nil
		}
	}
	if err := firstError(errs); err != nil {
		return err
	}
	return notAllowed()
}

// customerHasConsent reports whether the consent list of the customer with
// this mobile shows consentID under productID.
func customerHasConsent(ctx context.Context, mobile, productID, consentID string) (bool, error) {
	page, err := loaders.Consents(ctx, loaders.ConsentsKey{MobileNumber: mobile, ProductID: productID})
	if err != nil {
		return false, err
	}
	for _, row := range page.Consents {
		if row.ConsentID == consentID && keepConsent(row, productID, nil) {
			return true, nil
		}
	}
	return false, nil
}
