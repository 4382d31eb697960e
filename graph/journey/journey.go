// Package journey holds the consent journey's rules on the GraphQL side
// (finpro-upstream.md §1a-§1c): the customer is sent to the Account
// Aggregator with a consent request, comes back, and the data arrives. It
// checks the AA page's arguments (return addresses come from the configured
// allow-list, internal/returnurl, never from a client as is; FIP ids; PAN),
// reads the consents a journey names, builds FinPro's requests and maps
// FinPro's answers to the schema's types. The mutations and queries that
// call FinPro are graph/resolvers' (journey.go); FinPro's endpoints are
// internal/finpro/journey's.
package journey

import (
	"cmp"
	"regexp"

	"github.com/google/uuid"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	fpjourney "github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
)

// MaxRedirectConsents is the most consents one AA page asks about.
const MaxRedirectConsents = 10

// maxFIPIDs is the most FIPs one request names.
const maxFIPIDs = 20

var panRE = regexp.MustCompile(`^[A-Z]{5}[0-9]{4}[A-Z]$`)

// Page is what requestConsent and createConsentRedirect take for the AA
// page, checked: the return address ("" without configured return
// addresses: no page), the FIPs and the PAN.
type Page struct {
	Redirect string
	FIPIDs   []string
	PAN      string
}

// PageArgs checks the AA page's arguments. Without configured return
// addresses there is no page, and asking for one is a bad input.
func PageArgs(returns *returnurl.List, redirectURL *string, fipIDs []string, pan *string) (Page, error) {
	var in Page
	if len(fipIDs) > maxFIPIDs {
		return in, apierr.BadInput("fipIDs holds more than %d ids", maxFIPIDs)
	}
	for _, id := range fipIDs {
		if err := args.ID("fipIDs", id); err != nil {
			return in, err
		}
	}
	in.FIPIDs = fipIDs
	if pan != nil {
		if !panRE.MatchString(*pan) {
			return in, apierr.BadInput("pan is not a PAN (five letters, four digits, a letter, upper case)")
		}
		in.PAN = *pan
	}
	if returns.Empty() {
		if redirectURL != nil || len(fipIDs) > 0 || pan != nil {
			return in, apierr.BadInput("no return address is configured (CONSENT_REDIRECT_URLS): redirectURL, fipIDs and pan cannot be used")
		}
		return in, nil
	}
	s := ""
	if redirectURL != nil {
		s = *redirectURL
	}
	u, err := returns.Pick(s)
	if err != nil {
		return in, apierr.BadInput("redirectURL is not one of the configured return addresses (CONSENT_REDIRECT_URLS) or below one")
	}
	in.Redirect = u
	return in, nil
}

// AccountRef is requestConsent's accountID, or a new UUID.
func AccountRef(arg *string) (string, error) {
	if arg == nil {
		return uuid.NewString(), nil
	}
	if err := args.ID("accountID", *arg); err != nil {
		return "", err
	}
	return *arg, nil
}

// ConsentRequest is requestConsent's FinPro request for the customer with
// this mobile: its VUA at the AA, the account reference ref.
func ConsentRequest(mobile, productID, ref string) finpro.ConsentRequest {
	return finpro.ConsentRequest{
		ProductID:            productID,
		VUA:                  mobile + "@onemoney",
		PartyIdentifierType:  "MOBILE",
		PartyIdentifierValue: mobile,
		AccountID:            ref,
	}
}

// RequestedConsent is the consent requestConsent created: PENDING unless
// FinPro said otherwise.
func RequestedConsent(req finpro.ConsentRequest, handle string, status finpro.ConsentStatus) *model.Consent {
	c := model.ConsentFromFinpro(finpro.Consent{
		ConsentHandle: handle, Status: status, ProductID: req.ProductID, AccountID: req.AccountID, VUA: req.VUA,
	})
	if c.Status == model.ConsentStatusUnknown {
		c.Status = model.ConsentStatusPending
	}
	return c
}

// ConsentRefs reads a list of consents given by global ID or by handle (at
// most MaxRedirectConsents).
func ConsentRefs(ids, handles []string) ([]loaders.ConsentRef, error) {
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

// ReturnedRefs reads the consents an AA's answer names (the first
// MaxRedirectConsents); false when it names none, or one FinPro could not
// have issued.
func ReturnedRefs(o *fpjourney.RedirectOutcome) ([]loaders.ConsentRef, bool) {
	handles := o.ConsentHandles
	if len(handles) == 0 {
		return nil, false
	}
	if len(handles) > MaxRedirectConsents {
		handles = handles[:MaxRedirectConsents]
	}
	refs := make([]loaders.ConsentRef, 0, len(handles))
	for _, h := range handles {
		if args.ID("consentHandle", h) != nil {
			return nil, false
		}
		refs = append(refs, loaders.ConsentRef{Handle: h})
	}
	return refs, true
}

// Outcome is what the customer did at the AA, and the AA's error code
// unless they approved.
func Outcome(o *fpjourney.RedirectOutcome) (model.ConsentRedirectOutcome, *string) {
	switch {
	case o.Approved():
		return model.ConsentRedirectOutcomeApproved, nil
	case o.Rejected():
		return model.ConsentRedirectOutcomeRejected, model.StringPtr(o.ErrorCode)
	}
	return model.ConsentRedirectOutcomeFailed, model.StringPtr(o.ErrorCode)
}

// AccountAggregators converts FinPro's AA list, leaving out entries without
// an id.
func AccountAggregators(as []fpjourney.AccountAggregator) []*model.AccountAggregator {
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
	return out
}
