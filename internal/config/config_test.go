package config

import (
	"errors"
	"flag"
	"io"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strings"
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
		cfg, err := Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("JWT_VERIFIED_CACHE_TTL=%q: Parse error = %v, want error %v", tc.env, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		ac, err := cfg.AuthConfig(nil)
		if err != nil {
			t.Fatalf("authConfig: %v", err)
		}
		if ac.VerifiedCacheTTL != tc.want {
			t.Errorf("JWT_VERIFIED_CACHE_TTL=%q: VerifiedCacheTTL = %v, want %v", tc.env, ac.VerifiedCacheTTL, tc.want)
		}
	}
}

// TestFinproResilienceSettings checks how FINPRO_RETRY_WINDOW and
// FINPRO_FI_REQUEST_COOLDOWN reach the client and the fetch guard: unset is
// 1s and 1m, 0 turns each off (negative for finpro), a negative duration is a
// configuration error.
func TestFinproResilienceSettings(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		get       func(*Config) time.Duration
		want      time.Duration
		wantErr   bool
	}{
		{"FINPRO_RETRY_WINDOW", "", (*Config).RetryWindow, time.Second, false},
		{"FINPRO_RETRY_WINDOW", "0", (*Config).RetryWindow, -1, false},
		{"FINPRO_RETRY_WINDOW", "250ms", (*Config).RetryWindow, 250 * time.Millisecond, false},
		{"FINPRO_RETRY_WINDOW", "-1s", nil, 0, true},
		{"FINPRO_FI_REQUEST_COOLDOWN", "", (*Config).FetchCooldown, time.Minute, false},
		{"FINPRO_FI_REQUEST_COOLDOWN", "0", (*Config).FetchCooldown, -1, false},
		{"FINPRO_FI_REQUEST_COOLDOWN", "10m", (*Config).FetchCooldown, 10 * time.Minute, false},
		{"FINPRO_FI_REQUEST_COOLDOWN", "soon", nil, 0, true},
	} {
		env := map[string]string{}
		if tc.env != "" {
			env[tc.name] = tc.env
		}
		cfg, err := Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s=%q: Parse error = %v, want error %v", tc.name, tc.env, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got := tc.get(cfg); got != tc.want {
			t.Errorf("%s=%q: value for finpro = %v, want %v", tc.name, tc.env, got, tc.want)
		}
	}
}

