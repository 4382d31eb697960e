package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
)

// Accounts lists the consent's linked accounts, each as its FI type's plugin
// type. It needs no FinPro call: the consent list carries them.
func (r *consentResolver) Accounts(_ context.Context, obj *model.Consent) ([]fitype.Account, error) {
	out := make([]fitype.Account, len(obj.Linked))
	for i, la := range obj.Linked {
		out[i] = r.plugins.Account(obj, la)
	}
	return out, nil
}
