package resolvers

import (
	"context"
	"errors"
	"sync"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// NetWorth resolves Customer.netWorth: the unique accounts of the ACTIVE
// consents (Customer.accounts), each valued by its ReBIT schema
// (fi.Data.Valuation) from its consent's getallfidata, summed exactly per
// currency and asset class (fi.Sum). A consent whose data cannot be read
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
	values := make([]fi.AccountValue, len(accounts))
	byLink := make(map[string]fitype.Account, len(accounts))
	for i, a := range accounts {
		linked := a.Base().Linked()
		byLink[linked.LinkReferenceNumber] = a
		v := fi.AccountValue{LinkReferenceNumber: linked.LinkReferenceNumber, FIType: linked.FIType}
		switch d := data[i].(type) {
		case nil:
			v.Valuation = fi.Valuation{Class: fi.ClassOf(linked.FIType), Missing: missingCause(errs[i])}
		case *fi.SIP:
			v.Valuation, _ = d.ValuationWithout(held)
		default:
			v.Valuation = d.Valuation()
		}
		values[i] = v
	}
	return netWorthFrom(fi.Sum(values), byLink), nil
}

// fundHoldings collects the folio and ISIN of every MUTUAL_FUNDS holding, so
// a SIP's plans are not counted twice.
func fundHoldings(data []fi.Data) map[fi.FolioISIN]bool {
	var funds []*fi.MutualFunds
	for _, d := range data {
		if mf, ok := d.(*fi.MutualFunds); ok {
			funds = append(funds, mf)
		}
	}
	return fi.FundHoldings(funds...)
}

// missingCause is the reason of an account whose data did not arrive.
func missingCause(err error) string {
	switch {
	case err == nil:
		return reasonNotInData // FinPro's answer does not list the account
	case errors.Is(err, finpro.ErrNotReady):
		return reasonNotReady
	}
	return reasonFetchFailed
}

// The reasons fi.Valuation.Missing holds, and the ones added here.
const (
	reasonNotInData   = "not in data"
	reasonNotReady    = "data not ready"
	reasonFetchFailed = "fetch failed"
)

var missingReasons = map[string]model.MissingReason{
	reasonNotInData:    model.MissingReasonNotInData,
	reasonNotReady:     model.MissingReasonDataNotReady,
	reasonFetchFailed:  model.MissingReasonFetchFailed,
	"no summary":       model.MissingReasonNoSummary,
	"no current value": model.MissingReasonNoCurrentValue,
	"not valued":       model.MissingReasonNotValued,
	"duplicate":        model.MissingReasonDuplicate,
}

func netWorthFrom(nw fi.NetWorth, byLink map[string]fitype.Account) *fitype.NetWorth {
	out := &fitype.NetWorth{
		Currencies: make([]*model.CurrencyNetWorth, len(nw.Currencies)),
		Missing:    make([]*fitype.MissingAccount, 0, len(nw.Missing)),
		Complete:   true,
	}
	for i, c := range nw.Currencies {
		cur := &model.CurrencyNetWorth{Currency: c.Currency, Total: model.Decimal(c.Total), AssetClasses: make([]*model.AssetClassTotal, len(c.Classes))}
		for j, k := range c.Classes {
			cur.AssetClasses[j] = &model.AssetClassTotal{
				AssetClass: assetClass(k.Class), Total: model.Decimal(k.Total),
				Invested: model.DecimalPtr(k.Invested), Accounts: k.Accounts,
			}
		}
		out.Currencies[i] = cur
	}
	for _, m := range nw.Missing {
		reason, ok := missingReasons[m.Reason]
		if !ok {
			reason = model.MissingReasonUnknown
		}
		if reason != model.MissingReasonNotValued && reason != model.MissingReasonDuplicate {
			out.Complete = false // a value the data should have given is not there
		}
		out.Missing = append(out.Missing, &fitype.MissingAccount{
			Account: byLink[m.LinkReferenceNumber], AssetClass: assetClass(m.Class), Reason: reason,
		})
	}
	return out
}

func assetClass(c fi.AssetClass) model.AssetClass {
	v, _ := model.EnumOf(string(c), model.AssetClassUnknown)
	return v
}
