package resolvers

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Insights resolves Customer.insights: the analytics of the customer's
// DEPOSIT accounts (the unique accounts of its ACTIVE consents), one entry
// per currency. Every account's history is read in parallel; the loader
// gives each consent one getallfidata, shared with the accounts' own
// insights. It is never partial: if any account's history cannot be read it
// fails with that cause and extensions.missingAccounts (the accounts' ids).
func (r *customerResolver) Insights(ctx context.Context, obj *model.Customer, from, to *model.Date) ([]*fitype.CustomerInsights, error) {
	rng, err := fitype.InsightsRange(from, to, time.Now())
	if err != nil {
		return nil, err
	}
	all, err := r.customerAccounts(ctx, obj)
	if err != nil {
		return nil, err
	}
	var accounts []fitype.Account
	for _, a := range all {
		if a.Base().Linked().FIType == finpro.FITypeDeposit {
			accounts = append(accounts, a)
		}
	}
	parts := make([]fitype.InsightsPart, len(accounts))
	currencies := make([]string, len(accounts))
	errs := make([]error, len(accounts))
	var wg sync.WaitGroup
	for i, a := range accounts {
		wg.Go(func() { parts[i], currencies[i], errs[i] = a.Base().InsightsPart(ctx, rng) })
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
		return nil, apierr.WithExtensions(fmt.Errorf("customer insights: %w", cause), map[string]any{"missingAccounts": missing})
	}
	byCurrency := map[string][]fitype.InsightsPart{}
	for i, c := range currencies {
		byCurrency[c] = append(byCurrency[c], parts[i])
	}
	out := make([]*fitype.CustomerInsights, 0, len(byCurrency))
	for _, c := range slices.Sorted(maps.Keys(byCurrency)) {
		out = append(out, fitype.NewCustomerInsights(rng, c, byCurrency[c]))
	}
	return out, nil
}
