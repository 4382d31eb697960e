// Package args checks the graph's arguments before any FinPro call: FinPro
// identifiers, mobile numbers, idempotency keys and the consent references a
// global ID carries. Every failure is a BAD_USER_INPUT error naming the
// argument; none echoes a value (a mobile number is personal data).
package args

import (
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// Mobile checks a 10-digit mobile number. The message never echoes the
// number (personal data).
func Mobile(arg, s string) error {
	if !mobile.Valid(s) {
		return apierr.BadInput("%s must be exactly 10 digits", arg)
	}
	return nil
}

// ID checks a FinPro identifier argument: non-empty, at most 128
// characters of [A-Za-z0-9_.-] (FinPro's own limit for consent IDs).
func ID(arg, s string) error {
	if s == "" {
		return apierr.BadInput("%s must not be empty", arg)
	}
	if len(s) > 128 {
		return apierr.BadInput("%s is too long", arg)
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return apierr.BadInput("%s contains characters other than letters, digits, '_', '.' and '-'", arg)
		}
	}
	return nil
}

// Key checks an idempotency key: 1..128 printable ASCII characters.
func Key(arg, s string) error {
	if s == "" || len(s) > 128 {
		return apierr.BadInput("%s must be 1 to 128 characters", arg)
	}
	for i := range len(s) {
		if s[i] < 0x21 || s[i] > 0x7e {
			return apierr.BadInput("%s must be printable ASCII without spaces", arg)
		}
	}
	return nil
}

// ConsentID reads a consent's global ID given as an argument.
func ConsentID(id string) (loaders.ConsentRef, error) {
	n, err := relay.DecodeID("id", id, nil)
	if err != nil {
		return loaders.ConsentRef{}, err
	}
	if n.Type != relay.TypeConsent {
		return loaders.ConsentRef{}, apierr.BadInput("id is not a consent's id")
	}
	return Ref(n.Parts[0])
}

// Ref converts the consent part of a global ID (relay.ConsentRef's).
func Ref(s string) (loaders.ConsentRef, error) {
	handle, consentID, ok := relay.ParseConsentRef(s)
	if !ok {
		return loaders.ConsentRef{}, apierr.BadInput("id is not a valid id")
	}
	for _, v := range []string{handle, consentID} {
		if v != "" {
			if err := ID("id", v); err != nil {
				return loaders.ConsentRef{}, apierr.BadInput("id is not a valid id")
			}
		}
	}
	return loaders.ConsentRef{Handle: handle, ConsentID: consentID}, nil
}
