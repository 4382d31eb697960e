package resolvers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// The consent journey around the dashboard: the customer is sent to the
// Account Aggregator with a consent request, comes back, and the data
// arrives (finpro-upstream.md §1a-§1c). Return addresses come from the
// configured allow-list (internal/returnurl), never from a client as is.

// MaxRedirectConsents is the most consents one AA page asks about.
const MaxRedirectConsents = 10

// maxFIPIDs is the most FIPs one request names.
const maxFIPIDs = 20

var panRE = regexp.MustCompile(`^[A-Z]{5}[0-9]{4}[A-Z]$`)

// journeyInput is what requestConsent and createConsentRedirect take for
// the AA page: the return address, the FIPs and the PAN, checked.
type journeyInput struct {
	redirect string
	fipIDs   []string
	pan      string
}

// journeyArgs checks the AA page's arguments. Without configured return
// addresses there is no page, and asking for one is a bad input.
func (r *Resolver) journeyArgs(redirectURL *string, fipIDs []string, pan *string) (journeyInput, error) {
	var in journeyInput
	if len(fipIDs) > maxFIPIDs {
		return in, apierr.BadInput("fipIDs holds more than %d ids", maxFIPIDs)
	}
	for _, id := range fipIDs {
		if err := args.ID("fipIDs", id); err != nil {
			return in, err
		}
	}
	in.fipIDs = fipIDs
	if pan != nil {
		if !panRE.MatchString(*pan) {
			return in, apierr.BadInput("pan is not a PAN (five letters, four digits, a letter, upper case)")
		}
		in.pan = *pan
	}
	if r.returns.Empty() {
		if redirectURL != nil || len(fipIDs) > 0 || pan != nil {
			return in, apierr.BadInput("no return address is configured (CONSENT_REDIRECT_URLS): redirectURL, fipIDs and pan cannot be used")
		}
		return in, nil
	}
	s := ""
	if redirectURL != nil {
		s = *redirectURL
	}
	u, err := r.returns.Pick(s)
	if err != nil {
		return in, apierr.BadInput("redirectURL is not one of the configured return addresses (CONSENT_REDIRECT_URLS) or below one")
	}
	in.redirect = u
	return in, nil
}

// RequestConsent creates a consent request (never retried upstream) and
// returns the new PENDING consent and, when return addresses are configured,
// the AA page to send the customer to (FinPro /v3/requestconsent).
func (r *mutationResolver) RequestConsent(ctx context.Context, in model.RequestConsentInput) (*model.RequestConsentPayload, error) {
	if _, err := customerFor(ctx, in.MobileNumber, in.ProductID); err != nil {
		return nil, err
	}
	j, err := r.journeyArgs(in.RedirectURL, in.FipIDs, in.Pan)
	if err != nil {
		return nil, err
	}
	ref, err := accountRef(in.AccountID)
	if err != nil {
		return nil, err
	}
	vua := in.MobileNumber + "@onemoney"
	req := finpro.ConsentRequest{
		ProductID:            in.ProductID,
		VUA:                  vua,
		PartyIdentifierType:  "MOBILE",
		PartyIdentifierValue: in.MobileNumber,
		AccountID:            ref,
	}
	var handle, redirect string
	var status finpro.ConsentStatus
	if j.redirect == "" {
		h, err := r.finpro.RequestConsent(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("request consent for product %s: %w", in.ProductID, err)
		}
		handle, status = h.Handle, h.Status
	} else {
		h, err := r.finpro.RequestConsentV3(ctx, finpro.ConsentRequestV3{
			ConsentRequest: req, FIPIDs: j.fipIDs, RedirectURL: j.redirect, PAN: j.pan,
		})
		if err != nil {
			return nil, fmt.Errorf("request consent for product %s: %w", in.ProductID, err)
		}
		handle, status, redirect = h.Handle, h.Status, h.RedirectURL
	}
	r.live.Remember(ctx, in.MobileNumber, handle)
	c := model.ConsentFromFinpro(finpro.Consent{
		ConsentHandle: handle, Status: status, ProductID: in.ProductID, AccountID: ref, VUA: vua,
	})
	if c.Status == model.ConsentStatusUnknown {
		c.Status = model.ConsentStatusPending
	}
	return &model.RequestConsentPayload{
		Consent:          c,
		ConsentHandle:    handle,
		RedirectURL:      model.StringPtr(redirect),
		ClientMutationID: in.ClientMutationID,
	}, nil
}

// accountRef is requestConsent's accountID, or a new UUID.
func accountRef(arg *string) (string, error) {
	if arg == nil {
		return uuid.NewString(), nil
	}
	if err := args.ID("accountID", *arg); err != nil {
		return "", err
	}
	return *arg, nil
}

