package finpro

import (
	"context"
	"net/url"
	"strings"

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
	consentHandleWire
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
	if err := checkRedirectURL(ep, req.RedirectURL); err != nil {
		return nil, err
	}
	if err := checkPAN(ep, req.PAN); err != nil {
		return nil, err
	}
	fips, err := checkFIPIDs(ep, req.FIPIDs)
	if err != nil {
		return nil, err
	}
	body := requestConsentV3Body{requestConsentBody: base, FIPID: fips, RedirectURL: req.RedirectURL, PAN: req.PAN}
	env, err := call[consentRedirectWire](ctx, c, ep, "", body)
	if err != nil {
		return nil, err
	}
	h, err := env.Data.toHandle(ep)
	if err != nil {
		return nil, err
	}
	u := strings.TrimSpace(env.Data.WebRedirectionURL)
	if !absoluteHTTP(u) {
		return nil, transport.Unavailable(ep, env.HTTPStatus, "no usable webRedirectionUrl")
	}
	return &ConsentRedirect{Handle: h.Handle, Status: h.Status, RedirectURL: u}, nil
}

// maxURLLen bounds a redirect URL the client sends.
const maxURLLen = 2048

// checkRedirectURL refuses a redirect URL that is not an absolute http(s) URL
// without user info or fragment.
func checkRedirectURL(ep, raw string) error {
	if raw == "" {
		return transport.Invalid(ep, "redirectUrl is empty")
	}
	if len(raw) > maxURLLen || !absoluteHTTP(raw) {
		return transport.Invalid(ep, "redirectUrl is not an absolute http(s) URL")
	}
	u, _ := url.Parse(raw)
	if u.User != nil || u.Fragment != "" {
		return transport.Invalid(ep, "redirectUrl must not carry user info or a fragment")
	}
	return nil
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// checkPAN refuses a PAN that is not five letters, four digits and a letter
// (the field is optional: "" passes).
func checkPAN(ep, pan string) error {
	if pan == "" {
		return nil
	}
	ok := len(pan) == 10
	for i := 0; ok && i < 10; i++ {
		c := pan[i]
		if i >= 5 && i < 9 {
			ok = c >= '0' && c <= '9'
		} else {
			ok = c >= 'A' && c <= 'Z'
		}
	}
	if !ok {
		return transport.Invalid(ep, "pan is not AAAAA9999A")
	}
	return nil
}

// checkFIPIDs trims the FIP ids and refuses blank ones.
func checkFIPIDs(ep string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		if out[i] = strings.TrimSpace(id); out[i] == "" {
			return nil, transport.Invalid(ep, "fipID holds an empty id")
		}
	}
	return out, nil
}
