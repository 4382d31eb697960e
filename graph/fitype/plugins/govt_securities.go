package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// GovtSecurities is the plugin of FI type GOVT_SECURITIES (the bonds schema, attribute for attribute).
type GovtSecurities struct{}

// FIType returns GOVT_SECURITIES.
func (GovtSecurities) FIType() finpro.FIType { return fi.TypeGovtSecurities }

// Account returns a GovtSecuritiesAccount.
func (GovtSecurities) Account(base fitype.AccountBase) fitype.Account {
	return &GovtSecuritiesAccount{AccountBase: base}
}

// GovtSecuritiesAccount is the GraphQL GovtSecuritiesAccount type.
type GovtSecuritiesAccount struct {
	fitype.AccountBase
}

// Summary resolves GovtSecuritiesAccount.summary from the consent's getallfidata.
func (a *GovtSecuritiesAccount) Summary(ctx context.Context) (*model.BondsSummary, error) {
	return fitype.SummaryOf[securities.GovtSecurities, securities.BondsSummary, model.BondsSummary](ctx, &a.AccountBase, func(d *securities.GovtSecurities) *securities.BondsSummary { return d.Summary })
}
