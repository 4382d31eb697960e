package relay

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// Global object IDs (the Relay Global Object Identification specification).
//
// An ID is base64url (no padding) of "<Type>:<part>:<part>...", with parts
// that are FinPro identifiers ([A-Za-z0-9_.-]), so that the same object has
// the same ID wherever it appears and Query.node can fetch it again from
// FinPro. Parts that would reveal personal data (a customer's mobile number)
// are sealed instead: SealedID encrypts them deterministically with the
// deployment's key, so the ID is still stable but opaque.
//
// The ID kinds:
//
//	Consent:<ref>                        ref = ConsentRef (h.<handle> or i.<consentID>)
//	Account:<ref>:<linkRef>              the account as read through that consent
//	Transaction:<ref>:<linkRef>:<unix>:<txnId>
//	Customer (sealed): <mobile>, <productID>
//
// Clients treat IDs as opaque; these formats may change (old IDs then answer
// NOT_FOUND, and a client refetches from the root).

// Node types of global IDs.
const (
	TypeCustomer    = "Customer"
	TypeConsent     = "Consent"
	TypeAccount     = "Account"
	TypeTransaction = "Transaction"
)

// ConsentRef is how a global ID names a consent: by handle when it has one
// (every consent FinPro created through requestconsent has), else by
// consent ID. The two never mix up: "h." and "i." prefixes keep them apart.
func ConsentRef(handle, consentID string) string {
	if handle != "" {
		return "h." + handle
	}
	return "i." + consentID
}

// ParseConsentRef splits a ConsentRef into its handle or its consent ID.
func ParseConsentRef(ref string) (handle, consentID string, ok bool) {
	switch {
	case strings.HasPrefix(ref, "h.") && len(ref) > 2:
		return ref[2:], "", true
	case strings.HasPrefix(ref, "i.") && len(ref) > 2:
		return "", ref[2:], true
	}
	return "", "", false
}

// ConsentID returns the global ID of the consent with ref.
func ConsentID(ref string) string { return encodeID(TypeConsent, ref) }

// AccountID returns the global ID of the account with linkRef as read through
// the consent with ref.
func AccountID(consentRef, linkRef string) string {
	return encodeID(TypeAccount, consentRef, linkRef)
}

// TransactionID returns the global ID of a transaction: its account (as read
// through its consent), its timestamp (which locates it in the time-ordered
// list) and FinPro's txnId.
func TransactionID(consentRef, linkRef string, at time.Time, txnID string) string {
	return encodeID(TypeTransaction, consentRef, linkRef, strconv.FormatInt(at.Unix(), 10), txnID)
}

// encodeID joins the parts; the last one may hold ':' (a txnId is the FIP's
// free text), the others never do.
func encodeID(typ string, parts ...string) string {
	n := len(typ)
	for _, p := range parts {
		n += 1 + len(p)
	}
	b := make([]byte, 0, n)
	b = append(b, typ...)
	for _, p := range parts {
		b = append(b, ':')
		b = append(b, p...)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ID is a decoded global ID.
type ID struct {
	Type  string
	Parts []string
}

// errID is the one error of an ID that does not decode: the same for every
// malformed, foreign or tampered ID.
func errID(arg string) error { return apierr.BadInput("%s is not a valid id", arg) }

// partsOf is how many parts each plain ID type has.
var partsOf = map[string]int{TypeConsent: 1, TypeAccount: 2, TypeTransaction: 4}

// DecodeID decodes a plain or sealed global ID; arg names the argument in the
// error. Sealed IDs need ids (nil refuses them).
func DecodeID(arg, id string, ids *Sealer) (ID, error) {
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(raw) == 0 {
		return ID{}, errID(arg)
	}
	if raw[0] == sealedVersion {
		if ids == nil {
			return ID{}, errID(arg)
		}
		return ids.open(arg, raw)
	}
	s := string(raw)
	typ, rest, ok := strings.Cut(s, ":")
	n, known := partsOf[typ]
	if !ok || !known {
		return ID{}, errID(arg)
	}
	parts := strings.SplitN(rest, ":", n)
	if len(parts) != n {
		return ID{}, errID(arg)
	}
	for _, p := range parts {
		if p == "" {
			return ID{}, errID(arg)
		}
	}
	return ID{Type: typ, Parts: parts}, nil
}

// Sealer seals the parts of global IDs that would reveal personal data. Its
// key must be the same on every replica (and across restarts, for IDs kept in
// client caches); see NewSealer.
type Sealer struct {
	aead cipher.AEAD
	mac  []byte
}

// sealedVersion is the first byte of a sealed ID (never a plain ID's first
// byte, which is an uppercase letter).
const sealedVersion = 0x01

// NewSealer derives the sealing keys from secret (at least 32 bytes of
// entropy) with HKDF-SHA256.
func NewSealer(secret []byte) (*Sealer, error) {
	if len(secret) < 32 {
		return nil, errors.New("node id secret must be at least 32 bytes")
	}
	enc, err := hkdf.Key(sha256.New, secret, nil, "finpro-bff node id encryption v1", 32)
	if err != nil {
		return nil, err
	}
	mac, err := hkdf.Key(sha256.New, secret, nil, "finpro-bff node id nonce v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, mac: mac}, nil
}

// SealedID returns the sealed global ID of typ with parts. It is
// deterministic (the nonce is an HMAC of the plaintext: the SIV construction),
// so one object keeps one ID, and authenticated, so a client cannot forge or
// alter one.
func (s *Sealer) SealedID(typ string, parts ...string) string {
	plain := []byte(typ + "\x00" + strings.Join(parts, "\x00"))
	m := hmac.New(sha256.New, s.mac)
	m.Write(plain)
	nonce := m.Sum(nil)[:s.aead.NonceSize()]
	out := make([]byte, 0, 1+len(nonce)+len(plain)+s.aead.Overhead())
	out = append(out, sealedVersion)
	out = append(out, nonce...)
	out = s.aead.Seal(out, nonce, plain, []byte{sealedVersion})
	return base64.RawURLEncoding.EncodeToString(out)
}

func (s *Sealer) open(arg string, raw []byte) (ID, error) {
	ns := s.aead.NonceSize()
	if len(raw) < 1+ns+s.aead.Overhead() {
		return ID{}, errID(arg)
	}
	nonce := raw[1 : 1+ns]
	plain, err := s.aead.Open(nil, nonce, raw[1+ns:], []byte{sealedVersion})
	if err != nil {
		return ID{}, errID(arg)
	}
	fields := strings.Split(string(plain), "\x00")
	return ID{Type: fields[0], Parts: fields[1:]}, nil
}
