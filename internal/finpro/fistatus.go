package finpro

import (
	"context"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fistatus"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

type fiStatusBody struct {
	ConsentID     string `json:"consentId,omitempty"`
	ConsentHandle string `json:"consentHandle,omitempty"`
	SessionID     string `json:"sessionId,omitempty"`
}

// FIRequestStatus reports the state of a consent's latest data fetch, or of one
// session (/consent/firequest/status). It is an idempotent read (retried).
func (c *Client) FIRequestStatus(ctx context.Context, req FIStatusRequest) (*FIStatus, error) {
	ep := paths.FIRequestStatus
	if strings.TrimSpace(req.ConsentID+req.ConsentHandle+req.SessionID) == "" {
		return nil, transport.Invalid(ep, "consentId, consentHandle and sessionId are all empty")
	}
	env, err := call[fistatus.RequestStatus](ctx, c, ep, "", fiStatusBody(req))
	if err != nil {
		return nil, err
	}
	return env.Data.Status(), nil
}

// The state of a data fetch is internal/finpro/internal/fistatus's (its
// decoding is shared with the DATA webhooks); these are its names here.
type (
	// FIStatus is the state of a data fetch (see [fistatus.FIStatus]).
	FIStatus = fistatus.FIStatus
	// FIAccountStatus is one account's fetch state.
	FIAccountStatus = fistatus.FIAccountStatus
	// FetchState is what a data fetch has come to, as an app shows it.
	FetchState = fistatus.FetchState
)

// Fetch states of FIStatus.State (see [fistatus.FetchState]).
const (
	FetchNotRequested = fistatus.FetchNotRequested
	FetchPending      = fistatus.FetchPending
	FetchReady        = fistatus.FetchReady
	FetchDenied       = fistatus.FetchDenied
	FetchTimedOut     = fistatus.FetchTimedOut
	FetchExpired      = fistatus.FetchExpired
	FetchUnknown      = fistatus.FetchUnknown
)
