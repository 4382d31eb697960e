package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// OtherAccount is the GraphQL OtherAccount type: an account whose FI type has
// no plugin (GSTR1_3B, OTHER, and types FinPro adds later). Its summary is
// fi.Generic's bounded view without personal data.
type OtherAccount struct {
	AccountBase
}

// Summary resolves OtherAccount.summary from the consent's getallfidata: the
// Summary element's scalars, personal data removed (see fi.Generic). Nil when
// FinPro sent no summary values at all.
func (a *OtherAccount) Summary(ctx context.Context) (*model.GenericSummary, error) {
	d, err := a.summaryData(ctx)
	if err != nil || d == nil {
		return nil, err
	}
	g, ok := d.(*fi.Generic)
	if !ok || len(g.Summary) == 0 && g.Redacted == 0 {
		return nil, nil
	}
	return &model.GenericSummary{
		Fields:         genericFields(g.Summary),
		StartDate:      model.DatePtr(string(g.StartDate)),
		EndDate:        model.DatePtr(string(g.EndDate)),
		RedactedFields: g.Redacted,
		Truncated:      g.Truncated,
	}, nil
}

func genericFields(fs []fi.Field) []*model.GenericField {
	out := make([]*model.GenericField, len(fs))
	backing := make([]model.GenericField, len(fs))
	for i, f := range fs {
		backing[i] = model.GenericField{Path: f.Path, Value: f.Value}
		out[i] = &backing[i]
	}
	return out
}
