package fitype

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/graph/statement"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// Transactions resolves Account.transactions: a Relay connection mapped onto
// getfidata's limit/offset (oldest first). first/after reads limit first+1 at
// the after offset (the extra row tells whether a next page exists);
// last/before reads the last rows before the before offset. last alone reads the
// latest rows, which needs the account's transaction count (FinPro pages from
// the oldest): see latest. A filter or NEWEST_FIRST makes it a statement
// (graph/statement), whose cursors belong to the filter and order.
func (a *AccountBase) Transactions(ctx context.Context, first *int, after *string, last *int, before *string, filter *model.TransactionFilter, orderBy *model.TransactionOrder) (*model.TransactionConnection, error) {
	linkRef := a.linked.LinkReferenceNumber
	base := a.cursorScope()
	f, err := statement.NewFilter(filter)
	if err != nil {
		return nil, err
	}
	order := model.TransactionOrderOldestFirst
	if orderBy != nil {
		order = *orderBy
	}
	scope := statement.Scope(base, f, order)
	if err := statement.CheckCursor("after", after, base, scope); err != nil {
		return nil, err
	}
	if err := statement.CheckCursor("before", before, base, scope); err != nil {
		return nil, err
	}
	if scope != base {
		return a.statement(ctx, relay.Args{First: first, After: after, Last: last, Before: before}, f, order, scope)
	}
	b, err := relay.Resolve(relay.Args{First: first, After: after, Last: last, Before: before}, scope)
	if err != nil {
		return nil, err
	}
	key := loaders.FIDataKey{ConsentID: a.ConsentRef(), LinkReferenceNumber: linkRef}
	var (
		rows          []finpro.Transaction
		start         int
		hasNext       bool
		total         = -1
		knownTotal, k = loaders.TotalRecords(ctx, a.ConsentRef(), linkRef)
	)
	if k {
		total = knownTotal
	}
	fetch := func(offset, limit int) ([]finpro.Transaction, error) {
		key.Offset, key.Limit = offset, limit
		d, err := loaders.FIData(ctx, key)
		if err != nil {
			return nil, err
		}
		if d.TotalRecords >= 0 {
			total = d.TotalRecords
		}
		if limit > 0 && len(d.Transactions) > limit {
			return d.Transactions[:limit], nil
		}
		return d.Transactions, nil
	}

	hi := b.Hi
	if hi < 0 && total >= 0 {
		hi = max(total, b.Lo)
	}
	switch {
	case !b.FromEnd:
		start = b.Lo
		n := b.N
		if hi >= 0 {
			n = min(n, hi-b.Lo)
		}
		if n > 0 {
			if rows, err = fetch(b.Lo, n+1); err != nil {
				return nil, err
			}
		}
		hasNext = len(rows) > n || (n == 0 && b.HasBefore)
		rows = rows[:min(len(rows), n)]
	case hi >= 0:
		start = max(b.Lo, hi-b.N)
		if hi > start {
			if rows, err = fetch(start, hi-start); err != nil {
				return nil, err
			}
		}
		hasNext = b.HasBefore
	default:
		if rows, start, err = latest(ctx, b, key.ConsentID, linkRef, fetch, &total); err != nil {
			return nil, err
		}
	}
	page := relay.Window{Start: start, HasNext: hasNext, Total: total}.Page(scope, len(rows))
	return a.connection(page, rows), nil
}

// statement resolves a filtered or newest-first Account.transactions.
func (a *AccountBase) statement(ctx context.Context, args relay.Args, f statement.Filter, order model.TransactionOrder, scope string) (*model.TransactionConnection, error) {
	consentID, linkRef := a.ConsentRef(), a.linked.LinkReferenceNumber
	read := a.reader()
	guess, ok := loaders.TotalRecords(ctx, consentID, linkRef)
	if !ok {
		guess, _ = loaders.CountGuess(ctx, consentID, linkRef)
	}
	p, err := statement.Run(ctx, read, statement.Query{
		Filter: f, Order: order, Args: args, Scope: scope,
		WantTotal: selects(ctx, "totalCount"), CountGuess: guess,
	})
	if err != nil {
		return nil, err
	}
	info := &relay.PageInfo{HasNextPage: p.HasNext, HasPreviousPage: p.HasPrev}
	if n := len(p.Cursors); n > 0 {
		info.StartCursor, info.EndCursor = &p.Cursors[0], &p.Cursors[n-1]
	}
	if p.Resume != "" { // a short page: continue the scan from where it stopped
		if args.Last != nil {
			info.StartCursor = &p.Resume
		} else {
			info.EndCursor = &p.Resume
		}
	}
	page := relay.Page{Cursors: p.Cursors, Info: info}
	if p.Total >= 0 {
		page.TotalCount = &p.Total
	}
	return a.connection(page, p.Rows), nil
}

// connection is the TransactionConnection of the account's rows on page
// (one cursor per row).
func (a *AccountBase) connection(page relay.Page, rows []finpro.Transaction) *model.TransactionConnection {
	conn := &model.TransactionConnection{
		Edges:      make([]*model.TransactionEdge, len(rows)),
		PageInfo:   page.Info,
		TotalCount: page.TotalCount,
	}
	nodes := model.TransactionsFromFinpro(a.consent.Ref, a.linked.LinkReferenceNumber, a.linked.FIType, rows)
	edges := make([]model.TransactionEdge, len(rows))
	for i := range rows {
		edges[i] = model.TransactionEdge{Cursor: page.Cursors[i], Node: &nodes[i]}
		conn.Edges[i] = &edges[i]
	}
	return conn
}

