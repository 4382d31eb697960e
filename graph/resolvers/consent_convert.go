package resolvers

import (
	"encoding/base64"
	"slices"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// consentGlobalID returns Consent.id: base64url("Consent:<handle or ID>").
func consentGlobalID(c finpro.Consent) string {
	ref := c.ConsentHandle
	if ref == "" {
		ref = c.ConsentID
	}
	return base64.RawURLEncoding.EncodeToString([]byte("Consent:" + ref))
}

// consentFromFinpro converts one consent list row.
func consentFromFinpro(c finpro.Consent) *model.Consent {
	return &model.Consent{
		ID:            consentGlobalID(c),
		ConsentID:     model.StringPtr(c.ConsentID),
		ConsentHandle: model.StringPtr(c.ConsentHandle),
		Status:        model.ConsentStatus(c.Status),
		ProductID:     c.ProductID,
		AccountID:     model.StringPtr(c.AccountID),
		AaID:          model.StringPtr(c.AAID),
		Vua:           model.StringPtr(c.VUA),
		FetchType:     model.StringPtr(c.FetchType),
		CreatedAt:     model.TimePtr(c.CreatedAt),
		ExpiresAt:     model.TimePtr(c.ExpiresAt),
		Linked:        c.Accounts,
	}
}

// statusesToFinpro converts a status filter.
func statusesToFinpro(ss []model.ConsentStatus) []finpro.ConsentStatus {
	out := make([]finpro.ConsentStatus, len(ss))
	for i, s := range ss {
		out[i] = finpro.ConsentStatus(s)
	}
	return out
}

// keepConsent reports whether a consent list row belongs to the query: FinPro's
// product filter is leaky and its status filter is applied again here.
func keepConsent(c finpro.Consent, productID string, status []finpro.ConsentStatus) bool {
	if c.ProductID != "" && c.ProductID != productID {
		return false
	}
	return len(status) == 0 || slices.Contains(status, c.Status)
}

// syncedFromFinpro converts getalllatestfidata's accounts.
func syncedFromFinpro(as []finpro.FIAccount) []*model.SyncedAccount {
	out := make([]*model.SyncedAccount, len(as))
	for i, a := range as {
		s := &model.SyncedAccount{
			LinkReferenceNumber: a.LinkReferenceNumber,
			MaskedAccountNumber: a.MaskedAccountNumber,
			FiType:              string(a.FIType),
			FipID:               model.StringPtr(a.FIPID),
			FipName:             model.StringPtr(a.FIPName),
			Transactions:        make([]*model.Transaction, len(a.Transactions)),
		}
		ts := fitype.TransactionsFromFinpro(a.Transactions)
		for j := range ts {
			s.Transactions[j] = &ts[j]
		}
		out[i] = s
	}
	return out
}
