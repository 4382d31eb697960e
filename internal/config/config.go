// Package config reads the server's settings from flags and the environment
// (every flag is its environment variable in kebab case; secrets come from the
// environment only) and checks them all at once, so an operator fixes a
// deployment in one go.
//
// What belongs here: a setting's name, default, parsing and validation, and
// the small conversions of a setting into a package's option (RetryWindow,
// FetchCooldown, AuthConfig). What the server does with a setting is
// server.go's.
package config

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
	"github.com/moneyone-bff/finpro-bff/internal/httpguard"
	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
	"github.com/moneyone-bff/finpro-bff/web/playground"
)

// Config is everything serve and sandbox read from flags and the environment.
// Each flag falls back to its environment variable; secrets come only from the
// environment.
type Config struct {
	Addr string
	// AdminAddr is the operator listener's address (ADMIN_ADDR): /metrics
	// and /debug/pprof/, loopback by default.
	AdminAddr       string
	LogLevel        slog.Level
	LogFormat       string // json or text
	ShutdownTimeout time.Duration

	FinproBaseURL   string // empty: embedded sandbox
	Finpro          finpro.Credentials
	UpstreamTimeout time.Duration
	// FinproRetryWindow is how long after a FinPro call starts a retry may
	// still begin (FINPRO_RETRY_WINDOW); 0 turns retries off.
	FinproRetryWindow time.Duration
	// FIRequestCooldown is how long a data fetch of a consent answers repeats
	// with the same session (FINPRO_FI_REQUEST_COOLDOWN); 0 turns the guard off.
	FIRequestCooldown time.Duration
	// Cache keeps FinPro's read answers across operations until an event
	// invalidates them (FINPRO_CACHE, on by default), for at most CacheTTL
	// (FINPRO_CACHE_TTL) and within CacheMaxBytes (FINPRO_CACHE_MAX_BYTES).
	Cache         bool
	CacheTTL      time.Duration
	CacheMaxBytes int64

	WebhookSecret string
	WebhookHeader string
	// WebhookStoreTimeout is how long the intake keeps trying to store a
	// webhook (a NATS failover) before it answers 503
	// (FINPRO_WEBHOOK_STORE_TIMEOUT).
	WebhookStoreTimeout time.Duration
	// WebhookPreviousSecret is still accepted until WebhookPreviousUntil,
	// during a rotation (FINPRO_WEBHOOK_PREVIOUS_SECRET,
	// FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL).
	WebhookPreviousSecret string
	WebhookPreviousUntil  time.Time
	// WebhookMaxAge is the freshness window of webhook timestamps
	// (FINPRO_WEBHOOK_MAX_AGE).
	WebhookMaxAge time.Duration
	// NodeIDSecret seals the global IDs that would reveal personal data
	// (NODE_ID_SECRET; see NodeIDKey for the default).
	NodeIDSecret string

	JWTHS256Secret   string
	JWTJWKSURL       string
	JWTPublicKeyFile string
	JWTIssuer        string
	JWTAudience      string

	NATSURL        string
	NATSStoreDir   string
	NATSReplicas   int
	AllowedOrigins []string
	// Returns are the addresses the Account Aggregator may send customers
	// back to (CONSENT_REDIRECT_URLS); in sandbox mode the playground by
	// default.
	Returns *returnurl.List
	// ConsentPollInterval turns on the fallback poller of the consent list
	// (for deployments FinPro's webhooks cannot reach); 0 keeps it off.
	ConsentPollInterval time.Duration
	// JWTVerifiedCacheTTL is how long a verified token is trusted without
	// checking it again (never past its exp); 0 turns the cache off.
	JWTVerifiedCacheTTL time.Duration
	// Tracing is set when an OTLP endpoint is configured (the standard
	// OTEL_EXPORTER_OTLP_* variables; see obs.SetupTracing).
	Tracing bool

	// Query protection (internal/guard); 0 takes the guard's default, a
	// negative value turns a check off.
	Limits guard.Limits
	// RatePerSecond and RateBurst limit each principal; RatePerSecond 0 turns
	// the limit off.
	RatePerSecond int
	RateBurst     int
	// TrustedDocumentsFile lists the operations partner apps may run; empty
	// turns trusted documents off. TrustedDocumentsFor is "partners" (callers
	// not bound to a customer) or "all".
	TrustedDocumentsFile string
	TrustedDocumentsFor  string

	// Websocket limits (ws.go): operations running at once on one socket
	// (WS_MAX_OPERATIONS), sockets open at once per principal on one replica
	// (WS_MAX_SOCKETS_PER_PRINCIPAL), 0 = no bound; how long a socket may
	// wait before connection_init (WS_INIT_TIMEOUT).
	WSMaxOperations          int
	WSMaxSocketsPerPrincipal int
	// CompressMinBytes is the smallest HTTP answer compressed with zstd or
	// gzip, and the smallest websocket message compressed with
	// permessage-deflate (COMPRESS_MIN_BYTES); -1 turns compression off.
	CompressMinBytes int
	WSInitTimeout    time.Duration

	// Failed authentications per client address (AUTH_FAILURES_PER_MINUTE,
	// 0 = off, and AUTH_FAILURE_BURST); the client address is the peer's,
	// or X-Forwarded-For's behind TRUSTED_PROXIES.
	AuthFailuresPerMinute int
	AuthFailureBurst      int
	TrustedProxies        []netip.Prefix
	// MaxInFlight bounds the GraphQL HTTP requests served at once
	// (MAX_IN_FLIGHT); the excess gets 503 at once. 0 = no bound.
	MaxInFlight int

	SandboxSeed    int64
	SandboxLatency time.Duration
	// SandboxFetchDelay is how long the sandbox's data fetches take
	// (SANDBOX_FETCH_DELAY); SandboxFetchOutcomes its FIPs' answers by FIP id
	// or link reference (SANDBOX_FETCH_OUTCOMES).
	SandboxFetchDelay    time.Duration
	SandboxFetchOutcomes map[string]string
	// SandboxTxnsPerAccount fills every seeded DEPOSIT history to at least
	// this many transactions (SANDBOX_TXNS_PER_ACCOUNT; 0: the seeded density).
	SandboxTxnsPerAccount int
	// SandboxWebhookRetries are the sandbox sender's waits before each retry
	// of a failed webhook delivery (SANDBOX_WEBHOOK_RETRIES).
	SandboxWebhookRetries []time.Duration
}

