package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
)

// TermDeposit is the plugin of FI type TERM_DEPOSIT (fixed deposits; the finpro client normalises TERM-DEPOSIT to it).
type TermDeposit struct{}

// FIType returns TERM_DEPOSIT.
func (TermDeposit) FIType() finpro.FIType { return fi.TypeTermDeposit }

// Account returns a TermDepositAccount.
func (TermDeposit) Account(base fitype.AccountBase) fitype.Account {
	return &TermDepositAccount{AccountBase: base}
}

// TermDepositAccount is the GraphQL TermDepositAccount type.
type TermDepositAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[deposits.TermDepositSummary, model.TermDepositSummary]()

// Summary resolves TermDepositAccount.summary from the consent's getallfidata.
func (a *TermDepositAccount) Summary(ctx context.Context) (*model.TermDepositSummary, error) {
	return fitype.SummaryOf[deposits.TermDeposit, deposits.TermDepositSummary, model.TermDepositSummary](ctx, &a.AccountBase, func(d *deposits.TermDeposit) *deposits.TermDepositSummary { return d.Summary })
}
