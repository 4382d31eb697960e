package finpro

import (
	"encoding/json"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// IST is Indian Standard Time (UTC+05:30, no daylight saving), the zone of
// FinPro's timestamps without one: [wire.IST], its one definition.
var IST = wire.IST

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

// ConsentStatus is the status of a consent as the consent list reports it.
type ConsentStatus string

// Consent statuses accepted by the consent list's status filter.
const (
	ConsentPending  ConsentStatus = "PENDING"
	ConsentActive   ConsentStatus = "ACTIVE"
	ConsentRejected ConsentStatus = "REJECTED"
	ConsentRevoked  ConsentStatus = "REVOKED"
	ConsentExpired  ConsentStatus = "EXPIRED"
	ConsentPaused   ConsentStatus = "PAUSED"
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

// ConsentListRequest asks /v1/accounts/getconsentslist for one customer's consents.
type ConsentListRequest struct {
	MobileNumber string // exactly 10 digits
	ProductID    string
	Status       []ConsentStatus // empty: every status
	PageNumber   int             // 1-based; 0 with PageSize 0: no paging
	PageSize     int             // 0: every row in one response
}

// ConsentPage is one page of the consent list.
type ConsentPage struct {
	Consents []Consent
	// Page is nil when FinPro sent no pageDetails (no pageSize requested).
	Page *PageDetails
}

// PageDetails is FinPro's paging metadata.
type PageDetails struct {
	TotalRecords      int
	CurrentPageNumber int
	TotalPages        int
}

// Consent is one row of the consent list.
type Consent struct {
	ConsentID     string // empty while PENDING, or when rejected before approval
	ConsentHandle string
	Status        ConsentStatus
	ProductID     string
	AccountID     string
	AAID          string
	VUA           string
	FetchType     string // ONETIME or PERIODIC; empty when FinPro sent none
	CreatedAt     time.Time
	ExpiresAt     time.Time
	Accounts      []LinkedAccount
}

// LinkedAccount is an account linked under a consent, as the consent list shows it.
type LinkedAccount struct {
	LinkReferenceNumber string
	MaskedAccountNumber string
	FIType              FIType
	FIPID               string
	FIPName             string
	AccountType         string
}

// FIDataRequest asks getfidata for a page of one account's transactions.
type FIDataRequest struct {
	ConsentID           string
	LinkReferenceNumber string
	// Limit and Offset page the transactions (oldest first). Limit 0 asks for every
	// transaction.
	Limit  int
	Offset int
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

// ConsentRequest asks /v2/requestconsent for a new consent.
type ConsentRequest struct {
	ProductID            string
	VUA                  string // <mobile>@onemoney
	PartyIdentifierType  string // MOBILE, EMAIL or PAN
	PartyIdentifierValue string
	AccountID            string // the FIU's own reference
}

// ConsentHandle is requestconsent's answer.
type ConsentHandle struct {
	Handle string
	Status ConsentStatus // PENDING
}

// FIRequest asks /fi/request for a data fetch. Zero times use the consent's range.
type FIRequest struct {
	ConsentID string
	From, To  time.Time
}

// FISession is /fi/request's answer.
type FISession struct {
	ConsentID string
	SessionID string
	// RequestedAt and Reused are set by fetchguard.Guard: when FinPro created the
	// session (by the client's clock), and whether the guard answered with a
	// session already in flight or created within its cooldown instead of
	// asking FinPro again. RequestFI leaves them zero.
	RequestedAt time.Time
	Reused      bool
}

// FIStatusRequest asks /consent/firequest/status; at least one field is set.
type FIStatusRequest struct {
	ConsentID     string
	ConsentHandle string
	SessionID     string
}
