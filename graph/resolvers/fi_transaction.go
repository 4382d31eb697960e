package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/model"
)

// Transaction returns the Transaction resolvers.
func (r *Resolver) Transaction() generated.TransactionResolver { return transactionResolver{r} }

type transactionResolver struct{ *Resolver }

// Detail resolves Transaction.detail: the row in its FI type's ReBIT schema
// (graph/fitype), from the bytes the page already holds; no FinPro call.
func (transactionResolver) Detail(_ context.Context, obj *model.Transaction) (model.TransactionDetail, error) {
	return fitype.DetailOf(obj), nil
}
