// Package hub fans a stream of events out to in-process subscribers.
//
// A broker feeds one [Hub] from one live consumer of the event stream
// ([Hub.Dispatch]); each subscriber gets a small queue instead of a consumer
// of its own, indexed by customer key and by consent handle so a dispatch
// touches only the subscribers it concerns, and a delivery goroutine only
// while it has events to deliver (an idle subscriber holds none; with a
// [Direct] the hub calls the subscriber instead of sending on a channel). A subscriber that
// resumes after a cursor, or whose queue overflows, reads the missing events
// straight from the stream through [Reader], then goes back to its queue,
// with no gap and no duplicate. A slow subscriber never blocks the feed or
// another subscriber.
package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
)

// ErrClosed is returned by Subscribe after Close.
var ErrClosed = errors.New("hub: closed")

// Reader reads the stored stream for subscribers that catch up.
type Reader interface {
	// LastSeq is the sequence of the last event stored.
	LastSeq(ctx context.Context) (uint64, error)
	// Next returns the first decodable event stored after sequence after
	// under subject (a NATS subject filter); found is false past the end.
	Next(ctx context.Context, after uint64, subject string) (ev events.Event, found bool, err error)
}

// Spec is what a subscriber receives: the events of a customer, of a handle,
// or of a handle whose customer is the given one or unknown.
type Spec struct {
	// CustomerKey and HandleToken (events.HandleToken of the handle) select
	// the events; at least one is set.
	CustomerKey string
	HandleToken string
	// ProductID drops events that name another product.
	ProductID string
	// IncludeData adds DATA events to CONSENT events.
	IncludeData bool
	// Watch is the (mobile, product) pair the fallback poller reads for this
	// subscriber; zero for none.
	Watch Watch
	// Since, when set, also gives the subscriber the events that reached
	// the hub at or after it but before Subscribe registered it (the
	// subscription's request was read at Since; its acknowledgement is the
	// registration). Bounded by the hub's memory of recent dispatches
	// (recentDispatches).
	Since time.Time
}

// Watch is a (mobile, product) pair with live subscribers, polled by the
// fallback poller. It lives only in this process's memory.
type Watch struct{ Mobile, ProductID string }

// match reports whether ev is for s.
func (s *Spec) match(ev events.Event) bool {
	if ev.Type != events.TypeConsent && !(s.IncludeData && ev.Type == events.TypeData) {
		return false
	}
	if s.HandleToken != "" && events.HandleToken(ev.ConsentHandle) != s.HandleToken {
		return false
	}
	if s.CustomerKey != "" && ev.CustomerKey != s.CustomerKey && (s.HandleToken == "" || ev.CustomerKey != events.UnknownCustomer) {
		return false
	}
	if s.ProductID != "" && ev.ProductID != "" && ev.ProductID != s.ProductID {
		return false
	}
	return true
}

// Direct is a subscriber's delivery by call instead of by channel: the hub
// calls Deliver for each event, from a goroutine that exists only while the
// subscriber has events to deliver, so an idle subscription holds no
// goroutine at all. Pass it to Subscribe with [WithDirect].
type Direct struct {
	// Deliver hands over one event; it may block, and should give up when
	// ctx (the subscription's) ends. false ends the subscription.
	Deliver func(ctx context.Context, ev events.Event) bool
	// End runs once when the subscription ends (its context ended, Deliver
	// returned false, the hub closed or a catch-up failed), after the last
	// Deliver has returned.
	End func()

	attached atomic.Bool
}

// Attached reports whether a Subscribe took d: its events then go to
// Deliver, and the channel Subscribe returned carries none.
func (d *Direct) Attached() bool { return d.attached.Load() }

type directKey struct{}

// WithDirect returns ctx carrying d: a Subscribe given it (or a context
// derived from it) delivers through d instead of its channel. The context
// carries it through any event source that passes its context on to the hub.
func WithDirect(ctx context.Context, d *Direct) context.Context {
	return context.WithValue(ctx, directKey{}, d)
}

