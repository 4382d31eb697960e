package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
)

// TermDepositAccount is the GraphQL TermDepositAccount type.
type TermDepositAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[deposits.TermDepositSummary, model.TermDepositSummary]()

// Summary resolves TermDepositAccount.summary from the consent's getallfidata.
func (a *TermDepositAccount) Summary(ctx context.Context) (*model.TermDepositSummary, error) {
	return fitype.SummaryOf[deposits.TermDeposit, deposits.TermDepositSummary, model.TermDepositSummary](ctx, &a.AccountBase, func(d *deposits.TermDeposit) *deposits.TermDepositSummary { return d.Summary })
}
