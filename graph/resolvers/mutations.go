package resolvers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/moneyone-bff/finpro-bff/graph/apierr"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func (r *Resolver) requestConsent(ctx context.Context, mobile, productID string, accountID *string) (*model.RequestConsentPayload, error) {
	if err := validMobile("mobileNumber", mobile); err != nil {
		return nil, err
	}
	if err := validID("productID", productID); err != nil {
		return nil, err
	}
	ref := ""
	if accountID != nil {
		if err := validID("accountID", *accountID); err != nil {
			return nil, err
		}
		ref = *accountID
	} else {
		ref = uuid.NewString()
	}
	if err := authorizeCustomer(ctx, mobile, productID); err != nil {
		return nil, err
	}
	h, err := r.finpro.RequestConsent(ctx, finpro.ConsentRequest{
		ProductID:            productID,
		VUA:                  mobile + "@onemoney",
		PartyIdentifierType:  "MOBILE",
		PartyIdentifierValue: mobile,
		AccountID:            ref,
	})
	if err != nil {
		return nil, fmt.Errorf("request consent for product %s: %w", productID, err)
	}
	r.rememberConsent(ctx, mobile, h.Handle)
	status := model.ConsentStatus(h.Status)
	if !status.IsValid() {
		status = model.ConsentStatusPending
	}
	return &model.RequestConsentPayload{ConsentHandle: h.Handle, Status: status}, nil
}

func (r *Resolver) revokeConsent(ctx context.Context, consentID string, productID *string) (*model.RevokeConsentPayload, error) {
	if err := validID("consentID", consentID); err != nil {
		return nil, err
	}
	if err := authorizeConsent(ctx, consentID, productID); err != nil {
		return nil, err
	}
	if err := r.finpro.RevokeConsent(ctx, consentID); err != nil {
		return nil, fmt.Errorf("revoke consent %s: %w", consentID, err)
	}
	return &model.RevokeConsentPayload{ConsentID: consentID, Status: model.ConsentStatusRevoked}, nil
}

func (r *Resolver) requestData(ctx context.Context, consentID string, from, to *time.Time, productID *string) (*model.RequestDataPayload, error) {
	if err := validID("consentID", consentID); err != nil {
		return nil, err
	}
	req := finpro.FIRequest{ConsentID: consentID}
	if from != nil {
		req.From = *from
	}
	if to != nil {
		req.To = *to
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return nil, apierr.BadInput("to must not be before from")
	}
	if err := authorizeConsent(ctx, consentID, productID); err != nil {
		return nil, err
	}
	s, err := r.finpro.RequestFI(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("request data for consent %s: %w", consentID, err)
	}
	id := s.ConsentID
	if id == "" {
		id = consentID
	}
	return &model.RequestDataPayload{ConsentID: id, SessionID: s.SessionID}, nil
}

// syncResult is what the replay store keeps for one (consent, key).
type syncResult struct {
	Accounts []*model.SyncedAccount `json:"accounts"`
}

// syncIncrementalData returns the increment kept under (consentID, key), or
// pulls it: getalllatestfidata hands out each increment once, so its result is
// kept before it is returned. Concurrent calls with one key share one upstream
// call (singleflight), which runs detached from the caller's cancellation so a
// client that goes away still gets its increment kept. ErrNoNewData is an empty
// result, kept like any other.
func (r *Resolver) syncIncrementalData(ctx context.Context, consentID, key string, productID *string) (*model.SyncIncrementalDataPayload, error) {
	if err := validID("consentID", consentID); err != nil {
		return nil, err
	}
	if err := validKey("idempotencyKey", key); err != nil {
		return nil, err
	}
	if err := authorizeConsent(ctx, consentID, productID); err != nil {
		return nil, err
	}
	storeKey := "sync\x00" + consentID + "\x00" + key
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
		res := syncResult{Accounts: syncedFromFinpro(as)}
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
		ConsentID:      consentID,
		IdempotencyKey: key,
		Replayed:       o.replayed,
		Accounts:       o.res.Accounts,
	}, nil
}
