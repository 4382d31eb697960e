package model

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/relay"
)

// Transaction is the GraphQL Transaction type. ConsentRef and LinkRef are its
// account under its consent, which its global ID names.
type Transaction struct {
	TxnID                string
	Type                 TransactionType
	Amount               Decimal
	CurrentBalance       *Decimal
	Mode                 *TransactionMode
	TransactionTimestamp time.Time
	ValueDate            *Date
	Narration            *string
	Reference            *string

	ConsentRef string // relay.ConsentRef of the consent it was read through
	LinkRef    string // the account's link reference number
}

// ID resolves Transaction.id. It is computed when asked for: most screens
// never ask, and a page holds up to 100 transactions.
func (t *Transaction) ID() string {
	return relay.TransactionID(t.ConsentRef, t.LinkRef, t.TransactionTimestamp, t.TxnID)
}

// IsNode marks Transaction as a Node.
func (Transaction) IsNode() {}