// CreateConsentRedirect answers the AA page for PENDING consents of one
// customer (getEncryptedUrl, never retried).
func (r *mutationResolver) CreateConsentRedirect(ctx context.Context, in model.CreateConsentRedirectInput) (*model.CreateConsentRedirectPayload, error) {
	refs, err := r.consentRefs(in.Ids, in.ConsentHandles)
	if err != nil {
		return nil, err
	}
	if r.returns.Empty() {
		return nil, apierr.BadInput("no return address is configured (CONSENT_REDIRECT_URLS)")
	}
	j, err := r.journeyArgs(in.RedirectURL, in.FipIDs, in.Pan)
	if err != nil {
		return nil, err
	}
	cs, err := placeConsents(ctx, refs, in.ProductID)
	if err != nil {
		return nil, err
	}
	req := journey.RedirectRequest{RedirectURL: j.redirect, FIPIDs: j.fipIDs, PAN: j.pan}
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
	u, err := journey.RedirectURL(ctx, r.finpro, req)
	if err != nil {
		return nil, fmt.Errorf("consent redirect: %w", err)
	}
	return &model.CreateConsentRedirectPayload{Consents: cs, RedirectURL: u, ClientMutationID: in.ClientMutationID}, nil
}

// consentRefs reads a list of consents given by global ID or by handle.
func (r *Resolver) consentRefs(ids, handles []string) ([]loaders.ConsentRef, error) {
	n := len(ids) + len(handles)
	switch {
	case n == 0:
		return nil, apierr.BadInput("give the consents' ids or consentHandles")
	case n > MaxRedirectConsents:
		return nil, apierr.BadInput("at most %d consents", MaxRedirectConsents)
	}
	var refs []loaders.ConsentRef
	for _, id := range ids {
		ref, err := args.ConsentID(id)
		if err != nil {
			return nil, err
		}
		refs = append(refs, ref)
	}
	for _, h := range handles {
		if err := args.ID("consentHandles", h); err != nil {
			return nil, err
		}
		refs = append(refs, loaders.ConsentRef{Handle: h})
	}
	return refs, nil
}

// placeConsents places every reference (one lookup call per kind of
// reference) and fails with the first that cannot be placed.
func placeConsents(ctx context.Context, refs []loaders.ConsentRef, productID *string) ([]*model.Consent, error) {
	loaders.PrimeConsents(ctx, refs)
	out := make([]*model.Consent, 0, len(refs))
	seen := map[string]bool{}
	for _, ref := range refs {
		c, err := placeConsent(ctx, ref, productID)
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
	ret, err := journey.ParseRedirectReturn(u.Query())
	if err != nil {
		return nil, apierr.BadInput("returnURL carries no Account Aggregator answer (ecres, resdate, fi)")
	}
	o, err := journey.DecryptRedirect(ctx, r.finpro, ret)
	if errors.Is(err, finpro.ErrInvalidRequest) {
		return nil, &apierr.Error{Code: apierr.BadUserInput, Message: "the Account Aggregator's answer could not be opened (tampered with, or too old)", Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("complete consent redirect: %w", err)
	}
	if len(o.ConsentHandles) == 0 {
		return nil, errNotFound()
	}
	if len(o.ConsentHandles) > MaxRedirectConsents {
		o.ConsentHandles = o.ConsentHandles[:MaxRedirectConsents]
	}
	refs := make([]loaders.ConsentRef, 0, len(o.ConsentHandles))
	for _, h := range o.ConsentHandles {
		if args.ID("consentHandle", h) != nil {
			return nil, errNotFound()
		}
		refs = append(refs, loaders.ConsentRef{Handle: h})
	}
	cs, err := placeConsents(ctx, refs, in.ProductID)
	if err != nil {
		return nil, err
	}
	out := &model.CompleteConsentRedirectPayload{
		Outcome:          model.ConsentRedirectOutcomeFailed,
		Consents:         cs,
		ClientMutationID: in.ClientMutationID,
	}
	switch {
	case o.Approved():
		out.Outcome = model.ConsentRedirectOutcomeApproved
	case o.Rejected():
		out.Outcome = model.ConsentRedirectOutcomeRejected
	}
	if out.Outcome != model.ConsentRedirectOutcomeApproved {
		out.ErrorCode = model.StringPtr(o.ErrorCode)
	}
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
	return placeConsent(ctx, loaders.ConsentRef{Handle: consentHandle}, productID)
}

// AccountAggregators resolves Query.accountAggregators.
func (r *queryResolver) AccountAggregators(ctx context.Context) ([]*model.AccountAggregator, error) {
	as, err := journey.AccountAggregators(ctx, r.finpro)
	if err != nil {
		return nil, fmt.Errorf("account aggregators: %w", err)
	}
	out := make([]*model.AccountAggregator, 0, len(as))
	for _, a := range as {
		if a.ID == "" {
			continue
		}
		out = append(out, &model.AccountAggregator{
			ID:      a.ID,
			Name:    cmp.Or(a.Name, a.ID),
			Active:  a.Active,
			WebURL:  model.StringPtr(a.WebURL),
			ApkURL:  model.StringPtr(a.APKURL),
			LogoURL: model.StringPtr(a.LogoURL),
		})
	}
	return out, nil
}

// Products resolves Query.products: FinPro's products the caller's token may
// use (a token limited to products sees only those).
func (r *queryResolver) Products(ctx context.Context, productID *string) ([]*model.Product, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return nil, unauthenticated()
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
	ps, err := journey.Products(ctx, r.finpro, id)
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
		var err error
		if c, err = placeConsent(ctx, loaders.ConsentRef{Handle: obj.ConsentHandle}, &obj.ProductID); err != nil {
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
