package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/pii"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
)

// SIPAccount is the GraphQL SIPAccount type.
type SIPAccount struct {
	fitype.AccountBase
}

var _ = convert.Register[funds.SIPSummary, model.SIPSummary]()

// Summary resolves SIPAccount.summary from the consent's getallfidata. A
// plan carries its holders' names and e-mail address: they are masked as the
// profile's are unless the caller's token has profile:read.
func (a *SIPAccount) Summary(ctx context.Context) (*model.SIPSummary, error) {
	s, err := fitype.SummaryOf[funds.SIP, funds.SIPSummary, model.SIPSummary](ctx, &a.AccountBase, func(d *funds.SIP) *funds.SIPSummary { return d.Summary })
	if s == nil {
		return s, err
	}
	if p, _ := auth.PrincipalFrom(ctx); !p.HasScope(auth.ScopeProfileRead) {
		for _, h := range s.Holdings {
			h.Holder1Name = fitype.MaskPtr(h.Holder1Name, pii.Name)
			h.Holder2Name = fitype.MaskPtr(h.Holder2Name, pii.Name)
			h.Email = fitype.MaskPtr(h.Email, pii.Email)
		}
	}
	return s, nil
}
