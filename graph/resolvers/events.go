package resolvers

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/graph/apierr"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// EventSource is the live feed of FinPro's events. *broker.Broker
// (internal/events/broker) satisfies it.
type EventSource interface {
	// Subscribe returns the events matching f; the channel closes when ctx
	// ends or the feed stops.
	Subscribe(ctx context.Context, f events.Filter) (<-chan events.Event, error)
	// RememberConsent records that a consent handle belongs to the customer
	// with this mobile, so events that hide the mobile still reach the
	// customer's subscribers.
	RememberConsent(ctx context.Context, mobile, consentHandle string) error
}

// Messages of the errors that end a subscription.
const (
	msgEventsOff     = "live updates are not configured"
	msgEventsDown    = "live updates are unavailable; retry later"
	msgInterrupted   = "live updates were interrupted; subscribe again with after set to the last cursor"
	msgTokenExpired  = "token expired"
	msgNeedsCustomer = "mobileNumber or consentHandle is required"
)

// consentEvents subscribes to the consent status changes of a customer or of
// one consent. Arguments are checked before any subscription exists.
//
// The returned channel closes when ctx ends (the client stopped the operation,
// the connection closed, or the server shut down), when the principal's token
// expires (the operation then ends with UNAUTHENTICATED), or when the feed
// stops (UPSTREAM_UNAVAILABLE: the client resubscribes with after).
func (r *Resolver) consentEvents(ctx context.Context, productID string, mobileArg, handleArg, after *string) (<-chan *model.ConsentStatusEvent, error) {
	if err := validID("productID", productID); err != nil {
		return nil, err
	}
	p, _ := auth.PrincipalFrom(ctx)
	mobile := p.Mobile
	if mobileArg != nil {
		if err := validMobile("mobileNumber", *mobileArg); err != nil {
			return nil, err
		}
		mobile = *mobileArg
	}
	handle := ""
	if handleArg != nil {
		if err := validID("consentHandle", *handleArg); err != nil {
			return nil, err
		}
		handle = *handleArg
	}
	if mobile == "" && handle == "" {
		return nil, apierr.BadInput(msgNeedsCustomer)
	}
	var resume uint64
	if after != nil {
		seq, err := events.ParseCursor(*after)
		if err != nil {
			return nil, &apierr.Error{Code: apierr.BadUserInput, Message: "after is not a valid cursor", Err: err}
		}
		resume = seq
	}
	if err := authorizeConsentEvents(ctx, mobile, handle, productID); err != nil {
		return nil, err
	}
	if r.events == nil {
		return nil, apierr.New(apierr.UpstreamUnavailable, msgEventsOff)
	}
	if !p.ExpiresAt.IsZero() && !time.Now().Before(p.ExpiresAt) {
		return nil, apierr.New(apierr.Unauthenticated, msgTokenExpired)
	}

	subCtx, cancel := context.WithCancel(ctx)
	in, err := r.events.Subscribe(subCtx, events.Filter{
		Mobile:        mobile,
		ConsentHandle: handle,
		ProductID:     productID,
		ResumeAfter:   resume,
	})
	if err != nil {
		cancel()
		return nil, &apierr.Error{Code: apierr.UpstreamUnavailable, Message: msgEventsDown, Err: err}
	}
	var expired <-chan time.Time
	stop := func() bool { return false }
	if !p.ExpiresAt.IsZero() {
		t := time.NewTimer(time.Until(p.ExpiresAt))
		expired, stop = t.C, t.Stop
	}
	out := make(chan *model.ConsentStatusEvent)
	go func() {
		defer close(out)
		defer cancel()
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-expired:
				endSubscription(ctx, apierr.Unauthenticated, msgTokenExpired)
				return
			case ev, ok := <-in:
				if !ok {
					if ctx.Err() == nil {
						endSubscription(ctx, apierr.UpstreamUnavailable, msgInterrupted)
					}
					return
				}
				m := consentEventFromEvents(ev, mobile, productID)
				if m == nil {
					continue
				}
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// consentEventFromEvents converts a CONSENT event; other events, and events
// without a known consent status, give nil.
func consentEventFromEvents(ev events.Event, mobile, productID string) *model.ConsentStatusEvent {
	status := model.ConsentStatus(ev.ConsentStatus)
	if ev.Type != events.TypeConsent || !status.IsValid() {
		return nil
	}
	return &model.ConsentStatusEvent{
		ConsentHandle: ev.ConsentHandle,
		ConsentID:     model.StringPtr(ev.ConsentID),
		Status:        status,
		EventStatus:   eventStatus(ev.Status),
		OccurredAt:    ev.OccurredAt,
		Cursor:        ev.Cursor(),
		MobileNumber:  mobile,
		ProductID:     productID,
	}
}

// eventStatus converts FinPro's eventStatus (UNKNOWN for one this version
// does not know).
func eventStatus(s string) model.ConsentEventStatus {
	v, _ := model.EnumOf(s, model.ConsentEventStatusUnknown)
	return v
}

// endSubscription makes the websocket transport end the operation with an
// error message instead of complete. The error presenter does not see it, so
// it is built here in the contract's shape. Outside the websocket transport
// (which alone serves subscriptions) there is nowhere to put it and the
// operation simply ends.
func endSubscription(ctx context.Context, code apierr.Code, msg string) {
	defer func() { _ = recover() }() // no websocket error slot in ctx
	transport.AddSubscriptionError(ctx, &gqlerror.Error{
		Message:    msg,
		Extensions: map[string]any{"code": string(code)},
	})
}

// eventConsent looks the event's consent up in the customer's consent list
// (one call per batch: a subscription's loaders forget their cache after each
// batch, so every event sees the list as it is). A consent the list does not
// show under the product, or an event without a known customer, gives nil.
func (r *Resolver) eventConsent(ctx context.Context, ev *model.ConsentStatusEvent) (*model.Consent, error) {
	if ev.MobileNumber == "" {
		return nil, nil
	}
	page, err := loaders.Consents(ctx, loaders.ConsentsKey{MobileNumber: ev.MobileNumber, ProductID: ev.ProductID})
	if err != nil {
		return nil, err
	}
	for _, row := range page.Consents {
		if row.ConsentHandle == ev.ConsentHandle && keepConsent(row, ev.ProductID, nil) {
			return consentFromFinpro(row), nil
		}
	}
	return nil, nil
}

// rememberConsent tells the event source a new consent handle's customer. A
// failure only costs the routing of events that hide the mobile, so it is
// logged, not returned.
func (r *Resolver) rememberConsent(ctx context.Context, mobile, handle string) {
	if r.events == nil {
		return
	}
	if err := r.events.RememberConsent(ctx, mobile, handle); err != nil {
		r.logger.WarnContext(ctx, "remember consent handle", "consent_handle", handle, "err", err)
	}
}
