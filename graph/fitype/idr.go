package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// IDR is the plugin of FI type IDR (Indian depository receipts).
type IDR struct{}

// FIType returns IDR.
func (IDR) FIType() finpro.FIType { return fi.TypeIDR }

// Account returns a IDRAccount.
func (IDR) Account(base AccountBase) Account { return &IDRAccount{AccountBase: base} }

// IDRAccount is the GraphQL IDRAccount type.
type IDRAccount struct {
	AccountBase
}

var _ = converts[fi.IDRSummary, model.IDRSummary]()

// Summary resolves IDRAccount.summary from the consent's getallfidata.
func (a *IDRAccount) Summary(ctx context.Context) (*model.IDRSummary, error) {
	return summaryOf[fi.IDR, fi.IDRSummary, model.IDRSummary](ctx, &a.AccountBase, func(d *fi.IDR) *fi.IDRSummary { return d.Summary })
}
