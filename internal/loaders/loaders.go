// Package loaders batches and caches the FinPro reads of one GraphQL operation.
//
// A Loaders value is created per operation (the graph handler attaches a fresh
// one to every operation, and to every event of a subscription, so websocket
// operations never share a cache) and reached with For. Every FinPro read is keyed so that one call serves every field that
// needs it, and the loader's cache is what makes that so: the first Load of a
// key calls FinPro at once, every later Load of the key in the operation waits
// for that call. There is no batch window: FinPro has no multi-key read, so
// collecting keys would only delay the calls (it cost 2 ms per level of the
// query before; see BENCHMARKS.md), and these loaders are no dataloaders
// (see onceLoader); the two that batch (consent references, histories) are.
// The keys:
//
//   - balances by consent: one getfibalance without linkReferenceNumber serves
//     every account balance under a consent;
//   - all FI data by consent: one getallfidata serves every profile and summary;
//   - the consent list by (mobile, product): the whole list in one call, which
//     every consents page, filter, accounts and totalBalance of the operation
//     share (FinPro returns every consent when no pageSize is sent);
//   - consents by reference (handle or consent ID), the one loader that
//     batches: /v3/getconsentslist takes up to 100 references, so the lookups
//     of one operation (node, nodes, the mutations' placement) wait
//     ConsentRefWait for each other and share calls;
//   - getfidata pages by (consent, account, limit, offset);
//   - histories by consent: one getallfidata with a date range serves every
//     account's insights under the consent, whatever range each field
//     asks (see AccountHistory).
//
// Loaders return finpro types; converting them is the graph's job.
package loaders

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// Loaders holds one operation's dataloaders. Create it with New; it must not
// outlive the operation (its cache would serve stale data and mix callers).
// Each loader is built on its first use: most operations need one or two.
type Loaders struct {
	c Upstream
	o Options

	balancesOnce, allFIDataOnce, consentsOnce, consentRefsOnce, fiDataOnce sync.Once

	balances    *onceLoader[string, []finpro.Balance]
	allFIData   *onceLoader[string, []finpro.FIAccount]
	consents    *onceLoader[ConsentsKey, *finpro.ConsentPage]
	consentRefs *dataloader.Loader[ConsentRef, *finpro.Consent]
	fiData      *onceLoader[FIDataKey, *finpro.AccountData]

	historyOnce sync.Once
	history     *dataloader.Loader[HistoryKey, *History]

	fiStatusOnce sync.Once
	fiStatus     *onceLoader[FIStatusKey, *finpro.FIStatus]

	mu     sync.Mutex
	totals map[countKey]int // (consent, account) -> totalRecords seen in this operation
	// windows are the histories read by this operation, by consent: a range
	// inside one is served by it (see AccountHistory).
	windows map[string][]*History
	// primed are the consent lookups PrimeConsents made.
	primed map[ConsentRef]*dataloader.Result[*finpro.Consent]
}

func (l *Loaders) balancesLoader() *onceLoader[string, []finpro.Balance] {
	l.balancesOnce.Do(func() { l.balances = newLoader("balances", l.c.Balances, l.o) })
	return l.balances
}

func (l *Loaders) allFIDataLoader() *onceLoader[string, []finpro.FIAccount] {
	l.allFIDataOnce.Do(func() { l.allFIData = newLoader("all_fi_data", l.c.AllFIData, l.o) })
	return l.allFIData
}

func (l *Loaders) consentsLoader() *onceLoader[ConsentsKey, *finpro.ConsentPage] {
	l.consentsOnce.Do(func() {
		l.consents = newLoader("consents", func(ctx context.Context, k ConsentsKey) (*finpro.ConsentPage, error) {
			return l.c.Consents(ctx, k.request())
		}, l.o)
	})
	return l.consents
}

// ConsentRefWait is how long a consent lookup waits for others of the same
// operation before calling FinPro.
const ConsentRefWait = time.Millisecond

func (l *Loaders) consentRefsLoader() *dataloader.Loader[ConsentRef, *finpro.Consent] {
	l.consentRefsOnce.Do(func() {
		batch := func(ctx context.Context, keys []ConsentRef) []*dataloader.Result[*finpro.Consent] {
			return lookupConsents(ctx, l.c, keys)
		}
		opts := []dataloader.Option[ConsentRef, *finpro.Consent]{
			dataloader.WithBatchCapacity[ConsentRef, *finpro.Consent](finpro.MaxConsentLookup),
			dataloader.WithWait[ConsentRef, *finpro.Consent](ConsentRefWait),
		}
		if l.o.OnLoad != nil {
			opts = append(opts, dataloader.WithCache[ConsentRef, *finpro.Consent](&observedCache[ConsentRef, *finpro.Consent]{
				Cache: dataloader.NewCache[ConsentRef, *finpro.Consent](), name: "consent_refs", onLoad: l.o.OnLoad,
			}))
		}
		l.consentRefs = dataloader.NewBatchedLoader(batch, opts...)
	})
	return l.consentRefs
}

