package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// staticVerifiers returns one verifier per static key source, by name.
func staticVerifiers(t testing.TB, clk *clock) map[string]*auth.Verifier {
	t.Helper()
	return map[string]*auth.Verifier{
		"hs":  newVerifier(t, auth.Config{HS256Secret: testSecret}, clk),
		"rsa": newVerifier(t, auth.Config{PublicKeyPEM: publicPEM(t, rsaKey().Public())}, clk),
		"ec":  newVerifier(t, auth.Config{PublicKeyPEM: publicPEM(t, ecKey().Public())}, clk),
		"ed":  newVerifier(t, auth.Config{PublicKeyPEM: publicPEM(t, edKey().Public())}, clk),
	}
}

// verifyCase is one token against one verifier.
type verifyCase struct {
	name     string
	verifier string                  // key of staticVerifiers
	token    func(testing.TB) string // built at t0
	want     string                  // "" (valid), "missing", or a reason
	wantP    *auth.Principal         // checked when want is ""
}

func hs(edits map[string]any) func(testing.TB) string {
	return func(t testing.TB) string {
		return sign(t, jwt.SigningMethodHS256, testSecret, "", claims(t0, edits))
	}
}

func verifyCases() []verifyCase {
	exp := t0.Add(time.Hour)
	secs := func(d time.Duration) int64 { return t0.Add(d).Unix() }
	return []verifyCase{
		// Happy paths.
		{name: "HS256 valid", verifier: "hs", token: hs(nil), wantP: &auth.Principal{
			Subject: "user-1", Scopes: []string{"balances:read", "consents:read"}, ExpiresAt: exp,
		}},
		{name: "RS256 from PEM", verifier: "rsa", token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodRS256, rsaKey(), "", claims(t0, nil))
		}},
		{name: "ES256 from PEM", verifier: "ec", token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodES256, ecKey(), "", claims(t0, nil))
		}},
		{name: "EdDSA from PEM", verifier: "ed", token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodEdDSA, edKey(), "some-kid", claims(t0, nil))
		}},
		{name: "bound, limited to products", verifier: "hs", token: hs(map[string]any{
			"mobile": "9876543210", "products": []string{"p1", "p2"}, "scope": "profile:read",
		}), wantP: &auth.Principal{
			Subject: "user-1", Mobile: "9876543210", Scopes: []string{"profile:read"},
			Products: []string{"p1", "p2"}, ExpiresAt: exp,
		}},
		{name: "products as string, scope with extra spaces", verifier: "hs", token: hs(map[string]any{
			"products": " p1  p2 ", "scope": "  a   b\tc ",
		}), wantP: &auth.Principal{
			Subject: "user-1", Scopes: []string{"a", "b", "c"}, Products: []string{"p1", "p2"}, ExpiresAt: exp,
		}},
		{
			name: "scope as array", verifier: "hs", token: hs(map[string]any{"scope": []string{"a", "b"}}),
			wantP: &auth.Principal{Subject: "user-1", Scopes: []string{"a", "b"}, ExpiresAt: exp},
		},
		{
			name: "no scope", verifier: "hs", token: hs(map[string]any{"scope": nil}),
			wantP: &auth.Principal{Subject: "user-1", ExpiresAt: exp},
		},
		{name: "aud array containing ours", verifier: "hs", token: hs(map[string]any{"aud": []string{"other", testAudience}})},
		{name: "typ at+jwt", verifier: "hs", token: func(t testing.TB) string {
			return hmacToken(t, map[string]any{"alg": "HS256", "typ": "at+jwt"}, claims(t0, nil), testSecret)
		}},

		// Algorithm confusion.
		{name: "alg none", verifier: "hs", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return rawToken(t, map[string]any{"alg": "none", "typ": "JWT"}, claims(t0, nil), nil)
		}},
		{name: "alg none against RSA", verifier: "rsa", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return rawToken(t, map[string]any{"alg": "none"}, claims(t0, nil), nil)
		}},
		{name: "alg NONE", verifier: "hs", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return rawToken(t, map[string]any{"alg": "NONE"}, claims(t0, nil), nil)
		}},
		{name: "alg missing", verifier: "hs", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return rawToken(t, map[string]any{"typ": "JWT"}, claims(t0, nil), []byte("x"))
		}},
		{name: "HS256 signed with the RSA public key PEM", verifier: "rsa", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return hmacToken(t, map[string]any{"alg": "HS256", "typ": "JWT"}, claims(t0, nil), publicPEM(t, rsaKey().Public()))
		}},
		{name: "HS256 signed with the Ed25519 public key PEM", verifier: "ed", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return hmacToken(t, map[string]any{"alg": "HS256"}, claims(t0, nil), publicPEM(t, edKey().Public()))
		}},
		{name: "RS256 against HS256 verifier", verifier: "hs", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodRS256, rsaKey(), "", claims(t0, nil))
		}},
		{name: "HS256 against RS256 verifier", verifier: "rsa", want: auth.ReasonAlgorithm, token: hs(nil)},
		{name: "ES256 against RS256 verifier", verifier: "rsa", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodES256, ecKey(), "", claims(t0, nil))
		}},
		{name: "HS512 against HS256 verifier", verifier: "hs", want: auth.ReasonAlgorithm, token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodHS512, testSecret, "", claims(t0, nil))
		}},

		// Signatures.
		{name: "other ES256 key", verifier: "ec", want: auth.ReasonSignature, token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodES256, otherECKey(), "", claims(t0, nil))
		}},
		{name: "other HS256 secret", verifier: "hs", want: auth.ReasonSignature, token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("x", 32)), "", claims(t0, nil))
		}},
		{name: "claims swapped after signing", verifier: "hs", want: auth.ReasonSignature, token: func(t testing.TB) string {
			a := strings.Split(sign(t, jwt.SigningMethodHS256, testSecret, "", claims(t0, nil)), ".")
			b := strings.Split(sign(t, jwt.SigningMethodHS256, testSecret, "", claims(t0, map[string]any{"sub": "admin"})), ".")
			return a[0] + "." + b[1] + "." + a[2]
		}},
		{name: "empty signature", verifier: "hs", want: auth.ReasonSignature, token: func(t testing.TB) string {
			return rawToken(t, map[string]any{"alg": "HS256"}, claims(t0, nil), nil)
		}},

		// Headers.
		{name: "crit header", verifier: "hs", want: auth.ReasonHeader, token: func(t testing.TB) string {
			return hmacToken(t, map[string]any{"alg": "HS256", "crit": []string{"exp"}, "exp": 1}, claims(t0, nil), testSecret)
		}},
		{name: "typ logout+jwt", verifier: "hs", want: auth.ReasonHeader, token: func(t testing.TB) string {
			return hmacToken(t, map[string]any{"alg": "HS256", "typ": "logout+jwt"}, claims(t0, nil), testSecret)
		}},

		// Time claims, leeway edges (testLeeway = 30s).
		{name: "expired", verifier: "hs", want: auth.ReasonExpired, token: hs(map[string]any{"exp": secs(-time.Hour)})},
		{name: "exp at now-leeway", verifier: "hs", want: auth.ReasonExpired, token: hs(map[string]any{"exp": secs(-testLeeway)})},
		{name: "exp at now-leeway+1s", verifier: "hs", token: hs(map[string]any{"exp": secs(-testLeeway + time.Second)})},
		{name: "missing exp", verifier: "hs", want: auth.ReasonMissingClaim, token: hs(map[string]any{"exp": nil})},
		{name: "exp as string", verifier: "hs", want: auth.ReasonMalformed, token: hs(map[string]any{"exp": "tomorrow"})},
		{name: "nbf in the future", verifier: "hs", want: auth.ReasonNotYetValid, token: hs(map[string]any{"nbf": secs(time.Hour)})},
		{name: "nbf at now+leeway+1s", verifier: "hs", want: auth.ReasonNotYetValid, token: hs(map[string]any{"nbf": secs(testLeeway + time.Second)})},
		{name: "nbf at now+leeway", verifier: "hs", token: hs(map[string]any{"nbf": secs(testLeeway)})},
		{name: "iat far in the future", verifier: "hs", want: auth.ReasonIssuedInFuture, token: hs(map[string]any{"iat": secs(24 * time.Hour)})},
		{name: "iat at now+leeway+1s", verifier: "hs", want: auth.ReasonIssuedInFuture, token: hs(map[string]any{"iat": secs(testLeeway + time.Second)})},
		{name: "iat at now+leeway", verifier: "hs", token: hs(map[string]any{"iat": secs(testLeeway)})},

		// Issuer, audience, subject.
		{name: "wrong iss", verifier: "hs", want: auth.ReasonIssuer, token: hs(map[string]any{"iss": "https://evil.example"})},
		{name: "missing iss", verifier: "hs", want: auth.ReasonMissingClaim, token: hs(map[string]any{"iss": nil})},
		{name: "wrong aud", verifier: "hs", want: auth.ReasonAudience, token: hs(map[string]any{"aud": "other"})},
		{name: "aud array without ours", verifier: "hs", want: auth.ReasonAudience, token: hs(map[string]any{"aud": []string{"a", "b"}})},
		{name: "missing aud", verifier: "hs", want: auth.ReasonMissingClaim, token: hs(map[string]any{"aud": nil})},
		{name: "empty aud", verifier: "hs", want: auth.ReasonMissingClaim, token: hs(map[string]any{"aud": ""})},
		{name: "missing sub", verifier: "hs", want: auth.ReasonMissingClaim, token: hs(map[string]any{"sub": nil})},

		// Custom claims.
		{name: "mobile too short", verifier: "hs", want: auth.ReasonInvalidMobile, token: hs(map[string]any{"mobile": "98765"})},
		{name: "mobile with country code", verifier: "hs", want: auth.ReasonInvalidMobile, token: hs(map[string]any{"mobile": "+919876543210"})},
		{name: "mobile letters", verifier: "hs", want: auth.ReasonInvalidMobile, token: hs(map[string]any{"mobile": "98765abcde"})},
		{name: "mobile non-ASCII digits", verifier: "hs", want: auth.ReasonInvalidMobile, token: hs(map[string]any{"mobile": "٩٨٧٦٥٤٣٢١٠"})},
		{name: "mobile empty", verifier: "hs", want: auth.ReasonInvalidMobile, token: hs(map[string]any{"mobile": ""})},
		{name: "mobile number", verifier: "hs", want: auth.ReasonInvalidMobile, token: hs(map[string]any{"mobile": 9876543210})},
		{name: "mobile null", verifier: "hs", want: auth.ReasonInvalidMobile, token: func(t testing.TB) string {
			return hmacToken(t, map[string]any{"alg": "HS256"}, claims(t0, map[string]any{"mobile": jsonNull{}}), testSecret)
		}},
		{name: "products empty array", verifier: "hs", want: auth.ReasonInvalidProducts, token: hs(map[string]any{"products": []string{}})},
		{name: "products empty string", verifier: "hs", want: auth.ReasonInvalidProducts, token: hs(map[string]any{"products": ""})},
		{name: "products number", verifier: "hs", want: auth.ReasonInvalidProducts, token: hs(map[string]any{"products": 5})},
		{name: "products with empty id", verifier: "hs", want: auth.ReasonInvalidProducts, token: hs(map[string]any{"products": []string{"p1", ""}})},
		{name: "scope number", verifier: "hs", want: auth.ReasonInvalidScope, token: hs(map[string]any{"scope": 7})},

		// Not tokens.
		{name: "empty", verifier: "hs", want: "missing", token: func(testing.TB) string { return "" }},
		{name: "garbage", verifier: "hs", want: auth.ReasonMalformed, token: func(testing.TB) string { return "not a token" }},
		{name: "three dots", verifier: "hs", want: auth.ReasonMalformed, token: func(testing.TB) string { return "a.b.c" }},
		{name: "four segments", verifier: "hs", want: auth.ReasonMalformed, token: func(t testing.TB) string {
			return sign(t, jwt.SigningMethodHS256, testSecret, "", claims(t0, nil)) + ".x"
		}},
		{name: "padded segments", verifier: "hs", want: auth.ReasonMalformed, token: func(t testing.TB) string {
			p := strings.Split(sign(t, jwt.SigningMethodHS256, testSecret, "", claims(t0, map[string]any{"sub": "ab"})), ".")
			return p[0] + "==." + p[1] + "." + p[2]
		}},
		{name: "claims not JSON", verifier: "hs", want: auth.ReasonMalformed, token: func(t testing.TB) string {
			p := strings.Split(hs(nil)(t), ".")
			return p[0] + ".bm90IGpzb24." + p[2]
		}},
		{name: "1 MB token", verifier: "hs", want: auth.ReasonTooLarge, token: func(t testing.TB) string {
			// alg none would give ReasonAlgorithm: ReasonTooLarge shows the
			// size is checked before anything is parsed.
			return rawToken(t, map[string]any{"alg": "none"}, claims(t0, map[string]any{"pad": strings.Repeat("a", 1<<20)}), nil)
		}},
	}
}

