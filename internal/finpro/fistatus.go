package finpro

import (
	"context"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

type fiStatusBody struct {
	ConsentID     string `json:"consentId,omitempty"`
	ConsentHandle string `json:"consentHandle,omitempty"`
	SessionID     string `json:"sessionId,omitempty"`
}

// fiRequestStatusWire is /consent/firequest/status's data (finpro-upstream.md
// §1c). Its timestamps are strings parsed leniently: an odd date must not cost
// the caller the fetch's state.
type fiRequestStatusWire struct {
	fiStatusWire
	Timestamp     string `json:"timestamp"`
	VUA           string `json:"vua"`
	EventMessage  string `json:"eventMessage"`
	DataFetchDate string `json:"datafetchDate"`
	ProductID     string `json:"productID"`
	AccountID     string `json:"accountID"`
	FetchType     string `json:"fetchType"`
	ConsentExpiry string `json:"consentExpiry"`
	DataExpiry    string `json:"dataExpiry"`
}

// FIRequestStatus reports the state of a consent's latest data fetch, or of one
// session (/consent/firequest/status). It is an idempotent read (retried).
func (c *Client) FIRequestStatus(ctx context.Context, req FIStatusRequest) (*FIStatus, error) {
	ep := paths.FIRequestStatus
	if strings.TrimSpace(req.ConsentID+req.ConsentHandle+req.SessionID) == "" {
		return nil, transport.Invalid(ep, "consentId, consentHandle and sessionId are all empty")
	}
	env, err := call[fiRequestStatusWire](ctx, c, ep, "", fiStatusBody(req))
	if err != nil {
		return nil, err
	}
	w := &env.Data
	st := &FIStatus{
		ConsentID:      wire.ID(w.ConsentID),
		ConsentHandle:  wire.ID(w.ConsentHandle),
		SessionID:      wire.ID(w.SessionID),
		EventType:      strings.ToUpper(strings.TrimSpace(w.EventType)),
		EventStatus:    strings.ToUpper(strings.TrimSpace(w.EventStatus)),
		EventMessage:   w.EventMessage,
		VUA:            w.VUA,
		ProductID:      w.ProductID,
		AccountID:      w.AccountID,
		FetchType:      strings.ToUpper(strings.TrimSpace(w.FetchType)),
		FirstTimeFetch: bool(w.FirstTimeFetch),
		Timestamp:      wire.LenientTime(w.Timestamp),
		FetchedAt:      wire.LenientTime(w.DataFetchDate),
		ConsentExpiry:  wire.LenientTime(w.ConsentExpiry),
		DataExpiry:     wire.LenientTime(w.DataExpiry),
		Accounts:       toAccountStatuses(w.LinkRefNumbers),
	}
	return st, nil
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

// fiStatusWire is the FI status's data; its linkRefNumbers (fiAcctWire) are
// shared with the DATA webhooks.
type fiStatusWire struct {
	ConsentID      wire.String                `json:"consentId"`
	ConsentHandle  wire.String                `json:"consentHandle"`
	SessionID      wire.String                `json:"sessionId"`
	EventType      string                     `json:"eventType"`
	EventStatus    string                     `json:"eventStatus"`
	FirstTimeFetch wire.Bool                  `json:"firstTimeFetch"`
	LinkRefNumbers wire.OneOrMany[fiAcctWire] `json:"linkRefNumbers"`
}

type fiAcctWire struct {
	LinkRefNumber       string `json:"linkRefNumber"`
	LinkReferenceNumber string `json:"linkReferenceNumber"`
	FIStatus            string `json:"fiStatus"`
	FIPID               string `json:"fipId"`
	FIPName             string `json:"fipName"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
}
