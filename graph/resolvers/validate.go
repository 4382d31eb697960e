package resolvers

import (
	"github.com/moneyone-bff/finpro-bff/internal/apierr"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// validMobile checks a 10-digit mobile number. The message never echoes the
// number (personal data).
func validMobile(arg, s string) error {
	if !mobile.Valid(s) {
		return apierr.BadInput("%s must be exactly 10 digits", arg)
	}
	return nil
}

// validID checks a FinPro identifier argument: non-empty, at most 128
// characters of [A-Za-z0-9_.-] (FinPro's own limit for consent IDs).
func validID(arg, s string) error {
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

// validKey checks an idempotency key: 1..128 printable ASCII characters.
func validKey(arg, s string) error {
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
