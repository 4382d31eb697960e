package model

import (
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