// subscriber is one open subscription's state, shared by the hub (which
// enqueues and, when there is something to deliver, starts a delivery
// goroutine) and that goroutine.
type subscriber struct {
	Spec
	ctx     context.Context // the subscription's
	cancel  context.CancelFunc
	deliver func(ctx context.Context, ev events.Event) bool
	end     func()

	mu       sync.Mutex
	queue    []events.Event
	gap      bool   // events were dropped from a full queue
	catchUp  bool   // read the stream after lastSent before the queue
	lastSent uint64 // sequence of the last event delivered or skipped
	running  bool   // a delivery goroutine runs
	stopped  bool   // the context ended; whoever sees running false ends s
}

// offer enqueues ev, or records a gap when the queue is full, and starts a
// delivery unless one runs. It reports whether the caller must start it.
func (s *subscriber) offer(ev events.Event, limit int) (start bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	if len(s.queue) >= limit {
		s.gap = true
	} else {
		s.queue = append(s.queue, ev)
	}
	if s.running {
		return false
	}
	s.running = true
	return true
}

// Hub routes events from a live feed to local subscribers. It is safe for
// concurrent use.
type Hub struct {
	limit  int
	reader Reader
	logger *slog.Logger
	ctx    context.Context // ends at Close; parents every subscription
	cancel context.CancelFunc
	// pumps counts the subscribers' goroutines; add registers one under mu, so
	// none is added once Close has run.
	pumps sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	lastSeq  uint64
	byKey    map[string]map[*subscriber]struct{}
	byHandle map[string]map[*subscriber]struct{}
	watches  map[Watch]int
	// recent holds when the last dispatched events reached the hub, oldest
	// first, for Spec.Since.
	recent []dispatched
}

// dispatched is when an event reached the hub.
type dispatched struct {
	seq uint64
	at  time.Time
}

// recentDispatches bounds Hub.recent: Spec.Since reaches back this many
// events at most (the time between reading a subscription request and
// registering it holds a handful).
const recentDispatches = 4096

// New returns a Hub queueing up to limit events per subscriber (at least 1)
// before the subscriber falls back to reading r. A nil logger discards.
func New(limit int, r Reader, logger *slog.Logger) *Hub {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{
		limit:    max(limit, 1),
		reader:   r,
		logger:   logger,
		ctx:      ctx,
		cancel:   cancel,
		byKey:    make(map[string]map[*subscriber]struct{}),
		byHandle: make(map[string]map[*subscriber]struct{}),
		watches:  make(map[Watch]int),
	}
}

