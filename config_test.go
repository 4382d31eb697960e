package main

import (
	"io"
	"testing"
	"time"
)

// TestJWTVerifiedCacheTTL checks how JWT_VERIFIED_CACHE_TTL reaches the
// verifier: unset is a minute, 0 turns the cache off (a negative TTL for
// auth.Config), a negative duration is a configuration error.
func TestJWTVerifiedCacheTTL(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    time.Duration
		wantErr bool
	}{
		{"", time.Minute, false},
		{"0", -1, false},
		{"5m", 5 * time.Minute, false},
		{"-1s", 0, true},
		{"soon", 0, true},
	} {
		env := map[string]string{}
		if tc.env != "" {
			env["JWT_VERIFIED_CACHE_TTL"] = tc.env
		}
		cfg, err := parseConfig("serve", nil, func(k string) string { return env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("JWT_VERIFIED_CACHE_TTL=%q: parseConfig error = %v, want error %v", tc.env, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		ac, err := cfg.authConfig(nil)
		if err != nil {
			t.Fatalf("authConfig: %v", err)
		}
		if ac.VerifiedCacheTTL != tc.want {
			t.Errorf("JWT_VERIFIED_CACHE_TTL=%q: VerifiedCacheTTL = %v, want %v", tc.env, ac.VerifiedCacheTTL, tc.want)
		}
	}
}
