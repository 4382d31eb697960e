package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// Equities is the plugin of FI type EQUITIES (shares in a demat account).
type Equities struct{}

// FIType returns EQUITIES.
func (Equities) FIType() finpro.FIType { return fi.TypeEquities }

// Account returns a EquitiesAccount.
func (Equities) Account(base fitype.AccountBase) fitype.Account {
	return &EquitiesAccount{AccountBase: base}
}

// EquitiesAccount is the GraphQL EquitiesAccount type.
type EquitiesAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[fi.EquitiesSummary, model.EquitiesSummary]()

// Summary resolves EquitiesAccount.summary from the consent's getallfidata.
func (a *EquitiesAccount) Summary(ctx context.Context) (*model.EquitiesSummary, error) {
	return fitype.SummaryOf[fi.Equities, fi.EquitiesSummary, model.EquitiesSummary](ctx, &a.AccountBase, func(d *fi.Equities) *fi.EquitiesSummary { return d.Summary })
}