// Subscribe registers a subscriber and returns its channel of events in
// stream order. Events dispatched from the moment it returns reach it; with
// resumeAfter > 0 it first replays the stored events after that sequence. A
// cursor beyond the stream's end (a stream that was recreated) starts afresh.
//
// The channel closes when ctx ends, when the hub closes, or when the stream
// cannot be read while catching up (the client then resumes after its last
// event and misses nothing). When ctx carries a [Direct] (WithDirect), the
// events go to it instead and the channel only closes, after Direct.End.
//
// No goroutine waits for an idle subscriber: a dispatch that queues its
// first event starts one, which delivers the queue and ends when it is
// empty, and the end of ctx is watched by context.AfterFunc.
func (h *Hub) Subscribe(ctx context.Context, spec Spec, resumeAfter uint64) (<-chan events.Event, error) {
	if spec.CustomerKey == "" && spec.HandleToken == "" {
		return nil, errors.New("hub: subscribe: a customer key or a handle token is required")
	}
	sctx, cancel := context.WithCancel(ctx)
	out := make(chan events.Event)
	// running: no delivery starts before the subscriber is set up.
	s := &subscriber{Spec: spec, ctx: sctx, cancel: cancel, running: true}
	if d, _ := ctx.Value(directKey{}).(*Direct); d != nil && d.attached.CompareAndSwap(false, true) {
		s.deliver, s.end = d.Deliver, d.End
	} else {
		s.deliver = func(ctx context.Context, ev events.Event) bool {
			select {
			case out <- ev:
				return true
			case <-ctx.Done():
				return false
			}
		}
	}
	// Register before reading the stream, so no event falls between the
	// catch-up and the live queue.
	last, since, err := h.add(s)
	if err != nil {
		cancel()
		return nil, err
	}
	catchUp := false
	if resumeAfter == 0 && since < last {
		// Events reached the hub between the request and its registration:
		// read them from the stream.
		last, catchUp = since, true
	}
	if resumeAfter > 0 {
		end, err := h.reader.LastSeq(ctx)
		if err != nil {
			cancel()
			h.remove(s)
			return nil, fmt.Errorf("hub: subscribe: %w", err)
		}
		if resumeAfter <= end {
			last, catchUp = resumeAfter, true
		} else {
			last = max(last, end)
		}
	}
	stopOnClose := context.AfterFunc(h.ctx, cancel)
	userEnd := s.end
	finish := func() {
		stopOnClose()
		cancel()
		if userEnd != nil {
			userEnd()
		}
		close(out)
		h.remove(s) // last: Close waits for it
	}
	s.mu.Lock()
	s.lastSent, s.catchUp, s.end = last, catchUp, finish
	s.mu.Unlock()
	context.AfterFunc(sctx, func() {
		s.mu.Lock()
		s.stopped = true
		idle := !s.running
		s.mu.Unlock()
		if idle {
			s.end()
		}
	})
	// Let run decide: it delivers what came during the set-up, catches up,
	// or ends s if ctx ended meanwhile; with nothing to do it returns at once.
	go h.run(s)
	return out, nil
}

// add registers s and returns the sequence of the last event dispatched and
// the sequence after which the events that reached the hub since s.Since
// start (the same when none did). The caller runs s's pump or calls remove;
// either ends with h.pumps.Done.
func (h *Hub) add(s *subscriber) (last, since uint64, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return 0, 0, ErrClosed
	}
	since = h.lastSeq
	if !s.Since.IsZero() {
		i := sort.Search(len(h.recent), func(i int) bool { return !h.recent[i].at.Before(s.Since) })
		if i < len(h.recent) {
			since = h.recent[i].seq - 1
		}
	}
	h.pumps.Add(1)
	if s.HandleToken != "" {
		addTo(h.byHandle, s.HandleToken, s)
	} else {
		addTo(h.byKey, s.CustomerKey, s)
	}
	if s.Watch != (Watch{}) {
		h.watches[s.Watch]++
	}
	return h.lastSeq, since, nil
}

// remove unregisters s, added by add.
func (h *Hub) remove(s *subscriber) {
	defer h.pumps.Done()
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.HandleToken != "" {
		removeFrom(h.byHandle, s.HandleToken, s)
	} else {
		removeFrom(h.byKey, s.CustomerKey, s)
	}
	if s.Watch != (Watch{}) {
		if h.watches[s.Watch]--; h.watches[s.Watch] <= 0 {
			delete(h.watches, s.Watch)
		}
	}
}

func addTo(m map[string]map[*subscriber]struct{}, k string, s *subscriber) {
	set := m[k]
	if set == nil {
		set = make(map[*subscriber]struct{})
		m[k] = set
	}
	set[s] = struct{}{}
}

func removeFrom(m map[string]map[*subscriber]struct{}, k string, s *subscriber) {
	if set := m[k]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(m, k)
		}
	}
}

