package broker

import (
	"context"
	"errors"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
)

// Subscribe returns a channel of the events matching f, in stream order. The
// channel closes when ctx ends, when the broker closes, or when the stream
// cannot be read while catching up; a client then subscribes again with
// ResumeAfter set to the last Seq it received and misses nothing.
//
// Every subscription is served from the broker's single live feed through an
// in-memory queue of Options.SubscriberBuffer events; a subscriber that falls
// further behind, or that resumes, reads the missing events straight from the
// stream, so a slow client never blocks others and never loses events.
func (b *Broker) Subscribe(ctx context.Context, f events.Filter) (<-chan events.Event, error) {
	if err := b.isReady(); err != nil {
		return nil, err
	}
	spec := hub.Spec{ProductID: f.ProductID, IncludeData: f.IncludeData, Since: f.Since}
	switch {
	case f.Mobile != "":
		if !mobile.Valid(f.Mobile) {
			return nil, errors.New("broker: subscribe: mobile number must be 10 digits")
		}
		spec.CustomerKey = events.HashCustomer(b.salt, f.Mobile)
		if f.ProductID != "" {
			spec.Watch = hub.Watch{Mobile: f.Mobile, ProductID: f.ProductID}
		}
	case f.CustomerKey != "":
		if !events.ValidToken(f.CustomerKey) {
			return nil, errors.New("broker: subscribe: invalid customer key")
		}
		spec.CustomerKey = f.CustomerKey
	}
	if f.ConsentHandle != "" {
		spec.HandleToken = events.HandleToken(f.ConsentHandle)
	}
	if spec.CustomerKey == "" && spec.HandleToken == "" {
		return nil, errors.New("broker: subscribe: filter needs a customer or a consent handle")
	}
	ch, err := b.hub.Subscribe(ctx, spec, f.ResumeAfter)
	if errors.Is(err, hub.ErrClosed) {
		return nil, ErrClosed
	}
	return ch, err
}

// Watched lists the (mobile, product) pairs with subscribers on this broker:
// what the fallback poller reads.
func (b *Broker) Watched() []hub.Watch { return b.hub.Watched() }

// Done is closed when the broker closes.
func (b *Broker) Done() <-chan struct{} { return b.ctx.Done() }

// ReplayStore returns the syncIncrementalData store in the SYNC_REPLAY
// bucket, shared by every replica (entries live Options.ReplayTTL at most).
// It may be taken before the broker is ready; its calls fail with
// ErrNotReady until then.
func (b *Broker) ReplayStore() replay.Store { return replayStore{b} }

// replayStore defers to the broker's KV store once it exists.
type replayStore struct{ b *Broker }

func (s replayStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if err := s.b.isReady(); err != nil {
		return nil, false, err
	}
	return s.b.replay.Get(ctx, key)
}

func (s replayStore) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := s.b.isReady(); err != nil {
		return err
	}
	return s.b.replay.Put(ctx, key, value, ttl)
}
