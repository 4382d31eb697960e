// Package portfolio is a customer's holdings as the Customer fields see
// them: its consents of one product (one consent list call per operation,
// whatever the filter), the unique accounts of its ACTIVE consents, and what
// is summed over them: the total balance, the insights of its deposit
// accounts and its net worth. Each sum reads every account in parallel
// through the operation's loaders, which share one FinPro call per consent
// with the accounts' own fields.
package portfolio

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	fifunds "github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/networth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/insights"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// Consents returns the customer's consents of its product in one of the
// statuses (all when none), in FinPro's order: one consent list call per
// operation, whatever the filter.
func Consents(ctx context.Context, c *model.Customer, status []model.ConsentStatus) ([]finpro.Consent, error) {
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

// Accounts returns the unique accounts (by link reference number) of the
// customer's ACTIVE consents, each under the first consent that lists it,
// as its FI type's plugin gives it.
func Accounts(ctx context.Context, plugins *fitype.Registry, c *model.Customer) ([]fitype.Account, error) {
	rows, err := Consents(ctx, c, []model.ConsentStatus{model.ConsentStatusActive})
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
			out = append(out, plugins.Account(con, la))
		}
	}
	return out, nil
}

// readAll reads every account in parallel. It is never partial: if any
// account cannot be read it fails with the first cause, wrapped as what,
// and extensions.missingAccounts (the accounts' ids).
func readAll[T any](accounts []fitype.Account, what string, read func(fitype.Account) (T, error)) ([]T, error) {
	out := make([]T, len(accounts))
	errs := make([]error, len(accounts))
	var wg sync.WaitGroup
	for i, a := range accounts {
		wg.Go(func() { out[i], errs[i] = read(a) })
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
		return nil, apierr.WithExtensions(fmt.Errorf("%s: %w", what, cause), map[string]any{"missingAccounts": missing})
	}
	return out, nil
}

// TotalBalance sums the accounts' balances per currency, exactly: one
// getfibalance per consent, in parallel, shared with the accounts' balance
// fields. It is never partial (see readAll).
func TotalBalance(ctx context.Context, accounts []fitype.Account) ([]*model.Money, error) {
	balances, err := readAll(accounts, "total balance", func(a fitype.Account) (*finpro.Balance, error) {
		base := a.Base()
		return loaders.Balance(ctx, base.ConsentRef(), base.LinkReferenceNumber())
	})
	if err != nil {
		return nil, err
	}
	return model.SumBalances(balances)
}

// Insights is the analytics of the DEPOSIT accounts among accounts, one
// entry per currency, over rng: every account's history is read in
// parallel, one getallfidata per consent, shared with the accounts' own
// insights. It is never partial (see readAll).
func Insights(ctx context.Context, all []fitype.Account, rng insights.Range) ([]*fitype.CustomerInsights, error) {
	var accounts []fitype.Account
	for _, a := range all {
		if a.Base().Linked().FIType == finpro.FITypeDeposit {
			accounts = append(accounts, a)
		}
	}
	type part struct {
		part     fitype.InsightsPart
		currency string
	}
	parts, err := readAll(accounts, "customer insights", func(a fitype.Account) (part, error) {
		p, c, err := a.Base().InsightsPart(ctx, rng)
		return part{p, c}, err
	})
	if err != nil {
		return nil, err
	}
	byCurrency := map[string][]fitype.InsightsPart{}
	for _, p := range parts {
		byCurrency[p.currency] = append(byCurrency[p.currency], p.part)
	}
	out := make([]*fitype.CustomerInsights, 0, len(byCurrency))
	for _, c := range slices.Sorted(maps.Keys(byCurrency)) {
		out = append(out, fitype.NewCustomerInsights(rng, c, byCurrency[c]))
	}
	return out, nil
}

// NetWorth values each account by its ReBIT schema (fi.Data.Valuation) from
// its consent's getallfidata, summed exactly per currency and asset class
// (networth.Sum). A consent whose data cannot be read leaves its accounts in
// missing with the cause; the others are unaffected.
func NetWorth(ctx context.Context, accounts []fitype.Account) *fitype.NetWorth {
	data := make([]fi.Data, len(accounts))
	errs := make([]error, len(accounts))
	var wg sync.WaitGroup
	for i, a := range accounts {
		wg.Go(func() { data[i], errs[i] = a.Base().Decoded(ctx) }) // one call per consent: the loader shares it
	}
	wg.Wait()

	held := fundHoldings(data)
	values := make([]networth.AccountValue, len(accounts))
	byLink := make(map[string]fitype.Account, len(accounts))
	for i, a := range accounts {
		linked := a.Base().Linked()
		byLink[linked.LinkReferenceNumber] = a
		v := networth.AccountValue{LinkReferenceNumber: linked.LinkReferenceNumber, FIType: linked.FIType}
		switch d := data[i].(type) {
		case nil:
			v.Valuation = rebit.Valuation{Class: networth.ClassOf(linked.FIType), Missing: fitype.MissingCause(errs[i])}
		case *fifunds.SIP:
			v.Valuation, _ = d.ValuationWithout(held)
		default:
			v.Valuation = d.Valuation()
		}
		values[i] = v
	}
	return fitype.NetWorthFrom(networth.Sum(values), byLink)
}

// fundHoldings collects the folio and ISIN of every MUTUAL_FUNDS holding, so
// a SIP's plans are not counted twice.
func fundHoldings(data []fi.Data) map[fifunds.FolioISIN]bool {
	var funds []*fifunds.MutualFunds
	for _, d := range data {
		if mf, ok := d.(*fifunds.MutualFunds); ok {
			funds = append(funds, mf)
		}
	}
	return fifunds.FundHoldings(funds...)
}