// Dispatch hands ev (with its Seq set) to every matching subscriber without
// blocking. Events at or before the last dispatched sequence are ignored, so
// a feed that redelivers after a reset does no harm.
func (h *Hub) Dispatch(ev events.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.Seq <= h.lastSeq {
		return
	}
	h.lastSeq = ev.Seq
	if len(h.recent) == recentDispatches {
		h.recent = append(h.recent[:0], h.recent[recentDispatches/2:]...)
	}
	h.recent = append(h.recent, dispatched{ev.Seq, time.Now()})
	for s := range h.byKey[ev.CustomerKey] {
		if s.match(ev) && s.offer(ev, h.limit) {
			go h.run(s)
		}
	}
	for s := range h.byHandle[events.HandleToken(ev.ConsentHandle)] {
		if s.match(ev) && s.offer(ev, h.limit) {
			go h.run(s)
		}
	}
}

// Advance moves the last dispatched sequence past an event no subscriber
// can use (one that did not decode).
func (h *Hub) Advance(seq uint64) {
	h.mu.Lock()
	h.lastSeq = max(h.lastSeq, seq)
	h.mu.Unlock()
}

// Close ends every subscription (their channels close), refuses new ones and
// waits for the subscribers' goroutines.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	h.pumps.Wait()
}

// Watched lists the (mobile, product) pairs that have subscribers now.
func (h *Hub) Watched() []Watch {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Watch, 0, len(h.watches))
	for w := range h.watches {
		out = append(out, w)
	}
	return out
}

// Size is the number of registered subscribers and of index entries (keys and
// handles with subscribers); tests check that closed subscriptions leave none.
func (h *Hub) Size() (subscribers, entries int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, set := range h.byKey {
		subscribers += len(set)
	}
	for _, set := range h.byHandle {
		subscribers += len(set)
	}
	return subscribers, len(h.byKey) + len(h.byHandle)
}

// run delivers a subscriber's events, first any catch-up from the stream,
// then its queue, falling back to the stream whenever the queue overflowed,
// and returns once nothing is left to deliver (offer starts it again). If
// the subscription's context ended meanwhile, it ends the subscriber.
func (h *Hub) run(s *subscriber) {
	for {
		s.mu.Lock()
		if s.stopped {
			s.running = false
			s.mu.Unlock()
			s.end()
			return
		}
		catchUp := s.catchUp || s.gap
		evs, lastSent := s.queue, s.lastSent
		s.queue, s.gap, s.catchUp = nil, false, false
		if s.ctx.Err() != nil || (!catchUp && len(evs) == 0) {
			// Nothing to do, or the context ended and the AfterFunc that
			// sets stopped has not run yet: it sees running false and ends s.
			s.running = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if catchUp {
			// The stream covers whatever was queued.
			var err error
			lastSent, err = h.catchUp(s, lastSent)
			if err != nil {
				if s.ctx.Err() == nil && !errors.Is(err, errStopped) {
					h.logger.Warn("subscription catch-up failed; closing it so the client resumes", "err", err)
				}
				s.cancel()
			}
			s.setLastSent(lastSent)
			continue
		}
		for _, ev := range evs {
			if ev.Seq <= lastSent {
				continue
			}
			if !s.deliver(s.ctx, ev) {
				s.cancel()
				break
			}
			lastSent = ev.Seq
		}
		s.setLastSent(lastSent)
	}
}

func (s *subscriber) setLastSent(seq uint64) {
	s.mu.Lock()
	s.lastSent = max(s.lastSent, seq)
	s.mu.Unlock()
}

// errStopped: a Deliver ended the subscription during a catch-up.
var errStopped = errors.New("hub: subscription stopped by its receiver")

// catchUp delivers every stored event matching s after sequence after and
// returns the last sequence it read.
func (h *Hub) catchUp(s *subscriber, after uint64) (uint64, error) {
	subject := events.SubjectFilter(s.CustomerKey, s.HandleToken, s.IncludeData)
	for {
		ev, found, err := h.reader.Next(s.ctx, after, subject)
		if err != nil {
			return after, err
		}
		if !found {
			return after, nil
		}
		after = ev.Seq
		if !s.match(ev) {
			continue
		}
		if !s.deliver(s.ctx, ev) {
			return after, errStopped
		}
	}
}
