package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
)

// NPSAccount is the GraphQL NPSAccount type.
type NPSAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[pension.NPSSummary, model.NPSSummary]()

// Summary resolves NPSAccount.summary from the consent's getallfidata.
func (a *NPSAccount) Summary(ctx context.Context) (*model.NPSSummary, error) {
	return fitype.SummaryOf[pension.NPS, pension.NPSSummary, model.NPSSummary](ctx, &a.AccountBase, func(d *pension.NPS) *pension.NPSSummary { return d.Summary })
}
