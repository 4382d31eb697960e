package fitype

import (
	"errors"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/networth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// NetWorth is the GraphQL NetWorth type (Customer.netWorth). It and
// MissingAccount live here, beside Account, because they hold accounts:
// graph/model cannot import this package.
type NetWorth struct {
	Currencies []*model.CurrencyNetWorth
	Missing    []*MissingAccount
	Complete   bool
}

// MissingAccount is the GraphQL MissingAccount type: an account left out of
// the net worth and why.
type MissingAccount struct {
	Account    Account
	AssetClass model.AssetClass
	Reason     model.MissingReason
}

// The reasons rebit.Valuation.Missing holds, and the ones added here.
const (
	reasonNotInData   = "not in data"
	reasonNotReady    = "data not ready"
	reasonFetchFailed = "fetch failed"
)

// MissingCause is the reason of an account whose data did not arrive.
func MissingCause(err error) string {
	switch {
	case err == nil:
		return reasonNotInData // FinPro's answer does not list the account
	case errors.Is(err, finpro.ErrNotReady):
		return reasonNotReady
	}
	return reasonFetchFailed
}

var missingReasons = map[string]model.MissingReason{
	reasonNotInData:    model.MissingReasonNotInData,
	reasonNotReady:     model.MissingReasonDataNotReady,
	reasonFetchFailed:  model.MissingReasonFetchFailed,
	"no summary":       model.MissingReasonNoSummary,
	"no current value": model.MissingReasonNoCurrentValue,
	"not valued":       model.MissingReasonNotValued,
	"duplicate":        model.MissingReasonDuplicate,
}

// NetWorthFrom converts networth.Sum's net worth, naming each missing account by
// its link reference (byLink). The net worth is complete unless a value the
// data should have given is missing (an account not valued by design, or a
// duplicate plan, leaves it complete).
func NetWorthFrom(nw networth.NetWorth, byLink map[string]Account) *NetWorth {
	out := &NetWorth{
		Currencies: make([]*model.CurrencyNetWorth, len(nw.Currencies)),
		Missing:    make([]*MissingAccount, 0, len(nw.Missing)),
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
		out.Missing = append(out.Missing, &MissingAccount{
			Account: byLink[m.LinkReferenceNumber], AssetClass: assetClass(m.Class), Reason: reason,
		})
	}
	return out
}

func assetClass(c rebit.AssetClass) model.AssetClass {
	v, _ := model.EnumOf(string(c), model.AssetClassUnknown)
	return v
}
