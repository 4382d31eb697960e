package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// REIT is the plugin of FI type REIT (real estate investment trusts).
type REIT struct{}

// FIType returns REIT.
func (REIT) FIType() finpro.FIType { return fi.TypeREIT }

// Account returns a REITAccount.
func (REIT) Account(base AccountBase) Account { return &REITAccount{AccountBase: base} }

// REITAccount is the GraphQL REITAccount type.
type REITAccount struct {
	AccountBase
}

var _ = converts[fi.REITSummary, model.REITSummary]()

// Summary resolves REITAccount.summary from the consent's getallfidata.
func (a *REITAccount) Summary(ctx context.Context) (*model.REITSummary, error) {
	return summaryOf[fi.REIT, fi.REITSummary, model.REITSummary](ctx, &a.AccountBase, func(d *fi.REIT) *fi.REITSummary { return d.Summary })
}
