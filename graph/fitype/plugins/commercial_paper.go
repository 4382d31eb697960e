package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// CommercialPaperAccount is the GraphQL CommercialPaperAccount type.
type CommercialPaperAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[securities.CommercialPaperSummary, model.CommercialPaperSummary]()

// Summary resolves CommercialPaperAccount.summary from the consent's getallfidata.
func (a *CommercialPaperAccount) Summary(ctx context.Context) (*model.CommercialPaperSummary, error) {
	return fitype.SummaryOf[securities.CommercialPaper, securities.CommercialPaperSummary, model.CommercialPaperSummary](ctx, &a.AccountBase, func(d *securities.CommercialPaper) *securities.CommercialPaperSummary { return d.Summary })
}
