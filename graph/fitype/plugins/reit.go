package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// REITAccount is the GraphQL REITAccount type.
type REITAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.REITSummary, model.REITSummary]()

// Summary resolves REITAccount.summary from the consent's getallfidata.
func (a *REITAccount) Summary(ctx context.Context) (*model.REITSummary, error) {
	return fitype.SummaryOf[funds.REIT, funds.REITSummary, model.REITSummary](ctx, &a.AccountBase, func(d *funds.REIT) *funds.REITSummary { return d.Summary })
}
