package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// The guards of the graph live here so that scope and customer checks (next
// change) are added in one place.

// callerMobile returns the mobile number the caller's identity is bound to.
func callerMobile(ctx context.Context) (string, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok || p.Mobile == "" {
		return "", apierr.New(apierr.Unauthenticated, "authentication required")
	}
	return p.Mobile, nil
}

// authorizeCustomer checks that the caller may read a customer's data. Every
// caller may until token scopes arrive.
func authorizeCustomer(ctx context.Context, mobile, productID string) error {
	return nil
}

// authorizeConsentEvents checks that the caller may follow the consent events
// of a customer (mobile) or of one consent (handle); either may be empty.
// Every caller may until token scopes arrive.
func authorizeConsentEvents(ctx context.Context, mobile, handle, productID string) error {
	if mobile != "" {
		return authorizeCustomer(ctx, mobile, productID)
	}
	return nil
}
