// Package fistatus is the state of a data fetch, as package finpro exports
// it (FIStatus, FIAccountStatus, FetchState: finpro's names are aliases of
// these): the data of /consent/firequest/status (finpro-upstream.md §1c),
// what it sums up to for an app (FIStatus.State), and the accounts'
// linkRefNumbers that the FI status and FinPro's DATA webhooks share
// (Account, Accounts), decoded once here for both.
package fistatus

import "time"

// FIStatus is the state of a data fetch: every field of
// /consent/firequest/status (finpro-upstream.md §1c). State sums it up.
type FIStatus struct {
	ConsentID     string
	ConsentHandle string
	SessionID     string // empty when no fetch was requested yet
	EventType     string // DATA
	// EventStatus is FinPro's, upper case: DATA_READY, PENDING, TIMEOUT (also
	// DATA_DENIED, SESSION_FAILED, SESSION_EXPIRED, as in the DATA webhooks).
	EventStatus string
	// EventMessage is FinPro's free text about the event. Like any upstream
	// text it may hold anything: never show it to end users or log it.
	EventMessage   string
	VUA            string // the customer's VUA: PII
	ProductID      string
	AccountID      string // the FIU's reference given at requestconsent
	FetchType      string // ONETIME or PERIODIC
	FirstTimeFetch bool   // from true/false or "true"/"false"
	// Timestamp is the status's own timestamp (of its latest event);
	// FetchedAt is datafetchDate, ConsentExpiry and DataExpiry as FinPro sent
	// them. Each is zero when absent or unreadable.
	Timestamp     time.Time
	FetchedAt     time.Time
	ConsentExpiry time.Time
	DataExpiry    time.Time
	Accounts      []FIAccountStatus
}

// FIAccountStatus is one account's fetch state.
type FIAccountStatus struct {
	LinkReferenceNumber string
	FIStatus            string // upper case: READY, DELIVERED, PENDING, DENIED, TIMEOUT
	FIPID               string
	FIPName             string
	MaskedAccountNumber string
}

// FetchState is what a data fetch has come to, as an app shows it.
type FetchState string

// Fetch states of FIStatus.State.
const (
	// FetchNotRequested: the consent has no fetch yet (request one).
	FetchNotRequested FetchState = "NOT_REQUESTED"
	// FetchPending: the FIPs have not all answered yet.
	FetchPending FetchState = "PENDING"
	// FetchReady: data arrived; some accounts may still be denied or timed out
	// (partial success is normal), see FIStatus.Accounts.
	FetchReady FetchState = "READY"
	// FetchDenied: every FIP refused to share.
	FetchDenied FetchState = "DENIED"
	// FetchTimedOut: the FIPs did not answer in time (TIMEOUT, SESSION_FAILED).
	FetchTimedOut FetchState = "TIMED_OUT"
	// FetchExpired: the session expired before the FIPs answered, or the
	// fetched data is past its expiry; request a new fetch.
	FetchExpired FetchState = "EXPIRED"
	// FetchUnknown: FinPro sent a status this client does not know.
	FetchUnknown FetchState = "UNKNOWN"
)

// State maps FinPro's eventStatus (and, where it says nothing, the accounts'
// fiStatus) to a FetchState. Data past DataExpiry at now is FetchExpired.
func (s *FIStatus) State(now time.Time) FetchState {
	if s.SessionID == "" && len(s.Accounts) == 0 {
		// No session: whatever eventStatus says (a PENDING consent's status
		// is PENDING), no fetch was requested.
		return FetchNotRequested
	}
	var st FetchState
	switch s.EventStatus {
	case "DATA_READY", "READY", "DELIVERED", "SUCCESS":
		st = FetchReady
	case "PENDING", "ACTIVE", "REQUESTED":
		st = FetchPending
	case "DATA_DENIED", "DENIED":
		st = FetchDenied
	case "TIMEOUT", "SESSION_FAILED", "FAILED":
		st = FetchTimedOut
	case "SESSION_EXPIRED", "EXPIRED":
		st = FetchExpired
	case "":
		st = s.stateFromAccounts()
	default:
		st = FetchUnknown
	}
	if st == FetchReady && !s.DataExpiry.IsZero() && !now.Before(s.DataExpiry) {
		st = FetchExpired
	}
	return st
}

// stateFromAccounts is the state the accounts' fiStatus imply: ready if any was
// delivered, pending if any is pending, else denied or timed out.
func (s *FIStatus) stateFromAccounts() FetchState {
	var pending, denied, timeout bool
	for _, a := range s.Accounts {
		switch {
		case a.Delivered():
			return FetchReady
		case a.FIStatus == "PENDING":
			pending = true
		case a.FIStatus == "DENIED":
			denied = true
		case a.FIStatus == "TIMEOUT":
			timeout = true
		}
	}
	switch {
	case pending:
		return FetchPending
	case denied && !timeout:
		return FetchDenied
	case timeout:
		return FetchTimedOut
	}
	return FetchUnknown
}

// Delivered reports whether the account's data arrived (READY in webhooks,
// DELIVERED in the status API).
func (a FIAccountStatus) Delivered() bool {
	return a.FIStatus == "DELIVERED" || a.FIStatus == "READY"
}
