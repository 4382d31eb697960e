// Package check holds the checks of request fields that more than one
// FinPro endpoint (or package) takes: identifiers, and the consent journey's
// redirect URL, PAN and FIP ids; shared by internal/finpro,
// internal/finpro/journey and internal/finpro/fetchguard. Each refuses a value
// with transport.Invalid before anything is sent.
package check

import (
	"net/url"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// ID rejects an empty or blank identifier before any request is made.
func ID(ep, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return transport.Invalid(ep, field+" is empty")
	}
	return nil
}

// maxURLLen bounds a redirect URL the client sends.
const maxURLLen = 2048

// RedirectURL refuses a redirect URL that is not an absolute http(s) URL
// without user info or fragment.
func RedirectURL(ep, raw string) error {
	if raw == "" {
		return transport.Invalid(ep, "redirectUrl is empty")
	}
	if len(raw) > maxURLLen || !AbsoluteHTTP(raw) {
		return transport.Invalid(ep, "redirectUrl is not an absolute http(s) URL")
	}
	u, _ := url.Parse(raw)
	if u.User != nil || u.Fragment != "" {
		return transport.Invalid(ep, "redirectUrl must not carry user info or a fragment")
	}
	return nil
}

// AbsoluteHTTP reports whether raw is an absolute http or https URL.
func AbsoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// PAN refuses a PAN that is not five letters, four digits and a letter
// (the field is optional: "" passes).
func PAN(ep, pan string) error {
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

// FIPIDs trims the FIP ids and refuses blank ones.
func FIPIDs(ep string, ids []string) ([]string, error) {
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
