package finpro

import (
	"context"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/consents"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// ConsentRequestV3 asks /v3/requestconsent for a consent and the Account
// Aggregator page where the user approves it.
type ConsentRequestV3 struct {
	ConsentRequest
	// FIPIDs are the FIPs whose accounts the user may link (fipID[]); empty:
	// any the AA finds.
	FIPIDs []string
	// RedirectURL is where the AA sends the user back. FinPro accepts only
	// URLs on the domain registered with MoneyOne; callers pick it from their
	// own allow-list, never from a client's input as is.
	RedirectURL string
	// PAN is optional, for FIPs that need it (AAAAA9999A). It is PII: it goes
	// to FinPro and nowhere else.
	PAN string
}

// ConsentRedirect is /v3/requestconsent's answer: a PENDING consent and the
// URL to send the user to.
type ConsentRedirect struct {
	Handle string
	Status ConsentStatus // PENDING
	// RedirectURL is FinPro's webRedirectionUrl: the AA's consent page, with
	// the request encrypted in its query. It is a capability for this consent:
	// give it to the user it belongs to only.
	RedirectURL string
}

type requestConsentV3Body struct {
	requestConsentBody
	FIPID       []string `json:"fipID,omitempty"`
	RedirectURL string   `json:"redirectUrl"`
	PAN         string   `json:"pan,omitempty"`
}

type consentRedirectWire struct {
	consents.HandleWire
	WebRedirectionURL string `json:"webRedirectionUrl"`
}

// RequestConsentV3 creates a consent request with its AA redirect
// (/v3/requestconsent). Never retried. PartyIdentifierType and its value
// default as for RequestConsent.
func (c *Client) RequestConsentV3(ctx context.Context, req ConsentRequestV3) (*ConsentRedirect, error) {
	ep := paths.RequestConsentV3
	base, err := consentRequestBody(ep, req.ConsentRequest)
	if err != nil {
		return nil, err
	}
	if err := check.RedirectURL(ep, req.RedirectURL); err != nil {
		return nil, err
	}
	if err := check.PAN(ep, req.PAN); err != nil {
		return nil, err
	}
	fips, err := check.FIPIDs(ep, req.FIPIDs)
	if err != nil {
		return nil, err
	}
	body := requestConsentV3Body{requestConsentBody: base, FIPID: fips, RedirectURL: req.RedirectURL, PAN: req.PAN}
	env, err := call[consentRedirectWire](ctx, c, ep, "", body)
	if err != nil {
		return nil, err
	}
	h, err := env.Data.Handle(ep)
	if err != nil {
		return nil, err
	}
	u := strings.TrimSpace(env.Data.WebRedirectionURL)
	if !check.AbsoluteHTTP(u) {
		return nil, transport.Unavailable(ep, env.HTTPStatus, "no usable webRedirectionUrl")
	}
	return &ConsentRedirect{Handle: h.Handle, Status: h.Status, RedirectURL: u}, nil
}
