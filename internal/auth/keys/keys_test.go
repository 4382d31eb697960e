package keys_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/auth/keys"
)

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pkix(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pemOf(t, "PUBLIC KEY", der)
}

// TestParsePublicKeyPEM checks the algorithm each key type verifies and the
// keys refused: private keys, RSA under 2048 bits (RFC 7518 section 3.3)
// and curves other than P-256.
func TestParsePublicKeyPEM(t *testing.T) {
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name    string
		pem     []byte
		wantAlg string
		wantErr string
	}{
		{"RSA 2048 PKIX", pkix(t, &rsa2048.PublicKey), "RS256", ""},
		{"RSA 2048 PKCS#1", pemOf(t, "RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsa2048.PublicKey)), "RS256", ""},
		{"P-256", pkix(t, &p256.PublicKey), "ES256", ""},
		{"Ed25519", pkix(t, edPub), "EdDSA", ""},
		{"RSA 1024 is weak", pkix(t, &rsa1024.PublicKey), "", "want at least 2048"},
		{"P-384 not supported", pkix(t, &p384.PublicKey), "", "not supported, want P-256"},
		{"private key refused", pemOf(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsa2048)), "", "is a private key"},
		{"no PEM", []byte("not pem"), "", "no PEM block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, alg, err := keys.ParsePublicKeyPEM(tt.pem)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("err = %v", err)
			case alg != tt.wantAlg:
				t.Errorf("alg = %q, want %q", alg, tt.wantAlg)
			}
		})
	}
}

// TestStatic checks that a static key answers its one algorithm, whatever
// the kid.
func TestStatic(t *testing.T) {
	s := keys.Static{Alg: "HS256", Key: []byte("secret")}
	if k, err := s.KeyFor(context.Background(), "any-kid", "HS256"); err != nil || string(k.([]byte)) != "secret" {
		t.Errorf("KeyFor(HS256) = %v, %v; want the key", k, err)
	}
	if _, err := s.KeyFor(context.Background(), "", "RS256"); !errors.Is(err, keys.ErrAlgMismatch) {
		t.Errorf("KeyFor(RS256) err = %v, want ErrAlgMismatch", err)
	}
}