// TestCacheSettings checks FINPRO_CACHE, FINPRO_CACHE_TTL and
// FINPRO_CACHE_MAX_BYTES: on, 5m and 64 MiB when unset; off turns the cache
// off; a TTL that is not a positive duration and a bound under 1 MiB are
// configuration errors.
func TestCacheSettings(t *testing.T) {
	for _, tc := range []struct {
		env     map[string]string
		on      bool
		ttl     time.Duration
		max     int64
		wantErr string
	}{
		{env: nil, on: true, ttl: 5 * time.Minute, max: 64 << 20},
		{env: map[string]string{"FINPRO_CACHE": "off"}, on: false, ttl: 5 * time.Minute, max: 64 << 20},
		{env: map[string]string{"FINPRO_CACHE": "ON", "FINPRO_CACHE_TTL": "30s", "FINPRO_CACHE_MAX_BYTES": "1048576"}, on: true, ttl: 30 * time.Second, max: 1 << 20},
		{env: map[string]string{"FINPRO_CACHE": "maybe"}, wantErr: "FINPRO_CACHE"},
		{env: map[string]string{"FINPRO_CACHE_TTL": "0"}, wantErr: "FINPRO_CACHE_TTL"},
		{env: map[string]string{"FINPRO_CACHE_TTL": "-1m"}, wantErr: "FINPRO_CACHE_TTL"},
		{env: map[string]string{"FINPRO_CACHE_MAX_BYTES": "1000"}, wantErr: "FINPRO_CACHE_MAX_BYTES"},
		{env: map[string]string{"FINPRO_CACHE_MAX_BYTES": "64MiB"}, wantErr: "FINPRO_CACHE_MAX_BYTES"},
	} {
		cfg, err := Parse("serve", nil, func(k string) string { return tc.env[k] }, io.Discard)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v: Parse error = %v, want one naming %s", tc.env, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: Parse: %v", tc.env, err)
			continue
		}
		if cfg.Cache != tc.on || cfg.CacheTTL != tc.ttl || cfg.CacheMaxBytes != tc.max {
			t.Errorf("%v: cache %v, TTL %v, max %d; want %v, %v, %d", tc.env, cfg.Cache, cfg.CacheTTL, cfg.CacheMaxBytes, tc.on, tc.ttl, tc.max)
		}
	}
	// The flags are the settings' kebab case and win over the environment.
	cfg, err := Parse("serve", []string{"-finpro-cache=off", "-finpro-cache-ttl=1m", "-finpro-cache-max-bytes=2097152"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Cache || cfg.CacheTTL != time.Minute || cfg.CacheMaxBytes != 2<<20 {
		t.Errorf("flags: cache %v, TTL %v, max %d", cfg.Cache, cfg.CacheTTL, cfg.CacheMaxBytes)
	}
}

// TestSandboxFetchSettings checks SANDBOX_FETCH_DELAY and
// SANDBOX_FETCH_OUTCOMES: defaults, parsed values and refused ones.
func TestSandboxFetchSettings(t *testing.T) {
	for _, tc := range []struct {
		env          map[string]string
		wantDelay    time.Duration
		wantOutcomes map[string]string
		wantErr      bool
	}{
		{map[string]string{}, 0, map[string]string{}, false},
		{map[string]string{"SANDBOX_FETCH_DELAY": "3s", "SANDBOX_FETCH_OUTCOMES": "HDFC-FIP=timeout,lr-1=DENIED"}, 3 * time.Second,
			map[string]string{"HDFC-FIP": "TIMEOUT", "lr-1": "DENIED"}, false},
		{map[string]string{"SANDBOX_FETCH_DELAY": "-1s"}, 0, nil, true},
		{map[string]string{"SANDBOX_FETCH_OUTCOMES": "HDFC-FIP=LATER"}, 0, nil, true},
	} {
		cfg, err := Parse("serve", nil, func(k string) string { return tc.env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("%v: Parse error = %v, want error %v", tc.env, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if cfg.SandboxFetchDelay != tc.wantDelay || !maps.Equal(cfg.SandboxFetchOutcomes, tc.wantOutcomes) {
			t.Errorf("%v: delay %v, outcomes %v; want %v, %v", tc.env, cfg.SandboxFetchDelay, cfg.SandboxFetchOutcomes, tc.wantDelay, tc.wantOutcomes)
		}
	}
}

// TestAdminAddrDefault: the operator endpoints stay on loopback unless
// ADMIN_ADDR says otherwise, in sandbox mode and in production.
func TestAdminAddrDefault(t *testing.T) {
	for _, env := range []map[string]string{
		{},
		{"FINPRO_BASE_URL": "https://finpro.example", "JWT_HS256_SECRET": strings.Repeat("k", 32), "JWT_ISSUER": "i", "JWT_AUDIENCE": "a"},
		{"ADMIN_ADDR": ":9191"},
	} {
		cfg, _ := Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
		want := "127.0.0.1:9090"
		if v, ok := env["ADMIN_ADDR"]; ok {
			want = v
		}
		if cfg == nil {
			t.Fatalf("env %v: no config", env)
		}
		if cfg.AdminAddr != want {
			t.Errorf("env %v: AdminAddr = %s, want %s", env, cfg.AdminAddr, want)
		}
	}
}

// TestWebhookDeliverySettings checks FINPRO_WEBHOOK_STORE_TIMEOUT (how long
// the intake keeps trying to store through a NATS failover) and
// SANDBOX_WEBHOOK_RETRIES (the sandbox sender's schedule): defaults, parsed
// values and refused ones.
func TestWebhookDeliverySettings(t *testing.T) {
	for _, tc := range []struct {
		env         map[string]string
		wantTimeout time.Duration
		wantRetries []time.Duration
		wantErr     bool
	}{
		{map[string]string{}, 4 * time.Second,
			[]time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour}, false},
		{map[string]string{"FINPRO_WEBHOOK_STORE_TIMEOUT": "2500ms", "SANDBOX_WEBHOOK_RETRIES": "100ms,200ms,400ms"}, 2500 * time.Millisecond,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}, false},
		{map[string]string{"SANDBOX_WEBHOOK_RETRIES": "none"}, 4 * time.Second, []time.Duration{}, false},
		{map[string]string{"FINPRO_WEBHOOK_STORE_TIMEOUT": "0"}, 0, nil, true},
		{map[string]string{"FINPRO_WEBHOOK_STORE_TIMEOUT": "-1s"}, 0, nil, true},
		{map[string]string{"SANDBOX_WEBHOOK_RETRIES": "30s,later"}, 0, nil, true},
	} {
		cfg, err := Parse("serve", nil, func(k string) string { return tc.env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("%v: Parse error = %v, want error %v", tc.env, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if cfg.WebhookStoreTimeout != tc.wantTimeout || !slices.Equal(cfg.SandboxWebhookRetries, tc.wantRetries) {
			t.Errorf("%v: store timeout %v, retries %v; want %v, %v", tc.env, cfg.WebhookStoreTimeout, cfg.SandboxWebhookRetries, tc.wantTimeout, tc.wantRetries)
		}
	}
}

func TestSandboxTxnsPerAccount(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    int
		wantErr bool
	}{{"", 0, false}, {"10000", 10000, false}, {"-1", 0, true}, {"200001", 0, true}, {"many", 0, true}} {
		env := map[string]string{"SANDBOX_TXNS_PER_ACCOUNT": tc.env}
		cfg, err := Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("SANDBOX_TXNS_PER_ACCOUNT=%q: error %v, want error %v", tc.env, err, tc.wantErr)
		} else if err == nil && cfg.SandboxTxnsPerAccount != tc.want {
			t.Errorf("SANDBOX_TXNS_PER_ACCOUNT=%q: %d, want %d", tc.env, cfg.SandboxTxnsPerAccount, tc.want)
		}
	}
}

// TestWebhookSecuritySettings checks FINPRO_WEBHOOK_MAX_AGE and the
// rotation pair FINPRO_WEBHOOK_PREVIOUS_SECRET(_UNTIL): defaults, parsed
// values, and the combinations refused.
func TestWebhookSecuritySettings(t *testing.T) {
	until := time.Date(2026, 1, 31, 12, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		env       map[string]string
		wantAge   time.Duration
		wantUntil time.Time
		wantErr   bool
	}{
		{map[string]string{}, time.Hour, time.Time{}, false},
		{map[string]string{"FINPRO_WEBHOOK_MAX_AGE": "15m"}, 15 * time.Minute, time.Time{}, false},
		{map[string]string{"FINPRO_WEBHOOK_PREVIOUS_SECRET": "old", "FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL": "2026-01-31T18:00:00+05:30"}, time.Hour, until, false},
		{map[string]string{"FINPRO_WEBHOOK_MAX_AGE": "0"}, 0, time.Time{}, true},
		{map[string]string{"FINPRO_WEBHOOK_MAX_AGE": "a while"}, 0, time.Time{}, true},
		{map[string]string{"FINPRO_WEBHOOK_PREVIOUS_SECRET": "old"}, 0, time.Time{}, true},
		{map[string]string{"FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL": "2026-01-31T18:00:00+05:30"}, 0, time.Time{}, true},
		{map[string]string{"FINPRO_WEBHOOK_PREVIOUS_SECRET": "old", "FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL": "tomorrow"}, 0, time.Time{}, true},
	} {
		cfg, err := Parse("serve", nil, func(k string) string { return tc.env[k] }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("%v: Parse error = %v, want error %v", tc.env, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if cfg.WebhookMaxAge != tc.wantAge || !cfg.WebhookPreviousUntil.Equal(tc.wantUntil) {
			t.Errorf("%v: max age %v, previous until %v; want %v, %v", tc.env, cfg.WebhookMaxAge, cfg.WebhookPreviousUntil, tc.wantAge, tc.wantUntil)
		}
	}
}

// TestFlagNames checks that every flag is the kebab case of the environment
// variable its usage names, as the README says.
func TestFlagNames(t *testing.T) {
	var names []string
	// Parse defines its flags on a fresh set; -h lists them all.
	var usage strings.Builder
	_, err := Parse("serve", []string{"-h"}, func(string) string { return "" }, &usage)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Parse(-h) = %v", err)
	}
	re := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)[^\n]*\n(?:\s+[^\n]*\n)*?[^\n]*\(env ([A-Z0-9_]+)\)`)
	for _, m := range re.FindAllStringSubmatch(usage.String(), -1) {
		names = append(names, m[1])
		if want := strings.ReplaceAll(strings.ToLower(m[2]), "_", "-"); m[1] != want {
			t.Errorf("flag -%s sets %s: want -%s", m[1], m[2], want)
		}
	}
	if len(names) < 30 {
		t.Errorf("found %d flags in the usage, want every setting's", len(names))
	}
}

// TestRenamedFlags checks that the flag names of earlier releases still set
// their setting, with a warning, and that -h lists only today's names.
func TestRenamedFlags(t *testing.T) {
	env := map[string]string{"FINPRO_WEBHOOK_PREVIOUS_SECRET": "old-secret", "FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL": "2026-01-01T00:00:00Z"}
	getenv := func(k string) string { return env[k] }
	values := map[string]string{ // a valid value for each renamed setting
		"finpro-timeout": "3s", "finpro-fi-request-cooldown": "2m", "finpro-webhook-store-timeout": "2s",
		"finpro-webhook-max-age": "30m", "finpro-webhook-previous-secret-until": "2026-01-31T18:00:00+05:30",
		"finpro-webhook-signature-header": "X-Sig", "trusted-documents-file": "docs.json",
		"graphql-max-depth": "7", "graphql-max-aliases": "8", "graphql-max-directives": "9", "graphql-max-tokens": "99",
		"graphql-max-cost": "999", "graphql-max-finpro-calls": "77", "graphql-max-body-bytes": "4096",
		"rate-limit-per-second": "5", "rate-limit-burst": "6",
	}
	if len(values) != len(renamedFlags) {
		t.Fatalf("test covers %d renamed flags, there are %d", len(values), len(renamedFlags))
	}
	for old, nw := range renamedFlags {
		v, ok := values[nw]
		if !ok {
			t.Fatalf("no test value for -%s", nw)
		}
		for _, args := range [][]string{{"-" + old, v}, {"--" + old + "=" + v}} {
			var warn strings.Builder
			got, err := Parse("serve", args, getenv, &warn)
			if err != nil {
				t.Fatalf("%q: %v", args, err)
			}
			want, err := Parse("serve", []string{"-" + nw, v}, getenv, io.Discard)
			if err != nil {
				t.Fatalf("-%s %s: %v", nw, v, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q set something else than -%s %s", args, nw, v)
			}
			if !strings.Contains(warn.String(), "flag -"+old+" is now -"+nw) {
				t.Errorf("%q: warning %q, want one naming -%s", args, warn.String(), nw)
			}
		}
	}
	var usage strings.Builder
	if _, err := Parse("serve", []string{"-h"}, getenv, &usage); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("Parse(-h) = %v", err)
	}
	for old := range renamedFlags {
		if regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(old) + `(?:[ \t]|$)`).MatchString(usage.String()) {
			t.Errorf("-h lists the old name -%s", old)
		}
	}
	if _, err := Parse("serve", []string{"--", "-max-cost", "1"}, getenv, io.Discard); err == nil {
		t.Error(`arguments after "--" were read as flags`)
	}
}
