package model

import (
	"slices"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Consent is the GraphQL Consent type. It keeps FinPro's linked accounts so that
// Consent.accounts needs no further call.
type Consent struct {
	ConsentID     *string
	ConsentHandle *string
	Status        ConsentStatus
	ProductID     string
	AccountID     *string
	AaID          *string
	Vua           *string
	FetchType     *FetchType
	CreatedAt     *time.Time
	ExpiresAt     *time.Time

	// Ref names the consent in global IDs (relay.ConsentRef).
	Ref string
	// Linked are the accounts FinPro lists under the consent.
	Linked []finpro.LinkedAccount
}

// ID resolves Consent.id.
func (c *Consent) ID() string { return relay.ConsentID(c.Ref) }

// IsNode marks Consent as a Node.
func (Consent) IsNode() {}

// FinproID returns FinPro's consent ID, "" while the consent has none.
func (c *Consent) FinproID() string {
	if c.ConsentID == nil {
		return ""
	}
	return *c.ConsentID
}

// ConsentFromFinpro converts one consent row (of any consent list).
func ConsentFromFinpro(c finpro.Consent) *Consent {
	status, _ := EnumOf(string(c.Status), ConsentStatusUnknown)
	return &Consent{
		Ref:           relay.ConsentRef(c.ConsentHandle, c.ConsentID),
		ConsentID:     StringPtr(c.ConsentID),
		ConsentHandle: StringPtr(c.ConsentHandle),
		Status:        status,
		ProductID:     c.ProductID,
		AccountID:     StringPtr(c.AccountID),
		AaID:          StringPtr(c.AAID),
		Vua:           StringPtr(c.VUA),
		FetchType:     EnumPtr(c.FetchType, FetchTypeUnknown),
		CreatedAt:     TimePtr(c.CreatedAt),
		ExpiresAt:     TimePtr(c.ExpiresAt),
		Linked:        c.Accounts,
	}
}

// KeepConsent reports whether a consent row belongs to the product and
// matches the status filter (every status when empty). FinPro's product
// filter is leaky, so every row is checked here.
func KeepConsent(c finpro.Consent, productID string, status []ConsentStatus) bool {
	if c.ProductID != "" && c.ProductID != productID {
		return false
	}
	return len(status) == 0 || slices.Contains(status, ConsentStatus(c.Status))
}

// SyncedFromFinpro converts getalllatestfidata's accounts of the consent c.
func SyncedFromFinpro(c *Consent, as []finpro.FIAccount) []*SyncedAccount {
	out := make([]*SyncedAccount, len(as))
	for i, a := range as {
		ft, _ := EnumOf(string(a.FIType), FITypeUnknown)
		s := &SyncedAccount{
			LinkReferenceNumber: a.LinkReferenceNumber,
			MaskedAccountNumber: a.MaskedAccountNumber,
			FiType:              ft,
			FipID:               StringPtr(a.FIPID),
			FipName:             StringPtr(a.FIPName),
			Transactions:        make([]*Transaction, len(a.Transactions)),
		}
		ts := TransactionsFromFinpro(c.Ref, a.LinkReferenceNumber, a.FIType, a.Transactions)
		for j := range ts {
			s.Transactions[j] = &ts[j]
		}
		out[i] = s
	}
	return out
}
