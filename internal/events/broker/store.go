package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// customerKeyOf returns the CustomerKey of a mobile number.
func (b *Broker) customerKeyOf(m string) (string, error) {
	if err := b.isReady(); err != nil {
		return "", err
	}
	if !mobile.Valid(m) {
		return "", errors.New("broker: mobile number must be 10 digits")
	}
	return events.HashCustomer(b.salt, m), nil
}

// CustomerKey returns the key under which a customer's events are stored: a
// keyed hash of the 10-digit mobile, identical on every replica.
func (b *Broker) CustomerKey(mobile string) (string, error) {
	return b.customerKeyOf(mobile)
}

// publish stores ev under its subject with msgID as the deduplication id and
// waits for JetStream's acknowledgement. dup reports a duplicate that
// JetStream dropped.
func (b *Broker) publish(ctx context.Context, ev events.Event, msgID string, extra ...jetstream.PublishOpt) (seq uint64, dup bool, err error) {
	if err := b.isReady(); err != nil {
		return 0, false, err
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return 0, false, fmt.Errorf("encode event: %w", err)
	}
	opts := append([]jetstream.PublishOpt{jetstream.WithMsgID(msgID), jetstream.WithExpectStream(StreamName)}, extra...)
	ack, err := b.js.Publish(ctx, events.Subject(ev), data, opts...)
	if err != nil {
		return 0, false, fmt.Errorf("publish event: %w", err)
	}
	return ack.Sequence, ack.Duplicate, nil
}

// RememberConsent records that a consent handle belongs to the customer with
// this mobile (call it when requestConsent returns a handle). Events about the
// handle whose payload hides the mobile (Type 2 masked VUAs, rejections
// without a VUA) are then stored under the customer's key and reach
// customer-filtered subscribers too. Only the keyed hash is stored.
func (b *Broker) RememberConsent(ctx context.Context, mobile, consentHandle string) error {
	key, err := b.customerKeyOf(mobile)
	if err != nil {
		return err
	}
	if consentHandle == "" {
		return errors.New("broker: empty consent handle")
	}
	hk := events.HandleToken(consentHandle)
	if e, err := b.handles.Get(ctx, hk); err == nil && string(e.Value()) == key {
		return nil
	}
	if _, err := b.handles.Put(ctx, hk, []byte(key)); err != nil {
		return fmt.Errorf("broker: remember consent: %w", err)
	}
	return nil
}

// lookupHandle returns the customer key remembered for a handle.
func (b *Broker) lookupHandle(ctx context.Context, consentHandle string) (string, bool, error) {
	e, err := b.handles.Get(ctx, events.HandleToken(consentHandle))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return string(e.Value()), true, nil
}

// Store retries: a JetStream cluster electing a stream leader answers
// nothing (or "no responders") for a few seconds; StoreWebhook keeps trying
// within its context rather than failing at the first attempt.
const (
	storeAttempt  = time.Second
	storeBackoff  = 50 * time.Millisecond
	storeMaxPause = 500 * time.Millisecond
)

// StoreWebhook stores a verified, decoded webhook event received at received
// and waits for JetStream's acknowledgement: under the customer key of the
// VUA's mobile, else of the handle's remembered customer, else
// events.UnknownCustomer. dup reports a retry JetStream dropped (already
// stored within the duplicate window). A payload that shows the mobile
// teaches the handle index, so later events that hide it are routed too.
//
// It keeps trying until ctx ends (the webhook intake's store timeout): while
// the broker is still starting, while NATS reconnects, while the stream
// elects a leader. Every attempt carries the event's id, so an attempt that
// was stored but whose acknowledgement was lost makes the next one a
// duplicate, not a second copy. It returns an error only when ctx ended (or
// the broker closed) before the event was stored.
func (b *Broker) StoreWebhook(ctx context.Context, w webhookpayload.Event, received time.Time) (seq uint64, dup bool, err error) {
	ev := events.FromWebhook(w, received)
	msgID := events.WebhookID(w)
	delay := storeBackoff
	for attempt := 1; ; attempt++ {
		seq, dup, err = b.storeOnce(ctx, ev, w.Mobile, msgID)
		if err == nil {
			if attempt > 1 {
				b.logger.InfoContext(ctx, "webhook event stored after retries", "attempts", attempt)
			}
			break
		}
		if errors.Is(err, ErrClosed) || errors.Is(err, errPermanent) {
			return 0, false, err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, false, fmt.Errorf("%w after %d attempts (last: %w)", ctx.Err(), attempt, err)
		case <-b.ctx.Done():
			t.Stop()
			return 0, false, ErrClosed
		case <-t.C:
		}
		delay = min(2*delay, storeMaxPause)
	}
	if w.Mobile != "" {
		// Later events about this consent may hide the mobile.
		if err := b.RememberConsent(ctx, w.Mobile, ev.ConsentHandle); err != nil {
			b.logger.DebugContext(ctx, "consent handle not indexed", "err", err)
		}
	}
	return seq, dup, nil
}

// errPermanent marks a store failure that retrying cannot fix.
var errPermanent = errors.New("broker: event cannot be stored")

// storeOnce makes one attempt of StoreWebhook, bounded by storeAttempt.
func (b *Broker) storeOnce(ctx context.Context, ev events.Event, mobile, msgID string) (uint64, bool, error) {
	if err := b.WaitReady(ctx); err != nil {
		return 0, false, err
	}
	actx, cancel := context.WithTimeout(ctx, storeAttempt)
	defer cancel()
	if mobile != "" {
		ev.CustomerKey = events.HashCustomer(b.salt, mobile)
	} else {
		ev.CustomerKey = events.UnknownCustomer
		key, ok, err := b.lookupHandle(actx, ev.ConsentHandle)
		if err != nil {
			return 0, false, err
		}
		if ok {
			ev.CustomerKey = key
		}
	}
	seq, dup, err := b.publish(actx, ev, msgID)
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.Code == 400 {
		// A message JetStream refuses as such (too large, wrong stream): a
		// retry would be refused too.
		return 0, false, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return seq, dup, err
}

// PublishConsentStatus stores a synthetic CONSENT event saying that consent c
// of the customer with this mobile moved from prev to c.Status, unless the
// last CONSENT event stored for the consent already says so (a webhook, or
// another replica's poller, got there first). It reports whether it stored
// an event. PENDING is not an event and is skipped.
func (b *Broker) PublishConsentStatus(ctx context.Context, mobile string, prev finpro.ConsentStatus, c finpro.Consent) (bool, error) {
	if err := b.isReady(); err != nil {
		return false, err
	}
	key, err := b.customerKeyOf(mobile)
	if err != nil {
		return false, err
	}
	status, ok := finpro.EventStatusOf(prev, c.Status)
	if !ok {
		return false, nil
	}
	ev := events.Event{
		Type:          events.TypeConsent,
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
		Source:        events.SourcePoller,
	}
	var lastSeq uint64
	m, err := b.stream.GetLastMsgForSubject(ctx, events.Subject(ev))
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
	msgID := events.DedupeID(events.SourcePoller, c.ConsentHandle, status, strconv.FormatUint(lastSeq, 10))
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
