package events

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"
	"github.com/nats-io/nats.go/jetstream"
)

// Filter selects the events a subscription receives.
//
// At least one of Mobile, CustomerKey and ConsentHandle is required. With a
// customer (Mobile or CustomerKey) alone, the subscriber gets that customer's
// events; with ConsentHandle alone, that consent's events whoever the customer
// (this is how events with an UnknownCustomer key are reached); with both, the
// consent's events whose customer is the given one or unknown.
type Filter struct {
	// Mobile is the customer's 10-digit mobile; it is hashed at once and never
	// stored in NATS.
	Mobile string
	// CustomerKey may replace Mobile (see Broker.CustomerKey).
	CustomerKey string
	// ConsentHandle narrows the subscription to one consent.
	ConsentHandle string
	// ProductID, when set, drops events that name another product (only Type 2
	// payloads and poller events name one) and tells the fallback poller which
	// consent list to read for this customer.
	ProductID string
	// IncludeData adds DATA events to the CONSENT events a subscriber gets.
	IncludeData bool
	// ResumeAfter is the Seq of the last event the subscriber saw: the
	// subscription replays every matching event stored after it, then goes
	// live, with no gap and no duplicate. Zero means only events that arrive
	// from now on. Events older than the stream's max age are gone.
	ResumeAfter uint64
}

// subscriber is one open subscription's state, shared by the hub (which
// enqueues) and its pump goroutine (which delivers).
type subscriber struct {
	key         string // customer key, "" when filtering by handle only
	handle      string // handle token, "" when filtering by customer only
	productID   string
	includeData bool
	watch       watchKey // the poller's (mobile, product) pair; zero if none

	mu    sync.Mutex
	queue []Event
	gap   bool // events were dropped from a full queue
	wake  chan struct{}
}

func (s *subscriber) match(ev Event) bool {
	if ev.Type != TypeConsent && !(s.includeData && ev.Type == TypeData) {
		return false
	}
	if s.handle != "" && handleToken(ev.ConsentHandle) != s.handle {
		return false
	}
	if s.key != "" && ev.CustomerKey != s.key && (s.handle == "" || ev.CustomerKey != UnknownCustomer) {
		return false
	}
	if s.productID != "" && ev.ProductID != "" && ev.ProductID != s.productID {
		return false
	}
	return true
}

// subjectFilter is the stream subject covering the subscriber's events.
func (s *subscriber) subjectFilter() string {
	kind := kindConsent
	if s.includeData {
		kind = "*"
	}
	key, handle := s.key, s.handle
	if handle != "" {
		key = "*" // an unknown customer key matches too
	} else {
		handle = "*"
	}
	return subjectPrefix + "." + kind + "." + key + "." + handle
}

