package resolvers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/journey"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	fpjourney "github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// RequestConsent creates a consent request (never retried upstream) and
// returns the new PENDING consent and, when return addresses are configured,
// the AA page to send the customer to (FinPro /v3/requestconsent).
func (r *mutationResolver) RequestConsent(ctx context.Context, in model.RequestConsentInput) (*model.RequestConsentPayload, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := customerFor(p, in.MobileNumber, in.ProductID); err != nil {
		return nil, err
	}
	page, err := journey.PageArgs(r.returns, in.RedirectURL, in.FipIDs, in.Pan)
	if err != nil {
		return nil, err
	}
	ref, err := journey.AccountRef(in.AccountID)
	if err != nil {
		return nil, err
	}
	req := journey.ConsentRequest(in.MobileNumber, in.ProductID, ref)
	var handle, redirect string
	var status finpro.ConsentStatus
	if page.Redirect == "" {
		h, err := r.finpro.RequestConsent(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("request consent for product %s: %w", in.ProductID, err)
		}
		handle, status = h.Handle, h.Status
	} else {
		h, err := r.finpro.RequestConsentV3(ctx, finpro.ConsentRequestV3{
			ConsentRequest: req, FIPIDs: page.FIPIDs, RedirectURL: page.Redirect, PAN: page.PAN,
		})
		if err != nil {
			return nil, fmt.Errorf("request consent for product %s: %w", in.ProductID, err)
		}
		handle, status, redirect = h.Handle, h.Status, h.RedirectURL
	}
	r.live.Remember(ctx, in.MobileNumber, handle)
	return &model.RequestConsentPayload{
		Consent:          journey.RequestedConsent(req, handle, status),
		ConsentHandle:    handle,
		RedirectURL:      model.StringPtr(redirect),
		ClientMutationID: in.ClientMutationID,
	}, nil
}

