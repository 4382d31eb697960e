package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// CISAccount is the GraphQL CISAccount type.
type CISAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.CISSummary, model.CISSummary]()

// Summary resolves CISAccount.summary from the consent's getallfidata.
func (a *CISAccount) Summary(ctx context.Context) (*model.CISSummary, error) {
	return fitype.SummaryOf[funds.CIS, funds.CISSummary, model.CISSummary](ctx, &a.AccountBase, func(d *funds.CIS) *funds.CISSummary { return d.Summary })
}
