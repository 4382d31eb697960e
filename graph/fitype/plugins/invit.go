package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// InvITAccount is the GraphQL InvITAccount type.
type InvITAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.InvITSummary, model.InvITSummary]()

// Summary resolves InvITAccount.summary from the consent's getallfidata.
func (a *InvITAccount) Summary(ctx context.Context) (*model.InvITSummary, error) {
	return fitype.SummaryOf[funds.InvIT, funds.InvITSummary, model.InvITSummary](ctx, &a.AccountBase, func(d *funds.InvIT) *funds.InvITSummary { return d.Summary })
}
