package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// SummaryOf resolves an account type's summary: the consent's getallfidata
// (one call per consent serves every account under it), the account's
// Profile and Summary decoded by its plugin's ReBIT schema (package fi), and
// part of it converted to the GraphQL model M. Nil when FinPro's answer does
// not list the account or sent no Summary.
func SummaryOf[T, S, M any](ctx context.Context, a *AccountBase, part func(*T) *S) (*M, error) {
	d, err := a.summaryData(ctx)
	if err != nil || d == nil {
		return nil, err
	}
	v, ok := any(d).(*T)
	if !ok {
		return nil, nil
	}
	s := part(v)
	if s == nil {
		return nil, nil
	}
	return convert.To[M](s), nil
}

// summaryData decodes the account's Profile and Summary (not its
// transactions, which getallfidata sends too) by the schema of the FI type
// the consent list gives it, so the plugin and the data always agree. Nil
// when FinPro's answer does not list the account.
func (a *AccountBase) summaryData(ctx context.Context) (fi.Data, error) { return a.Decoded(ctx) }

// Decoded returns the account's Profile and Summary decoded by its FI type's
// ReBIT schema from the consent's getallfidata (one call per consent per
// operation, shared with every summary and profile). Nil, nil when FinPro's
// answer does not list the account.
func (a *AccountBase) Decoded(ctx context.Context) (fi.Data, error) {
	acc, err := a.fiAccount(ctx)
	if err != nil || acc == nil {
		return nil, err
	}
	d, _ := fi.DecodeSummary(a.linked.FIType, acc.Raw)
	return d, nil
}
