// Package increments hands out syncIncrementalData's increments exactly
// once per idempotency key: FinPro's getalllatestfidata gives each increment
// out once, so it is kept (internal/replay, shared by replicas when NATS
// backs it) before it is returned, and a retry with the same key gets the
// kept answer. Concurrent calls with one key share one upstream call.
package increments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
)

// Syncer pulls and keeps increments. It is safe for concurrent use.
type Syncer struct {
	finpro *finpro.Client
	store  replay.Store
	ttl    time.Duration
	logger *slog.Logger
	calls  singleflight.Group // one upstream sync per consent and key at a time
}

// New returns a Syncer pulling through fp and keeping results in store for
// ttl; a failure to keep one is logged to logger.
func New(fp *finpro.Client, store replay.Store, ttl time.Duration, logger *slog.Logger) *Syncer {
	return &Syncer{finpro: fp, store: store, ttl: ttl, logger: logger}
}

// result is what the store keeps for one (consent, key).
type result struct {
	Accounts []*model.SyncedAccount `json:"accounts"`
}

// Sync returns the increment kept under (consent, key), or pulls it and
// keeps it before returning it; replayed says it was kept. The shared
// upstream call runs detached from the caller's cancellation, so a client
// that goes away still gets its increment kept. ErrNoNewData is an empty
// result, kept like any other.
func (s *Syncer) Sync(ctx context.Context, c *model.Consent, key string) (accounts []*model.SyncedAccount, replayed bool, err error) {
	consentID := c.FinproID()
	storeKey := "sync\x00" + consentID + "\x00" + key
	type outcome struct {
		res      result
		replayed bool
	}
	v, err, _ := s.calls.Do(storeKey, func() (any, error) {
		ctx := context.WithoutCancel(ctx)
		if b, ok, err := s.store.Get(ctx, storeKey); err != nil {
			return nil, fmt.Errorf("read kept sync of consent %s: %w", consentID, err)
		} else if ok {
			var res result
			if err := json.Unmarshal(b, &res); err != nil {
				return nil, fmt.Errorf("decode kept sync of consent %s: %w", consentID, err)
			}
			return outcome{res: res, replayed: true}, nil
		}
		as, err := s.finpro.LatestFIData(ctx, consentID)
		if err != nil && !errors.Is(err, finpro.ErrNoNewData) {
			return nil, fmt.Errorf("sync consent %s: %w", consentID, err)
		}
		res := result{Accounts: model.SyncedFromFinpro(c, as)}
		b, err := json.Marshal(res)
		if err != nil {
			return nil, fmt.Errorf("encode sync of consent %s: %w", consentID, err)
		}
		if err := s.store.Put(ctx, storeKey, b, s.ttl); err != nil {
			// The increment is consumed upstream: return it anyway, but say so.
			s.logger.ErrorContext(ctx, "keep sync result", "consent_id", consentID, "err", err)
		}
		return outcome{res: res}, nil
	})
	if err != nil {
		return nil, false, err
	}
	o := v.(outcome)
	return o.res.Accounts, o.replayed, nil
}
