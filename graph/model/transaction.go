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

// TransactionsFromFinpro converts transactions of the account with linkRef and
// FI type fiType read through the consent with consentRef (relay.ConsentRef),
// keeping FinPro's digits, with two allocations in all (a page of them is the
// graph's largest list): the optional fields point into one backing array
// instead of one allocation each. The FI type and each row's bytes stay with
// the row for Transaction.detail.
func TransactionsFromFinpro(consentRef, linkRef string, fiType finpro.FIType, ts []finpro.Transaction) []Transaction {
	type optional struct {
		amount, currentBalance Decimal
		narration, reference   string
		mode                   TransactionMode
		valueDate              Date
	}
	out := make([]Transaction, len(ts))
	opt := make([]optional, len(ts))
	ptr := func(s *string) *string {
		if *s == "" {
			return nil
		}
		return s
	}
	for i, t := range ts {
		o := &opt[i]
		*o = optional{
			amount:         DecimalFrom(t.Amount),
			currentBalance: DecimalFrom(t.CurrentBalance),
			narration:      t.Narration,
			reference:      t.Reference,
		}
		typ, _ := EnumOf(t.Type, TransactionTypeUnknown)
		out[i] = Transaction{
			TxnID:      t.TxnID,
			Type:       typ,
			At:         t.TransactionTimestamp,
			Narration:  ptr(&o.narration),
			Reference:  ptr(&o.reference),
			ConsentRef: consentRef,
			LinkRef:    linkRef,
			FIType:     fiType,
			Raw:        t.Raw,
		}
		if m, ok := EnumOf(t.Mode, TransactionModeUnknown); ok {
			o.mode = m
			out[i].Mode = &o.mode
		}
		if o.amount != "" {
			out[i].Amount = &o.amount
		}
		if o.currentBalance != "" {
			out[i].CurrentBalance = &o.currentBalance
		}
		if ValidDate(t.ValueDate) {
			o.valueDate = Date(t.ValueDate)
			out[i].ValueDate = &o.valueDate
		}
	}
	return out
}
