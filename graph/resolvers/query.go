package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
)

// Customer returns the customer after validating and authorizing its
// arguments; its fields call FinPro lazily.
func (r *queryResolver) Customer(ctx context.Context, mobileNumber string, productID string) (*model.Customer, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return customerFor(p, mobileNumber, productID)
}

// Me returns the customer bound to the caller's identity (UNAUTHENTICATED
// without one).
func (r *queryResolver) Me(ctx context.Context, productID string) (*model.Customer, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if p.Mobile == "" {
		return nil, unauthenticated()
	}
	return customerFor(p, p.Mobile, productID)
}
