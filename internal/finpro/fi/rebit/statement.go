package rebit

import "time"

// Common is what a transaction of any schema says in the terms of an account
// statement, so that one list can show every account's transactions. "" and
// the zero time mean the schema or the row has no such value.
type Common struct {
	TxnID string
	// Type is the schema's transaction type, normalised: a value of one of
	// the enums in fi.TransactionTypeEnums unless FinPro sent another; "" for
	// schemas without one (AIF, InvIT, REIT).
	Type string
	// Amount is the money that moved: amount, tradeValue, totalContribution,
	// ... by schema.
	Amount Decimal
	// Balance is the account's balance after the row (deposit, term and
	// recurring deposit schemas).
	Balance Decimal
	// Mode is the payment channel (deposit, term and recurring deposit
	// schemas; the others' mode is DEMAT or PHYSICAL, not a channel).
	Mode string
	// At is when the row happened: its date-time, or its date at midnight IST.
	At        time.Time
	ValueDate Date
	Narration string
	// Reference is the cheque or reference number, or an exchange trade's ID.
	Reference string
}
