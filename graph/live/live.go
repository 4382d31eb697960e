// Package live runs the graph's subscriptions over the live feed of FinPro's
// events (internal/events): it registers a subscription with the feed, from
// the moment its request was read, delivers only the events its subscriber
// may see (placing, through FinPro's consent lookup, the consents of events
// that do not name their product or customer), and ends it with the error
// the client acts on: UNAUTHENTICATED at the token's expiry,
// UPSTREAM_UNAVAILABLE when the feed stops or an event cannot be placed
// (the client resubscribes with its last cursor and misses nothing).
//
// The subscription resolvers (graph/resolvers) check and authorize the
// arguments, then call [Subscribe] with the filter.
package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/graph/gqlhttp"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
)

// EventSource is the live feed of FinPro's events behind subscriptions (the
// one declaration: graph.Config takes it through resolvers.Options).
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
	msgEventsOff    = "live updates are not configured"
	msgEventsDown   = "live updates are unavailable; retry later"
	msgInterrupted  = "live updates were interrupted; subscribe again with after set to the last cursor"
	msgTokenExpired = "token expired"
)

// Feed is the process's subscriptions over one event source. It is safe for
// concurrent use; its placements are shared by every subscription.
type Feed struct {
	src        EventSource
	finpro     *finpro.Client
	logger     *slog.Logger
	placements placements
}

// New returns the feed over src (nil: subscriptions fail with
// UPSTREAM_UNAVAILABLE), placing consents through fp and logging to logger
// (nil discards).
func New(src EventSource, fp *finpro.Client, logger *slog.Logger) *Feed {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Feed{src: src, finpro: fp, logger: logger}
}

// Request is one subscription, its arguments checked and authorized.
type Request struct {
	// Mobile is the customer followed ("" to follow one consent).
	Mobile string
	// ConsentHandle limits the events to one consent ("" for all the
	// customer's).
	ConsentHandle string
	// ProductID is the product whose consents' events are delivered.
	ProductID string
	// IncludeData adds the DATA events (consentEvents).
	IncludeData bool
	// ResumeAfter is the after cursor's sequence (0: live events only).
	ResumeAfter uint64
	// Expires is the token's expiry, when the subscription ends with
	// UNAUTHENTICATED (zero: never).
	Expires time.Time
}

// Subscribe subscribes to the consent status changes (and, with
// IncludeData, the data fetches' ends) of a customer or of one consent.
//
// The subscription is registered before Subscribe returns, and it also
// receives the events that reached the feed from the moment its request was
// read (events.Filter.Since): a client that subscribes and at once causes a
// transition gets it. It delivers only the events of consents under
// req.ProductID and, for a customer, of that customer: an event that does not
// name its product (a Type 1 webhook) or its customer (a masked VUA) is
// placed first through FinPro's consent lookup (see placements).
//
// The returned channel closes when ctx ends (the client stopped the operation,
// the connection closed, or the server shut down), when the token expires
// (the operation then ends with UNAUTHENTICATED), or when the feed stops or
// an event cannot be placed (UPSTREAM_UNAVAILABLE).
//
// convert turns each event into what the subscription streams, false to
// skip it.
func Subscribe[T any](ctx context.Context, f *Feed, req Request, convert func(ev events.Event, mobile, productID string) (T, bool)) (<-chan T, error) {
	if f.src == nil {
		return nil, apierr.New(apierr.UpstreamUnavailable, msgEventsOff)
	}
	if !req.Expires.IsZero() && !time.Now().Before(req.Expires) {
		return nil, apierr.New(apierr.Unauthenticated, msgTokenExpired)
	}

	live := &subscription[T]{f: f, ctx: ctx, mobile: req.Mobile, productID: req.ProductID, expires: req.Expires, convert: convert, out: make(chan T)}
	direct := &hub.Direct{Deliver: live.deliver, End: live.end}
	subCtx, cancel := context.WithCancel(hub.WithDirect(ctx, direct))
	live.cancel = cancel
	in, err := f.src.Subscribe(subCtx, events.Filter{
		Mobile:        req.Mobile,
		ConsentHandle: req.ConsentHandle,
		ProductID:     req.ProductID,
		IncludeData:   req.IncludeData,
		ResumeAfter:   req.ResumeAfter,
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
	if !req.Expires.IsZero() {
		live.setExpiry(time.AfterFunc(time.Until(req.Expires), live.expire))
	}
	return live.out, nil
}

// Remember tells the event source a new consent handle's customer. A
// failure only costs the routing of events that hide the mobile, so it is
// logged, not returned.
func (f *Feed) Remember(ctx context.Context, mobile, handle string) {
	if f.src == nil {
		return
	}
	if err := f.src.RememberConsent(ctx, mobile, handle); err != nil {
		f.logger.WarnContext(ctx, "remember consent handle", "consent_handle", handle, "err", err)
	}
}

// subscription is one running subscription: the hub delivers its events
// (deliver, from a goroutine that exists only while there are events) and
// ends it (end) without a goroutine of its own.
type subscription[T any] struct {
	f                 *Feed
	ctx               context.Context // the operation's
	cancel            context.CancelFunc
	mobile, productID string
	expires           time.Time // the token's; zero: never
	convert           func(ev events.Event, mobile, productID string) (T, bool)
	out               chan T

	mu      sync.Mutex
	timer   *time.Timer // of the token's expiry
	expired bool        // the token expired
	failed  bool        // an event could not be placed; the error is sent
}

func (l *subscription[T]) setExpiry(t *time.Timer) {
	l.mu.Lock()
	l.timer = t
	l.mu.Unlock()
}

// expire ends the subscription at the token's expiry.
func (l *subscription[T]) expire() {
	l.mu.Lock()
	l.expired = true
	l.mu.Unlock()
	l.cancel()
}

// deliver sends ev on, converted, if the subscriber may see it; false ends
// the subscription. ctx is the hub's, within the operation's.
func (l *subscription[T]) deliver(ctx context.Context, ev events.Event) bool {
	m, ok := l.convert(ev, l.mobile, l.productID)
	if !ok {
		return true
	}
	visible, err := l.f.visible(ctx, ev, l.mobile, l.productID)
	if err != nil {
		if l.ctx.Err() == nil && ctx.Err() == nil {
			l.f.logger.WarnContext(l.ctx, "live event not placed; ending the subscription so the client resumes", "consent_handle", ev.ConsentHandle, "err", err)
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
func (l *subscription[T]) end() {
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
func (l *subscription[T]) forward(in <-chan events.Event) {
	defer l.end()
	var expired <-chan time.Time
	if !l.expires.IsZero() {
		t := time.NewTimer(time.Until(l.expires))
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