// lookupConsents answers a batch of references with one /v3/getconsentslist
// call per kind (handles and consent IDs cannot share a call). A reference
// FinPro does not know is finpro.ErrNotFound.
func lookupConsents(ctx context.Context, c Upstream, keys []ConsentRef) []*dataloader.Result[*finpro.Consent] {
	out := make([]*dataloader.Result[*finpro.Consent], len(keys))
	var q [2]finpro.ConsentLookup // by handle, by consent ID
	for _, k := range keys {
		if k.Handle != "" {
			q[0].Handles = append(q[0].Handles, k.Handle)
		} else {
			q[1].ConsentIDs = append(q[1].ConsentIDs, k.ConsentID)
		}
	}
	found := map[ConsentRef]*finpro.Consent{}
	var errs [2]error
	for i := range q {
		if len(q[i].Handles)+len(q[i].ConsentIDs) == 0 {
			continue
		}
		rows, err := c.ConsentsByRef(ctx, q[i])
		errs[i] = err
		for j := range rows {
			r := &rows[j]
			if i == 0 {
				found[ConsentRef{Handle: r.ConsentHandle}] = r
			} else {
				found[ConsentRef{ConsentID: r.ConsentID}] = r
			}
		}
	}
	for i, k := range keys {
		kind := 1
		if k.Handle != "" {
			kind = 0
		}
		switch r, ok := found[k]; {
		case errs[kind] != nil:
			out[i] = &dataloader.Result[*finpro.Consent]{Error: errs[kind]}
		case !ok:
			out[i] = &dataloader.Result[*finpro.Consent]{Error: fmt.Errorf("consent lookup: %w", finpro.ErrNotFound)}
		default:
			out[i] = &dataloader.Result[*finpro.Consent]{Data: r}
		}
	}
	return out
}

func (l *Loaders) fiDataLoader() *onceLoader[FIDataKey, *finpro.AccountData] {
	l.fiDataOnce.Do(func() {
		l.fiData = newLoader("fi_data", func(ctx context.Context, k FIDataKey) (*finpro.AccountData, error) {
			return l.c.FIData(ctx, finpro.FIDataRequest{
				ConsentID:           k.ConsentID,
				LinkReferenceNumber: k.LinkReferenceNumber,
				Limit:               k.Limit,
				Offset:              k.Offset,
			})
		}, l.o)
	})
	return l.fiData
}

// ConsentsKey identifies a customer's consent list under one product. The
// whole list is read (FinPro sends every consent when no pageSize is given)
// and filtered and paged locally, because FinPro's product filter is leaky
// (its pages would hold other products' rows) and so that every field and
// filter of an operation shares one call.
type ConsentsKey struct {
	MobileNumber string
	ProductID    string
}

func (k ConsentsKey) request() finpro.ConsentListRequest {
	return finpro.ConsentListRequest{MobileNumber: k.MobileNumber, ProductID: k.ProductID}
}

// ConsentRef names one consent by handle or, without one, by consent ID.
type ConsentRef struct {
	Handle    string
	ConsentID string
}

// FIDataKey identifies one getfidata page.
type FIDataKey struct {
	ConsentID           string
	LinkReferenceNumber string
	Limit               int // 0: every transaction from Offset on
	Offset              int
}

// New returns fresh loaders over c for one query or mutation.
func New(c *finpro.Client) *Loaders { return NewWith(c, Options{}) }

// Options configure NewWith.
type Options struct {
	// OnLoad, when set, is called on every load with the loader's name
	// ("balances", "all_fi_data", "consents", "consent_refs", "fi_data" or "history") and whether the
	// load shared a call an earlier load of the operation made (false: this
	// load calls FinPro), e.g. to count how many FinPro calls the loaders
	// save. It must be fast and safe for concurrent use.
	OnLoad func(loader string, shared bool)
	// Counts, when set, is the process-wide store of transaction counts that
	// FIData feeds and CountGuess reads (see Counts).
	Counts *Counts
	// HistoryFrom and HistoryTo, when set, are the union of the days every
	// history load of the operation will ask (the graph handler reads them
	// from the operation's insights fields): each consent's history is then
	// read once, for that span, whenever its loads arrive. A load outside
	// it falls back to sharing with the loads that arrive together.
	HistoryFrom, HistoryTo time.Time
	// Through, when set, wraps the operation's FinPro reads: the loaders
	// read through what it returns for the client (internal/fpcache's
	// View, which serves reads across operations). What it is given
	// already normalizes getfidata pages, so what it keeps never changes.
	Through func(Upstream) Upstream
}

