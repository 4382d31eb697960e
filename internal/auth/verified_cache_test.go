package auth_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// TestVerifiedCache checks what remembering verified tokens may and may not
// change, step by step on one verifier per case: a remembered token is never
// accepted past its exp, failures are never remembered, and a key removed
// from the JWKS stops admitting its tokens once VerifiedCacheTTL has passed.
func TestVerifiedCache(t *testing.T) {
	type step struct {
		advance time.Duration
		jwks    []byte // when set, the JWKS now serves this, and a token of an unknown kid forces a refresh
		want    string // "" for accepted, else the error reason
	}
	hs := func(edits map[string]any) string {
		return sign(t, jwt.SigningMethodHS256, testSecret, "", claims(t0, edits))
	}
	for _, tc := range []struct {
		name  string
		cfg   auth.Config
		jwks  bool
		token string
		steps []step
	}{
		{
			name:  "never past exp",
			cfg:   auth.Config{HS256Secret: testSecret, VerifiedCacheTTL: time.Hour},
			token: hs(map[string]any{"exp": t0.Add(10 * time.Second).Unix()}),
			steps: []step{
				{0, nil, ""},
				{9 * time.Second, nil, ""},
				{testLeeway + 2*time.Second, nil, auth.ReasonExpired},
			},
		},
		{
			name:  "failures are not remembered",
			cfg:   auth.Config{HS256Secret: testSecret},
			token: hs(map[string]any{"nbf": t0.Add(time.Hour).Unix()}),
			steps: []step{
				{0, nil, auth.ReasonNotYetValid},
				{time.Hour, nil, ""},
			},
		},
		{
			name:  "cache off: a removed key stops admitting its tokens at once",
			cfg:   auth.Config{VerifiedCacheTTL: -1, JWKSRefreshMinInterval: time.Minute, JWKSCacheTTL: time.Hour},
			jwks:  true,
			token: rsaToken(t, "r1"),
			steps: []step{
				{0, nil, ""},
				{time.Minute, jwksBody(ecJWK("e9", &ecKey().PublicKey)), auth.ReasonUnknownKey},
			},
		},
		{
			name:  "a removed key admits its tokens for at most VerifiedCacheTTL",
			cfg:   auth.Config{VerifiedCacheTTL: 5 * time.Minute, JWKSRefreshMinInterval: time.Minute, JWKSCacheTTL: time.Hour},
			jwks:  true,
			token: rsaToken(t, "r1"),
			steps: []step{
				{0, nil, ""},
				// r1 leaves the JWKS; a token of kid e9 makes the verifier refetch it.
				{time.Minute, jwksBody(ecJWK("e9", &ecKey().PublicKey)), ""},
				{4*time.Minute - time.Second, nil, ""},
				{time.Second, nil, auth.ReasonUnknownKey},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			cfg := tc.cfg
			var srv *jwksServer
			if tc.jwks {
				srv = newJWKSServer(t, rsaJWK("r1", &rsaKey().PublicKey))
				cfg.JWKSURL = srv.URL
			}
			v := newVerifier(t, cfg, clk)
			for i, s := range tc.steps {
				clk.Advance(s.advance)
				if s.jwks != nil {
					srv.set(http.StatusOK, s.jwks)
					other := sign(t, jwt.SigningMethodES256, ecKey(), "e9", claims(clk.Now(), nil))
					if _, err := v.Verify(t.Context(), other); err != nil {
						t.Fatalf("step %d: a token of the new key: %v", i, err)
					}
				}
				_, err := v.Verify(t.Context(), tc.token)
				checkErr(t, fmt.Sprintf("step %d: Verify", i), err, s.want)
			}
		})
	}
}

func TestVerifiedCacheConfig(t *testing.T) {
	_, err := auth.NewVerifier(t.Context(), auth.Config{HS256Secret: testSecret, Issuer: testIssuer, Audience: testAudience, VerifiedCacheSize: -1})
	if err == nil {
		t.Error("NewVerifier(VerifiedCacheSize -1) = nil error, want one")
	}
}

// BenchmarkVerify measures Verify of one HS256 token, as a client resending
// its token sees it, with and without the verified-token cache.
func BenchmarkVerify(b *testing.B) {
	for _, bc := range []struct {
		name string
		ttl  time.Duration
	}{{"cached", 0}, {"uncached", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			clk := newClock()
			v := newVerifier(b, auth.Config{HS256Secret: testSecret, VerifiedCacheTTL: bc.ttl}, clk)
			tok := sign(b, jwt.SigningMethodHS256, testSecret, "", claims(t0, nil))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(b.Context(), tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
