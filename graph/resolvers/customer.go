package resolvers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/graph/apierr"
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// consentPage pages the consent list. A cursor holds the upstream row index of
// its consent, so FinPro's pageNumber/pageSize serve any first/after: an
// aligned offset costs one call, an unaligned one two. Rows the local filter
// drops (FinPro's leaky product filter) make a page shorter, never shift it.
func (r *Resolver) consentPage(ctx context.Context, c *model.Customer, status []model.ConsentStatus, first *int, after *string) (*model.ConsentConnection, error) {
	filter := statusesToFinpro(status)
	key := loaders.ConsentsKey{MobileNumber: c.MobileNumber, ProductID: c.ProductID, Status: loaders.StatusKey(filter)}
	scope := "consents:" + c.ProductID + ":" + key.Status
	b, err := relay.Resolve(relay.Args{First: first, After: after}, scope)
	if err != nil {
		return nil, err
	}
	size, lo := b.N, b.Lo
	key.PageSize = size
	key.PageNumber = lo/size + 1
	page, err := loaders.Consents(ctx, key)
	if lo > 0 && isPageOutOfRange(err) { // after the last consent
		return &model.ConsentConnection{Edges: []*model.ConsentEdge{}, PageInfo: &model.PageInfo{HasPreviousPage: lo > 0}}, nil
	}
	if err != nil {
		return nil, err
	}
	rows := page.Consents
	skip := lo % size
	total := -1
	if page.Page != nil {
		total = page.Page.TotalRecords
	}
	if skip > 0 && (page.Page == nil || key.PageNumber < page.Page.TotalPages) {
		key.PageNumber++
		next, err := loaders.Consents(ctx, key)
		if err != nil && !isPageOutOfRange(err) {
			return nil, err
		}
		if next != nil {
			rows = append(slices.Clip(rows), next.Consents...)
		}
	}
	rows = rows[min(skip, len(rows)):]
	rows = rows[:min(size, len(rows))]

	conn := &model.ConsentConnection{Edges: []*model.ConsentEdge{}, PageInfo: &model.PageInfo{HasPreviousPage: lo > 0}}
	dropped := false
	for i, row := range rows {
		if !keepConsent(row, c.ProductID, filter) {
			dropped = true
			continue
		}
		conn.Edges = append(conn.Edges, &model.ConsentEdge{Cursor: relay.EncodeCursor(scope, lo+i), Node: consentFromFinpro(row)})
	}
	end := lo + len(rows)
	conn.PageInfo.HasNextPage = total >= 0 && end < total || total < 0 && len(rows) == size
	if total >= 0 && !dropped {
		conn.TotalCount = &total // FinPro's count is right when its filter was
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn, nil
}

// isPageOutOfRange reports FinPro's answer to a page past the last one.
func isPageOutOfRange(err error) bool {
	e, ok := errors.AsType[*finpro.APIError](err)
	return ok && e.Code == "InvalidPageNumber"
}

// activeConsents returns the customer's ACTIVE consents under its product (one
// consent list call per operation).
func (r *Resolver) activeConsents(ctx context.Context, c *model.Customer) ([]*model.Consent, error) {
	filter := []finpro.ConsentStatus{finpro.ConsentActive}
	page, err := loaders.Consents(ctx, loaders.ConsentsKey{
		MobileNumber: c.MobileNumber,
		ProductID:    c.ProductID,
		Status:       loaders.StatusKey(filter),
	})
	if err != nil {
		return nil, err
	}
	var out []*model.Consent
	for _, row := range page.Consents {
		if keepConsent(row, c.ProductID, filter) && row.ConsentID != "" {
			out = append(out, consentFromFinpro(row))
		}
	}
	return out, nil
}

// customerAccounts returns the unique accounts (by link reference number) of the
// customer's ACTIVE consents, each under the first consent that lists it.
func (r *Resolver) customerAccounts(ctx context.Context, c *model.Customer) ([]fitype.Account, error) {
	consents, err := r.activeConsents(ctx, c)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	out := []fitype.Account{}
	for _, con := range consents {
		for _, la := range con.Linked {
			if la.LinkReferenceNumber == "" || seen[la.LinkReferenceNumber] {
				continue
			}
			seen[la.LinkReferenceNumber] = true
			out = append(out, r.plugins.Account(con, la))
		}
	}
	return out, nil
}

// customerAccount returns the customer's account with global ID id.
func (r *Resolver) customerAccount(ctx context.Context, c *model.Customer, id string) (fitype.Account, error) {
	if id == "" {
		return nil, apierr.BadInput("id must not be empty")
	}
	accounts, err := r.customerAccounts(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.Base().ID() == id {
			return a, nil
		}
	}
	return nil, apierr.New(apierr.NotFound, "account not found")
}

// totalBalance sums the balances of the customer's unique accounts per
// currency with exact decimal arithmetic. The consents' getfibalance calls run
// in parallel (one per consent).
func (r *Resolver) totalBalance(ctx context.Context, c *model.Customer) ([]*model.Money, error) {
	accounts, err := r.customerAccounts(ctx, c)
	if err != nil {
		return nil, err
	}
	balances := make([]*finpro.Balance, len(accounts))
	errs := make([]error, len(accounts))
	var wg sync.WaitGroup
	for i, a := range accounts {
		wg.Go(func() {
			base := a.Base()
			balances[i], errs[i] = loaders.Balance(ctx, base.ConsentRef(), base.LinkReferenceNumber())
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, firstError(errs)
	}
	return sumByCurrency(balances)
}

// firstError returns the first non-nil error; the presenter shows one code.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// decimalContext is wide enough for any sum of FinPro balances; an inexact sum
// is an error rather than a rounded total.
var decimalContext = apd.BaseContext.WithPrecision(200)

// sumByCurrency adds balances per currency exactly. The sum's scale is the
// largest scale of its addends ("1234.5" + "0.10" = "1234.60"), which apd's
// addition keeps by construction.
func sumByCurrency(bs []*finpro.Balance) ([]*model.Money, error) {
	sums := make(map[string]*apd.Decimal)
	var order []string
	for _, b := range bs {
		cur := b.Currency
		if cur == "" {
			cur = "INR"
		}
		x, _, err := apd.NewFromString(string(b.Balance))
		if err != nil || x.Form != apd.Finite {
			return nil, fmt.Errorf("balance of account %s is not a decimal", b.LinkReferenceNumber)
		}
		s, ok := sums[cur]
		if !ok {
			sums[cur] = x
			order = append(order, cur)
			continue
		}
		cond, err := decimalContext.Add(s, s, x)
		if err != nil || cond.Inexact() {
			return nil, fmt.Errorf("sum of balances in %s is not exact", cur)
		}
	}
	slices.Sort(order)
	out := make([]*model.Money, len(order))
	for i, cur := range order {
		out[i] = &model.Money{Amount: model.Decimal(sums[cur].Text('f')), Currency: cur}
	}
	return out, nil
}

// customerFor validates a customer query's arguments and authorizes it.
func customerFor(ctx context.Context, mobile, productID string) (*model.Customer, error) {
	if err := validMobile("mobileNumber", mobile); err != nil {
		return nil, err
	}
	if err := validID("productID", productID); err != nil {
		return nil, err
	}
	if err := authorizeCustomer(ctx, mobile, productID); err != nil {
		return nil, err
	}
	return &model.Customer{MobileNumber: mobile, ProductID: productID}, nil
}