// Upstream is the FinPro reads the loaders make: *finpro.Client, or a cache
// over it (Options.Through).
type Upstream interface {
	Balances(ctx context.Context, consentID string) ([]finpro.Balance, error)
	AllFIData(ctx context.Context, consentID string) ([]finpro.FIAccount, error)
	AllFIDataBetween(ctx context.Context, consentID string, from, to time.Time) ([]finpro.FIAccount, error)
	Consents(ctx context.Context, req finpro.ConsentListRequest) (*finpro.ConsentPage, error)
	ConsentsByRef(ctx context.Context, q finpro.ConsentLookup) ([]finpro.Consent, error)
	FIData(ctx context.Context, req finpro.FIDataRequest) (*finpro.AccountData, error)
	FIRequestStatus(ctx context.Context, req finpro.FIStatusRequest) (*finpro.FIStatus, error)
}

var _ Upstream = (*finpro.Client)(nil)

// normalized is the client with getfidata pages normalized as they arrive:
// every reader of a page (connections, node lookups) sees each schema's rows
// in the statement fields, and no reader changes a page another one holds.
type normalized struct{ *finpro.Client }

func (n normalized) FIData(ctx context.Context, req finpro.FIDataRequest) (*finpro.AccountData, error) {
	d, err := n.Client.FIData(ctx, req)
	if err == nil {
		fi.Normalize(d.FIType, d.Transactions)
	}
	return d, err
}

// NewWith returns fresh loaders over c for one operation, configured by o.
func NewWith(c *finpro.Client, o Options) *Loaders {
	var up Upstream = normalized{c}
	if o.Through != nil {
		up = o.Through(up)
	}
	return &Loaders{c: up, o: o}
}

// newLoader returns a loader that calls fetch as soon as a key is first loaded
// and makes every later Load of the key share that call (see onceLoader).
func newLoader[K comparable, V any](name string, fetch func(context.Context, K) (V, error), o Options) *onceLoader[K, V] {
	return newOnceLoader(name, fetch, o)
}

// observedCache reports every lookup to onLoad: the dataloader looks a key up
// exactly once per Load, and a hit is a load served by an earlier one's call.
type observedCache[K comparable, V any] struct {
	dataloader.Cache[K, V]
	name   string
	onLoad func(loader string, shared bool)
}

func (c *observedCache[K, V]) Get(ctx context.Context, k K) (dataloader.Thunk[V], bool) {
	v, ok := c.Cache.Get(ctx, k)
	c.onLoad(c.name, ok)
	return v, ok
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the operation's loaders. It panics when none are attached: that is
// a wiring bug (the graph handler attaches them in AroundOperations).
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loaders: no Loaders in context; the graph handler must attach loaders.New(client) in AroundOperations")
	}
	return l
}

// Balances returns every balance under a consent (one getfibalance per consent
// per operation).
func Balances(ctx context.Context, consentID string) ([]finpro.Balance, error) {
	bs, err := For(ctx).balancesLoader().Load(ctx, consentID)
	if err != nil {
		return nil, fmt.Errorf("balances of consent %s: %w", consentID, explain(ctx, consentID, err))
	}
	return bs, nil
}

// Balance returns one account's balance from its consent's balances. An account
// the consent's balances do not list is finpro.ErrNotFound.
func Balance(ctx context.Context, consentID, linkRef string) (*finpro.Balance, error) {
	bs, err := Balances(ctx, consentID)
	if err != nil {
		return nil, err
	}
	for i := range bs {
		if bs[i].LinkReferenceNumber == linkRef {
			return &bs[i], nil
		}
	}
	return nil, explainMissing(ctx, consentID, linkRef, fmt.Errorf("balance of account %s: %w", linkRef, finpro.ErrNotFound))
}

// AllFIData returns every account's data under a consent (one getallfidata per
// consent per operation).
func AllFIData(ctx context.Context, consentID string) ([]finpro.FIAccount, error) {
	as, err := For(ctx).allFIDataLoader().Load(ctx, consentID)
	if err != nil {
		return nil, fmt.Errorf("data of consent %s: %w", consentID, explain(ctx, consentID, err))
	}
	return as, nil
}

