// Package fpcache keeps FinPro's answers to reads across operations, so that
// a dashboard viewed again while nothing changed upstream costs no FinPro
// call, and drops them on the events that say they changed.
//
// It sits below internal/loaders (a [View] is the loaders' upstream for one
// operation, over the *finpro.Client) and so below authorization: the
// resolvers check every request before a loader asks for anything. It keeps:
//
//   - consent lists by (mobile, product);
//   - balances (getfibalance) by consent;
//   - getallfidata by consent, and its date windows (histories);
//   - getfidata pages by (consent, account, limit, offset), which carry the
//     accounts' transaction counts.
//
// It never keeps an error, a write, getalllatestfidata (reading it consumes
// the increment), consent lookups by reference or data fetch states. Entries
// live in memory only, for at most Options.TTL, and their estimated sizes
// are bounded by Options.MaxBytes (least recently used out first).
//
// Invalidation comes from the event stream every replica consumes
// (internal/events/broker calls [Cache.Apply] for each event before its hub
// dispatches it): a DATA event drops its consent's data; a CONSENT event
// drops the lists holding the consent and its customer's lists, and when the
// consent is now REVOKED, PAUSED or EXPIRED, everything of the consent.
// [Cache.Restart] (a new live consumer) and [Cache.Suspend] (the feed lost)
// drop everything; while suspended, or before a [Feed] is set, nothing is
// served or kept.
//
// The read barrier: an operation's first read asks the feed for the
// stream's last sequence and waits (at most Options.BarrierWait) until this
// replica has applied every event up to it. So once any replica stored an
// invalidating event (the webhook intake answers after the store), no
// replica serves what it invalidated. An operation whose barrier fails or
// times out reads FinPro and keeps nothing.
package fpcache

import (
	"container/list"
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// Upstream is the FinPro reads the loaders make (loaders.Upstream, which
// *finpro.Client implements); a *View is one over another.
type Upstream = loaders.Upstream

var _ Upstream = (*View)(nil)

// Feed is the event stream the invalidations come from
// (*broker.Broker implements it).
type Feed interface {
	// LastSeq is the sequence of the last event stored in the stream.
	LastSeq(ctx context.Context) (uint64, error)
	// CustomerKey is the customer key events carry for a mobile number.
	CustomerKey(mobile string) (string, error)
}

// Defaults of Options.
const (
	DefaultTTL         = 5 * time.Minute
	DefaultMaxBytes    = 64 << 20
	DefaultBarrierWait = 250 * time.Millisecond
)

// Options configure New. Zero values take the defaults.
type Options struct {
	// TTL is the longest an entry is served.
	TTL time.Duration
	// MaxBytes bounds the estimated size of the entries held.
	MaxBytes int64
	// BarrierWait bounds an operation's wait for this replica to apply the
	// stream's events; past it the operation reads FinPro.
	BarrierWait time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

type kind uint8

const (
	kindBalances kind = iota + 1
	kindAllFIData
	kindHistory
	kindFIData
	kindConsents
)

// key names one cached read. Data reads have consent set; lists have a
// (mobile, product) instead.
type key struct {
	kind    kind
	consent string
	a, b    string // account; or mobile, product
	n, m    int64  // limit, offset; or from, to (unix nanoseconds)
}

type entry struct {
	k       key
	v       any
	size    int64
	expires time.Time
	refs    []string // index names: consent IDs and handles, customer key
}

// Cache is the process-wide store. It is safe for concurrent use.
type Cache struct {
	o    Options
	feed atomic.Pointer[feedBox]

	mu      sync.Mutex
	lru     *list.List // front: most recently used; values *entry
	entries map[key]*list.Element
	index   map[string]map[key]struct{} // consent ID/handle ("c:"), customer key ("u:") -> keys
	handles map[string]string           // consent handle -> consent ID, from the lists
	bytes   int64
	live    bool          // a live consumer runs: invalidations arrive
	epoch   uint64        // bumped by every invalidation: a fill started before it is not kept
	applied uint64        // stream sequence of the last event applied
	moved   chan struct{} // closed (and replaced) when applied moves

	hits, misses, bypasses, evictions atomic.Int64
}

type feedBox struct{ f Feed }

// New returns an empty cache; it serves nothing until SetFeed and Restart.
func New(o Options) *Cache {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.BarrierWait <= 0 {
		o.BarrierWait = DefaultBarrierWait
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{
		o: o, lru: list.New(), entries: map[key]*list.Element{},
		index: map[string]map[key]struct{}{}, handles: map[string]string{},
		moved: make(chan struct{}),
	}
}

// SetFeed sets the stream the read barrier asks.
func (c *Cache) SetFeed(f Feed) { c.feed.Store(&feedBox{f}) }

// Stats are the cache's counters.
type Stats struct {
	Entries                           int
	Bytes                             int64
	Hits, Misses, Bypasses, Evictions int64
}

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	n, b := len(c.entries), c.bytes
	c.mu.Unlock()
	return Stats{Entries: n, Bytes: b, Hits: c.hits.Load(), Misses: c.misses.Load(), Bypasses: c.bypasses.Load(), Evictions: c.evictions.Load()}
}

// Restart says a live consumer starts after stream sequence seq: events
// before it may have been missed, so everything is dropped; the cache serves
// again.
func (c *Cache) Restart(seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
	c.live = true
	c.advanceLocked(seq, true)
}

// Suspend says invalidations may not arrive (the consumer is lost, NATS
// disconnected): everything is dropped and nothing is served or kept until
// Restart.
func (c *Cache) Suspend() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
	c.live = false
}

// Purge drops everything, for a change made where no event says it (the
// embedded sandbox's admin API); the cache goes on serving.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
}

