package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
)

// NPS is the plugin of FI type NPS (National Pension System).
type NPS struct{}

// FIType returns NPS.
func (NPS) FIType() finpro.FIType { return fi.TypeNPS }

// Account returns a NPSAccount.
func (NPS) Account(base fitype.AccountBase) fitype.Account { return &NPSAccount{AccountBase: base} }

// NPSAccount is the GraphQL NPSAccount type.
type NPSAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[pension.NPSSummary, model.NPSSummary]()

// Summary resolves NPSAccount.summary from the consent's getallfidata.
func (a *NPSAccount) Summary(ctx context.Context) (*model.NPSSummary, error) {
	return fitype.SummaryOf[pension.NPS, pension.NPSSummary, model.NPSSummary](ctx, &a.AccountBase, func(d *pension.NPS) *pension.NPSSummary { return d.Summary })
}
