package plugins

import (
	"context"
	"strings"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
)

// DepositAccount is the GraphQL DepositAccount type.
type DepositAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[deposits.DepositSummary, model.DepositSummary]()

// Summary resolves DepositAccount.summary from the consent's getallfidata (one
// call per consent serves every account's summary).
func (a *DepositAccount) Summary(ctx context.Context) (*model.DepositSummary, error) {
	var cur string
	s, err := fitype.SummaryOf[deposits.Deposit, deposits.DepositSummary, model.DepositSummary](ctx, &a.AccountBase, func(d *deposits.Deposit) *deposits.DepositSummary {
		if d.Summary != nil {
			cur = d.Summary.Currency
		}
		return d.Summary
	})
	if s != nil {
		s.Currency = strings.ToUpper(cur) // never empty: deposits.DepositSummary defaults it to INR
	}
	return s, err
}