// offer enqueues ev, or records a gap when the queue is full.
func (s *subscriber) offer(ev Event, limit int) {
	s.mu.Lock()
	if len(s.queue) >= limit {
		s.gap = true
	} else {
		s.queue = append(s.queue, ev)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take empties the queue.
func (s *subscriber) take() ([]Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, gap := s.queue, s.gap
	s.queue, s.gap = nil, false
	return q, gap
}

// hub routes events from the broker's live feed to local subscribers, indexed
// by customer key and by handle so a dispatch touches only matching ones.
type hub struct {
	limit int
	// pumps counts the subscribers' goroutines; add registers one under mu, so
	// none is added once close has run.
	pumps sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	lastSeq  uint64
	byKey    map[string]map[*subscriber]struct{}
	byHandle map[string]map[*subscriber]struct{}
	watches  map[watchKey]int
}

// watchKey is a (mobile, product) pair with live subscribers, polled by the
// fallback poller. It lives only in this process's memory.
type watchKey struct{ mobile, productID string }

func newHub(limit int) *hub {
	return &hub{
		limit:    limit,
		byKey:    make(map[string]map[*subscriber]struct{}),
		byHandle: make(map[string]map[*subscriber]struct{}),
		watches:  make(map[watchKey]int),
	}
}

// add registers s and returns the sequence of the last event dispatched. The
// caller runs s's pump or calls remove; either ends with h.pumps.Done.
func (h *hub) add(s *subscriber) (uint64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return 0, ErrClosed
	}
	h.pumps.Add(1)
	if s.handle != "" {
		addTo(h.byHandle, s.handle, s)
	} else {
		addTo(h.byKey, s.key, s)
	}
	if s.watch != (watchKey{}) {
		h.watches[s.watch]++
	}
	return h.lastSeq, nil
}

// remove unregisters s, added by add.
func (h *hub) remove(s *subscriber) {
	defer h.pumps.Done()
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.handle != "" {
		removeFrom(h.byHandle, s.handle, s)
	} else {
		removeFrom(h.byKey, s.key, s)
	}
	if s.watch != (watchKey{}) {
		if h.watches[s.watch]--; h.watches[s.watch] <= 0 {
			delete(h.watches, s.watch)
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

// dispatch hands ev to every matching subscriber without blocking.
func (h *hub) dispatch(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.Seq <= h.lastSeq {
		return
	}
	h.lastSeq = ev.Seq
	for s := range h.byKey[ev.CustomerKey] {
		if s.match(ev) {
			s.offer(ev, h.limit)
		}
	}
	for s := range h.byHandle[handleToken(ev.ConsentHandle)] {
		if s.match(ev) {
			s.offer(ev, h.limit)
		}
	}
}

// advance moves lastSeq past an event no subscriber can use.
func (h *hub) advance(seq uint64) {
	h.mu.Lock()
	h.lastSeq = max(h.lastSeq, seq)
	h.mu.Unlock()
}

// close refuses new subscribers and waits for the pumps, which end once the
// broker's context is done.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.pumps.Wait()
}

// watched lists the (mobile, product) pairs that have subscribers now.
func (h *hub) watched() []watchKey {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]watchKey, 0, len(h.watches))
	for w := range h.watches {
		out = append(out, w)
	}
	return out
}

// Subscribe returns a channel of the events matching f, in stream order. The
// channel closes when ctx ends, when the broker closes, or when the stream
// cannot be read while catching up; a client then subscribes again with
// ResumeAfter set to the last Seq it received and misses nothing.
//
// Every subscription is served from the broker's single live feed through an
// in-memory queue of Options.SubscriberBuffer events; a subscriber that falls
// further behind, or that resumes, reads the missing events straight from the
// stream, so a slow client never blocks others and never loses events.
func (b *Broker) Subscribe(ctx context.Context, f Filter) (<-chan Event, error) {
	s := &subscriber{
		productID:   f.ProductID,
		includeData: f.IncludeData,
		wake:        make(chan struct{}, 1),
	}
	switch {
	case f.Mobile != "":
		m := f.Mobile
		if !mobile.Valid(m) {
			return nil, errors.New("events: subscribe: mobile number must be 10 digits")
		}
		s.key = customerKey(b.salt, m)
		if f.ProductID != "" {
			s.watch = watchKey{mobile: m, productID: f.ProductID}
		}
	case f.CustomerKey != "":
		if !plainToken.MatchString(f.CustomerKey) {
			return nil, errors.New("events: subscribe: invalid customer key")
		}
		s.key = f.CustomerKey
	}
	if f.ConsentHandle != "" {
		s.handle = handleToken(f.ConsentHandle)
	}
	if s.key == "" && s.handle == "" {
		return nil, errors.New("events: subscribe: filter needs a customer or a consent handle")
	}
	if b.ctx.Err() != nil {
		return nil, ErrClosed
	}

	// Register before reading the stream, so no event falls between the
	// catch-up and the live queue.
	last, err := b.hub.add(s)
	if err != nil {
		return nil, err
	}
	catchUp := false
	if f.ResumeAfter > 0 {
		info, err := b.stream.Info(ctx)
		if err != nil {
			b.hub.remove(s)
			return nil, fmt.Errorf("events: subscribe: stream info: %w", err)
		}
		// A cursor beyond the stream's end comes from a stream that was
		// recreated (an embedded server's memory is gone); start afresh.
		if f.ResumeAfter <= info.State.LastSeq {
			last, catchUp = f.ResumeAfter, true
		} else {
			last = max(last, info.State.LastSeq)
		}
	}

	sctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(b.ctx, cancel)
	out := make(chan Event)
	go func() {
		defer b.hub.remove(s)
		defer close(out)
		defer cancel()
		defer stop()
		b.pump(sctx, s, out, last, catchUp)
	}()
	return out, nil
}

// pump delivers a subscriber's events: first any catch-up from the stream,
// then its queue, falling back to the stream whenever the queue overflowed.
func (b *Broker) pump(ctx context.Context, s *subscriber, out chan<- Event, lastSent uint64, catchUp bool) {
	for {
		if catchUp {
			s.take() // the stream covers whatever is queued now
			var err error
			lastSent, err = b.catchUp(ctx, s, lastSent, out)
			if err != nil {
				if ctx.Err() == nil {
					b.logger.Warn("subscription catch-up failed; closing it so the client resumes", "err", err)
				}
				return
			}
			catchUp = false
		}
		evs, gap := s.take()
		if gap {
			catchUp = true
			continue
		}
		for _, ev := range evs {
			if ev.Seq <= lastSent {
				continue
			}
			select {
			case out <- ev:
				lastSent = ev.Seq
			case <-ctx.Done():
				return
			}
		}
		if len(evs) > 0 {
			continue
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return
		}
	}
}

// catchUp sends every stored event matching s after sequence after, reading
// the stream message by message (direct get, next by subject), and returns the
// last sequence it read.
func (b *Broker) catchUp(ctx context.Context, s *subscriber, after uint64, out chan<- Event) (uint64, error) {
	subject := s.subjectFilter()
	for {
		msg, err := b.stream.GetMsg(ctx, after+1, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return after, nil
		}
		if err != nil {
			return after, err
		}
		after = msg.Sequence
		ev, err := decodeEvent(msg.Data, msg.Sequence)
		if err != nil {
			b.logger.Warn("undecodable event in stream", "seq", msg.Sequence, "err", err)
			continue
		}
		if !s.match(ev) {
			continue
		}
		select {
		case out <- ev:
		case <-ctx.Done():
			return after, ctx.Err()
		}
	}
}

// cursorPrefix versions the opaque cursor format.
const cursorPrefix = "ev1:"

// Cursor is an opaque resume token for this event: a client hands it back
// (ParseCursor gives Filter.ResumeAfter) to resume after it.
func (e Event) Cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatUint(e.Seq, 10)))
}

// ParseCursor reads a cursor made by Event.Cursor; "" gives 0 (only new
// events).
func ParseCursor(cursor string) (uint64, error) {
	if cursor == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) {
		return 0, errors.New("events: invalid cursor")
	}
	seq, err := strconv.ParseUint(string(raw[len(cursorPrefix):]), 10, 64)
	if err != nil {
		return 0, errors.New("events: invalid cursor")
	}
	return seq, nil
}