// DropLists drops every consent list, after this replica's own write to
// FinPro (a mutation: a new consent, a revocation), whose effect on the lists
// no event may report.
func (c *Cache) DropLists() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(func(k key) bool { return k.kind == kindConsents })
	c.epoch++
}

// Advance records that the event at seq was handled without invalidating
// anything (it did not decode).
func (c *Cache) Advance(seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceLocked(seq, false)
}

// Apply drops what ev invalidates and records ev.Seq as applied. The broker
// calls it before its hub dispatches ev, so a subscriber that re-reads on
// the event reads FinPro.
func (c *Cache) Apply(ev events.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invalidateLocked(ev)
	c.advanceLocked(ev.Seq, false)
}

func (c *Cache) advanceLocked(seq uint64, reset bool) {
	if seq > c.applied || reset {
		c.applied = seq
		close(c.moved)
		c.moved = make(chan struct{})
	}
}

func (c *Cache) clearLocked() {
	c.epoch++
	c.lru.Init()
	clear(c.entries)
	clear(c.index)
	clear(c.handles)
	c.bytes = 0
}

func (c *Cache) invalidateLocked(ev events.Event) {
	id := ev.ConsentID
	if id == "" && ev.ConsentHandle != "" {
		id = c.handles[ev.ConsentHandle]
	}
	switch ev.Type {
	case events.TypeData:
		if id == "" { // whose data it is cannot be told
			c.dropLocked(func(k key) bool { return k.kind != kindConsents })
			return
		}
		c.dropRefLocked("c:"+id, func(k key) bool { return k.kind != kindConsents })
	case events.TypeConsent:
		lists := func(k key) bool { return k.kind == kindConsents }
		if ev.CustomerKey == "" || ev.CustomerKey == events.UnknownCustomer {
			c.dropLocked(lists) // the customer's lists cannot be found
		} else {
			c.dropRefLocked("u:"+ev.CustomerKey, lists)
		}
		for _, ref := range []string{ev.ConsentHandle, id} {
			if ref != "" {
				c.dropRefLocked("c:"+ref, lists)
			}
		}
		switch ev.ConsentStatus {
		case finpro.ConsentRevoked, finpro.ConsentExpired:
			delete(c.handles, ev.ConsentHandle) // for good: no event of it needs the mapping
			fallthrough
		case finpro.ConsentPaused:
			if id == "" {
				c.dropLocked(func(key) bool { return true })
				return
			}
			c.dropRefLocked("c:"+id, func(key) bool { return true })
		}
	default:
		c.dropLocked(func(key) bool { return true }) // unknown: play safe
	}
	c.epoch++
}

