package model

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Consent is the GraphQL Consent type. It keeps FinPro's linked accounts so that
// Consent.accounts needs no further call.
type Consent struct {
	ID            string
	ConsentID     *string
	ConsentHandle *string
	Status        ConsentStatus
	ProductID     string
	AccountID     *string
	AaID          *string
	Vua           *string
	FetchType     *string
	CreatedAt     *time.Time
	ExpiresAt     *time.Time

	// Linked are the accounts FinPro lists under the consent.
	Linked []finpro.LinkedAccount
}