// DefaultAdminAddr keeps the operator endpoints on this machine unless
// ADMIN_ADDR says otherwise.
const DefaultAdminAddr = "127.0.0.1:9090"

// SandboxMode reports whether serve runs against the embedded FinPro simulator.
func (c *Config) SandboxMode() bool { return c.FinproBaseURL == "" }

// Parse reads flags from args, falling back to getenv. Every problem is
// reported at once so an operator fixes the deployment in one go.
func Parse(name string, args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var (
		c        Config
		errs     []error
		level    = fs.String("log-level", env("LOG_LEVEL", "info"), "log level: debug, info, warn, error (env LOG_LEVEL)")
		origins  = fs.String("allowed-origins", env("ALLOWED_ORIGINS", ""), "comma-separated browser origins allowed to call /graphql (CORS) and open its websocket (env ALLOWED_ORIGINS)")
		latency  = fs.String("sandbox-latency", env("SANDBOX_LATENCY", "0s"), "added latency of every sandbox FinPro call (env SANDBOX_LATENCY)")
		seed     = fs.String("sandbox-seed", env("SANDBOX_SEED", "1"), "seed of the sandbox's demo data (env SANDBOX_SEED)")
		upstream = fs.String("finpro-timeout", env("FINPRO_TIMEOUT", "10s"), "timeout of one FinPro call attempt (env FINPRO_TIMEOUT)")
		poll     = fs.String("consent-poll-interval", env("CONSENT_POLL_INTERVAL", "0s"), "poll FinPro's consent list this often for customers with live subscribers; 0 = off (env CONSENT_POLL_INTERVAL)")
		shutdown = fs.String("shutdown-timeout", env("SHUTDOWN_TIMEOUT", "15s"), "how long shutdown waits for requests to finish (env SHUTDOWN_TIMEOUT)")
		jwtCache = fs.String("jwt-verified-cache-ttl", env("JWT_VERIFIED_CACHE_TTL", "1m"), "trust a verified token again for this long, never past its exp; 0 = verify every request (env JWT_VERIFIED_CACHE_TTL)")
		retryWin = fs.String("finpro-retry-window", env("FINPRO_RETRY_WINDOW", "1s"), "a FinPro read retries only while its wait ends within this long of the call's start, and of its query's or mutation's start; 0 = no retries (env FINPRO_RETRY_WINDOW)")
		fetchDly = fs.String("sandbox-fetch-delay", env("SANDBOX_FETCH_DELAY", "0s"), "how long a sandbox data fetch takes before its DATA webhook (env SANDBOX_FETCH_DELAY)")
		outcomes = fs.String("sandbox-fetch-outcomes", env("SANDBOX_FETCH_OUTCOMES", ""), "sandbox FIP answers: comma-separated <fipId or linkRef>=DELIVERED|DENIED|TIMEOUT (env SANDBOX_FETCH_OUTCOMES)")
		proxies  = fs.String("trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated addresses or CIDR prefixes of the proxies whose X-Forwarded-For names the client (env TRUSTED_PROXIES)")
		wsInit   = fs.String("ws-init-timeout", env("WS_INIT_TIMEOUT", "10s"), "a websocket that sends no connection_init within this long closes with 4408 (env WS_INIT_TIMEOUT)")
		fiCool   = fs.String("finpro-fi-request-cooldown", env("FINPRO_FI_REQUEST_COOLDOWN", "1m"), "repeated data fetches of a consent within this long get the same session; 0 = off (env FINPRO_FI_REQUEST_COOLDOWN)")
		hookWait = fs.String("finpro-webhook-store-timeout", env("FINPRO_WEBHOOK_STORE_TIMEOUT", "4s"), "how long a webhook may wait to be stored (through a NATS failover) before 503; keep it below FinPro's receiver timeout (env FINPRO_WEBHOOK_STORE_TIMEOUT)")
		hookAge  = fs.String("finpro-webhook-max-age", env("FINPRO_WEBHOOK_MAX_AGE", "1h"), "refuse webhooks whose timestamp is older than this (a replayed capture; at most the 1h dedupe window is safe) (env FINPRO_WEBHOOK_MAX_AGE)")
		hookPrev = fs.String("finpro-webhook-previous-secret-until", env("FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL", ""), "RFC 3339 time until which FINPRO_WEBHOOK_PREVIOUS_SECRET is accepted during a rotation (env FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL)")
		returns  = fs.String("consent-redirect-urls", env("CONSENT_REDIRECT_URLS", ""), "comma-separated addresses the Account Aggregator may send customers back to (https; http only for localhost); requestConsent's redirectURL must be one or below one; default in sandbox mode: the playground (env CONSENT_REDIRECT_URLS)")
		cacheOn  = fs.String("finpro-cache", env("FINPRO_CACHE", "on"), "keep FinPro's read answers in memory across operations until an event says they changed: on or off (env FINPRO_CACHE)")
		cacheTTL = fs.String("finpro-cache-ttl", env("FINPRO_CACHE_TTL", "5m"), "longest a cached FinPro answer is served, events or not (env FINPRO_CACHE_TTL)")
		cacheMax = fs.String("finpro-cache-max-bytes", env("FINPRO_CACHE_MAX_BYTES", "67108864"), "bound of the cache's estimated size in bytes; the least recently used answers go first (env FINPRO_CACHE_MAX_BYTES)")
		hookRetr = fs.String("sandbox-webhook-retries", env("SANDBOX_WEBHOOK_RETRIES", "30s,2m,10m,30m,1h,3h"), "the sandbox's waits before each webhook retry, comma-separated; none = one attempt (env SANDBOX_WEBHOOK_RETRIES)")
	)
	fs.StringVar(&c.Addr, "addr", env("ADDR", ""), "listen address; default :8080, and 127.0.0.1:8080 in sandbox mode (env ADDR)")
	fs.StringVar(&c.AdminAddr, "admin-addr", env("ADMIN_ADDR", DefaultAdminAddr), "listen address of /metrics and /debug/pprof/ (env ADMIN_ADDR)")
	fs.StringVar(&c.LogFormat, "log-format", env("LOG_FORMAT", "json"), "log format: json or text (env LOG_FORMAT)")
	fs.StringVar(&c.FinproBaseURL, "finpro-base-url", env("FINPRO_BASE_URL", ""), "FinPro base URL; empty runs the embedded sandbox (env FINPRO_BASE_URL)")
	fs.StringVar(&c.WebhookHeader, "finpro-webhook-signature-header", env("FINPRO_WEBHOOK_SIGNATURE_HEADER", "X-Signature"), "header carrying FinPro's webhook HMAC (env FINPRO_WEBHOOK_SIGNATURE_HEADER)")
	fs.StringVar(&c.JWTJWKSURL, "jwt-jwks-url", env("JWT_JWKS_URL", ""), "JWKS URL of the token issuer (env JWT_JWKS_URL)")
	fs.StringVar(&c.JWTPublicKeyFile, "jwt-public-key-file", env("JWT_PUBLIC_KEY_FILE", ""), "PEM public key of the token issuer (env JWT_PUBLIC_KEY_FILE)")
	fs.StringVar(&c.JWTIssuer, "jwt-issuer", env("JWT_ISSUER", ""), "required token issuer (env JWT_ISSUER)")
	fs.StringVar(&c.JWTAudience, "jwt-audience", env("JWT_AUDIENCE", ""), "required token audience (env JWT_AUDIENCE)")
	fs.StringVar(&c.NATSStoreDir, "nats-store-dir", env("NATS_STORE_DIR", ""), "embedded NATS JetStream directory; empty keeps events in memory (env NATS_STORE_DIR)")
	fs.StringVar(&c.NATSURL, "nats-url", env("NATS_URL", ""), "NATS cluster URL; empty runs an embedded server (env NATS_URL)")
	fs.StringVar(&c.TrustedDocumentsFile, "trusted-documents-file", env("TRUSTED_DOCUMENTS_FILE", ""), "JSON allow-list of operation hashes; empty = off (env TRUSTED_DOCUMENTS_FILE)")
	fs.StringVar(&c.TrustedDocumentsFor, "trusted-documents-for", env("TRUSTED_DOCUMENTS_FOR", "partners"), "who must use trusted documents: partners or all (env TRUSTED_DOCUMENTS_FOR)")
	ints := []struct {
		name, def, usage string
		out              *int
	}{
		{"GRAPHQL_MAX_DEPTH", "0", "maximum field depth (0 = default 12, -1 = off)", &c.Limits.MaxDepth},
		{"GRAPHQL_MAX_ALIASES", "0", "maximum aliases (0 = default 30, -1 = off)", &c.Limits.MaxAliases},
		{"GRAPHQL_MAX_DIRECTIVES", "0", "maximum directives (0 = default 50, -1 = off)", &c.Limits.MaxDirectives},
		{"GRAPHQL_MAX_TOKENS", "0", "maximum lexical tokens of a document (0 = default 2000, -1 = off)", &c.Limits.MaxTokens},
		{"GRAPHQL_MAX_COST", "0", "maximum operation cost under the schema's cost directives (0 = default 50000, -1 = off)", &c.Limits.MaxCost},
		{"GRAPHQL_MAX_FINPRO_CALLS", "0", "maximum FinPro calls one operation may make (0 = default 1000, -1 = off)", &c.Limits.MaxFinproCalls},
		{"NATS_REPLICAS", "1", "replicas of the JetStream stream and buckets on an external cluster", &c.NATSReplicas},
		{"RATE_LIMIT_PER_SECOND", "100", "requests per second per principal (0 = off)", &c.RatePerSecond},
		{"RATE_LIMIT_BURST", "200", "burst per principal", &c.RateBurst},
		{"AUTH_FAILURES_PER_MINUTE", "10", "failed authentications allowed per client address per minute once the burst is spent (0 = off)", &c.AuthFailuresPerMinute},
		{"AUTH_FAILURE_BURST", "20", "failed authentications a client address may have at once", &c.AuthFailureBurst},
		{"COMPRESS_MIN_BYTES", "1024", "compress HTTP answers (zstd or gzip, as the client accepts) and websocket messages (permessage-deflate, where the client offers it) of at least this many bytes (-1 = off)", &c.CompressMinBytes},
		{"MAX_IN_FLIGHT", "256", "GraphQL HTTP requests served at once; more get 503 with Retry-After at once (0 = no bound)", &c.MaxInFlight},
		{"WS_MAX_OPERATIONS", "20", "operations (subscriptions included) running at once on one websocket (0 = no bound)", &c.WSMaxOperations},
		{"WS_MAX_SOCKETS_PER_PRINCIPAL", "10", "websockets open at once per principal on one replica (0 = no bound)", &c.WSMaxSocketsPerPrincipal},
		{"SANDBOX_TXNS_PER_ACCOUNT", "0", "least transactions of every seeded sandbox DEPOSIT account's 13-month history (0 = the seeded few hundred)", &c.SandboxTxnsPerAccount},
	}
	intFlags := make([]*string, len(ints))
	for i, n := range ints {
		intFlags[i] = fs.String(flagName(n.name), env(n.name, n.def), n.usage+" (env "+n.name+")")
	}
	maxBody := fs.String("graphql-max-body-bytes", env("GRAPHQL_MAX_BODY_BYTES", "0"), "maximum GraphQL request body (0 = default 1 MiB) (env GRAPHQL_MAX_BODY_BYTES)")
	args, renamed := renameFlags(args)
	for _, r := range renamed {
		fmt.Fprintf(stderr, "flag -%s is now -%s (the kebab case of %s); the old name will go\n", r, renamedFlags[r], envOf(fs, renamedFlags[r]))
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	// Secrets: environment only, never flags (flags show up in ps).
	c.Finpro = finpro.Credentials{
		ClientID:       getenv("FINPRO_CLIENT_ID"),
		ClientSecret:   getenv("FINPRO_CLIENT_SECRET"),
		OrganisationID: getenv("FINPRO_ORGANISATION_ID"),
		AppIdentifier:  getenv("FINPRO_APP_IDENTIFIER"),
	}
	c.WebhookSecret = getenv("FINPRO_WEBHOOK_SECRET")
	c.WebhookPreviousSecret = getenv("FINPRO_WEBHOOK_PREVIOUS_SECRET")
	c.Tracing = tracingEnabled(getenv)
	c.JWTHS256Secret = getenv("JWT_HS256_SECRET")
	c.NodeIDSecret = getenv("NODE_ID_SECRET")

	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL %q: want debug, info, warn or error", *level))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("LOG_FORMAT %q: want json or text", c.LogFormat))
	}
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.AllowedOrigins = append(c.AllowedOrigins, o)
		}
	}
	durations := []struct {
		name string
		in   string
		out  *time.Duration
	}{
		{"SANDBOX_LATENCY", *latency, &c.SandboxLatency},
		{"FINPRO_TIMEOUT", *upstream, &c.UpstreamTimeout},
		{"SHUTDOWN_TIMEOUT", *shutdown, &c.ShutdownTimeout},
		{"CONSENT_POLL_INTERVAL", *poll, &c.ConsentPollInterval},
		{"JWT_VERIFIED_CACHE_TTL", *jwtCache, &c.JWTVerifiedCacheTTL},
		{"FINPRO_RETRY_WINDOW", *retryWin, &c.FinproRetryWindow},
		{"FINPRO_FI_REQUEST_COOLDOWN", *fiCool, &c.FIRequestCooldown},
		{"SANDBOX_FETCH_DELAY", *fetchDly, &c.SandboxFetchDelay},
		{"WS_INIT_TIMEOUT", *wsInit, &c.WSInitTimeout},
		{"FINPRO_WEBHOOK_STORE_TIMEOUT", *hookWait, &c.WebhookStoreTimeout},
		{"FINPRO_WEBHOOK_MAX_AGE", *hookAge, &c.WebhookMaxAge},
	}
	for _, d := range durations {
		v, err := time.ParseDuration(d.in)
		if err != nil || v < 0 {
			errs = append(errs, fmt.Errorf("%s %q: want a duration such as 250ms", d.name, d.in))
			continue
		}
		*d.out = v
	}
	// The retry window is per operation too: retries of a query's calls
	// made one after another share it.
	c.Limits.RetryWindow = c.FinproRetryWindow
	for i, n := range ints {
		v, err := strconv.Atoi(*intFlags[i])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q: want an integer", n.name, *intFlags[i]))
			continue
		}
		*n.out = v
	}
	switch strings.ToLower(strings.TrimSpace(*cacheOn)) {
	case "on", "true", "1":
		c.Cache = true
	case "off", "false", "0":
	default:
		errs = append(errs, fmt.Errorf("FINPRO_CACHE %q: want on or off", *cacheOn))
	}
	if d, err := time.ParseDuration(*cacheTTL); err != nil || d <= 0 {
		errs = append(errs, fmt.Errorf("FINPRO_CACHE_TTL %q: want a positive duration such as 5m", *cacheTTL))
	} else {
		c.CacheTTL = d
	}
	if v, err := strconv.ParseInt(*cacheMax, 10, 64); err != nil || v < 1<<20 {
		errs = append(errs, fmt.Errorf("FINPRO_CACHE_MAX_BYTES %q: want a number of bytes, at least 1048576", *cacheMax))
	} else {
		c.CacheMaxBytes = v
	}
	if v, err := strconv.ParseInt(*maxBody, 10, 64); err != nil {
		errs = append(errs, fmt.Errorf("GRAPHQL_MAX_BODY_BYTES %q: want an integer", *maxBody))
	} else {
		c.Limits.MaxBodyBytes = v
	}
	if c.SandboxTxnsPerAccount < 0 || c.SandboxTxnsPerAccount > 200_000 {
		errs = append(errs, fmt.Errorf("SANDBOX_TXNS_PER_ACCOUNT must be between 0 and 200000"))
	}
	if c.RatePerSecond < 0 || c.RateBurst < 1 {
		errs = append(errs, fmt.Errorf("RATE_LIMIT_PER_SECOND must be >= 0 and RATE_LIMIT_BURST >= 1"))
	}
	if c.AuthFailuresPerMinute < 0 || c.AuthFailureBurst < 1 {
		errs = append(errs, fmt.Errorf("AUTH_FAILURES_PER_MINUTE must be >= 0 and AUTH_FAILURE_BURST >= 1"))
	}
	if p, err := httpguard.ParsePrefixes(*proxies); err != nil {
		errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w", err))
	} else {
		c.TrustedProxies = p
	}
	if c.MaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("MAX_IN_FLIGHT must be >= 0"))
	}
	if c.WSMaxOperations < 0 || c.WSMaxSocketsPerPrincipal < 0 {
		errs = append(errs, fmt.Errorf("WS_MAX_OPERATIONS and WS_MAX_SOCKETS_PER_PRINCIPAL must be >= 0"))
	}
	if c.WSInitTimeout == 0 {
		errs = append(errs, fmt.Errorf("WS_INIT_TIMEOUT must be positive"))
	}
	if c.TrustedDocumentsFor != "partners" && c.TrustedDocumentsFor != "all" {
		errs = append(errs, fmt.Errorf("TRUSTED_DOCUMENTS_FOR %q: want partners or all", c.TrustedDocumentsFor))
	}
	if d, err := time.ParseDuration(*hookWait); err == nil && d == 0 {
		errs = append(errs, fmt.Errorf("FINPRO_WEBHOOK_STORE_TIMEOUT must be positive: a webhook needs time to be stored"))
	}
	if d, err := time.ParseDuration(*hookAge); err == nil && d == 0 {
		errs = append(errs, fmt.Errorf("FINPRO_WEBHOOK_MAX_AGE must be positive"))
	}
	switch until := strings.TrimSpace(*hookPrev); {
	case c.WebhookPreviousSecret == "" && until != "":
		errs = append(errs, fmt.Errorf("FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL is set without FINPRO_WEBHOOK_PREVIOUS_SECRET"))
	case c.WebhookPreviousSecret != "" && until == "":
		errs = append(errs, fmt.Errorf("FINPRO_WEBHOOK_PREVIOUS_SECRET needs FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL (RFC 3339): an old secret is accepted for a while, not for ever"))
	case until != "":
		t, err := time.Parse(time.RFC3339, until)
		if err != nil {
			errs = append(errs, fmt.Errorf("FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL %q: want an RFC 3339 time such as 2026-01-31T18:00:00+05:30", until))
		}
		c.WebhookPreviousUntil = t
	}
	if r, err := sandbox.ParseWebhookRetries(*hookRetr); err != nil {
		errs = append(errs, fmt.Errorf("SANDBOX_WEBHOOK_RETRIES: %w", err))
	} else {
		c.SandboxWebhookRetries = r
	}
	if m, err := sandbox.ParseFetchOutcomes(*outcomes); err != nil {
		errs = append(errs, fmt.Errorf("SANDBOX_FETCH_OUTCOMES: %w", err))
	} else {
		c.SandboxFetchOutcomes = m
	}
	if v, err := strconv.ParseInt(*seed, 10, 64); err != nil {
		errs = append(errs, fmt.Errorf("SANDBOX_SEED %q: want an integer", *seed))
	} else {
		c.SandboxSeed = v
	}

	if c.Addr == "" {
		// The sandbox has an unauthenticated admin API and mints tokens with
		// a dev secret: off this machine only when ADDR says so.
		c.Addr = ":8080"
		if c.SandboxMode() {
			c.Addr = "127.0.0.1:8080"
		}
	}
	errs = append(errs, c.JWTDefaults()...)
	if *returns == "" && c.SandboxMode() {
		*returns = sandboxReturnURL(c.Addr)
	}
	if l, err := returnurl.Parse(strings.Split(*returns, ",")); err != nil {
		errs = append(errs, fmt.Errorf("CONSENT_REDIRECT_URLS: %w", err))
	} else {
		c.Returns = l
	}
	if !c.SandboxMode() {
		var missing []string
		for _, s := range []struct{ name, val string }{
			{"FINPRO_CLIENT_ID", c.Finpro.ClientID},
			{"FINPRO_CLIENT_SECRET", c.Finpro.ClientSecret},
			{"FINPRO_ORGANISATION_ID", c.Finpro.OrganisationID},
			{"FINPRO_APP_IDENTIFIER", c.Finpro.AppIdentifier},
			{"FINPRO_WEBHOOK_SECRET", c.WebhookSecret},
		} {
			if s.val == "" {
				missing = append(missing, s.name)
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("FINPRO_BASE_URL is set, so these settings are required: %s", strings.Join(missing, ", ")))
		}
		if !strings.HasPrefix(c.FinproBaseURL, "https://") && !strings.HasPrefix(c.FinproBaseURL, "http://") {
			errs = append(errs, fmt.Errorf("FINPRO_BASE_URL %q: want an http(s) URL", c.FinproBaseURL))
		}
	}
	return &c, errors.Join(errs...)
}

