package resolvers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
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
	rows, err := customerConsents(ctx, obj, status)
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

// customerConsents returns the customer's consents of its product in one of
// the statuses (all when none), in FinPro's order: one consent list call per
// operation, whatever the filter.
func customerConsents(ctx context.Context, c *model.Customer, status []model.ConsentStatus) ([]finpro.Consent, error) {
	page, err := loaders.Consents(ctx, loaders.ConsentsKey{MobileNumber: c.MobileNumber, ProductID: c.ProductID})
	if err != nil {
		return nil, err
	}
	var out []finpro.Consent
	for _, row := range page.Consents {
		if model.KeepConsent(row, c.ProductID, status) {
			out = append(out, row)
		}
	}
	return out, nil
}

// Accounts lists the unique accounts of the customer's ACTIVE consents.
func (r *customerResolver) Accounts(ctx context.Context, obj *model.Customer) ([]fitype.Account, error) {
	return r.customerAccounts(ctx, obj)
}

// Account finds one of the customer's accounts by global ID (the same consent
// list call as accounts).
func (r *customerResolver) Account(ctx context.Context, obj *model.Customer, id string) (fitype.Account, error) {
	if _, err := relay.DecodeID("id", id, nil); err != nil {
		return nil, err
	}
	accounts, err := r.customerAccounts(ctx, obj)
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

// TotalBalance sums the unique accounts' balances per currency, exactly: one
// getfibalance per ACTIVE consent, in parallel, shared with the accounts'
// balance fields. It is never partial: if any balance cannot be read it fails
// with that cause and extensions.missingAccounts (the accounts' ids).
func (r *customerResolver) TotalBalance(ctx context.Context, obj *model.Customer) ([]*model.Money, error) {
	accounts, err := r.customerAccounts(ctx, obj)
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
	var (
		missing []string
		cause   error
	)
	for i, err := range errs {
		if err != nil {
			missing = append(missing, accounts[i].Base().ID())
			if cause == nil {
				cause = err
			}
		}
	}
	if cause != nil {
		return nil, apierr.WithExtensions(fmt.Errorf("total balance: %w", cause), map[string]any{"missingAccounts": missing})
	}
	return model.SumBalances(balances)
}

// customerAccounts returns the unique accounts (by link reference number) of
// the customer's ACTIVE consents, each under the first consent that lists it.
func (r *Resolver) customerAccounts(ctx context.Context, c *model.Customer) ([]fitype.Account, error) {
	rows, err := customerConsents(ctx, c, []model.ConsentStatus{model.ConsentStatusActive})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	out := []fitype.Account{}
	for _, row := range rows {
		if row.ConsentID == "" {
			continue // no data can be read without one
		}
		con := model.ConsentFromFinpro(row)
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

// customerFor validates a customer query's arguments and authorizes it.
func customerFor(ctx context.Context, mobile, productID string) (*model.Customer, error) {
	if err := args.Mobile("mobileNumber", mobile); err != nil {
		return nil, err
	}
	if err := args.ID("productID", productID); err != nil {
		return nil, err
	}
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return nil, unauthenticated()
	}
	if err := authorizeCustomer(p, mobile, productID); err != nil {
		return nil, err
	}
	return &model.Customer{MobileNumber: mobile, ProductID: productID}, nil
}
