package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
)

// RecurringDepositAccount is the GraphQL RecurringDepositAccount type.
type RecurringDepositAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[deposits.RecurringDepositSummary, model.RecurringDepositSummary]()

// Summary resolves RecurringDepositAccount.summary from the consent's getallfidata.
func (a *RecurringDepositAccount) Summary(ctx context.Context) (*model.RecurringDepositSummary, error) {
	return fitype.SummaryOf[deposits.RecurringDeposit, deposits.RecurringDepositSummary, model.RecurringDepositSummary](ctx, &a.AccountBase, func(d *deposits.RecurringDeposit) *deposits.RecurringDepositSummary { return d.Summary })
}
