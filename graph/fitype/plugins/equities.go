package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// EquitiesAccount is the GraphQL EquitiesAccount type.
type EquitiesAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[securities.EquitiesSummary, model.EquitiesSummary]()

// Summary resolves EquitiesAccount.summary from the consent's getallfidata.
func (a *EquitiesAccount) Summary(ctx context.Context) (*model.EquitiesSummary, error) {
	return fitype.SummaryOf[securities.Equities, securities.EquitiesSummary, model.EquitiesSummary](ctx, &a.AccountBase, func(d *securities.Equities) *securities.EquitiesSummary { return d.Summary })
}