// Sandbox-mode token settings. They exist so that `go run .` and `go run . token`
// agree without configuration; they are never used with a real FinPro.
const (
	SandboxJWTSecret   = "sandbox-only-dev-jwt-secret-do-not-use-in-production"
	SandboxJWTIssuer   = "finpro-bff-sandbox"
	SandboxJWTAudience = "finpro-bff"
)

// JWTDefaults fills the sandbox's token settings when none are given and checks
// that exactly one key source and an issuer and audience are set. Outside
// sandbox mode there is no default secret.
func (c *Config) JWTDefaults() []error {
	sources := 0
	for _, s := range []string{c.JWTHS256Secret, c.JWTJWKSURL, c.JWTPublicKeyFile} {
		if s != "" {
			sources++
		}
	}
	if sources == 0 && c.SandboxMode() {
		c.JWTHS256Secret = SandboxJWTSecret
		sources = 1
	}
	if c.SandboxMode() {
		if c.JWTIssuer == "" {
			c.JWTIssuer = SandboxJWTIssuer
		}
		if c.JWTAudience == "" {
			c.JWTAudience = SandboxJWTAudience
		}
	}
	var errs []error
	switch {
	case sources == 0:
		errs = append(errs, errors.New("no token verification key: set one of JWT_HS256_SECRET, JWT_JWKS_URL, JWT_PUBLIC_KEY_FILE"))
	case sources > 1:
		errs = append(errs, errors.New("set only one of JWT_HS256_SECRET, JWT_JWKS_URL, JWT_PUBLIC_KEY_FILE"))
	}
	if c.JWTHS256Secret != "" && len(c.JWTHS256Secret) < 32 {
		errs = append(errs, errors.New("JWT_HS256_SECRET: want at least 32 bytes"))
	}
	if c.NodeIDSecret != "" && len(c.NodeIDSecret) < 32 {
		errs = append(errs, errors.New("NODE_ID_SECRET: want at least 32 bytes"))
	}
	if c.JWTIssuer == "" {
		errs = append(errs, errors.New("JWT_ISSUER is required"))
	}
	if c.JWTAudience == "" {
		errs = append(errs, errors.New("JWT_AUDIENCE is required"))
	}
	return errs
}

