package finpro

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fidata"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

type balanceRequest struct {
	ConsentID           string `json:"consentID"`
	LinkReferenceNumber string `json:"linkReferenceNumber,omitempty"`
}

// Balances returns the balance of every account under a consent
// (getfibalance without linkReferenceNumber: one call for the whole consent).
func (c *Client) Balances(ctx context.Context, consentID string) ([]Balance, error) {
	if err := check.ID(paths.Balance, "consentID", consentID); err != nil {
		return nil, err
	}
	env, err := call[wire.OneOrMany[fidata.BalanceWire]](ctx, c, paths.Balance, "", balanceRequest{ConsentID: consentID})
	if err != nil {
		return nil, err
	}
	asOf := env.Time()
	out := make([]Balance, len(env.Data))
	for i := range env.Data {
		out[i] = env.Data[i].ToBalance(asOf)
	}
	return out, nil
}

// Balance returns one account's balance (getfibalance with linkReferenceNumber).
// An answer that does not hold the account is ErrNotFound.
func (c *Client) Balance(ctx context.Context, consentID, linkRef string) (*Balance, error) {
	if err := check.ID(paths.Balance, "consentID", consentID); err != nil {
		return nil, err
	}
	if err := check.ID(paths.Balance, "linkReferenceNumber", linkRef); err != nil {
		return nil, err
	}
	env, err := call[wire.OneOrMany[fidata.BalanceWire]](ctx, c, paths.Balance, "", balanceRequest{ConsentID: consentID, LinkReferenceNumber: linkRef})
	if err != nil {
		return nil, err
	}
	for i := range env.Data {
		w := &env.Data[i]
		ref := wire.FirstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber)
		if ref == linkRef || (ref == "" && len(env.Data) == 1) {
			b := w.ToBalance(env.Time())
			b.LinkReferenceNumber = linkRef
			return &b, nil
		}
	}
	return nil, transport.NewError(paths.Balance, 200, ErrNotFound, 0, "account missing from response")
}
