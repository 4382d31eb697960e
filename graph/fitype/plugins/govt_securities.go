package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// GovtSecuritiesAccount is the GraphQL GovtSecuritiesAccount type.
type GovtSecuritiesAccount struct {
	fitype.AccountBase
}

// Summary resolves GovtSecuritiesAccount.summary from the consent's getallfidata.
func (a *GovtSecuritiesAccount) Summary(ctx context.Context) (*model.BondsSummary, error) {
	return fitype.SummaryOf[securities.GovtSecurities, securities.BondsSummary, model.BondsSummary](ctx, &a.AccountBase, func(d *securities.GovtSecurities) *securities.BondsSummary { return d.Summary })
}