// AuthConfig is the verifier's configuration.
func (c *Config) AuthConfig(logger *slog.Logger) (auth.Config, error) {
	ac := auth.Config{
		HS256Secret: []byte(c.JWTHS256Secret),
		JWKSURL:     c.JWTJWKSURL,
		Issuer:      c.JWTIssuer,
		Audience:    c.JWTAudience,
		Logger:      logger,

		VerifiedCacheTTL: c.JWTVerifiedCacheTTL,
	}
	if c.JWTVerifiedCacheTTL == 0 {
		ac.VerifiedCacheTTL = -1 // 0 in the environment means off
	}
	if c.JWTHS256Secret == "" {
		ac.HS256Secret = nil
	}
	if c.JWTPublicKeyFile != "" {
		pem, err := os.ReadFile(c.JWTPublicKeyFile)
		if err != nil {
			return ac, fmt.Errorf("JWT_PUBLIC_KEY_FILE: %w", err)
		}
		ac.PublicKeyPEM = pem
	}
	return ac, nil
}

// RetryWindow is FINPRO_RETRY_WINDOW as finpro.Options.RetryWindow: 0 in the
// environment means no retries, which the client spells negative.
func (c *Config) RetryWindow() time.Duration {
	if c.FinproRetryWindow == 0 {
		return -1
	}
	return c.FinproRetryWindow
}

