package finpro

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/consents"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fidata"
)

// IST is Indian Standard Time (UTC+05:30, no daylight saving), the zone of
// FinPro's timestamps without one: [wire.IST], its one definition.
var IST = wire.IST

// The answers of the FI data endpoints are internal/finpro/internal/fidata's
// types (it decodes them); these are their names here.
type (
	// Decimal is an exact decimal number exactly as FinPro wrote it, never a
	// float (see [fidata.Decimal]).
	Decimal = fidata.Decimal
	// FIType is a Financial Information type, one name per type (see
	// [fidata.FIType]).
	FIType = fidata.FIType
	// Balance is one account's balance from getfibalance.
	Balance = fidata.Balance
	// AccountData is getfidata's answer: one account and a page of its
	// transactions.
	AccountData = fidata.AccountData
	// Transaction is one account transaction.
	Transaction = fidata.Transaction
	// FIAccount is one account of getallfidata or getalllatestfidata.
	FIAccount = fidata.FIAccount
	// Profile is an account's holder information.
	Profile = fidata.Profile
	// Holder is one account holder: PII but Nominee and CKYCCompliant.
	Holder = fidata.Holder
	// Summary holds the common summary fields of an account.
	Summary = fidata.Summary
)

// The FI types the BFF knows by name. Others pass through unchanged.
const (
	FITypeDeposit          = fidata.FITypeDeposit
	FITypeTermDeposit      = fidata.FITypeTermDeposit
	FITypeRecurringDeposit = fidata.FITypeRecurringDeposit
	FITypeMutualFunds      = fidata.FITypeMutualFunds
)

// NormFIType turns FinPro's spellings into one name per type: upper case, with
// TERM-DEPOSIT written TERM_DEPOSIT.
func NormFIType(s string) FIType { return fidata.NormFIType(s) }

// The answers of the consent endpoints are internal/finpro/internal/consents'
// types (it decodes them); these are their names here.
type (
	// ConsentStatus is the status of a consent as the consent list reports it.
	ConsentStatus = consents.ConsentStatus
	// Consent is one row of the consent list.
	Consent = consents.Consent
	// LinkedAccount is an account linked under a consent.
	LinkedAccount = consents.LinkedAccount
	// ConsentHandle is requestconsent's answer.
	ConsentHandle = consents.ConsentHandle
)

// Consent statuses accepted by the consent list's status filter.
const (
	ConsentPending  = consents.ConsentPending
	ConsentActive   = consents.ConsentActive
	ConsentRejected = consents.ConsentRejected
	ConsentRevoked  = consents.ConsentRevoked
	ConsentExpired  = consents.ConsentExpired
	ConsentPaused   = consents.ConsentPaused
)

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

// FIDataRequest asks getfidata for a page of one account's transactions.
type FIDataRequest struct {
	ConsentID           string
	LinkReferenceNumber string
	// Limit and Offset page the transactions (oldest first). Limit 0 asks for every
	// transaction.
	Limit  int
	Offset int
}

// ConsentRequest asks /v2/requestconsent for a new consent.
type ConsentRequest struct {
	ProductID            string
	VUA                  string // <mobile>@onemoney
	PartyIdentifierType  string // MOBILE, EMAIL or PAN
	PartyIdentifierValue string
	AccountID            string // the FIU's own reference
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
