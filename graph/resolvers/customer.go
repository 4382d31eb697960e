package resolvers

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/portfolio"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// ID resolves Customer.id: sealed, because the customer is its mobile number.
func (r *customerResolver) ID(_ context.Context, obj *model.Customer) (string, error) {
	return r.ids.SealedID(relay.TypeCustomer, obj.MobileNumber, obj.ProductID), nil
}

// Consents pages the customer's consents of its product. The whole list is
// one FinPro call per operation (shared with accounts and totalBalance) and is
// filtered and paged here, so every page holds first consents of the product
// whenever that many remain, and its totalCount is exact, whatever FinPro's
// leaky product filter would have put on its own pages. A cursor is the
// consent's position in the filtered list, bound to product and filter.
func (r *customerResolver) Consents(ctx context.Context, obj *model.Customer, status []model.ConsentStatus, first *int, after *string) (*model.ConsentConnection, error) {
	b, err := relay.Resolve(relay.Args{First: first, After: after}, consentScope(obj.ProductID, status))
	if err != nil {
		return nil, err
	}
	rows, err := portfolio.Consents(ctx, obj, status)
	if err != nil {
		return nil, err
	}
	start, end, w := b.Slice(len(rows))
	page := w.Page(consentScope(obj.ProductID, status), end-start)
	conn := &model.ConsentConnection{Edges: make([]*model.ConsentEdge, end-start), PageInfo: page.Info, TotalCount: page.TotalCount}
	for i, row := range rows[start:end] {
		conn.Edges[i] = &model.ConsentEdge{Cursor: page.Cursors[i], Node: model.ConsentFromFinpro(row)}
	}
	return conn, nil
}

// consentScope binds consent cursors to a product and a status filter (in a
// canonical order, so [ACTIVE, PAUSED] and [PAUSED, ACTIVE] share cursors).
func consentScope(productID string, status []model.ConsentStatus) string {
	s := make([]string, len(status))
	for i, st := range status {
		s[i] = string(st)
	}
	slices.Sort(s)
	return "consents:" + productID + ":" + strings.Join(slices.Compact(s), ",")
}

// Accounts lists the unique accounts of the customer's ACTIVE consents.
func (r *customerResolver) Accounts(ctx context.Context, obj *model.Customer) ([]fitype.Account, error) {
	return portfolio.Accounts(ctx, r.plugins, obj)
}

// Account finds one of the customer's accounts by global ID (the same consent
// list call as accounts).
func (r *customerResolver) Account(ctx context.Context, obj *model.Customer, id string) (fitype.Account, error) {
	if _, err := relay.DecodeID("id", id, nil); err != nil {
		return nil, err
	}
	accounts, err := portfolio.Accounts(ctx, r.plugins, obj)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.Base().ID() == id {
			return a, nil
		}
	}
	return nil, errNotFound()
}

// TotalBalance sums the unique accounts' balances per currency, exactly
// (portfolio.TotalBalance: one getfibalance per ACTIVE consent, never
// partial: extensions.missingAccounts names the accounts it could not read).
func (r *customerResolver) TotalBalance(ctx context.Context, obj *model.Customer) ([]*model.Money, error) {
	accounts, err := portfolio.Accounts(ctx, r.plugins, obj)
	if err != nil {
		return nil, err
	}
	return portfolio.TotalBalance(ctx, accounts)
}

// Insights resolves Customer.insights: the analytics of the customer's
// DEPOSIT accounts (the unique accounts of its ACTIVE consents), one entry
// per currency (portfolio.Insights: each consent's getallfidata once,
// shared with the accounts' own insights; never partial:
// extensions.missingAccounts names the accounts it could not read).
func (r *customerResolver) Insights(ctx context.Context, obj *model.Customer, from, to *model.Date) ([]*fitype.CustomerInsights, error) {
	rng, err := fitype.InsightsRange(from, to, time.Now())
	if err != nil {
		return nil, err
	}
	accounts, err := portfolio.Accounts(ctx, r.plugins, obj)
	if err != nil {
		return nil, err
	}
	return portfolio.Insights(ctx, accounts, rng)
}

// NetWorth resolves Customer.netWorth: the unique accounts of the ACTIVE
// consents (Customer.accounts), each valued by its ReBIT schema and summed
// exactly per currency and asset class (portfolio.NetWorth). A consent whose
// data cannot be read leaves its accounts in missing with the cause; the
// others are unaffected. It fails only when the consent list cannot be read.
func (r *customerResolver) NetWorth(ctx context.Context, obj *model.Customer) (*fitype.NetWorth, error) {
	accounts, err := portfolio.Accounts(ctx, r.plugins, obj)
	if err != nil {
		return nil, err
	}
	return portfolio.NetWorth(ctx, accounts), nil
}

// customerFor validates a customer query's arguments and authorizes p for it.
func customerFor(p auth.Principal, mobile, productID string) (*model.Customer, error) {
	if err := args.Mobile("mobileNumber", mobile); err != nil {
		return nil, err
	}
	if err := args.ID("productID", productID); err != nil {
		return nil, err
	}
	if err := authorizeCustomer(p, mobile, productID); err != nil {
		return nil, err
	}
	return &model.Customer{MobileNumber: mobile, ProductID: productID}, nil
}
