package live

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// visible reports whether a subscriber following productID (and the
// customer with this mobile, when set) may see ev. An event that names its
// product and comes under the subscriber's customer key is decided at once;
// one that does not name its product, or whose customer is unknown (a masked
// VUA, routed by its handle), is placed by looking its consent up. A consent
// FinPro does not know, or that names no product, is not shown.
func (f *Feed) visible(ctx context.Context, ev events.Event, mobileNumber, productID string) (bool, error) {
	needOwner := mobileNumber != "" && ev.CustomerKey == events.UnknownCustomer
	if ev.ProductID != "" && !needOwner {
		return ev.ProductID == productID, nil
	}
	pl, found, err := f.placements.place(ctx, f.finpro, ev.ConsentHandle)
	if err != nil || !found {
		return false, err
	}
	if pl.product == "" || pl.product != productID {
		return false, nil
	}
	if needOwner && pl.owner != mobileNumber {
		return false, nil
	}
	return true, nil
}

// placement is what a live event needs from its consent: its product and
// its customer (the VUA's mobile; "" when the VUA hides it).
type placement struct{ product, owner string }

// placements places consents by handle for the live feed through
// /v3/getconsentslist. A consent's product and customer never change, so
// what is found is kept (up to maxPlacements handles, then forgotten all at
// once) and shared by every subscription of the process; concurrent
// lookups of one handle share a call. A handle not found is not kept: the
// consent may appear later.
type placements struct {
	mu    sync.Mutex
	known map[string]placement
	calls singleflight.Group
}

// maxPlacements bounds the memory of placements (about 100 bytes each).
const maxPlacements = 10_000

// Placement lookups: attempts and the pause between them. FinPro's client
// retries within its own window too; past these the subscription ends and
// the client resumes from its cursor, so no event is lost.
const (
	placeAttempts = 3
	placePause    = 250 * time.Millisecond
	placeTimeout  = 15 * time.Second
)

// errCannotPlace: no FinPro client to look consents up with.
var errCannotPlace = errors.New("no FinPro client to place consents")

// place returns the placement of the consent with this handle; found is
// false when FinPro does not know it.
func (p *placements) place(ctx context.Context, fp *finpro.Client, handle string) (placement, bool, error) {
	p.mu.Lock()
	pl, ok := p.known[handle]
	p.mu.Unlock()
	if ok {
		return pl, true, nil
	}
	if fp == nil {
		return placement{}, false, errCannotPlace
	}
	v, err, _ := p.calls.Do(handle, func() (any, error) {
		// Shared by the subscriptions waiting for this handle: the first
		// one ending must not fail the others.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), placeTimeout)
		defer cancel()
		var rows []finpro.Consent
		var err error
		for attempt := 1; ; attempt++ {
			rows, err = fp.ConsentsByRef(ctx, finpro.ConsentLookup{Handles: []string{handle}})
			if err == nil || attempt == placeAttempts || ctx.Err() != nil {
				break
			}
			t := time.NewTimer(placePause)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			if row.ConsentHandle != handle {
				continue
			}
			owner, _ := mobile.FromVUA(row.VUA)
			pl := placement{product: row.ProductID, owner: owner}
			p.mu.Lock()
			if p.known == nil || len(p.known) >= maxPlacements {
				p.known = make(map[string]placement)
			}
			p.known[handle] = pl
			p.mu.Unlock()
			return &pl, nil
		}
		return (*placement)(nil), nil
	})
	if err != nil {
		return placement{}, false, err
	}
	if found := v.(*placement); found != nil {
		return *found, true, nil
	}
	return placement{}, false, nil
}