// FIAccount returns one account's data from its consent's getallfidata. An
// account the answer does not list is finpro.ErrNotFound.
func FIAccount(ctx context.Context, consentID, linkRef string) (*finpro.FIAccount, error) {
	as, err := AllFIData(ctx, consentID)
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].LinkReferenceNumber == linkRef {
			return &as[i], nil
		}
	}
	return nil, explainMissing(ctx, consentID, linkRef, fmt.Errorf("data of account %s: %w", linkRef, finpro.ErrNotFound))
}

// Consents returns a customer's consent list under one product (one call per
// key per operation).
func Consents(ctx context.Context, k ConsentsKey) (*finpro.ConsentPage, error) {
	p, err := For(ctx).consentsLoader().Load(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("consent list: %w", err)
	}
	return p, nil
}

// ConsentByRef returns the consent with a handle or consent ID, whatever its
// customer and product (FinPro's /v3/getconsentslist; lookups of one
// operation share calls). An unknown consent is finpro.ErrNotFound.
func ConsentByRef(ctx context.Context, k ConsentRef) (*finpro.Consent, error) {
	l := For(ctx)
	l.mu.Lock()
	r, ok := l.primed[k]
	l.mu.Unlock()
	if ok {
		if l.o.OnLoad != nil {
			l.o.OnLoad("consent_refs", true)
		}
		if r.Error != nil {
			return nil, fmt.Errorf("consent lookup: %w", r.Error)
		}
		return r.Data, nil
	}
	c, err := l.consentRefsLoader().Load(ctx, k)()
	if err != nil {
		return nil, fmt.Errorf("consent lookup: %w", err)
	}
	return c, nil
}

// PrimeConsents looks refs up now, in as few FinPro calls as
// finpro.MaxConsentLookup and the kinds of reference allow, and keeps the
// answers for the ConsentByRef calls that follow: those share them from any
// goroutine and however late they run, instead of racing the loader's batch
// window. It is for a resolver that knows every reference it will place
// (Query.nodes).
func PrimeConsents(ctx context.Context, refs []ConsentRef) {
	l := For(ctx)
	l.mu.Lock()
	var todo []ConsentRef
	for _, k := range refs {
		if _, ok := l.primed[k]; !ok && !slices.Contains(todo, k) {
			todo = append(todo, k)
		}
	}
	l.mu.Unlock()
	for chunk := range slices.Chunk(todo, finpro.MaxConsentLookup) {
		rs := lookupConsents(ctx, l.c, chunk)
		if l.o.OnLoad != nil {
			l.o.OnLoad("consent_refs", false)
		}
		l.mu.Lock()
		if l.primed == nil {
			l.primed = map[ConsentRef]*dataloader.Result[*finpro.Consent]{}
		}
		for i, k := range chunk {
			l.primed[k] = rs[i]
		}
		l.mu.Unlock()
	}
}

// FIData returns one page of an account's transactions and records the
// account's transaction count for TotalRecords and CountGuess.
func FIData(ctx context.Context, k FIDataKey) (*finpro.AccountData, error) {
	l := For(ctx)
	d, err := l.fiDataLoader().Load(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("transactions of account %s: %w", k.LinkReferenceNumber, explain(ctx, k.ConsentID, err))
	}
	if d.TotalRecords >= 0 {
		l.mu.Lock()
		if l.totals == nil {
			l.totals = make(map[countKey]int)
		}
		l.totals[countKey{k.ConsentID, k.LinkReferenceNumber}] = d.TotalRecords
		l.mu.Unlock()
		if l.o.Counts != nil {
			l.o.Counts.Put(k.ConsentID, k.LinkReferenceNumber, d.TotalRecords)
		}
	}
	return d, nil
}

// CountGuess returns the transaction count an earlier operation saw for an
// account under a consent (see Counts): a guess to check against the count
// the next getfidata reports, never a fact.
func CountGuess(ctx context.Context, consentID, linkRef string) (int, bool) {
	l := For(ctx)
	if l.o.Counts == nil {
		return 0, false
	}
	return l.o.Counts.Get(consentID, linkRef)
}

// TotalRecords returns the transaction count of an account under a consent if
// an earlier getfidata of this operation reported it. (An account linked by two
// consents is read under each, and the two may cover different ranges.)
func TotalRecords(ctx context.Context, consentID, linkRef string) (int, bool) {
	l := For(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	n, ok := l.totals[countKey{consentID, linkRef}]
	return n, ok
}
