package model

import (
	"encoding/json"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Transaction is the GraphQL Transaction type. ConsentRef and LinkRef are its
// account under its consent, which its global ID names.
type Transaction struct {
	TxnID          string
	Type           TransactionType
	Amount         *Decimal
	CurrentBalance *Decimal
	Mode           *TransactionMode
	At             time.Time // transactionTimestamp; zero when unknown
	ValueDate      *Date
	Narration      *string
	Reference      *string

	ConsentRef string // relay.ConsentRef of the consent it was read through
	LinkRef    string // the account's link reference number

	// FIType is the account's FI type and Raw the row as FinPro sent it (nil
	// for deposits): Transaction.detail decodes them by the FI type's schema.
	FIType finpro.FIType
	Raw    json.RawMessage
}

// ID resolves Transaction.id. It is computed when asked for: most screens
// never ask, and a page holds up to 100 transactions.
func (t *Transaction) ID() string {
	return relay.TransactionID(t.ConsentRef, t.LinkRef, t.At, t.TxnID)
}

// TransactionTimestamp resolves Transaction.transactionTimestamp: nil when the
// row carries no date.
func (t *Transaction) TransactionTimestamp() *time.Time {
	if t.At.IsZero() {
		return nil
	}
	return &t.At
}

// IsNode marks Transaction as a Node.
func (Transaction) IsNode() {}
