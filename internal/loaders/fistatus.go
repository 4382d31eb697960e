package loaders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// FIStatusKey names a data fetch: a consent's latest (SessionID empty) or
// one session of it.
type FIStatusKey struct {
	ConsentID string
	SessionID string
}

func (l *Loaders) fiStatusLoader() *onceLoader[FIStatusKey, *finpro.FIStatus] {
	l.fiStatusOnce.Do(func() {
		l.fiStatus = newLoader("fi_status", func(ctx context.Context, k FIStatusKey) (*finpro.FIStatus, error) {
			return l.c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentID: k.ConsentID, SessionID: k.SessionID})
		}, l.o)
	})
	return l.fiStatus
}

// FIStatus returns the state of a data fetch (/consent/firequest/status):
// one call per key per operation, shared by Consent.dataStatus and the
// explanation of DATA_NOT_READY errors.
func FIStatus(ctx context.Context, k FIStatusKey) (*finpro.FIStatus, error) {
	s, err := For(ctx).fiStatusLoader().Load(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("data status of consent %s: %w", k.ConsentID, err)
	}
	return s, nil
}

// NotReadyError is finpro.ErrNotReady explained: where the consent's data
// fetch stands, so the client knows whether to wait (PENDING), to request
// data (NOT_REQUESTED, EXPIRED, TIMED_OUT) or to give up for now (DENIED).
type NotReadyError struct {
	Err   error
	State finpro.FetchState
}

func (e *NotReadyError) Error() string { return e.Err.Error() }
func (e *NotReadyError) Unwrap() error { return e.Err }

// InactiveError is finpro.ErrConsentInactive explained: the consent's status
// as FinPro lists it now (PAUSED: wait for the customer to resume it;
// REVOKED, EXPIRED: request a new consent).
type InactiveError struct {
	Err    error
	Status finpro.ConsentStatus
}

func (e *InactiveError) Error() string { return e.Err.Error() }
func (e *InactiveError) Unwrap() error { return e.Err }

// explain adds what the client needs to act on a data read's failure under
// consentID: the fetch state for ErrNotReady, the consent's status for
// ErrConsentInactive. Each costs one FinPro call per consent per operation,
// made only on that failure. When the explanation cannot be had (its own
// call fails, or the operation's call budget is spent), err is returned as
// it is.
func explain(ctx context.Context, consentID string, err error) error {
	switch {
	case err == nil || consentID == "":
		return err
	case errors.Is(err, finpro.ErrNotReady):
		if _, done := errors.AsType[*NotReadyError](err); done {
			return err
		}
		s, serr := FIStatus(ctx, FIStatusKey{ConsentID: consentID})
		if serr != nil {
			return err
		}
		st := s.State(time.Now())
		if st == finpro.FetchReady && !anyPending(s) {
			// The status says ready, yet FinPro could not serve the data:
			// what it holds is gone (deleted, or never kept). A new fetch
			// is what helps.
			st = finpro.FetchNotRequested
		} else if st == finpro.FetchReady {
			st = finpro.FetchPending
		}
		return &NotReadyError{Err: err, State: st}
	case errors.Is(err, finpro.ErrConsentInactive):
		if _, done := errors.AsType[*InactiveError](err); done {
			return err
		}
		c, cerr := ConsentByRef(ctx, ConsentRef{ConsentID: consentID})
		if cerr != nil || c.Status == "" {
			return err
		}
		return &InactiveError{Err: err, Status: c.Status}
	}
	return err
}

func anyPending(s *finpro.FIStatus) bool {
	for _, a := range s.Accounts {
		if a.FIStatus == "PENDING" {
			return true
		}
	}
	return false
}

// explainMissing explains an account missing from its consent's data:
// when the consent's latest fetch says the account's FIP denied or did not
// answer, the answer is ErrNotReady in that state (a new fetch may bring it),
// else err as it is.
func explainMissing(ctx context.Context, consentID, linkRef string, err error) error {
	s, serr := FIStatus(ctx, FIStatusKey{ConsentID: consentID})
	if serr != nil {
		return err
	}
	for _, a := range s.Accounts {
		if a.LinkReferenceNumber != linkRef {
			continue
		}
		switch a.FIStatus {
		case "DENIED":
			return &NotReadyError{Err: fmt.Errorf("account %s: its FIP denied the fetch: %w", linkRef, finpro.ErrNotReady), State: finpro.FetchDenied}
		case "TIMEOUT":
			return &NotReadyError{Err: fmt.Errorf("account %s: its FIP did not answer: %w", linkRef, finpro.ErrNotReady), State: finpro.FetchTimedOut}
		case "PENDING":
			return &NotReadyError{Err: fmt.Errorf("account %s: its FIP has not answered yet: %w", linkRef, finpro.ErrNotReady), State: finpro.FetchPending}
		}
	}
	return err
}