// jsonNull marshals as JSON null (a nil map value would delete the claim).
type jsonNull struct{}

func (jsonNull) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

func TestVerify(t *testing.T) {
	clk := newClock()
	vs := staticVerifiers(t, clk)
	for _, tc := range verifyCases() {
		t.Run(tc.name, func(t *testing.T) {
			tok := tc.token(t)
			p, err := vs[tc.verifier].Verify(t.Context(), tok)
			what := "Verify(" + desc(tok) + ")"
			checkErr(t, what, err, tc.want)
			if err != nil && tok != "" && strings.Contains(err.Error(), tok) {
				t.Errorf("%s error contains the token", what)
			}
			if tc.want == "" && err == nil {
				if p.Subject == "" {
					t.Errorf("%s Subject is empty", what)
				}
				if tc.wantP != nil {
					if diff := cmp.Diff(*tc.wantP, p); diff != "" {
						t.Errorf("%s principal mismatch (-want +got):\n%s", what, diff)
					}
				}
			}
		})
	}
}

// TestVerifyErrorsWrapCause checks that callers can still match the
// golang-jwt error behind a reason.
func TestVerifyErrorsWrapCause(t *testing.T) {
	clk := newClock()
	v := newVerifier(t, auth.Config{HS256Secret: testSecret}, clk)
	tok := hs(nil)(t)
	clk.Advance(2 * time.Hour)
	_, err := v.Verify(t.Context(), tok)
	if !errors.Is(err, jwt.ErrTokenExpired) || !errors.Is(err, auth.ErrInvalidToken) {
		t.Errorf("Verify(expired) error = %v, want ErrInvalidToken wrapping jwt.ErrTokenExpired", err)
	}
	if got, want := err.Error(), "auth: invalid token: expired"; got != want {
		t.Errorf("Verify(expired) error text = %q, want %q", got, want)
	}
}

