package loaders

import (
	"context"
	"fmt"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// HistoryWait is how long a history load waits for the operation's other
// history loads before calling FinPro, so that sibling fields asking for
// different ranges of one consent share one read of the ranges' union.
const HistoryWait = time.Millisecond

// HistoryKey asks for a consent's transactions on the days From..To
// (midnights; inclusive).
type HistoryKey struct {
	ConsentID string
	From, To  time.Time
}

// History is what one getallfidata with a date range read: every account of
// a consent with its transactions on the days From..To (and, as padding
// against FinPro's unstated boundary rules, possibly a day either side).
type History struct {
	From, To time.Time
	Accounts []finpro.FIAccount
}

// covers reports whether h holds every transaction of the days from..to.
func (h *History) covers(from, to time.Time) bool {
	return !from.Before(h.From) && !to.After(h.To)
}

// historyPad widens the range asked of FinPro by a day on each side: FinPro
// does not say whether its dates compare transaction timestamps or value
// dates, nor in which zone, so the analytics filter by day themselves.
const historyPad = 24 * time.Hour

func (l *Loaders) historyLoader() *dataloader.Loader[HistoryKey, *History] {
	l.historyOnce.Do(func() {
		batch := func(ctx context.Context, keys []HistoryKey) []*dataloader.Result[*History] {
			// One call per consent for the union of the ranges its keys ask.
			union := map[string]*History{}
			var order []string
			for _, k := range keys {
				h, ok := union[k.ConsentID]
				if !ok {
					union[k.ConsentID] = &History{From: k.From, To: k.To}
					order = append(order, k.ConsentID)
					continue
				}
				if k.From.Before(h.From) {
					h.From = k.From
				}
				if k.To.After(h.To) {
					h.To = k.To
				}
			}
			errs := map[string]error{}
			for _, c := range order {
				h := union[c]
				accs, err := l.c.AllFIDataBetween(ctx, c, h.From.Add(-historyPad), h.To.Add(2*historyPad-time.Millisecond))
				if err != nil {
					errs[c] = err
					continue
				}
				h.Accounts = accs
				l.mu.Lock()
				if l.windows == nil {
					l.windows = map[string][]*History{}
				}
				l.windows[c] = append(l.windows[c], h)
				l.mu.Unlock()
			}
			out := make([]*dataloader.Result[*History], len(keys))
			for i, k := range keys {
				out[i] = &dataloader.Result[*History]{Data: union[k.ConsentID], Error: errs[k.ConsentID]}
			}
			return out
		}
		opts := []dataloader.Option[HistoryKey, *History]{dataloader.WithWait[HistoryKey, *History](HistoryWait)}
		if l.o.OnLoad != nil {
			opts = append(opts, dataloader.WithCache[HistoryKey, *History](&observedCache[HistoryKey, *History]{
				Cache: dataloader.NewCache[HistoryKey, *History](), name: "history", onLoad: l.o.OnLoad,
			}))
		}
		l.history = dataloader.NewBatchedLoader(batch, opts...)
	})
	return l.history
}

// AccountHistory returns an account's data under a consent with (at least)
// its transactions on the days from..to, read once per operation for every
// account and range of the consent: a range inside the operation's planned
// span (Options.HistoryFrom..HistoryTo) loads the whole span, one call per
// consent whenever the loads arrive; otherwise a range inside a window the
// operation already read is served from it, and loads that arrive together
// (sibling fields) share one getallfidata of their ranges' union
// (transactionsStartDate and transactionsEndDate). An account the answer
// does not list is finpro.ErrNotFound.
func AccountHistory(ctx context.Context, consentID, linkRef string, from, to time.Time) (*finpro.FIAccount, error) {
	l := For(ctx)
	var h *History
	l.mu.Lock()
	for _, w := range l.windows[consentID] {
		if w.covers(from, to) {
			h = w
			break
		}
	}
	l.mu.Unlock()
	if h == nil {
		k := HistoryKey{ConsentID: consentID, From: from, To: to}
		if span := (&History{From: l.o.HistoryFrom, To: l.o.HistoryTo}); !span.From.IsZero() && span.covers(from, to) {
			k.From, k.To = span.From, span.To // one key per consent: the dataloader's cache shares its call
		}
		var err error
		if h, err = l.historyLoader().Load(ctx, k)(); err != nil {
			return nil, fmt.Errorf("history of consent %s: %w", consentID, explain(ctx, consentID, err))
		}
	} else if l.o.OnLoad != nil {
		l.o.OnLoad("history", true)
	}
	for i := range h.Accounts {
		if h.Accounts[i].LinkReferenceNumber == linkRef {
			return &h.Accounts[i], nil
		}
	}
	return nil, fmt.Errorf("history of account %s: %w", linkRef, finpro.ErrNotFound)
}
