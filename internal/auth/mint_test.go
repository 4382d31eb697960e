package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

func TestMintVerifies(t *testing.T) {
	clk := newClock()
	v := newVerifier(t, auth.Config{HS256Secret: testSecret}, clk)
	tests := []struct {
		name string
		opts auth.MintOptions
		want auth.Principal
	}{
		{
			name: "dev token",
			opts: auth.MintOptions{Subject: "dev", Scopes: auth.DevScopes()},
			want: auth.Principal{Subject: "dev", Scopes: auth.DevScopes(), ExpiresAt: t0.Add(auth.DefaultMintTTL)},
		},
		{
			name: "bound and limited",
			opts: auth.MintOptions{
				Subject: "app-1", Scopes: []string{auth.ScopeBalancesRead}, Mobile: "9876543210",
				Products: []string{"p1"}, TTL: 10 * time.Minute,
			},
			want: auth.Principal{
				Subject: "app-1", Scopes: []string{auth.ScopeBalancesRead}, Mobile: "9876543210",
				Products: []string{"p1"}, ExpiresAt: t0.Add(10 * time.Minute),
			},
		},
		{
			name: "no scopes, longest ttl",
			opts: auth.MintOptions{Subject: "s", TTL: auth.MaxMintTTL},
			want: auth.Principal{Subject: "s", ExpiresAt: t0.Add(auth.MaxMintTTL)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Secret, o.Issuer, o.Audience, o.Now = testSecret, testIssuer, testAudience, clk.Now
			tok, err := auth.Mint(o)
			if err != nil {
				t.Fatalf("Mint: %v", err)
			}
			p, err := v.Verify(t.Context(), tok)
			if err != nil {
				t.Fatalf("Verify(Mint(...)) error = %v, want nil", err)
			}
			if diff := cmp.Diff(tc.want, p); diff != "" {
				t.Errorf("Verify(Mint(...)) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMintExpires(t *testing.T) {
	clk := newClock()
	v := newVerifier(t, auth.Config{HS256Secret: testSecret}, clk)
	tok, err := auth.Mint(auth.MintOptions{
		Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Subject: "s",
		TTL: time.Minute, Now: clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute + testLeeway)
	_, err = v.Verify(t.Context(), tok)
	checkErr(t, "Verify(minted token after ttl+leeway)", err, auth.ReasonExpired)
}

func TestMintOtherVerifierRefuses(t *testing.T) {
	clk := newClock()
	base := auth.MintOptions{Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Subject: "s", Now: clk.Now}
	for _, tc := range []struct {
		name string
		edit func(*auth.MintOptions)
		want string
	}{
		{"other secret", func(o *auth.MintOptions) { o.Secret = []byte(strings.Repeat("z", 32)) }, auth.ReasonSignature},
		{"other issuer", func(o *auth.MintOptions) { o.Issuer = "other" }, auth.ReasonIssuer},
		{"other audience", func(o *auth.MintOptions) { o.Audience = "other" }, auth.ReasonAudience},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			tc.edit(&o)
			tok, err := auth.Mint(o)
			if err != nil {
				t.Fatal(err)
			}
			v := newVerifier(t, auth.Config{HS256Secret: testSecret}, clk)
			_, err = v.Verify(t.Context(), tok)
			checkErr(t, "Verify(Mint(...))", err, tc.want)
		})
	}
}

func TestMintInvalidOptions(t *testing.T) {
	base := auth.MintOptions{Secret: testSecret, Issuer: testIssuer, Audience: testAudience, Subject: "s"}
	for _, tc := range []struct {
		name string
		edit func(*auth.MintOptions)
	}{
		{"no secret", func(o *auth.MintOptions) { o.Secret = nil }},
		{"short secret", func(o *auth.MintOptions) { o.Secret = testSecret[:31] }},
		{"no issuer", func(o *auth.MintOptions) { o.Issuer = "" }},
		{"no audience", func(o *auth.MintOptions) { o.Audience = "" }},
		{"no subject", func(o *auth.MintOptions) { o.Subject = "" }},
		{"scope with space", func(o *auth.MintOptions) { o.Scopes = []string{"a b"} }},
		{"empty scope", func(o *auth.MintOptions) { o.Scopes = []string{""} }},
		{"bad mobile", func(o *auth.MintOptions) { o.Mobile = "12345" }},
		{"empty product", func(o *auth.MintOptions) { o.Products = []string{""} }},
		{"ttl too long", func(o *auth.MintOptions) { o.TTL = auth.MaxMintTTL + time.Second }},
		{"negative ttl", func(o *auth.MintOptions) { o.TTL = -time.Second }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			tc.edit(&o)
			tok, err := auth.Mint(o)
			if err == nil {
				t.Fatalf("Mint(%s) = %s, nil; want error", tc.name, desc(tok))
			}
			if strings.Contains(err.Error(), string(testSecret[:16])) {
				t.Errorf("Mint(%s) error reveals the secret", tc.name)
			}
		})
	}
}
