package resolvers

import (
	"context"
	"sync"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	fifunds "github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/networth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// NetWorth resolves Customer.netWorth: the unique accounts of the ACTIVE
// consents (Customer.accounts), each valued by its ReBIT schema
// (fi.Data.Valuation) from its consent's getallfidata, summed exactly per
// currency and asset class (networth.Sum). A consent whose data cannot be read
// leaves its accounts in missing with the cause; the others are unaffected.
// It fails only when the consent list cannot be read.
func (r *customerResolver) NetWorth(ctx context.Context, obj *model.Customer) (*fitype.NetWorth, error) {
	accounts, err := r.customerAccounts(ctx, obj)
	if err != nil {
		return nil, err
	}
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
	return fitype.NetWorthFrom(networth.Sum(values), byLink), nil
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