// CreateConsentRedirect answers the AA page for PENDING consents of one
// customer (getEncryptedUrl, never retried).
func (r *mutationResolver) CreateConsentRedirect(ctx context.Context, in model.CreateConsentRedirectInput) (*model.CreateConsentRedirectPayload, error) {
	refs, err := journey.ConsentRefs(in.Ids, in.ConsentHandles)
	if err != nil {
		return nil, err
	}
	if r.returns.Empty() {
		return nil, apierr.BadInput("no return address is configured (CONSENT_REDIRECT_URLS)")
	}
	page, err := journey.PageArgs(r.returns, in.RedirectURL, in.FipIDs, in.Pan)
	if err != nil {
		return nil, err
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := placeConsents(ctx, p, refs, in.ProductID)
	if err != nil {
		return nil, err
	}
	req := fpjourney.RedirectRequest{RedirectURL: page.Redirect, FIPIDs: page.FIPIDs, PAN: page.PAN}
	owner := ""
	for i, c := range cs {
		if c.Status != model.ConsentStatusPending || c.ConsentHandle == nil {
			return nil, inactive(c)
		}
		m, _ := mobile.FromVUA(deref(c.Vua))
		if i > 0 && m != owner {
			return nil, apierr.BadInput("the consents are not all one customer's")
		}
		owner = m
		req.ConsentHandles = append(req.ConsentHandles, *c.ConsentHandle)
	}
	if len(cs) > 0 {
		req.VUA = deref(cs[0].Vua)
	}
	u, err := fpjourney.RedirectURL(ctx, r.finpro, req)
	if err != nil {
		return nil, fmt.Errorf("consent redirect: %w", err)
	}
	return &model.CreateConsentRedirectPayload{Consents: cs, RedirectURL: u, ClientMutationID: in.ClientMutationID}, nil
}

// placeConsents places every reference (one lookup call per kind of
// reference) and fails with the first that cannot be placed.
func placeConsents(ctx context.Context, p auth.Principal, refs []loaders.ConsentRef, productID *string) ([]*model.Consent, error) {
	loaders.PrimeConsents(ctx, refs)
	out := make([]*model.Consent, 0, len(refs))
	seen := map[string]bool{}
	for _, ref := range refs {
		c, err := placeConsent(ctx, p, ref, productID)
		if err != nil {
			return nil, err
		}
		if !seen[c.Ref] {
			seen[c.Ref] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// CompleteConsentRedirect opens the AA's answer on the return address
// (decryptUrl) and answers what the customer did, with the journey's
// consents as FinPro lists them now, each placed as on the customer path.
func (r *mutationResolver) CompleteConsentRedirect(ctx context.Context, in model.CompleteConsentRedirectInput) (*model.CompleteConsentRedirectPayload, error) {
	if in.ProductID != nil {
		if err := args.ID("productID", *in.ProductID); err != nil {
			return nil, err
		}
	}
	u, err := r.returns.Allowed(in.ReturnURL)
	if err != nil {
		return nil, apierr.BadInput("returnURL is not one of the configured return addresses (CONSENT_REDIRECT_URLS) or below one")
	}
	ret, err := fpjourney.ParseRedirectReturn(u.Query())
	if err != nil {
		return nil, apierr.BadInput("returnURL carries no Account Aggregator answer (ecres, resdate, fi)")
	}
	o, err := fpjourney.DecryptRedirect(ctx, r.finpro, ret)
	if errors.Is(err, finpro.ErrInvalidRequest) {
		return nil, &apierr.Error{Code: apierr.BadUserInput, Message: "the Account Aggregator's answer could not be opened (tampered with, or too old)", Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("complete consent redirect: %w", err)
	}
	refs, ok := journey.ReturnedRefs(o)
	if !ok {
		return nil, errNotFound()
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := placeConsents(ctx, p, refs, in.ProductID)
	if err != nil {
		return nil, err
	}
	out := &model.CompleteConsentRedirectPayload{Consents: cs, ClientMutationID: in.ClientMutationID}
	out.Outcome, out.ErrorCode = journey.Outcome(o)
	if len(cs) > 0 {
		out.Consent = cs[0]
	}
	return out, nil
}

// Consent resolves Query.consent: a consent by handle, placed.
func (r *queryResolver) Consent(ctx context.Context, consentHandle string, productID *string) (*model.Consent, error) {
	if err := args.ID("consentHandle", consentHandle); err != nil {
		return nil, err
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return placeConsent(ctx, p, loaders.ConsentRef{Handle: consentHandle}, productID)
}

// AccountAggregators resolves Query.accountAggregators.
func (r *queryResolver) AccountAggregators(ctx context.Context) ([]*model.AccountAggregator, error) {
	as, err := fpjourney.AccountAggregators(ctx, r.finpro)
	if err != nil {
		return nil, fmt.Errorf("account aggregators: %w", err)
	}
	return journey.AccountAggregators(as), nil
}

// Products resolves Query.products: FinPro's products the caller's token may
// use (a token limited to products sees only those).
func (r *queryResolver) Products(ctx context.Context, productID *string) ([]*model.Product, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id := ""
	if productID != nil {
		if err := args.ID("productID", *productID); err != nil {
			return nil, err
		}
		if !p.AllowsProduct(*productID) {
			return nil, notAllowed()
		}
		id = *productID
	}
	ps, err := fpjourney.Products(ctx, r.finpro, id)
	if err != nil {
		return nil, fmt.Errorf("products: %w", err)
	}
	out := make([]*model.Product, 0, len(ps))
	for _, fp := range ps {
		if fp.ID == "" || !p.AllowsProduct(fp.ID) || (id != "" && fp.ID != id) {
			continue
		}
		out = append(out, model.ProductFromFinpro(fp))
	}
	return out, nil
}

// DataStatus resolves Consent.dataStatus: the consent's latest fetch (one
// call per consent per operation). A consent without a consent ID has none.
func (r *consentResolver) DataStatus(ctx context.Context, obj *model.Consent) (*model.DataStatus, error) {
	if obj.FinproID() == "" {
		return nil, nil
	}
	s, err := loaders.FIStatus(ctx, loaders.FIStatusKey{ConsentID: obj.FinproID()})
	if err != nil {
		return nil, err
	}
	return model.DataStatusFromFinpro(s, obj, time.Now()), nil
}

// DataStatus resolves RequestDataPayload.dataStatus: the session's state.
func (r *requestDataPayloadResolver) DataStatus(ctx context.Context, obj *model.RequestDataPayload) (*model.DataStatus, error) {
	s, err := loaders.FIStatus(ctx, loaders.FIStatusKey{ConsentID: obj.Consent.FinproID(), SessionID: obj.SessionID})
	if err != nil {
		return nil, err
	}
	return model.DataStatusFromFinpro(s, obj.Consent, time.Now()), nil
}

// Account resolves AccountDataStatus.account: the account as read through
// its consent, null when the consent does not list it.
func (r *accountDataStatusResolver) Account(ctx context.Context, obj *model.AccountDataStatus) (fitype.Account, error) {
	c := obj.Consent
	if c == nil && obj.ConsentHandle != "" {
		p, err := principal(ctx)
		if err != nil {
			return nil, err
		}
		if c, err = placeConsent(ctx, p, loaders.ConsentRef{Handle: obj.ConsentHandle}, &obj.ProductID); err != nil {
			return nil, err
		}
	}
	if c == nil {
		return nil, nil
	}
	return r.linkedAccount(c, obj.LinkReferenceNumber), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type (
	requestDataPayloadResolver struct{ *Resolver }
	accountDataStatusResolver  struct{ *Resolver }
)
