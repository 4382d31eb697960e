package fitype

import "github.com/moneyone-bff/finpro-bff/graph/model"

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
