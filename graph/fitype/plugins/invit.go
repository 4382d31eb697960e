package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// InvIT is the plugin of FI type INVIT (infrastructure investment trusts).
type InvIT struct{}

// FIType returns INVIT.
func (InvIT) FIType() finpro.FIType { return fi.TypeInvIT }

// Account returns a InvITAccount.
func (InvIT) Account(base fitype.AccountBase) fitype.Account { return &InvITAccount{AccountBase: base} }

// InvITAccount is the GraphQL InvITAccount type.
type InvITAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.InvITSummary, model.InvITSummary]()

// Summary resolves InvITAccount.summary from the consent's getallfidata.
func (a *InvITAccount) Summary(ctx context.Context) (*model.InvITSummary, error) {
	return fitype.SummaryOf[funds.InvIT, funds.InvITSummary, model.InvITSummary](ctx, &a.AccountBase, func(d *funds.InvIT) *funds.InvITSummary { return d.Summary })
}
