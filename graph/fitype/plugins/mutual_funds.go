package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// MutualFunds is the plugin of FI type MUTUAL_FUNDS (a folio statement).
type MutualFunds struct{}

// FIType returns MUTUAL_FUNDS.
func (MutualFunds) FIType() finpro.FIType { return fi.TypeMutualFunds }

// Account returns a MutualFundAccount.
func (MutualFunds) Account(base fitype.AccountBase) fitype.Account {
	return &MutualFundAccount{AccountBase: base}
}

// MutualFundAccount is the GraphQL MutualFundAccount type.
type MutualFundAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[fi.MutualFundsSummary, model.MutualFundSummary]()

// Summary resolves MutualFundAccount.summary from the consent's getallfidata.
func (a *MutualFundAccount) Summary(ctx context.Context) (*model.MutualFundSummary, error) {
	return fitype.SummaryOf[fi.MutualFunds, fi.MutualFundsSummary, model.MutualFundSummary](ctx, &a.AccountBase, func(d *fi.MutualFunds) *fi.MutualFundsSummary { return d.Summary })
}
