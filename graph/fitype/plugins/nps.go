package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
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

var _ = convert.Register[fi.NPSSummary, model.NPSSummary]()

// Summary resolves NPSAccount.summary from the consent's getallfidata.
func (a *NPSAccount) Summary(ctx context.Context) (*model.NPSSummary, error) {
	return fitype.SummaryOf[fi.NPS, fi.NPSSummary, model.NPSSummary](ctx, &a.AccountBase, func(d *fi.NPS) *fi.NPSSummary { return d.Summary })
}
