package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// AIFAccount is the GraphQL AIFAccount type.
type AIFAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.AIFSummary, model.AIFSummary]()

// Summary resolves AIFAccount.summary from the consent's getallfidata.
func (a *AIFAccount) Summary(ctx context.Context) (*model.AIFSummary, error) {
	return fitype.SummaryOf[funds.AIF, funds.AIFSummary, model.AIFSummary](ctx, &a.AccountBase, func(d *funds.AIF) *funds.AIFSummary { return d.Summary })
}
