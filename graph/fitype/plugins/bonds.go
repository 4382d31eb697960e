package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// Bonds is the plugin of FI type BONDS.
type Bonds struct{}

// FIType returns BONDS.
func (Bonds) FIType() finpro.FIType { return fi.TypeBonds }

// Account returns a BondsAccount.
func (Bonds) Account(base fitype.AccountBase) fitype.Account { return &BondsAccount{AccountBase: base} }

// BondsAccount is the GraphQL BondsAccount type.
type BondsAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[fi.BondsSummary, model.BondsSummary]()

// Summary resolves BondsAccount.summary from the consent's getallfidata.
func (a *BondsAccount) Summary(ctx context.Context) (*model.BondsSummary, error) {
	return fitype.SummaryOf[fi.Bonds, fi.BondsSummary, model.BondsSummary](ctx, &a.AccountBase, func(d *fi.Bonds) *fi.BondsSummary { return d.Summary })
}
