package auth_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

const (
	testIssuer   = "https://issuer.example"
	testAudience = "finpro-bff"
	testLeeway   = 30 * time.Second
)

// testSecret is an HS256 secret of the minimum length.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Keys are generated once per test binary: RSA generation is slow.
var (
	rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	ecKey = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
	otherECKey = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
	edKey = sync.OnceValue(func() ed25519.PrivateKey {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
)

// publicPEM returns the PKIX PEM encoding of a public key.
func publicPEM(t testing.TB, pub crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatalf("MarshalPKIXPublicKey: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// claims returns valid claims at time now; set a value to nil to delete it.
func claims(now time.Time, edits map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss":   testIssuer,
		"aud":   testAudience,
		"sub":   "user-1",
		"exp":   now.Add(time.Hour).Unix(),
		"iat":   now.Unix(),
		"scope": "balances:read consents:read",
	}
	for k, v := range edits {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// sign signs c with method and key; kid is set when not empty.
func sign(t testing.TB, method jwt.SigningMethod, key any, kid string, c jwt.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("SignedString(%s): %v", method.Alg(), err)
	}
	return s
}

// rawToken assembles a token from a header, claims and signature bytes,
// for tokens no library would sign (alg none, NONE, crit).
func rawToken(t testing.TB, header map[string]any, c jwt.MapClaims, sig []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(b) + "." + enc.EncodeToString(sig)
}

// hmacToken signs header and claims with HS256 and secret, whatever the
// header says.
func hmacToken(t testing.TB, header map[string]any, c jwt.MapClaims, secret []byte) string {
	t.Helper()
	unsigned := rawToken(t, header, c, nil)
	unsigned = unsigned[:len(unsigned)-1] // drop the "." before the empty signature
	sig, err := jwt.SigningMethodHS256.Sign(unsigned, secret)
	if err != nil {
		t.Fatal(err)
	}
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// desc describes a token or secret without revealing it.
func desc(s string) string {
	sum := sha256.Sum256([]byte(s))
	return fmt.Sprintf("<len %d sha256 %x>", len(s), sum[:6])
}

// checkErr reports whether err is what want names: "" for nil, "missing" for
// ErrMissingToken, otherwise an InvalidTokenError reason.
func checkErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	switch want {
	case "":
		if err != nil {
			t.Errorf("%s error = %v, want nil", what, err)
		}
	case "missing":
		if !errors.Is(err, auth.ErrMissingToken) {
			t.Errorf("%s error = %v, want ErrMissingToken", what, err)
		}
	default:
		var ite *auth.InvalidTokenError
		if !errors.As(err, &ite) || !errors.Is(err, auth.ErrInvalidToken) {
			t.Errorf("%s error = %v, want InvalidTokenError with reason %q", what, err, want)
			return
		}
		if ite.Reason != want {
			t.Errorf("%s error reason = %q, want %q", what, ite.Reason, want)
		}
	}
}

// newVerifier returns a verifier with the test issuer, audience and clock.
func newVerifier(t testing.TB, cfg auth.Config, clk *clock) *auth.Verifier {
	t.Helper()
	cfg.Issuer = testIssuer
	cfg.Audience = testAudience
	cfg.Leeway = testLeeway
	cfg.Now = clk.Now
	v, err := auth.NewVerifier(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v
}

func mustRSA(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatalf("rsa.GenerateKey(%d): %v", bits, err)
	}
	return k
}

func ecdsaP384() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
}

func privatePEM(t testing.TB, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func pkcs1PEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.PublicKey)})
}

// certPEM returns a self-signed certificate for an Ed25519 key.
func certPEM(t testing.TB, k ed25519.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test"},
		NotBefore:    t0.Add(-time.Hour),
		NotAfter:     t0.Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
