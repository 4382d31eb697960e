package resolvers

import (
	"context"
	"encoding/json"
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

// syncResult is what the replay store keeps for one (consent, key).
type syncResult struct {
	Accounts []*model.SyncedAccount `json:"accounts"`
}

// SyncIncrementalData returns the increment kept under (consent, key), or
// pulls it: getalllatestfidata hands out each increment once, so its result
// is kept before it is returned. Concurrent calls with one key share one
// upstream call (singleflight), which runs detached from the caller's
// cancellation so a client that goes away still gets its increment kept.
// ErrNoNewData is an empty result, kept like any other.
func (r *mutationResolver) SyncIncrementalData(ctx context.Context, in model.SyncIncrementalDataInput) (*model.SyncIncrementalDataPayload, error) {
	if err := args.Key("idempotencyKey", in.IdempotencyKey); err != nil {
		return nil, err
	}
	c, err := r.consentArg(ctx, in.ID, in.ConsentID, in.ProductID)
	if err != nil {
		return nil, err
	}
	consentID := c.FinproID()
	storeKey := "sync\x00" + consentID + "\x00" + in.IdempotencyKey
	type outcome struct {
		res      syncResult
		replayed bool
	}
	v, err, _ := r.syncs.Do(storeKey, func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		if b, ok, err := r.replay.Get(ctx, storeKey); err != nil {
			return nil, fmt.Errorf("read kept sync of consent %s: %w", consentID, err)
		} else if ok {
			var res syncResult
			if err := json.Unmarshal(b, &res); err != nil {
				return nil, fmt.Errorf("decode kept sync of consent %s: %w", consentID, err)
			}
			return outcome{res: res, replayed: true}, nil
		}
		as, err := r.finpro.LatestFIData(ctx, consentID)
		if err != nil && !errors.Is(err, finpro.ErrNoNewData) {
			return nil, fmt.Errorf("sync consent %s: %w", consentID, err)
		}
		res := syncResult{Accounts: model.SyncedFromFinpro(c, as)}
		b, err := json.Marshal(res)
		if err != nil {
			return nil, fmt.Errorf("encode sync of consent %s: %w", consentID, err)
		}
		if err := r.replay.Put(ctx, storeKey, b, r.replayTTL); err != nil {
			// The increment is consumed upstream: return it anyway, but say so.
			r.logger.ErrorContext(ctx, "keep sync result", "consent_id", consentID, "err", err)
		}
		return outcome{res: res}, nil
	})
	if err != nil {
		return nil, err
	}
	o := v.(outcome)
	return &model.SyncIncrementalDataPayload{
		Consent:          c,
		IdempotencyKey:   in.IdempotencyKey,
		Replayed:         o.replayed,
		Accounts:         o.res.Accounts,
		ClientMutationID: in.ClientMutationID,
	}, nil
}
