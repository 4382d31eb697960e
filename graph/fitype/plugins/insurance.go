package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
)

// InsurancePolicyAccount is the GraphQL InsurancePolicyAccount type.
type InsurancePolicyAccount struct {
	fitype.AccountBase
}

var (
	_ = convert.Register[insurance.InsuranceSummary, model.InsuranceSummary]()
	_ = convert.Register[insurance.InsuranceRider, model.InsuranceRider]()
)

// Summary resolves InsurancePolicyAccount.summary from the consent's
// getallfidata. The riders are in the schema's Profile element; they are not
// personal data, so they go with the policy's covers here rather than under
// the profile scope.
func (a *InsurancePolicyAccount) Summary(ctx context.Context) (*model.InsuranceSummary, error) {
	var riders []insurance.InsuranceRider
	s, err := fitype.SummaryOf[insurance.InsurancePolicies, insurance.InsuranceSummary, model.InsuranceSummary](ctx, &a.AccountBase, func(d *insurance.InsurancePolicies) *insurance.InsuranceSummary {
		if d.Profile != nil {
			riders = d.Profile.Riders
		}
		return d.Summary
	})
	if s != nil {
		s.Riders = make([]*model.InsuranceRider, len(riders))
		for i := range riders {
			s.Riders[i] = convert.To[model.InsuranceRider](&riders[i])
		}
	}
	return s, err
}
