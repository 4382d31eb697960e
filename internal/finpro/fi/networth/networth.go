// Package networth adds the accounts' valuations ([rebit.Valuation], from
// each decoded account's Valuation method) into a customer's net worth:
// exact apd sums per currency and asset class, never converted between
// currencies, with the accounts that have no value listed, not guessed.
package networth

import (
	"cmp"
	"slices"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// AccountValue is one account's input to NetWorth.
type AccountValue struct {
	LinkReferenceNumber string
	FIType              finpro.FIType
	// Valuation is the account's fi.Data Valuation(). For an account whose data
	// could not be fetched, set Class from ClassOf and Missing to the reason.
	Valuation rebit.Valuation
}

// NetWorth is the sum of a customer's accounts, exact, per currency and per
// asset class. Accounts without a value are listed in Missing, not guessed.
type NetWorth struct {
	// Currencies are sorted by currency code.
	Currencies []CurrencyTotal
	// Missing are the accounts left out, in input order.
	Missing []MissingAccount
}

// CurrencyTotal is the net worth in one currency.
type CurrencyTotal struct {
	Currency string
	Total    rebit.Decimal
	// Classes are sorted by asset class.
	Classes []ClassTotal
}

// ClassTotal is one asset class's share of a currency total.
type ClassTotal struct {
	Class rebit.AssetClass
	Total rebit.Decimal
	// Invested is the sum of the accounts' Valuation.Invested when every one
	// of them has one, else "".
	Invested rebit.Decimal
	Accounts int
}

// MissingAccount is an account NetWorth could not value.
type MissingAccount struct {
	LinkReferenceNumber string
	FIType              finpro.FIType
	Class               rebit.AssetClass
	Reason              string
}

// ClassOf returns the asset class of an FI type (OTHER for unknown types).
func ClassOf(t finpro.FIType) rebit.AssetClass {
	switch t {
	case fi.TypeDeposit:
		return rebit.AssetCash
	case fi.TypeTermDeposit, fi.TypeRecurringDeposit:
		return rebit.AssetDeposits
	case fi.TypeEquities, fi.TypeETF, fi.TypeIDR:
		return rebit.AssetEquity
	case fi.TypeMutualFunds, fi.TypeSIP, fi.TypeCIS:
		return rebit.AssetMutualFunds
	case fi.TypeBonds, fi.TypeDebentures, fi.TypeGovtSecurities, fi.TypeCP:
		return rebit.AssetFixedIncome
	case fi.TypeAIF, fi.TypeInvIT, fi.TypeREIT:
		return rebit.AssetAlternative
	case fi.TypeNPS:
		return rebit.AssetPension
	case fi.TypeInsurancePolicies, fi.TypeLifeInsurance, fi.TypeGeneralInsurance:
		return rebit.AssetInsurance
	}
	return rebit.AssetOther
}

// Sum adds the accounts' values exactly (apd, no rounding). A negative value
// (an overdrawn deposit) reduces its currency's total. Values are never
// converted between currencies.
func Sum(accounts []AccountValue) NetWorth {
	type key struct {
		cur   string
		class rebit.AssetClass
	}
	totals := map[key]*apd.Decimal{}
	invested := map[key]*apd.Decimal{} // nil once an account of the key has none
	counts := map[key]int{}
	var nw NetWorth
	for _, a := range accounts {
		v := a.Valuation
		d, ok := calc.ToApd(v.Value)
		if !ok {
			reason := v.Missing
			if reason == "" {
				reason = "no current value"
			}
			class := v.Class
			if class == "" {
				class = ClassOf(a.FIType)
			}
			nw.Missing = append(nw.Missing, MissingAccount{a.LinkReferenceNumber, a.FIType, class, reason})
			continue
		}
		k := key{cmp.Or(v.Currency, wire.DefaultCurrency), cmp.Or(v.Class, ClassOf(a.FIType))}
		if totals[k] == nil {
			totals[k] = apd.New(0, 0)
			invested[k] = apd.New(0, 0)
		}
		calc.Ctx.
			Add(totals[k], totals[k], d)
		if inv, ok := calc.ToApd(v.Invested); ok && invested[k] != nil {
			calc.Ctx.
				Add(invested[k], invested[k], inv)
		} else {
			invested[k] = nil
		}
		counts[k]++
	}
	byCur := map[string]*CurrencyTotal{}
	for k, t := range totals {
		ct := byCur[k.cur]
		if ct == nil {
			ct = &CurrencyTotal{Currency: k.cur}
			byCur[k.cur] = ct
		}
		c := ClassTotal{Class: k.class, Total: calc.FromApd(t), Accounts: counts[k]}
		if inv := invested[k]; inv != nil {
			c.Invested = calc.FromApd(inv)
		}
		ct.Classes = append(ct.Classes, c)
	}
	for _, ct := range byCur {
		slices.SortFunc(ct.Classes, func(a, b ClassTotal) int { return cmp.Compare(a.Class, b.Class) })
		parts := make([]rebit.Decimal, len(ct.Classes))
		for i, c := range ct.Classes {
			parts[i] = c.Total
		}
		ct.Total, _ = calc.Sum(parts...)
		nw.Currencies = append(nw.Currencies, *ct)
	}
	slices.SortFunc(nw.Currencies, func(a, b CurrencyTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return nw
}
