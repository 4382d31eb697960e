package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// DebenturesAccount is the GraphQL DebenturesAccount type.
type DebenturesAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[securities.DebenturesSummary, model.DebenturesSummary]()

// Summary resolves DebenturesAccount.summary from the consent's getallfidata.
func (a *DebenturesAccount) Summary(ctx context.Context) (*model.DebenturesSummary, error) {
	return fitype.SummaryOf[securities.Debentures, securities.DebenturesSummary, model.DebenturesSummary](ctx, &a.AccountBase, func(d *securities.Debentures) *securities.DebenturesSummary { return d.Summary })
}
