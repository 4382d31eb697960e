// Package poller is the fallback for deployments that FinPro's webhooks
// cannot reach: it polls the consent list of customers with live
// subscribers and publishes their status changes as events.
package poller

import (
	"context"
	"log/slog"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Source is where the poller learns what to poll and publishes what changed.
// *broker.Broker satisfies it.
type Source interface {
	// Watched lists the (mobile, product) pairs with live subscribers.
	Watched() []hub.Watch
	// PublishConsentStatus stores a CONSENT event for c's move from prev to
	// c.Status unless the stream already says so; it reports whether it
	// stored one.
	PublishConsentStatus(ctx context.Context, mobile string, prev finpro.ConsentStatus, c finpro.Consent) (bool, error)
	// Done is closed when the source closes.
	Done() <-chan struct{}
}

// ConsentLister reads a customer's consent list. *finpro.Client satisfies it.
type ConsentLister interface {
	Consents(ctx context.Context, req finpro.ConsentListRequest) (*finpro.ConsentPage, error)
}

// Poller is the fallback for deployments where FinPro's webhooks cannot reach
// the BFF. Every interval it reads the consent list of each (mobile, product)
// pair that has a subscriber on this replica (subscriptions with Filter.Mobile
// and Filter.ProductID), compares each consent's status with the previous
// poll, and publishes a synthetic CONSENT event on a change.
//
// Replicas and webhooks do not double-publish: before publishing, the poller
// reads the last CONSENT event stored for the consent and skips the change
// when it already shows the new status, and it publishes with that event's
// sequence as the expected last sequence of the subject, so of two replicas
// seeing the same change only one write succeeds. (Webhook events stored
// under UnknownCustomer are on another subject and are not seen by this check.)
//
// The poller is off unless the server runs it; a handle-only subscription is
// not polled (the consent list needs a mobile).
type Poller struct {
	src      Source
	lister   ConsentLister
	interval time.Duration
	logger   *slog.Logger
	// last holds the status seen at the previous poll, per pair and handle.
	last map[hub.Watch]map[string]finpro.ConsentStatus
}

// New returns a Poller reading lister every interval (default 30s) for the
// pairs src watches. A nil logger discards.
func New(src Source, lister ConsentLister, interval time.Duration, logger *slog.Logger) *Poller {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Poller{src: src, lister: lister, interval: interval, logger: logger, last: make(map[hub.Watch]map[string]finpro.ConsentStatus)}
}

// Run polls until ctx ends or the broker closes, then returns nil.
func (p *Poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		p.PollOnce(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-p.src.Done():
			return nil
		case <-t.C:
		}
	}
}

// PollOnce runs one round and returns the number of events it published.
// Errors are logged (without the mobile) and the pair is retried next round.
func (p *Poller) PollOnce(ctx context.Context) int {
	pairs := p.src.Watched()
	live := make(map[hub.Watch]bool, len(pairs))
	published := 0
	for _, w := range pairs {
		live[w] = true
		if ctx.Err() != nil {
			return published
		}
		n, err := p.pollPair(ctx, w)
		published += n
		if err != nil {
			p.logger.WarnContext(ctx, "consent poll failed", "product_id", w.ProductID, "err", err)
		}
	}
	// A pair without subscribers is forgotten: its next subscriber starts
	// from a fresh baseline rather than from a stale status.
	for w := range p.last {
		if !live[w] {
			delete(p.last, w)
		}
	}
	return published
}

func (p *Poller) pollPair(ctx context.Context, w hub.Watch) (int, error) {
	page, err := p.lister.Consents(ctx, finpro.ConsentListRequest{MobileNumber: w.Mobile, ProductID: w.ProductID})
	if err != nil {
		return 0, err
	}
	seen, first := p.last[w]
	first = !first
	if first {
		seen = make(map[string]finpro.ConsentStatus)
		p.last[w] = seen
	}
	published := 0
	for _, c := range page.Consents {
		if c.ConsentHandle == "" {
			continue
		}
		prev, known := seen[c.ConsentHandle]
		seen[c.ConsentHandle] = c.Status
		if first || !known || prev == c.Status {
			// The first sight of a consent is a baseline, not a change; a
			// consent new since the last poll is PENDING or was announced by
			// requestConsent.
			continue
		}
		ok, err := p.src.PublishConsentStatus(ctx, w.Mobile, prev, c)
		if err != nil {
			return published, err
		}
		if ok {
			published++
		}
	}
	return published, nil
}
