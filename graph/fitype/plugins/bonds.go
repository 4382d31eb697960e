package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// BondsAccount is the GraphQL BondsAccount type.
type BondsAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[securities.BondsSummary, model.BondsSummary]()

// Summary resolves BondsAccount.summary from the consent's getallfidata.
func (a *BondsAccount) Summary(ctx context.Context) (*model.BondsSummary, error) {
	return fitype.SummaryOf[securities.Bonds, securities.BondsSummary, model.BondsSummary](ctx, &a.AccountBase, func(d *securities.Bonds) *securities.BondsSummary { return d.Summary })
}
