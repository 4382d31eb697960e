// Package fidata is the answers of FinPro's FI data endpoints (getfidata,
// getallfidata, getalllatestfidata, getfibalance): the Go types package
// finpro exports for them (Decimal, FIType, Balance, AccountData,
// Transaction, FIAccount, Profile, Holder, Summary: finpro's names are
// aliases of these) and the wire structs that decode FinPro's JSON into them.
// Package finpro's methods check the request and make the call; this package
// decodes and converts. ReBIT's FI-type specific fields stay in the Raw bytes
// it keeps, for internal/finpro/fi.
//
// Decoding notes. FinPro's JSON is inconsistent (finpro-upstream.md §4): the
// wire structs' field types absorb the variations, then the structs are
// converted to the exported types. Two properties of encoding/json do part of
// the work: object keys match field names case-insensitively (Profile/profile,
// fipId/fipID), and unknown keys are ignored. Names that differ by more than
// case (linkRefNumber/linkReferenceNumber) get one field each. Nothing goes
// through map[string]any, and the hot shape (getfidata's fiData[]) decodes in
// one pass. The field types that absorb FinPro's variations and the timestamp
// and boolean parsers are internal/finpro/wire's, the response envelope
// internal/finpro/internal/transport's.
package fidata

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Decimal is an exact decimal number exactly as FinPro wrote it ("101666.33", "0.10").
// It is never converted to a float: arithmetic goes through a decimal library
// (github.com/cockroachdb/apd/v3). It decodes from a JSON string or a JSON number
// (FinPro sends both) and keeps the original digits byte for byte; decoding rejects
// text that is not a finite decimal.
type Decimal string

// FIType is a Financial Information type. The client normalises FinPro's spellings
// (TERM-DEPOSIT -> TERM_DEPOSIT) so callers see one name per type.
type FIType string

// The FI types the BFF knows by name. Others pass through unchanged.
const (
	FITypeDeposit          FIType = "DEPOSIT"
	FITypeTermDeposit      FIType = "TERM_DEPOSIT"
	FITypeRecurringDeposit FIType = "RECURRING_DEPOSIT"
	FITypeMutualFunds      FIType = "MUTUAL_FUNDS"
)

// Balance is one account's balance from getfibalance.
type Balance struct {
	LinkReferenceNumber string
	MaskedAccountNumber string
	FIType              FIType
	FIPID               string
	FIPName             string
	Balance             Decimal
	// Currency is FinPro's currency when it sends one, else "INR"; never
	// empty.
	Currency string
	// AsOf is the response timestamp, zero when FinPro sent none.
	AsOf time.Time
}

// AccountData is getfidata's answer: one account and a page of its transactions.
type AccountData struct {
	LinkReferenceNumber string
	MaskedAccountNumber string
	FIType              FIType
	FIPID               string
	FIPName             string
	Balance             Decimal
	// Transactions holds at most the requested Limit rows, oldest first (the client
	// slices when FinPro sends more than it was asked for).
	Transactions []Transaction
	// TotalRecords is the account's transaction count, -1 when FinPro did not say.
	TotalRecords int
}

// Transaction is one account transaction.
type Transaction struct {
	TxnID                string
	Type                 string // CREDIT or DEBIT for deposits; FI-type specific otherwise
	Mode                 string
	Amount               Decimal
	CurrentBalance       Decimal
	TransactionTimestamp time.Time
	ValueDate            string // YYYY-MM-DD, as FinPro sent it
	Narration            string
	Reference            string
	// Raw is the row exactly as FinPro sent it, kept for getfidata rows of
	// every FI type but DEPOSIT: the other ReBIT schemas' rows carry attributes
	// the fields above have no place for (tradeValue, units, nav, ...), which
	// package internal/finpro/fi decodes. Nil for deposits.
	Raw json.RawMessage
}

// FIAccount is one account of getallfidata or getalllatestfidata (ReBIT shape).
type FIAccount struct {
	LinkReferenceNumber string
	MaskedAccountNumber string
	FIType              FIType
	FIPID               string
	FIPName             string // FinPro's "bank"
	Profile             *Profile
	Summary             *Summary
	Transactions        []Transaction
	// TransactionsStart and TransactionsEnd are the statement range (YYYY-MM-DD).
	TransactionsStart, TransactionsEnd string
	// Raw is the account object exactly as FinPro sent it. The FI-type decoders
	// (package internal/finpro/fi) read their Profile, Summary and Transactions
	// from it; Profile and Transactions above are the deposit-shaped view.
	Raw json.RawMessage
}

// Profile is an account's holder information. Holders is always a list, whether
// FinPro sent one holder as an object or an array.
type Profile struct {
	HoldersType string // SINGLE or JOINT
	Holders     []Holder
}

// Holder is one account holder. Every field is PII except Nominee and CKYCCompliant.
type Holder struct {
	Name          string
	DOB           string // YYYY-MM-DD
	Mobile        string
	Nominee       string
	Landline      string
	Address       string
	Email         string
	PAN           string
	CKYCCompliant bool // from "true"/"YES"/true
}

// Summary holds the common summary fields of an account. FI-type specific fields
// (maturity, interest rate, holdings, ...) stay in Raw for the FI-type plugins to
// decode with their own structs.
type Summary struct {
	CurrentBalance Decimal
	// Currency is FinPro's currency when it sends one, else "INR" (ReBIT's
	// currency is optional and means INR when absent); never empty.
	Currency        string
	BalanceDateTime time.Time
	Type            string // SAVINGS, CURRENT; FI-type specific otherwise
	Branch          string
	IFSC            string // ifscCode or ifsc
	OpeningDate     string
	Status          string
	// Raw is the Summary object exactly as FinPro sent it.
	Raw json.RawMessage
}

// UnmarshalJSON decodes a JSON string or number holding a finite decimal, keeping
// its digits exactly as sent (see [wire.Decimal]).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	return (*wire.Decimal)(d).UnmarshalJSON(b)
}

// NormFIType turns FinPro's spellings into one name per type: upper case, with
// TERM-DEPOSIT written TERM_DEPOSIT.
func NormFIType(s string) FIType {
	if isCanonical(s) {
		return FIType(s)
	}
	return FIType(strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(s)), "-", "_"))
}

func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
