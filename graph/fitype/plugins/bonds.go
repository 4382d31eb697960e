package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
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

var _ = convert.Register[securities.BondsSummary, model.BondsSummary]()

// Summary resolves BondsAccount.summary from the consent's getallfidata.
func (a *BondsAccount) Summary(ctx context.Context) (*model.BondsSummary, error) {
	return fitype.SummaryOf[securities.Bonds, securities.BondsSummary, model.BondsSummary](ctx, &a.AccountBase, func(d *securities.Bonds) *securities.BondsSummary { return d.Summary })
}
