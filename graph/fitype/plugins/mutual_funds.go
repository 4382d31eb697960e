package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// MutualFundAccount is the GraphQL MutualFundAccount type.
type MutualFundAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.MutualFundsSummary, model.MutualFundSummary]()

// Summary resolves MutualFundAccount.summary from the consent's getallfidata.
func (a *MutualFundAccount) Summary(ctx context.Context) (*model.MutualFundSummary, error) {
	return fitype.SummaryOf[funds.MutualFunds, funds.MutualFundsSummary, model.MutualFundSummary](ctx, &a.AccountBase, func(d *funds.MutualFunds) *funds.MutualFundsSummary { return d.Summary })
}
