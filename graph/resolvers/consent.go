package resolvers

import (
	"context"
	"slices"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
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

// consentFromFinpro converts one consent row (of any consent list).
func consentFromFinpro(c finpro.Consent) *model.Consent {
	status, _ := model.EnumOf(string(c.Status), model.ConsentStatusUnknown)
	return &model.Consent{
		Ref:           relay.ConsentRef(c.ConsentHandle, c.ConsentID),
		ConsentID:     model.StringPtr(c.ConsentID),
		ConsentHandle: model.StringPtr(c.ConsentHandle),
		Status:        status,
		ProductID:     c.ProductID,
		AccountID:     model.StringPtr(c.AccountID),
		AaID:          model.StringPtr(c.AAID),
		Vua:           model.StringPtr(c.VUA),
		FetchType:     model.EnumPtr(c.FetchType, model.FetchTypeUnknown),
		CreatedAt:     model.TimePtr(c.CreatedAt),
		ExpiresAt:     model.TimePtr(c.ExpiresAt),
		Linked:        c.Accounts,
	}
}

// keepConsent reports whether a consent row belongs to the product and
// matches the status filter (every status when empty). FinPro's product
// filter is leaky, so every row is checked here.
func keepConsent(c finpro.Consent, productID string, status []model.ConsentStatus) bool {
	if c.ProductID != "" && c.ProductID != productID {
		return false
	}
	return len(status) == 0 || slices.Contains(status, model.ConsentStatus(c.Status))
}

// syncedFromFinpro converts getalllatestfidata's accounts of the consent c.
func syncedFromFinpro(c *model.Consent, as []finpro.FIAccount) []*model.SyncedAccount {
	out := make([]*model.SyncedAccount, len(as))
	for i, a := range as {
		ft, _ := model.EnumOf(string(a.FIType), model.FITypeUnknown)
		s := &model.SyncedAccount{
			LinkReferenceNumber: a.LinkReferenceNumber,
			MaskedAccountNumber: a.MaskedAccountNumber,
			FiType:              ft,
			FipID:               model.StringPtr(a.FIPID),
			FipName:             model.StringPtr(a.FIPName),
			Transactions:        make([]*model.Transaction, len(a.Transactions)),
		}
		ts := fitype.TransactionsFromFinpro(c.Ref, a.LinkReferenceNumber, a.Transactions)
		for j := range ts {
			s.Transactions[j] = &ts[j]
		}
		out[i] = s
	}
	return out
}