// dropRefLocked removes the entries indexed under ref that match.
func (c *Cache) dropRefLocked(ref string, match func(key) bool) {
	for k := range c.index[ref] {
		if match(k) {
			c.removeLocked(c.entries[k])
		}
	}
}

func (c *Cache) dropLocked(match func(key) bool) {
	for k, el := range c.entries {
		if match(k) {
			c.removeLocked(el)
		}
	}
}

func (c *Cache) removeLocked(el *list.Element) {
	if el == nil {
		return
	}
	e := el.Value.(*entry)
	c.lru.Remove(el)
	delete(c.entries, e.k)
	c.bytes -= e.size
	for _, r := range e.refs {
		if s := c.index[r]; s != nil {
			delete(s, e.k)
			if len(s) == 0 {
				delete(c.index, r)
			}
		}
	}
}

// get returns a live entry's value.
func (c *Cache) get(k key) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[k]
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry)
	if !c.o.Now().Before(e.expires) {
		c.removeLocked(el)
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.v, true
}

// put keeps v unless an invalidation or reset came since epoch (the fill
// may predate it) or the cache is suspended.
func (c *Cache) put(k key, v any, epoch uint64, refs []string, handles map[string]string) {
	size := estimate(k, v, refs)
	if size > c.o.MaxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.epoch != epoch {
		return
	}
	c.removeLocked(c.entries[k])
	e := &entry{k: k, v: v, size: size, expires: c.o.Now().Add(c.o.TTL), refs: refs}
	c.entries[k] = c.lru.PushFront(e)
	c.bytes += size
	for _, r := range refs {
		s := c.index[r]
		if s == nil {
			s = map[key]struct{}{}
			c.index[r] = s
		}
		s[k] = struct{}{}
	}
	for h, id := range handles {
		c.handles[h] = id
	}
	if limit := c.maxHandles(); len(c.handles) > limit {
		// Forget an eighth, any: an event whose handle is no longer known
		// only drops more than it needs to (see invalidateLocked).
		drop := len(c.handles) - limit + limit/8
		for h := range c.handles {
			if drop == 0 {
				break
			}
			delete(c.handles, h)
			drop--
		}
	}
	for c.bytes > c.o.MaxBytes {
		c.removeLocked(c.lru.Back())
		c.evictions.Add(1)
	}
}

// handleBytes is what one remembered handle -> consent ID pair is counted
// at: two ids of about 40 bytes, their string headers and the map's share.
const handleBytes = 256

// maxHandles bounds the handles remembered from consent lists: they outlive
// the lists they came from (an event of the consent may come much later), so
// they are bounded apart from the entries, at a sixteenth of MaxBytes.
func (c *Cache) maxHandles() int {
	return max(int(c.o.MaxBytes/16/handleBytes), 64)
}

// estimate is an entry's size: what its value holds in memory (sizeOf), plus
// its key and index.
func estimate(k key, v any, refs []string) int64 {
	n := int64(256 + len(k.consent) + len(k.a) + len(k.b))
	for _, r := range refs {
		n += int64(64 + 2*len(r))
	}
	return n + sizeOf(reflect.ValueOf(v))
}

// timeType is counted by its own size: its *Location is shared.
var timeType = reflect.TypeFor[time.Time]()