// sandboxReturnURL is the default return address in sandbox mode: the
// playground, which completes the journey when the AA sends the user back.
func sandboxReturnURL(addr string) string {
	base := SandboxBaseURL(addr)
	if base == "" {
		return ""
	}
	return base + playground.Prefix + "/"
}

// SandboxBaseURL is the BFF's address as a browser on this machine reaches
// it in sandbox mode; "" when addr is not host:port.
func SandboxBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// FetchCooldown is FINPRO_FI_REQUEST_COOLDOWN as fetchguard.New's
// cooldown: 0 in the environment turns the guard off, which the guard spells
// negative.
func (c *Config) FetchCooldown() time.Duration {
	if c.FIRequestCooldown == 0 {
		return -1
	}
	return c.FIRequestCooldown
}

// NodeIDKey is the key that seals global IDs (relay.NewSealer).
// NODE_ID_SECRET when set; else derived from the FinPro client secret, which
// every replica of a deployment shares and which outlives restarts, so sealed
// IDs held in client caches keep working. Rotating the client secret without
// setting NODE_ID_SECRET changes those IDs: clients then refetch from the root.
func (c *Config) NodeIDKey() []byte {
	if c.NodeIDSecret != "" {
		return []byte(c.NodeIDSecret)
	}
	sum := sha256.Sum256([]byte("finpro-bff node ids\x00" + c.Finpro.ClientSecret))
	return sum[:]
}

