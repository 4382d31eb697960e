package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// RevokeConsent revokes an ACTIVE or PAUSED consent (never retried upstream)
// after placing it: the caller must be able to see it.
func (r *mutationResolver) RevokeConsent(ctx context.Context, in model.RevokeConsentInput) (*model.RevokeConsentPayload, error) {
	c, err := r.consentArg(ctx, in.ID, in.ConsentID, in.ProductID)
	if err != nil {
		return nil, err
	}
	if err := r.finpro.RevokeConsent(ctx, c.FinproID()); err != nil {
		if errors.Is(err, finpro.ErrConsentInactive) {
			err = &loaders.InactiveError{Err: err, Status: finpro.ConsentStatus(c.Status)}
		}
		return nil, fmt.Errorf("revoke consent %s: %w", c.FinproID(), err)
	}
	c.Status = model.ConsentStatusRevoked
	return &model.RevokeConsentPayload{Consent: c, ClientMutationID: in.ClientMutationID}, nil
}

// RequestData starts a FinPro data fetch (never retried upstream) after
// placing the consent; a repeat within the fetch guard's cooldown returns the
// session already started.
func (r *mutationResolver) RequestData(ctx context.Context, in model.RequestDataInput) (*model.RequestDataPayload, error) {
	req := finpro.FIRequest{}
	if in.From != nil {
		req.From = *in.From
	}
	if in.To != nil {
		req.To = *in.To
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return nil, apierr.BadInput("to must not be before from")
	}
	c, err := r.consentArg(ctx, in.ID, in.ConsentID, in.ProductID)
	if err != nil {
		return nil, err
	}
	req.ConsentID = c.FinproID()
	s, err := r.fetches.RequestFI(ctx, req, 0)
	if err != nil {
		return nil, fmt.Errorf("request data for consent %s: %w", req.ConsentID, err)
	}
	return &model.RequestDataPayload{Consent: c, SessionID: s.SessionID, Reused: s.Reused, ClientMutationID: in.ClientMutationID}, nil
}

// SyncIncrementalData returns the increment kept under (consent, key), or
// pulls it and keeps it first (increments.Syncer: getalllatestfidata hands
// out each increment once; concurrent calls with one key share one upstream
// call, which a client going away does not cancel).
func (r *mutationResolver) SyncIncrementalData(ctx context.Context, in model.SyncIncrementalDataInput) (*model.SyncIncrementalDataPayload, error) {
	if err := args.Key("idempotencyKey", in.IdempotencyKey); err != nil {
		return nil, err
	}
	c, err := r.consentArg(ctx, in.ID, in.ConsentID, in.ProductID)
	if err != nil {
		return nil, err
	}
	accounts, replayed, err := r.increments.Sync(ctx, c, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return &model.SyncIncrementalDataPayload{
		Consent:          c,
		IdempotencyKey:   in.IdempotencyKey,
		Replayed:         replayed,
		Accounts:         accounts,
		ClientMutationID: in.ClientMutationID,
	}, nil
}