// sizeOf estimates the bytes v holds, walking it: the headers of its
// strings, slices, pointers and maps and what they point at. It reads
// lengths only, so a miss does not pay for re-encoding FinPro's answer (it
// did with encoding/json: 591 µs and 500 allocations for a 500-row page,
// against 51 µs and none here; BenchmarkEstimate).
func sizeOf(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.Invalid:
		return 0
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 8
		}
		return 16 + sizeOf(v.Elem())
	case reflect.String:
		return 16 + int64(v.Len())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return 24 + int64(v.Cap())
		}
		n := int64(24)
		for i := range v.Len() {
			n += sizeOf(v.Index(i))
		}
		return n
	case reflect.Array:
		var n int64
		for i := range v.Len() {
			n += sizeOf(v.Index(i))
		}
		return n
	case reflect.Map:
		n := int64(48)
		for it := v.MapRange(); it.Next(); {
			n += 16 + sizeOf(it.Key()) + sizeOf(it.Value())
		}
		return n
	case reflect.Struct:
		if v.Type() == timeType {
			return int64(timeType.Size())
		}
		var n int64
		for i := range v.NumField() {
			n += sizeOf(v.Field(i))
		}
		return n
	default:
		return int64(v.Type().Size())
	}
}

// barrier reports whether this replica has applied every event the stream
// held when it was called, waiting for that at most Options.BarrierWait.
func (c *Cache) barrier(ctx context.Context) bool {
	fb := c.feed.Load()
	if fb == nil {
		return false
	}
	c.mu.Lock()
	live := c.live
	c.mu.Unlock()
	if !live {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, c.o.BarrierWait)
	defer cancel()
	last, err := fb.f.LastSeq(ctx)
	if err != nil {
		return false
	}
	for {
		c.mu.Lock()
		applied, moved, live := c.applied, c.moved, c.live
		c.mu.Unlock()
		if !live {
			return false
		}
		if applied >= last {
			return true
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return false
		}
	}
}

// View is one operation's upstream: the cache over up once the barrier
// passed, else up itself. Create one per operation (its barrier is read
// once, at the first read).
type View struct {
	c    *Cache
	up   Upstream
	once sync.Once
	ok   bool
}

// View returns the upstream of one operation: cached reads over up.
func (c *Cache) View(up Upstream) *View { return &View{c: c, up: up} }

func (v *View) pass(ctx context.Context) bool {
	v.once.Do(func() {
		v.ok = v.c.barrier(ctx)
		if !v.ok {
			v.c.bypasses.Add(1)
		}
	})
	return v.ok
}

// read serves k from the cache or from fetch, keeping fetch's answer.
func read[V any](ctx context.Context, v *View, k key, fetch func() (V, error), index func(V) ([]string, map[string]string)) (V, error) {
	if !v.pass(ctx) {
		return fetch()
	}
	if x, ok := v.c.get(k); ok {
		v.c.hits.Add(1)
		return x.(V), nil
	}
	v.c.misses.Add(1)
	v.c.mu.Lock()
	epoch := v.c.epoch
	v.c.mu.Unlock()
	x, err := fetch()
	if err != nil {
		return x, err
	}
	refs, handles := []string{"c:" + k.consent}, map[string]string(nil)
	if index != nil {
		refs, handles = index(x)
	}
	v.c.put(k, x, epoch, refs, handles)
	return x, nil
}

// Balances implements Upstream.
func (v *View) Balances(ctx context.Context, consentID string) ([]finpro.Balance, error) {
	return read(ctx, v, key{kind: kindBalances, consent: consentID}, func() ([]finpro.Balance, error) {
		return v.up.Balances(ctx, consentID)
	}, nil)
}

// AllFIData implements Upstream.
func (v *View) AllFIData(ctx context.Context, consentID string) ([]finpro.FIAccount, error) {
	return read(ctx, v, key{kind: kindAllFIData, consent: consentID}, func() ([]finpro.FIAccount, error) {
		return v.up.AllFIData(ctx, consentID)
	}, nil)
}

// AllFIDataBetween implements Upstream.
func (v *View) AllFIDataBetween(ctx context.Context, consentID string, from, to time.Time) ([]finpro.FIAccount, error) {
	k := key{kind: kindHistory, consent: consentID, n: from.UnixNano(), m: to.UnixNano()}
	return read(ctx, v, k, func() ([]finpro.FIAccount, error) {
		return v.up.AllFIDataBetween(ctx, consentID, from, to)
	}, nil)
}

