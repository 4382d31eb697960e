package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// IDRAccount is the GraphQL IDRAccount type.
type IDRAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[securities.IDRSummary, model.IDRSummary]()

// Summary resolves IDRAccount.summary from the consent's getallfidata.
func (a *IDRAccount) Summary(ctx context.Context) (*model.IDRSummary, error) {
	return fitype.SummaryOf[securities.IDR, securities.IDRSummary, model.IDRSummary](ctx, &a.AccountBase, func(d *securities.IDR) *securities.IDRSummary { return d.Summary })
}
