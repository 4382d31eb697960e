// Package loaders batches and caches the FinPro reads of one GraphQL operation.
//
// A Loaders value is created per operation (the graph handler attaches a fresh
// one to every operation, and to every event of a subscription, so websocket
// operations never share a cache) and reached with For. Every FinPro read is keyed so that one call serves every field that
// needs it, and the loader's cache is what makes that so: the first Load of a
// key calls FinPro at once, every later Load of the key in the operation waits
// for that call. There is no batch window: FinPro has no multi-key read, so
// collecting keys would only delay the calls (it cost 2 ms per level of the
// query before; see BENCHMARKS.md). The keys:
//
//   - balances by consent: one getfibalance without linkReferenceNumber serves
//     every account balance under a consent;
//   - all FI data by consent: one getallfidata serves every profile and summary;
//   - consent list pages by (mobile, product, status filter, page);
//   - getfidata pages by (consent, account, limit, offset).
//
// Loaders return finpro types; converting them is the graph's job.
package loaders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Loaders holds one operation's dataloaders. Create it with New; it must not
// outlive the operation (its cache would serve stale data and mix callers).
// Each loader is built on its first use: most operations need one or two.
type Loaders struct {
	c *finpro.Client
	o Options

	balancesOnce, allFIDataOnce, consentsOnce, fiDataOnce sync.Once

	balances  *dataloader.Loader[string, []finpro.Balance]
	allFIData *dataloader.Loader[string, []finpro.FIAccount]
	consents  *dataloader.Loader[ConsentsKey, *finpro.ConsentPage]
	fiData    *dataloader.Loader[FIDataKey, *finpro.AccountData]

	mu     sync.Mutex
	totals map[countKey]int // (consent, account) -> totalRecords seen in this operation
}

func (l *Loaders) balancesLoader() *dataloader.Loader[string, []finpro.Balance] {
	l.balancesOnce.Do(func() { l.balances = newLoader("balances", l.c.Balances, l.o) })
	return l.balances
}

func (l *Loaders) allFIDataLoader() *dataloader.Loader[string, []finpro.FIAccount] {
	l.allFIDataOnce.Do(func() { l.allFIData = newLoader("all_fi_data", l.c.AllFIData, l.o) })
	return l.allFIData
}

func (l *Loaders) consentsLoader() *dataloader.Loader[ConsentsKey, *finpro.ConsentPage] {
	l.consentsOnce.Do(func() {
		l.consents = newLoader("consents", func(ctx context.Context, k ConsentsKey) (*finpro.ConsentPage, error) {
			return l.c.Consents(ctx, k.request())
		}, l.o)
	})
	return l.consents
}

func (l *Loaders) fiDataLoader() *dataloader.Loader[FIDataKey, *finpro.AccountData] {
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

// ConsentsKey identifies one consent list request. Status is the filter's
// statuses joined with commas in a canonical order (see StatusKey).
type ConsentsKey struct {
	MobileNumber string
	ProductID    string
	Status       string
	PageNumber   int
	PageSize     int
}

// StatusKey returns the canonical Status of a ConsentsKey for a filter.
func StatusKey(status []finpro.ConsentStatus) string {
	s := make([]string, len(status))
	for i, st := range status {
		s[i] = string(st)
	}
	slices.Sort(s)
	return strings.Join(slices.Compact(s), ",")
}

func (k ConsentsKey) request() finpro.ConsentListRequest {
	req := finpro.ConsentListRequest{
		MobileNumber: k.MobileNumber,
		ProductID:    k.ProductID,
		PageNumber:   k.PageNumber,
		PageSize:     k.PageSize,
	}
	if k.Status != "" {
		for s := range strings.SplitSeq(k.Status, ",") {
			req.Status = append(req.Status, finpro.ConsentStatus(s))
		}
	}
	return req
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
	// ("balances", "all_fi_data", "consents" or "fi_data") and whether the
	// load shared a call an earlier load of the operation made (false: this
	// load calls FinPro), e.g. to count how many FinPro calls the loaders
	// save. It must be fast and safe for concurrent use.
	OnLoad func(loader string, shared bool)
	// Counts, when set, is the process-wide store of transaction counts that
	// FIData feeds and CountGuess reads (see Counts).
	Counts *Counts
}

// NewWith returns fresh loaders over c for one operation, configured by o.
func NewWith(c *finpro.Client, o Options) *Loaders {
	return &Loaders{c: c, o: o}
}

// newLoader returns a loader that calls fetch as soon as a key is first loaded
// (a batch of one key, dispatched without waiting); the dataloader's cache
// makes every later Load of the key share that call.
func newLoader[K comparable, V any](name string, fetch func(context.Context, K) (V, error), o Options) *dataloader.Loader[K, V] {
	batch := func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		out := make([]*dataloader.Result[V], len(keys))
		for i, k := range keys { // one key: WithBatchCapacity(1)
			v, err := fetch(ctx, k)
			out[i] = &dataloader.Result[V]{Data: v, Error: err}
		}
		return out
	}
	opts := []dataloader.Option[K, V]{dataloader.WithBatchCapacity[K, V](1)}
	if o.OnLoad != nil {
		opts = append(opts, dataloader.WithCache[K, V](&observedCache[K, V]{
			Cache: dataloader.NewCache[K, V](), name: name, onLoad: o.OnLoad,
		}))
	}
	return dataloader.NewBatchedLoader(batch, opts...)
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
	bs, err := For(ctx).balancesLoader().Load(ctx, consentID)()
	if err != nil {
		return nil, fmt.Errorf("balances of consent %s: %w", consentID, err)
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
	return nil, fmt.Errorf("balance of account %s: %w", linkRef, finpro.ErrNotFound)
}

// AllFIData returns every account's data under a consent (one getallfidata per
// consent per operation).
func AllFIData(ctx context.Context, consentID string) ([]finpro.FIAccount, error) {
	as, err := For(ctx).allFIDataLoader().Load(ctx, consentID)()
	if err != nil {
		return nil, fmt.Errorf("data of consent %s: %w", consentID, err)
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
	return nil, fmt.Errorf("data of account %s: %w", linkRef, finpro.ErrNotFound)
}

// Consents returns one page of a customer's consent list.
func Consents(ctx context.Context, k ConsentsKey) (*finpro.ConsentPage, error) {
	p, err := For(ctx).consentsLoader().Load(ctx, k)()
	if err != nil {
		return nil, fmt.Errorf("consent list page %d: %w", k.PageNumber, err)
	}
	return p, nil
}

// FIData returns one page of an account's transactions and records the
// account's transaction count for TotalRecords and CountGuess.
func FIData(ctx context.Context, k FIDataKey) (*finpro.AccountData, error) {
	l := For(ctx)
	d, err := l.fiDataLoader().Load(ctx, k)()
	if err != nil {
		return nil, fmt.Errorf("transactions of account %s: %w", k.LinkReferenceNumber, err)
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
