package resolvers

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/sync/singleflight"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/gqlhttp"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
)

// EventSource is the live feed of FinPro's events behind subscriptions (the
// one declaration: graph.Config takes it through [Options]).
// *broker.Broker (internal/events/broker) satisfies it.
type EventSource interface {
	// Subscribe returns the events matching f; the channel closes when ctx
	// ends or the feed stops.
	Subscribe(ctx context.Context, f events.Filter) (<-chan events.Event, error)
	// RememberConsent records that a consent handle belongs to the customer
	// with this mobile (requestConsent calls it), so events that hide the
	// mobile still reach the customer's subscribers.
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

// subscribe subscribes to the consent status changes (and, withData, the
// data fetches' ends) of a customer or of one consent. Arguments are checked before any subscription exists.
//
// The subscription is registered before the resolver returns, and it also
// receives the events that reached the feed from the moment its request was
// read (events.Filter.Since): a client that subscribes and at once causes a
// transition gets it. It delivers only the events of consents under
// productID (the token's products were checked against it) and, for a
// customer, of that customer: an event that does not name its product (a
// Type 1 webhook) or its customer (a masked VUA) is placed first through
// FinPro's consent lookup (see placements).
//
// The returned channel closes when ctx ends (the client stopped the operation,
// the connection closed, or the server shut down), when the principal's token
// expires (the operation then ends with UNAUTHENTICATED), or when the feed
// stops or an event cannot be placed (UPSTREAM_UNAVAILABLE: the client
// resubscribes with after and misses nothing).
//
// withData adds the DATA events (consentEvents); convert turns each event
// into what the subscription streams, false to skip it.
func subscribe[T any](ctx context.Context, r *Resolver, productID string, mobileArg, handleArg, after *string, withData bool, convert func(ev events.Event, mobile, productID string) (T, bool)) (<-chan T, error) {
	if err := args.ID("productID", productID); err != nil {
		return nil, err
	}
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return nil, unauthenticated()
	}
	mobile := p.Mobile
	if mobileArg != nil {
		if err := args.Mobile("mobileNumber", *mobileArg); err != nil {
			return nil, err
		}
		mobile = *mobileArg
	}
	handle := ""
	if handleArg != nil {
		if err := args.ID("consentHandle", *handleArg); err != nil {
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
	if err := authorizeConsentEvents(p, mobile, productID); err != nil {
		return nil, err
	}
	if r.events == nil {
		return nil, apierr.New(apierr.UpstreamUnavailable, msgEventsOff)
	}
	if !p.ExpiresAt.IsZero() && !time.Now().Before(p.ExpiresAt) {
		return nil, apierr.New(apierr.Unauthenticated, msgTokenExpired)
	}

	live := &liveSubscription[T]{r: r, ctx: ctx, mobile: mobile, productID: productID, convert: convert, out: make(chan T)}
	direct := &hub.Direct{Deliver: live.deliver, End: live.end}
	subCtx, cancel := context.WithCancel(hub.WithDirect(ctx, direct))
	live.cancel = cancel
	in, err := r.events.Subscribe(subCtx, events.Filter{
		Mobile:        mobile,
		ConsentHandle: handle,
		ProductID:     productID,
		IncludeData:   withData,
		ResumeAfter:   resume,
		Since:         requestRead(ctx),
	})
	if err != nil {
		cancel()
		return nil, &apierr.Error{Code: apierr.UpstreamUnavailable, Message: msgEventsDown, Err: err}
	}
	if !direct.Attached() {
		// An event source that does not hand the context to the hub: read
		// its channel.
		go live.forward(in)
		return live.out, nil
	}
	// The hub calls deliver and end; the token's expiry ends the
	// subscription through its context. Nothing waits while it is idle.
	if !p.ExpiresAt.IsZero() {
		live.setExpiry(time.AfterFunc(time.Until(p.ExpiresAt), live.expire))
	}
	return live.out, nil
}

// liveSubscription is one running subscription: the hub delivers its events
// (deliver, from a goroutine that exists only while there are events) and
// ends it (end) without a goroutine of its own.
type liveSubscription[T any] struct {
	r                 *Resolver
	ctx               context.Context // the operation's
	cancel            context.CancelFunc
	mobile, productID string
	convert           func(ev events.Event, mobile, productID string) (T, bool)
	out               chan T

	mu      sync.Mutex
	timer   *time.Timer // of the token's expiry
	expired bool        // the token expired
	failed  bool        // an event could not be placed; the error is sent
}

func (l *liveSubscription[T]) setExpiry(t *time.Timer) {
	l.mu.Lock()
	l.timer = t
	l.mu.Unlock()
}

// expire ends the subscription at the token's expiry.
func (l *liveSubscription[T]) expire() {
	l.mu.Lock()
	l.expired = true
	l.mu.Unlock()
	l.cancel()
}

// deliver sends ev on, converted, if the subscriber may see it; false ends
// the subscription. ctx is the hub's, within the operation's.
func (l *liveSubscription[T]) deliver(ctx context.Context, ev events.Event) bool {
	m, ok := l.convert(ev, l.mobile, l.productID)
	if !ok {
		return true
	}
	visible, err := l.r.visible(ctx, ev, l.mobile, l.productID)
	if err != nil {
		if l.ctx.Err() == nil && ctx.Err() == nil {
			l.r.logger.WarnContext(l.ctx, "live event not placed; ending the subscription so the client resumes", "consent_handle", ev.ConsentHandle, "err", err)
			l.mu.Lock()
			l.failed = true
			l.mu.Unlock()
		}
		return false
	}
	if !visible {
		return true
	}
	select {
	case l.out <- m:
		return true
	case <-ctx.Done():
		return false
	}
}

// end closes the subscription's channel after its last event, first giving
// the transport the error it ends with, if any: UNAUTHENTICATED at the
// token's expiry, UPSTREAM_UNAVAILABLE when an event could not be placed or
// the feed stopped while the operation still runs.
func (l *liveSubscription[T]) end() {
	l.mu.Lock()
	if l.timer != nil {
		l.timer.Stop()
	}
	expired, failed := l.expired, l.failed
	l.mu.Unlock()
	l.cancel()
	switch {
	case expired:
		endSubscription(l.ctx, apierr.Unauthenticated, msgTokenExpired)
	case failed || l.ctx.Err() == nil:
		endSubscription(l.ctx, apierr.UpstreamUnavailable, msgInterrupted)
	}
	close(l.out)
}

// forward reads an event source's channel (one that does not deliver
// through hub.Direct) with a goroutine of its own.
func (l *liveSubscription[T]) forward(in <-chan events.Event) {
	defer l.end()
	var expired <-chan time.Time
	if p, _ := auth.PrincipalFrom(l.ctx); !p.ExpiresAt.IsZero() {
		t := time.NewTimer(time.Until(p.ExpiresAt))
		defer t.Stop()
		expired = t.C
	}
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-expired:
			l.expire()
			return
		case ev, ok := <-in:
			if !ok || !l.deliver(l.ctx, ev) {
				return
			}
		}
	}
}