// flagName is the flag of the setting in environment variable env: its
// kebab case (GRAPHQL_MAX_COST -> -graphql-max-cost), so the README's table
// names both.
func flagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(env), "_", "-")
}

// tracingEnabled reports whether an OTLP endpoint is configured.
func tracingEnabled(getenv func(string) string) bool {
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// renamedFlags maps the names flags had before every flag became its
// environment variable's kebab case to today's. They still work, unlisted by
// -h and with a warning, so that scripts of the earlier releases keep running.
var renamedFlags = map[string]string{
	"upstream-timeout":              "finpro-timeout",
	"fi-request-cooldown":           "finpro-fi-request-cooldown",
	"webhook-store-timeout":         "finpro-webhook-store-timeout",
	"webhook-max-age":               "finpro-webhook-max-age",
	"webhook-previous-secret-until": "finpro-webhook-previous-secret-until",
	"webhook-signature-header":      "finpro-webhook-signature-header",
	"trusted-documents":             "trusted-documents-file",
	"max-depth":                     "graphql-max-depth",
	"max-aliases":                   "graphql-max-aliases",
	"max-directives":                "graphql-max-directives",
	"max-tokens":                    "graphql-max-tokens",
	"max-cost":                      "graphql-max-cost",
	"max-finpro-calls":              "graphql-max-finpro-calls",
	"max-body-bytes":                "graphql-max-body-bytes",
	"rate-limit":                    "rate-limit-per-second",
	"rate-burst":                    "rate-limit-burst",
}

// renameFlags returns args with the old names of renamedFlags replaced
// (-name, --name, -name=value), and the old names it met. Arguments after
// "--" are left alone.
func renameFlags(args []string) (out, renamed []string) {
	out = make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...), renamed
		}
		dashes := "-"
		if strings.HasPrefix(a, "--") {
			dashes = "--"
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a, dashes), "=")
		if nw, ok := renamedFlags[name]; ok && strings.HasPrefix(a, "-") {
			a = dashes + nw
			if hasValue {
				a += "=" + value
			}
			renamed = append(renamed, name)
		}
		out = append(out, a)
	}
	return out, renamed
}

// envOf returns the environment variable a flag's usage names.
func envOf(fs *flag.FlagSet, name string) string {
	if f := fs.Lookup(name); f != nil {
		if _, env, ok := strings.Cut(f.Usage, "(env "); ok {
			return strings.TrimSuffix(env, ")")
		}
	}
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
