package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// Bounds of MintOptions.TTL.
const (
	DefaultMintTTL = time.Hour
	MaxMintTTL     = 24 * time.Hour
)

// MintOptions describe a token for [Mint].
type MintOptions struct {
	// Secret signs the token (HS256); at least 32 bytes.
	Secret []byte
	// Issuer and Audience become iss and aud; both required.
	Issuer, Audience string
	// Subject becomes sub; required.
	Subject string
	// Scopes become the space-separated scope claim.
	Scopes []string
	// Mobile, if set, binds the token to one customer; ten digits.
	Mobile string
	// Products, if set, limit the token to these productIDs.
	Products []string
	// TTL is the token's lifetime: zero means DefaultMintTTL; at most
	// MaxMintTTL, since minted tokens are for local use.
	TTL time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// mintClaims is what Mint signs.
type mintClaims struct {
	jwt.RegisteredClaims
	Scope    string   `json:"scope,omitempty"`
	Mobile   string   `json:"mobile,omitempty"`
	Products []string `json:"products,omitempty"`
}

// Mint returns an HS256 token for local use that a [Verifier] configured
// with the same secret, issuer and audience accepts.
func Mint(o MintOptions) (string, error) {
	var errs []error
	if len(o.Secret) < MinHS256SecretBytes {
		errs = append(errs, fmt.Errorf("secret is %d bytes, want at least %d", len(o.Secret), MinHS256SecretBytes))
	}
	if o.Issuer == "" {
		errs = append(errs, errors.New("issuer is required"))
	}
	if o.Audience == "" {
		errs = append(errs, errors.New("audience is required"))
	}
	if o.Subject == "" {
		errs = append(errs, errors.New("subject is required"))
	}
	for _, s := range o.Scopes {
		if s == "" || strings.ContainsFunc(s, isSpace) {
			errs = append(errs, fmt.Errorf("scope %q is empty or has spaces", s))
		}
	}
	if o.Mobile != "" && !mobile.Valid(o.Mobile) {
		errs = append(errs, errors.New("mobile must be 10 digits"))
	}
	for _, p := range o.Products {
		if p == "" || strings.ContainsFunc(p, isSpace) {
			errs = append(errs, fmt.Errorf("product %q is empty or has spaces", p))
		}
	}
	switch {
	case o.TTL < 0 || o.TTL > MaxMintTTL:
		errs = append(errs, fmt.Errorf("ttl %v outside (0, %v]", o.TTL, MaxMintTTL))
	case o.TTL == 0:
		o.TTL = DefaultMintTTL
	}
	if len(errs) > 0 {
		return "", fmt.Errorf("auth: mint: %w", errors.Join(errs...))
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	t := now().Truncate(time.Second)
	c := mintClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    o.Issuer,
			Subject:   o.Subject,
			Audience:  jwt.ClaimStrings{o.Audience},
			ExpiresAt: jwt.NewNumericDate(t.Add(o.TTL)),
			IssuedAt:  jwt.NewNumericDate(t),
			ID:        rand.Text(),
		},
		Scope:    strings.Join(o.Scopes, " "),
		Mobile:   o.Mobile,
		Products: o.Products,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(o.Secret)
	if err != nil {
		return "", fmt.Errorf("auth: mint: %w", err)
	}
	return s, nil
}