// reader reads the account's getfidata pages through the operation's
// loaders (shared with every other read of the same page).
func (a *AccountBase) reader() statement.Reader {
	key := loaders.FIDataKey{ConsentID: a.ConsentRef(), LinkReferenceNumber: a.linked.LinkReferenceNumber}
	return func(ctx context.Context, offset, limit int) ([]finpro.Transaction, int, error) {
		k := key
		k.Offset, k.Limit = offset, limit
		d, err := loaders.FIData(ctx, k)
		if err != nil {
			return nil, 0, err
		}
		return d.Transactions, d.TotalRecords, nil
	}
}

// selects reports whether the field being resolved selects the field name
// (directly or through fragments).
func selects(ctx context.Context, name string) bool {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return false
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// cursorScope binds transaction cursors to the account under its consent: an
// account linked under two consents is read per consent, and the two may
// cover different ranges.
func (a *AccountBase) cursorScope() string {
	return a.consent.Ref + "/" + a.linked.LinkReferenceNumber
}

// latest reads the last b.N rows after b.Lo of an account whose transaction
// count this operation does not know yet. fetch updates *total whenever
// getfidata reports the count. In order:
//
//  1. With a count guess from an earlier operation (loaders.CountGuess), read
//     the window that ends at the guess. The page reports the real count: if
//     it matches, that window is the answer (one call, the usual case).
//  2. Without a guess, probe: read the first b.N rows from b.Lo. If the count
//     shows they reach the end, they are the answer (one call).
//  3. With a count now known (a stale guess or a probe of a longer list), read
//     the window that ends at it (a second call).
//  4. If FinPro reported no count, read every row and keep the tail (getfidata
//     takes no offset without a limit). A probe that came back short needs no
//     more: it already holds everything after b.Lo.
func latest(ctx context.Context, b relay.Bounds, consentID, linkRef string, fetch func(offset, limit int) ([]finpro.Transaction, error), total *int) (rows []finpro.Transaction, start int, err error) {
	guess, guessed := loaders.CountGuess(ctx, consentID, linkRef)
	switch {
	case guessed && guess > b.Lo:
		start = max(b.Lo, guess-b.N)
		if rows, err = fetch(start, guess-start); err != nil || *total == guess {
			return rows, start, err
		}
	default:
		start = b.Lo
		if rows, err = fetch(b.Lo, b.N); err != nil {
			return nil, 0, err
		}
		if (*total >= 0 && *total-b.Lo <= b.N) || (*total < 0 && len(rows) < b.N) {
			return rows, start, nil
		}
	}
	if *total >= 0 {
		hi := max(*total, b.Lo)
		start = max(b.Lo, hi-b.N)
		if hi == start {
			return nil, start, nil
		}
		rows, err = fetch(start, hi-start)
		return rows, start, err
	}
	if rows, err = fetch(0, 0); err != nil {
		return nil, 0, err
	}
	rows = rows[min(b.Lo, len(rows)):]
	cut := max(0, len(rows)-b.N)
	return rows[cut:], b.Lo + cut, nil
}

// TransactionAt locates a transaction by its timestamp in the account's
// time-ordered list (FinPro pages it oldest first), for node(id:): a binary
// search of one-row reads for the first row at or after at (about log2 n + 1
// calls), then a short read from there for the txnId among the rows of that
// second. Nil, nil when the account has no such transaction.
func (a *AccountBase) TransactionAt(ctx context.Context, at time.Time, txnID string) (*model.Transaction, error) {
	key := loaders.FIDataKey{ConsentID: a.ConsentRef(), LinkReferenceNumber: a.LinkReferenceNumber()}
	read := func(offset, limit int) (*finpro.AccountData, error) {
		key.Offset, key.Limit = offset, limit
		return loaders.FIData(ctx, key)
	}
	first, err := read(0, 1)
	if err != nil {
		return nil, err
	}
	lo, hi := 0, first.TotalRecords
	if hi < 0 { // no count: read the whole list once
		all, err := read(0, 0)
		if err != nil {
			return nil, err
		}
		return a.matchTransaction(all.Transactions, at, txnID), nil
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		d, err := read(mid, 1)
		if err != nil {
			return nil, err
		}
		if len(d.Transactions) == 0 || !d.Transactions[0].TransactionTimestamp.Before(at) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	const window = 20
	for offset := lo; ; offset += window {
		d, err := read(offset, window)
		if err != nil {
			return nil, err
		}
		t := a.matchTransaction(d.Transactions, at, txnID)
		if t != nil || len(d.Transactions) < window || d.Transactions[len(d.Transactions)-1].TransactionTimestamp.Unix() > at.Unix() {
			return t, nil
		}
	}
}

// matchTransaction returns the row of rows with txnID at the second at, nil
// when none is.
func (a *AccountBase) matchTransaction(rows []finpro.Transaction, at time.Time, txnID string) *model.Transaction {
	for i := range rows {
		if rows[i].TxnID == txnID && rows[i].TransactionTimestamp.Unix() == at.Unix() {
			ts := model.TransactionsFromFinpro(a.consent.Ref, a.linked.LinkReferenceNumber, a.linked.FIType, rows[i:i+1])
			return &ts[0]
		}
	}
	return nil
}