// FIData implements Upstream: a page is served by the page asked for, or by
// a kept page of the account that holds every row it asks (the probe of a
// short list holds the window a later count guess asks).
func (v *View) FIData(ctx context.Context, req finpro.FIDataRequest) (*finpro.AccountData, error) {
	k := key{kind: kindFIData, consent: req.ConsentID, a: req.LinkReferenceNumber, n: int64(req.Limit), m: int64(req.Offset)}
	pages := "p:" + req.ConsentID + "\x00" + req.LinkReferenceNumber
	if v.pass(ctx) {
		if d, ok := v.c.covering(pages, k, req.Offset, req.Limit); ok {
			v.c.hits.Add(1)
			return d, nil
		}
	}
	return read(ctx, v, k, func() (*finpro.AccountData, error) { return v.up.FIData(ctx, req) },
		func(*finpro.AccountData) ([]string, map[string]string) {
			return []string{"c:" + req.ConsentID, pages}, nil
		})
}

// covering returns the rows offset..offset+limit (limit 0: to the end) of an
// account from a live page indexed under pages that holds them all: the
// page's copy with its rows sliced (they are shared, never changed).
func (c *Cache) covering(pages string, want key, offset, limit int) (*finpro.AccountData, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.o.Now()
	if el, ok := c.entries[want]; ok && now.Before(el.Value.(*entry).expires) {
		c.lru.MoveToFront(el)
		return el.Value.(*entry).v.(*finpro.AccountData), true
	}
	for k := range c.index[pages] {
		el := c.entries[k]
		if el == nil || !now.Before(el.Value.(*entry).expires) {
			continue
		}
		d := el.Value.(*entry).v.(*finpro.AccountData)
		from, n := int(k.m), len(d.Transactions)
		atEnd := d.TotalRecords >= 0 && from+n >= d.TotalRecords
		if from > offset || !(atEnd || limit > 0 && offset+limit <= from+n) {
			continue
		}
		lo := min(offset-from, n)
		hi := n
		if limit > 0 {
			hi = min(offset+limit-from, n)
		}
		out := *d
		out.Transactions = d.Transactions[lo:hi:hi]
		c.lru.MoveToFront(el)
		return &out, true
	}
	return nil, false
}

// Consents implements Upstream: a list is indexed under every consent it
// holds and its customer's key.
func (v *View) Consents(ctx context.Context, req finpro.ConsentListRequest) (*finpro.ConsentPage, error) {
	if len(req.Status) > 0 || req.PageNumber != 0 || req.PageSize != 0 {
		return v.up.Consents(ctx, req) // a filtered or paged list: not what the loaders read
	}
	fb := v.c.feed.Load()
	if fb == nil {
		return v.up.Consents(ctx, req)
	}
	ck, err := fb.f.CustomerKey(req.MobileNumber)
	if err != nil {
		return v.up.Consents(ctx, req) // its invalidations could not be found
	}
	k := key{kind: kindConsents, a: req.MobileNumber, b: req.ProductID}
	return read(ctx, v, k, func() (*finpro.ConsentPage, error) { return v.up.Consents(ctx, req) },
		func(p *finpro.ConsentPage) ([]string, map[string]string) {
			refs := []string{"u:" + ck}
			handles := map[string]string{}
			for _, c := range p.Consents {
				if c.ConsentHandle != "" {
					refs = append(refs, "c:"+c.ConsentHandle)
					if c.ConsentID != "" {
						handles[c.ConsentHandle] = c.ConsentID
					}
				}
				if c.ConsentID != "" {
					refs = append(refs, "c:"+c.ConsentID)
				}
			}
			return refs, handles
		})
}

// ConsentsByRef implements Upstream: never cached (a lookup answers for
// consents of any customer, and its status is what a client acts on).
func (v *View) ConsentsByRef(ctx context.Context, q finpro.ConsentLookup) ([]finpro.Consent, error) {
	return v.up.ConsentsByRef(ctx, q)
}

// FIRequestStatus implements Upstream: never cached (a fetch's state moves
// without an event while it runs).
func (v *View) FIRequestStatus(ctx context.Context, req finpro.FIStatusRequest) (*finpro.FIStatus, error) {
	return v.up.FIRequestStatus(ctx, req)
}
