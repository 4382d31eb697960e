package events

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/nats-io/nats.go/jetstream"
)

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
	b        *Broker
	lister   ConsentLister
	interval time.Duration
	logger   *slog.Logger
	// last holds the status seen at the previous poll, per pair and handle.
	last map[watchKey]map[string]finpro.ConsentStatus
}

// NewPoller returns a Poller reading lister every interval (default 30s).
func NewPoller(b *Broker, lister ConsentLister, interval time.Duration, logger *slog.Logger) *Poller {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Poller{b: b, lister: lister, interval: interval, logger: logger, last: make(map[watchKey]map[string]finpro.ConsentStatus)}
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
		case <-p.b.ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PollOnce runs one round and returns the number of events it published.
// Errors are logged (without the mobile) and the pair is retried next round.
func (p *Poller) PollOnce(ctx context.Context) int {
	pairs := p.b.hub.watched()
	live := make(map[watchKey]bool, len(pairs))
	published := 0
	for _, w := range pairs {
		live[w] = true
		if ctx.Err() != nil {
			return published
		}
		n, err := p.pollPair(ctx, w)
		published += n
		if err != nil {
			p.logger.WarnContext(ctx, "consent poll failed", "product_id", w.productID, "err", err)
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

func (p *Poller) pollPair(ctx context.Context, w watchKey) (int, error) {
	page, err := p.lister.Consents(ctx, finpro.ConsentListRequest{MobileNumber: w.mobile, ProductID: w.productID})
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
		ok, err := p.b.PublishConsentStatus(ctx, w.mobile, prev, c)
		if err != nil {
			return published, err
		}
		if ok {
			published++
		}
	}
	return published, nil
}

// PublishConsentStatus stores a synthetic CONSENT event saying that consent c
// of the customer with this mobile moved from prev to c.Status, unless the
// last CONSENT event stored for the consent already says so (a webhook, or
// another replica's poller, got there first). It reports whether it stored
// an event. PENDING is not an event and is skipped.
func (b *Broker) PublishConsentStatus(ctx context.Context, mobile string, prev finpro.ConsentStatus, c finpro.Consent) (bool, error) {
	key, err := b.customerKeyOf(mobile)
	if err != nil {
		return false, err
	}
	status, ok := finpro.EventStatusOf(prev, c.Status)
	if !ok {
		return false, nil
	}
	ev := Event{
		Type:          TypeConsent,
		Status:        status,
		ConsentStatus: c.Status,
		ConsentHandle: c.ConsentHandle,
		ConsentID:     c.ConsentID,
		OccurredAt:    time.Now().UTC(),
		CustomerKey:   key,
		ProductID:     c.ProductID,
		AccountID:     c.AccountID,
		FetchType:     c.FetchType,
		ConsentExpiry: c.ExpiresAt,
		Source:        SourcePoller,
	}
	var lastSeq uint64
	m, err := b.stream.GetLastMsgForSubject(ctx, subjectOf(ev))
	switch {
	case errors.Is(err, jetstream.ErrMsgNotFound):
	case err != nil:
		return false, err
	default:
		lastSeq = m.Sequence
		if stored, err := decodeEvent(m.Data, m.Sequence); err == nil && stored.ConsentStatus == c.Status {
			return false, nil
		}
	}
	msgID := dedupeID(SourcePoller, c.ConsentHandle, status, strconv.FormatUint(lastSeq, 10))
	_, dup, err := b.publish(ctx, ev, msgID, jetstream.WithExpectLastSequencePerSubject(lastSeq))
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant) {
		return false, nil // another replica published this change first
	}
	if err != nil {
		return false, err
	}
	return !dup, nil
}
