package finpro

import (
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Decoding notes. FinPro's JSON is inconsistent (finpro-upstream.md §4): the
// client decodes it with encoding/json into unexported wire structs whose field
// types absorb the variations, then converts them to the exported types. Two
// properties of encoding/json do part of the work: object keys match field names
// case-insensitively (Profile/profile, fipId/fipID, aaId/aaID, consentID/consentId),
// and unknown keys are ignored. Names that differ by more than case
// (consent_expiry/consentExpiry, linkRefNumber/linkReferenceNumber) get one field
// each. Nothing goes through map[string]any, and the hot shape (getfidata's
// fiData[]) decodes in one pass.
//
// Each endpoint's wire structs live beside it (balance.go, consents.go,
// fidata.go, fistatus.go, requestconsent_v3.go, ...). The field
// types that absorb FinPro's variations (wire.String, wire.Bool, wire.Int,
// wire.Time, wire.OneOrMany, wire.Decimal) and the timestamp and boolean
// parsers are internal/finpro/wire's, the response envelope
// internal/finpro/internal/transport's; this file holds the FI-type
// normaliser.

// UnmarshalJSON decodes a JSON string or number holding a finite decimal, keeping
// its digits exactly as sent (see [wire.Decimal]).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	return (*wire.Decimal)(d).UnmarshalJSON(b)
}

// NormFIType turns FinPro's spellings into one name per type: upper case, with
// TERM-DEPOSIT written TERM_DEPOSIT.
func NormFIType(s string) FIType {
	if isCanonical(s) {
		return FIType(s)
	}
	return FIType(strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(s)), "-", "_"))
}

func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