func TestVerifyMaxTokenBytes(t *testing.T) {
	clk := newClock()
	tok := hs(nil)(t)
	for _, tc := range []struct {
		max  int
		want string
	}{
		{max: len(tok), want: ""},
		{max: len(tok) - 1, want: auth.ReasonTooLarge},
	} {
		v := newVerifier(t, auth.Config{HS256Secret: testSecret, MaxTokenBytes: tc.max}, clk)
		_, err := v.Verify(t.Context(), tok)
		checkErr(t, "Verify(token of max+"+map[bool]string{true: "0", false: "1"}[tc.want == ""]+" bytes)", err, tc.want)
	}
}

func TestNewVerifierConfig(t *testing.T) {
	rsa1024 := mustRSA(t, 1024)
	p384, err := ecdsaP384()
	if err != nil {
		t.Fatal(err)
	}
	ok := auth.Config{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience}
	tests := []struct {
		name    string
		edit    func(*auth.Config)
		wantErr bool
	}{
		{"valid", func(*auth.Config) {}, false},
		{"no key source", func(c *auth.Config) { c.HS256Secret = nil }, true},
		{"two key sources", func(c *auth.Config) { c.PublicKeyPEM = publicPEM(t, edKey().Public()) }, true},
		{"short secret", func(c *auth.Config) { c.HS256Secret = testSecret[:31] }, true},
		{"empty secret", func(c *auth.Config) { c.HS256Secret = []byte{} }, true},
		{"no issuer", func(c *auth.Config) { c.Issuer = "" }, true},
		{"no audience", func(c *auth.Config) { c.Audience = "" }, true},
		{"leeway too large", func(c *auth.Config) { c.Leeway = time.Hour }, true},
		{"negative leeway", func(c *auth.Config) { c.Leeway = -time.Second }, true},
		{"negative max size", func(c *auth.Config) { c.MaxTokenBytes = -1 }, true},
		{"JWKS over plain http", func(c *auth.Config) { c.HS256Secret, c.JWKSURL = nil, "http://idp.example/jwks" }, true},
		{"JWKS ftp", func(c *auth.Config) { c.HS256Secret, c.JWKSURL = nil, "ftp://idp.example/jwks" }, true},
		{"RSA 1024 PEM", func(c *auth.Config) { c.HS256Secret, c.PublicKeyPEM = nil, publicPEM(t, rsa1024.Public()) }, true},
		{"P-384 PEM", func(c *auth.Config) { c.HS256Secret, c.PublicKeyPEM = nil, publicPEM(t, p384.Public()) }, true},
		{"private key PEM", func(c *auth.Config) { c.HS256Secret, c.PublicKeyPEM = nil, privatePEM(t, ecKey()) }, true},
		{"garbage PEM", func(c *auth.Config) { c.HS256Secret, c.PublicKeyPEM = nil, []byte("not pem") }, true},
		{"RSA PUBLIC KEY PEM", func(c *auth.Config) { c.HS256Secret, c.PublicKeyPEM = nil, pkcs1PEM(rsaKey()) }, false},
		{"certificate PEM", func(c *auth.Config) { c.HS256Secret, c.PublicKeyPEM = nil, certPEM(t, edKey()) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.edit(&cfg)
			_, err := auth.NewVerifier(t.Context(), cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("NewVerifier(%s) error = %v, want error %v", tc.name, err, tc.wantErr)
			}
			if err != nil && len(cfg.HS256Secret) > 0 && strings.Contains(err.Error(), string(cfg.HS256Secret)) {
				t.Errorf("NewVerifier(%s) error reveals the secret", tc.name)
			}
		})
	}
}
