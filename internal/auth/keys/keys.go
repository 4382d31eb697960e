// Package keys finds the key that verifies a JWT: a [Source] is asked for the
// key of a token's kid and alg once the token's header passed the verifier's
// allow-list. [Static] holds the one key of an HS256 secret or a PEM file
// ([ParsePublicKeyPEM]); [JWKS] fetches, caches and refreshes a JWK Set.
//
// What belongs here: fetching and parsing verification keys and the rules
// for which keys are strong enough. What a token must claim, and who the
// caller then is, are internal/auth's.
package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// minRSABits is the smallest RSA modulus accepted (RFC 7518 section 3.3).
const minRSABits = 2048

// Source finds the key for a token whose header passed the allow-list. An
// error is [ErrUnknownKey], [ErrAlgMismatch] or the context's.
type Source interface {
	KeyFor(ctx context.Context, kid, alg string) (any, error)
}

// The errors of [Source.KeyFor] that are the token's fault.
var (
	ErrUnknownKey  = errors.New("no key for the token's kid")
	ErrAlgMismatch = errors.New("token alg does not match the key's alg")
)

// Static is the one key of an HS256 secret or a PEM file; it accepts one
// algorithm and any kid.
type Static struct {
	Alg string
	Key any
}

// KeyFor returns the key when alg is its algorithm.
func (k Static) KeyFor(_ context.Context, _, alg string) (any, error) {
	if alg != k.Alg {
		return nil, ErrAlgMismatch
	}
	return k.Key, nil
}

// ParsePublicKeyPEM returns the public key in the first PEM block of b and
// the one algorithm it verifies.
func ParsePublicKeyPEM(b []byte) (key any, alg string, err error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, "", errors.New("no PEM block found")
	}
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		cert, err = x509.ParseCertificate(block.Bytes)
		if err == nil {
			key = cert.PublicKey
		}
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		// A verifier has no business holding a signing key.
		return nil, "", fmt.Errorf("PEM block %q is a private key, want a public key", block.Type)
	default:
		return nil, "", fmt.Errorf("PEM block %q not supported", block.Type)
	}
	if err != nil {
		return nil, "", fmt.Errorf("parse %s: %w", block.Type, err)
	}
	alg, err = algForKey(key)
	if err != nil {
		return nil, "", err
	}
	return key, alg, nil
}

// algForKey returns the one algorithm a public key verifies, and refuses
// weak or unsupported keys.
func algForKey(key any) (string, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return "", fmt.Errorf("RSA key has %d bits, want at least %d", k.N.BitLen(), minRSABits)
		}
		return jwt.SigningMethodRS256.Alg(), nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return "", fmt.Errorf("ECDSA curve %s not supported, want P-256", k.Curve.Params().Name)
		}
		return jwt.SigningMethodES256.Alg(), nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", errors.New("wrong Ed25519 key size")
		}
		return jwt.SigningMethodEdDSA.Alg(), nil
	default:
		return "", fmt.Errorf("public key type %T not supported", key)
	}
}
