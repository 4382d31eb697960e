package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// ETFAccount is the GraphQL ETFAccount type.
type ETFAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.ETFSummary, model.ETFSummary]()

// Summary resolves ETFAccount.summary from the consent's getallfidata.
func (a *ETFAccount) Summary(ctx context.Context) (*model.ETFSummary, error) {
	return fitype.SummaryOf[funds.ETF, funds.ETFSummary, model.ETFSummary](ctx, &a.AccountBase, func(d *funds.ETF) *funds.ETFSummary { return d.Summary })
}
