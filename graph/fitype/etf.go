package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// ETF is the plugin of FI type ETF (exchange traded funds).
type ETF struct{}

// FIType returns ETF.
func (ETF) FIType() finpro.FIType { return fi.TypeETF }

// Account returns a ETFAccount.
func (ETF) Account(base AccountBase) Account { return &ETFAccount{AccountBase: base} }

// ETFAccount is the GraphQL ETFAccount type.
type ETFAccount struct {
	AccountBase
}

var _ = converts[fi.ETFSummary, model.ETFSummary]()

// Summary resolves ETFAccount.summary from the consent's getallfidata.
func (a *ETFAccount) Summary(ctx context.Context) (*model.ETFSummary, error) {
	return summaryOf[fi.ETF, fi.ETFSummary, model.ETFSummary](ctx, &a.AccountBase, func(d *fi.ETF) *fi.ETFSummary { return d.Summary })
}
