package finpro

import (
	"context"
	"slices"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/consents"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// MaxConsentLookup is the most consents one ConsentsByRef call asks for.
const MaxConsentLookup = 100

// ConsentLookup asks /v3/getconsentslist for consents by handle or by
// consent ID (its modes 2 and 3: they cannot be combined).
type ConsentLookup struct {
	Handles    []string
	ConsentIDs []string
}

type consentLookupBody struct {
	ConsentHandle []string `json:"consentHandle,omitempty"`
	ConsentID     []string `json:"consentID,omitempty"`
}

// ConsentsByRef returns the consents with the given handles or consent IDs,
// whatever their customer and product (an idempotent read). It is how a
// consent known only by reference is placed: its row names its product and
// VUA. A reference FinPro does not know is simply absent from the result.
func (c *Client) ConsentsByRef(ctx context.Context, q ConsentLookup) ([]Consent, error) {
	ep := paths.ConsentsV3
	refs, body := q.Handles, consentLookupBody{ConsentHandle: q.Handles}
	name := "consentHandle"
	if len(q.ConsentIDs) > 0 {
		refs, body, name = q.ConsentIDs, consentLookupBody{ConsentID: q.ConsentIDs}, "consentID"
	}
	switch {
	case len(q.Handles) > 0 && len(q.ConsentIDs) > 0:
		return nil, transport.Invalid(ep, "handles and consent IDs cannot be combined")
	case len(refs) == 0:
		return nil, transport.Invalid(ep, "no consent to look up")
	case len(refs) > MaxConsentLookup:
		return nil, transport.Invalid(ep, "too many consents to look up")
	}
	for _, r := range refs {
		if err := check.ID(ep, name, r); err != nil {
			return nil, err
		}
	}
	env, err := call[wire.OneOrMany[consents.Wire]](ctx, c, ep, "", body)
	if err != nil {
		return nil, err
	}
	out := make([]Consent, 0, len(env.Data))
	for i := range env.Data {
		con := env.Data[i].Consent()
		// Keep only what was asked for: a lookup never widens.
		ref := con.ConsentHandle
		if len(q.ConsentIDs) > 0 {
			ref = con.ConsentID
		}
		if slices.Contains(refs, ref) {
			out = append(out, con)
		}
	}
	return out, nil
}
