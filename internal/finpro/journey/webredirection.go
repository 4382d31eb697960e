package journey

import (
	"context"
	"net/url"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// RedirectRequest asks /webRedirection/getEncryptedUrl for the AA page of
// consents already requested (one user's).
type RedirectRequest struct {
	// ConsentHandles are PENDING consents of one user (UUIDs). One is sent as
	// a string, several as an array.
	ConsentHandles []string
	RedirectURL    string   // where the AA sends the user back; see ConsentRequestV3
	VUA            string   // optional: the user's VUA (userid), which names the AA
	FIPIDs         []string // optional
	PAN            string   // optional (AAAAA9999A); PII
}

type encryptedURLBody struct {
	ConsentHandle any      `json:"consentHandle"` // string or []string
	RedirectURL   string   `json:"redirectUrl"`
	UserID        string   `json:"userid,omitempty"`
	FIPID         []string `json:"fipID,omitempty"`
	PAN           string   `json:"pan,omitempty"`
}

type encryptedURLWire struct {
	WebRedirectionURL string `json:"webRedirectionUrl"`
}

// RedirectURL returns the AA page for req's consents
// (/webRedirection/getEncryptedUrl). Not retried: each call may start a new
// redirect session at the AA. FinPro's documented errors: missingConsentInfo
// (FP0021, no handle: refused here before sending), InvalidRequest (a handle
// that is not a UUIDv4, a bad redirect URL), FP0024 / invalid_consent_handle
// (unknown handles, or handles of different users: ErrNotFound), InvalidAA
// (FP0029, the VUA names no known AA).
func RedirectURL(ctx context.Context, c *finpro.Client, req RedirectRequest) (string, error) {
	ep := paths.EncryptedURL
	if len(req.ConsentHandles) == 0 {
		return "", transport.Invalid(ep, "consentHandle is empty")
	}
	handles := make([]string, len(req.ConsentHandles))
	for i, h := range req.ConsentHandles {
		if handles[i] = strings.TrimSpace(h); handles[i] == "" {
			return "", transport.Invalid(ep, "consentHandle holds an empty handle")
		}
	}
	if err := check.RedirectURL(ep, req.RedirectURL); err != nil {
		return "", err
	}
	if err := check.PAN(ep, req.PAN); err != nil {
		return "", err
	}
	fips, err := check.FIPIDs(ep, req.FIPIDs)
	if err != nil {
		return "", err
	}
	body := encryptedURLBody{RedirectURL: req.RedirectURL, UserID: strings.TrimSpace(req.VUA), FIPID: fips, PAN: req.PAN}
	if len(handles) == 1 {
		body.ConsentHandle = handles[0]
	} else {
		body.ConsentHandle = handles
	}
	env, err := transport.Call[encryptedURLWire](ctx, c.Transport(), ep, "", body)
	if err != nil {
		return "", err
	}
	u := strings.TrimSpace(env.Data.WebRedirectionURL)
	if !check.AbsoluteHTTP(u) {
		return "", transport.Unavailable(ep, env.HTTPStatus, "no usable webRedirectionUrl")
	}
	return u, nil
}

// RedirectReturn holds the query parameters the AA appends to the redirect URL
// when it sends the user back: the encrypted response (ecres), its date
// (resdate) and the FIU's id (fi). All three are opaque.
type RedirectReturn struct {
	ECRes   string
	ResDate string
	FI      string
}

// maxReturnParam bounds each RedirectReturn parameter.
const maxReturnParam = 8 << 10

// ParseRedirectReturn reads ecres, resdate and fi from the query of the URL the
// user came back on. Each must be present once, non-empty and bounded.
func ParseRedirectReturn(q url.Values) (RedirectReturn, error) {
	var r RedirectReturn
	for _, f := range []struct {
		name string
		out  *string
	}{{"ecres", &r.ECRes}, {"resdate", &r.ResDate}, {"fi", &r.FI}} {
		v := q[f.name]
		if len(v) != 1 || strings.TrimSpace(v[0]) == "" || len(v[0]) > maxReturnParam {
			return RedirectReturn{}, transport.Invalid(paths.DecryptURL, f.name+" is missing, repeated or too long")
		}
		*f.out = v[0]
	}
	return r, nil
}

type decryptBody struct {
	WebRedirectionURL decryptParams `json:"webRedirectionURL"`
}

type decryptParams struct {
	ECRes   string `json:"ecres"`
	ResDate string `json:"resdate"`
	FI      string `json:"fi"`
}

type decryptWire struct {
	Status    string      `json:"status"`
	ErrorCode wire.String `json:"errorcode"`
	TxnID     wire.String `json:"txnid"`
	SessionID wire.String `json:"sessionid"`
	SrcRef    string      `json:"srcref"`
	UserID    string      `json:"userid"`
	Redirect  string      `json:"redirect"`
}

// RedirectOutcome is /webRedirection/decryptUrl's answer: what the user did at
// the AA.
type RedirectOutcome struct {
	// Status is the AA's "S" (the user approved) or "F" (they did not, or the
	// journey failed), upper case.
	Status string
	// ErrorCode is the AA's errorcode; "1" means the user rejected.
	ErrorCode string
	TxnID     string
	SessionID string
	// ConsentHandles are srcref's handles (comma-separated when the redirect
	// covered several consents).
	ConsentHandles []string
	VUA            string // userid: PII
	RedirectURL    string // redirect, the URL the user was sent back to
}

// Approved reports whether the user approved at the AA.
func (o *RedirectOutcome) Approved() bool { return o.Status == "S" }

// Rejected reports whether the user rejected the consent (F with errorcode 1).
// A failure that is not a rejection (the AA's own error) is neither.
func (o *RedirectOutcome) Rejected() bool { return o.Status == "F" && o.ErrorCode == "1" }

// DecryptRedirect decrypts the AA's return parameters
// (/webRedirection/decryptUrl). It is a pure decryption, retried like a read.
// The outcome only reports what the AA says; the consent's status (approved
// or rejected) comes from the consent list or FinPro's CONSENT webhooks.
func DecryptRedirect(ctx context.Context, c *finpro.Client, ret RedirectReturn) (*RedirectOutcome, error) {
	ep := paths.DecryptURL
	for _, f := range []struct{ name, v string }{{"ecres", ret.ECRes}, {"resdate", ret.ResDate}, {"fi", ret.FI}} {
		if strings.TrimSpace(f.v) == "" || len(f.v) > maxReturnParam {
			return nil, transport.Invalid(ep, f.name+" is empty or too long")
		}
	}
	body := decryptBody{decryptParams(ret)}
	env, err := transport.Call[decryptWire](ctx, c.Transport(), ep, "", body)
	if err != nil {
		return nil, err
	}
	w := &env.Data
	o := &RedirectOutcome{
		Status:      strings.ToUpper(strings.TrimSpace(w.Status)),
		ErrorCode:   strings.TrimSpace(string(w.ErrorCode)),
		TxnID:       strings.TrimSpace(string(w.TxnID)),
		SessionID:   strings.TrimSpace(string(w.SessionID)),
		VUA:         strings.TrimSpace(w.UserID),
		RedirectURL: strings.TrimSpace(w.Redirect),
	}
	for _, h := range strings.Split(w.SrcRef, ",") {
		if h = strings.TrimSpace(h); h != "" {
			o.ConsentHandles = append(o.ConsentHandles, h)
		}
	}
	if (o.Status != "S" && o.Status != "F") || len(o.ConsentHandles) == 0 {
		return nil, transport.Unavailable(ep, env.HTTPStatus, "undecodable response")
	}
	return o, nil
}
