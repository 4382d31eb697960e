package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
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

var _ = convert.Register[funds.MutualFundsSummary, model.MutualFundSummary]()

// Summary resolves MutualFundAccount.summary from the consent's getallfidata.
func (a *MutualFundAccount) Summary(ctx context.Context) (*model.MutualFundSummary, error) {
	return fitype.SummaryOf[funds.MutualFunds, funds.MutualFundsSummary, model.MutualFundSummary](ctx, &a.AccountBase, func(d *funds.MutualFunds) *funds.MutualFundsSummary { return d.Summary })
}