// requestRead is where a new subscription's events start: readGrace before
// the server read its request (a websocket subscribe message; without read
// times, when the operation started, else now). graphql-transport-ws has no
// per-subscription acknowledgement, so a client that subscribes and at once
// causes an event cannot wait for the registration; and the server may read
// the message after that event reached the feed (measured: 0.2 ms late on
// loopback, with the webhook's whole path in between). Looking back
// readGrace makes the delivery at least once: the client may also get an
// event of the moment before it subscribed, with a cursor it has already
// seen if it saw it before.
func requestRead(ctx context.Context) time.Time {
	read := time.Now()
	if graphql.HasOperationContext(ctx) {
		st := graphql.GetOperationContext(ctx).Stats
		switch {
		case !st.Read.End.IsZero():
			read = st.Read.End
		case !st.OperationStart.IsZero():
			read = st.OperationStart
		}
	}
	since := read.Add(-readGrace)
	if acked, ok := ctx.Value(connAckKey{}).(time.Time); ok && acked.After(since) {
		// The client sent the request after its connection_ack: nothing it
		// caused came earlier.
		since = acked
	}
	return since
}

type connAckKey struct{}

// WithConnectionAck marks ctx, a websocket connection's as its InitFunc
// accepts it, as acknowledged now. A subscription on the connection then
// looks back no further than that (see requestRead): a new connection's
// first subscription gets no event from before the connection.
func WithConnectionAck(ctx context.Context) context.Context {
	return context.WithValue(ctx, connAckKey{}, time.Now())
}

// readGrace is how far before its request was read a new subscription's
// events start: far beyond the scheduling delays seen, short enough that a
// customer's events (minutes apart in practice) are rarely caught twice.
const readGrace = 100 * time.Millisecond

// visible reports whether a subscriber following productID (and the
// customer with this mobile, when set) may see ev. An event that names its
// product and comes under the subscriber's customer key is decided at once;
// one that does not name its product, or whose customer is unknown (a masked
// VUA, routed by its handle), is placed by looking its consent up. A consent
// FinPro does not know, or that names no product, is not shown.
func (r *Resolver) visible(ctx context.Context, ev events.Event, mobileNumber, productID string) (bool, error) {
	needOwner := mobileNumber != "" && ev.CustomerKey == events.UnknownCustomer
	if ev.ProductID != "" && !needOwner {
		return ev.ProductID == productID, nil
	}
	pl, found, err := r.placements.place(ctx, r.finpro, ev.ConsentHandle)
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

// endSubscription makes the transport end the operation with an error: the
// websocket transport with an error message instead of complete, the HTTP
// subscription transport with a last result carrying it. The error
// presenter does not see it, so it is built here in the contract's shape.
func endSubscription(ctx context.Context, code apierr.Code, msg string) {
	err := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(code)}}
	if gqlhttp.EndWithError(ctx, err) || wsgorilla.EndWithError(ctx, err) {
		return
	}
	defer func() { _ = recover() }() // no websocket error slot in ctx
	transport.AddSubscriptionError(ctx, err)
}

// eventConsent looks an event's consent up in the customer's consent list
// (one call per batch: a subscription's loaders forget their cache after each
// batch, so every event sees the list as it is). A consent the list does not
// show under the product gives nil. A subscription by handle alone (no
// customer) looks the consent up by its handle instead, placed as node is.
func (r *Resolver) eventConsent(ctx context.Context, mobile, productID, handle string) (*model.Consent, error) {
	if mobile == "" {
		c, err := placeConsent(ctx, loaders.ConsentRef{Handle: handle}, &productID)
		if ae, ok := apierr.As(err); ok && ae.Code == apierr.NotFound {
			return nil, nil
		}
		return c, err
	}
	page, err := loaders.Consents(ctx, loaders.ConsentsKey{MobileNumber: mobile, ProductID: productID})
	if err != nil {
		return nil, err
	}
	for _, row := range page.Consents {
		if row.ConsentHandle == handle && model.KeepConsent(row, productID, nil) {
			return model.ConsentFromFinpro(row), nil
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
