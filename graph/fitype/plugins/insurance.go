package plugins

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
)

// InsurancePolicies is the plugin of the insurance FI types. ReBIT's
// insurance_policies schema covers life and general policies alike, so one
// plugin type serves INSURANCE_POLICIES, LIFE_INSURANCE and
// GENERAL_INSURANCE: each registered with its own FIType.
type InsurancePolicies struct {
	// Type is the FI type this registration handles (one of the three).
	Type finpro.FIType
}

// FIType returns the registration's FI type.
func (p InsurancePolicies) FIType() finpro.FIType { return p.Type }

// Account returns an InsurancePolicyAccount.
func (InsurancePolicies) Account(base fitype.AccountBase) fitype.Account {
	return &InsurancePolicyAccount{AccountBase: base}
}

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
