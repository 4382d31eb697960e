// Command finpro-bff is a GraphQL Backend-for-Frontend in front of MoneyOne's
// FinPro FIU platform (India's Account Aggregator ecosystem).
//
// Usage:
//
//	finpro-bff [serve] [flags]   serve the API (default)
//	finpro-bff sandbox [flags]   run the FinPro simulator alone
//	finpro-bff token [flags]     mint a JWT for local use (-sub, -scope, -mobile, -products, -ttl)
//
// serve listens on ADDR (default :8080) and answers:
//
//	POST /graphql, GET /graphql   GraphQL (queries only over GET)
//	/playground                   GraphiQL
//	POST /webhooks/finpro         FinPro webhooks (HMAC-signed)
//	/healthz, /readyz             liveness and readiness
//	/_sandbox/...                 the sandbox's admin API (sandbox mode only)
//
// and on ADMIN_ADDR (default 127.0.0.1:9090) /metrics, /debug/pprof/ and the
// health checks again.
//
// With no FINPRO_BASE_URL it runs against an embedded FinPro sandbox on its own
// loopback port, seeded with demo customers (mobile 9876543210, productID
// PFM_DASHBOARD), so `go run .` needs no configuration. With FINPRO_BASE_URL set,
// FINPRO_CLIENT_ID, FINPRO_CLIENT_SECRET, FINPRO_ORGANISATION_ID,
// FINPRO_APP_IDENTIFIER and FINPRO_WEBHOOK_SECRET are required.
//
// sandbox serves the simulator's FinPro paths and admin API on ADDR (default
// :8090) for pointing another BFF, a benchmark peer or curl at it.
//
// Every flag falls back to an environment variable; run with -h for the list.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/time/rate"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/gqlhttp"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/config"
	"github.com/moneyone-bff/finpro-bff/internal/cors"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/poller"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/fpcache"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
	"github.com/moneyone-bff/finpro-bff/internal/httpguard"
	"github.com/moneyone-bff/finpro-bff/internal/obs"
	"github.com/moneyone-bff/finpro-bff/internal/ratelimit"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
	"github.com/moneyone-bff/finpro-bff/web/playground"
)

// defaultGOGC is the garbage collector's target when the GOGC variable is not
// set. A GraphQL response is built from many short-lived allocations over a
// small live heap, so Go's default of 100 collects every few queries; at 400,
// Q-dashboard throughput rose 27% on one core (BENCHMARKS.md). The heap may
// grow to about five times the live data, so in a container the soft memory
// limit matters: GOMEMLIMIT when set (deploy/ does), else 90% of the
// cgroup's limit (applyContainerMemoryLimit), so that the collector works
// harder near the limit instead.
const defaultGOGC = 400

func main() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGOGC)
	}
	applyContainerMemoryLimit(os.Getenv, cgroupFS())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h: the usage is printed; asking for it is no failure
		}
		fmt.Fprintf(os.Stderr, "finpro-bff: %v\n", err)
		os.Exit(1)
	}
}

// run is the whole program: main only wires the process to it, so tests call it
// with their own arguments, environment and writers.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "sandbox":
		return serveSandbox(ctx, args, getenv, stdout, stderr)
	case "token":
		return mintToken(args, getenv, stdout, stderr)
	default:
		return fmt.Errorf("unknown command %q (want serve, sandbox or token)", cmd)
	}
}

func newLogger(w io.Writer, cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// serve runs the BFF until ctx ends.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg)

	// Listen first: in sandbox mode the simulator's webhooks need our address.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	base := "http://" + loopbackAddr(ln.Addr())

	var (
		sb        *sandbox.Sandbox
		finproURL = cfg.FinproBaseURL
		creds     = cfg.Finpro
	)
	if cfg.SandboxMode() {
		if cfg.WebhookSecret == "" {
			// The embedded sandbox and the webhook intake share a per-process key.
			cfg.WebhookSecret = rand.Text()
		}
		// The playground is served from this listener: let its websocket in.
		_, port, _ := net.SplitHostPort(loopbackAddr(ln.Addr()))
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, "http://127.0.0.1:"+port, "http://localhost:"+port)
		var (
			sbURL  string
			stopSB func()
		)
		sb, sbURL, stopSB, err = startSandbox(cfg, base+"/webhooks/finpro", logger)
		if err != nil {
			return err
		}
		// Deferred, so it outlives the drain of in-flight queries at shutdown.
		defer stopSB()
		finproURL = sbURL
		creds = finpro.Credentials{
			ClientID:       sandbox.DefaultClientID,
			ClientSecret:   sandbox.DefaultClientSecret,
			OrganisationID: sandbox.DefaultOrganisationID,
			AppIdentifier:  sandbox.DefaultAppIdentifier,
		}
		logger.Info("embedded FinPro sandbox", "url", sbURL, "admin", base+"/_sandbox/customers")
	}
	shutdownTracing, err := obs.SetupTracing(ctx, getenv, "finpro-bff")
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	defer shutdownTracing(context.WithoutCancel(ctx))
	metrics := obs.NewMetrics()

	fpOpts := finpro.Options{
		BaseURL:     finproURL,
		Credentials: creds,
		Timeout:     cfg.UpstreamTimeout,
		RetryWindow: cfg.RetryWindow(),
		Logger:      logger,
		Observer:    metrics.FinproObserver(),
	}
	if cfg.Tracing {
		// One span per upstream attempt. Without tracing the client keeps its
		// own pooled transport and pays nothing for it.
		fpOpts.HTTPClient = &http.Client{Transport: obs.Transport(upstreamTransport())}
	}
	fp, err := finpro.New(fpOpts)
	if err != nil {
		return err
	}

	// The cache of FinPro reads hears every event of the live feed (its
	// invalidations) and asks the stream for its read barrier.
	var cache *fpcache.Cache
	bopts := broker.Options{
		URL:      cfg.NATSURL,
		StoreDir: cfg.NATSStoreDir,
		Replicas: cfg.NATSReplicas,
		Logger:   logger,
	}
	if cfg.Cache {
		cache = fpcache.New(fpcache.Options{TTL: cfg.CacheTTL, MaxBytes: cfg.CacheMaxBytes})
		bopts.Cache = cache
	}
	eventBroker, err := broker.New(bopts)
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	defer eventBroker.Close()
	if cache != nil {
		metrics.ObserveCache(func() obs.CacheStats { return obs.CacheStats(cache.Stats()) })
		cache.SetFeed(eventBroker)
	}
	// An existing cluster takes milliseconds. One that is unreachable (or
	// still electing) does not keep the server from serving: /readyz says
	// why it is not ready until the broker gets there.
	wctx, wcancel := context.WithTimeout(ctx, natsStartupWait)
	if err := eventBroker.WaitReady(wctx); err != nil {
		logger.Warn("serving before NATS JetStream is ready; /readyz answers 503 until it is", "err", err)
	}
	wcancel()
	if cfg.ConsentPollInterval > 0 {
		go poller.New(eventBroker, fp, cfg.ConsentPollInterval, logger).Run(ctx)
	}

	ac, err := cfg.AuthConfig(logger)
	if err != nil {
		return err
	}
	verifier, err := auth.NewVerifier(ctx, ac)
	if err != nil {
		return fmt.Errorf("token verification: %w", err)
	}

	var ready atomic.Bool
	stopAdmin, err := startAdmin(cfg.AdminAddr, adminHandler(metrics, &ready), stdout, logger)
	if err != nil {
		return err
	}
	// Deferred: metrics stay readable while the public listener drains.
	defer stopAdmin()
	live := &liveConnections{sessions: newSessions(cfg), draining: make(chan struct{})}
	h, err := newHandler(logger, cfg, fp, cache, sb, eventBroker, verifier, metrics, live, &ready)
	if err != nil {
		return err
	}
	err = serveHTTP(ctx, ln, h, cfg.ShutdownTimeout, logger, live.sessions.Wait, func() {
		ready.Store(true)
		printBanner(stdout, ln.Addr(), base)
		if cfg.SandboxMode() {
			printExposure(stdout, logger, ln.Addr(), "ADDR=:8080")
			printDevTokens(stdout, cfg)
		}
	}, func() {
		ready.Store(false)
		live.drain() // HTTP subscription streams complete, so Shutdown need not wait them out
	})
	return err
}

// natsStartupWait is how long run waits for the events broker before it
// serves anyway (not ready).
const natsStartupWait = 5 * time.Second

// serveHTTP serves h on ln until ctx ends, then shuts down within timeout.
// Requests derive from a context that outlives ctx, so Shutdown drains in-flight
// queries instead of cancelling them; hijacked connections (websockets), which
// Shutdown neither closes nor waits for, end when connCtx is cancelled after it;
// wait, when not nil, then waits for them (within the same timeout) so that
// every subscription's complete and close frame are written before return.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, timeout time.Duration, logger *slog.Logger, wait func(context.Context) error, started, stopping func()) error {
	connCtx, endConns := context.WithCancel(context.WithoutCancel(ctx))
	defer endConns()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return connCtx },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String())
	started()

	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	stopping()
	logger.Info("shutting down", "timeout", timeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	endConns()
	if wait != nil {
		if werr := wait(sctx); werr != nil {
			logger.Warn("websockets still closing at the shutdown timeout", "err", werr)
		}
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// startSandbox starts the embedded FinPro simulator on its own loopback port, so
// the BFF reaches it over real HTTP exactly as it reaches FinPro. stop closes
// its listener and the simulator.
func startSandbox(cfg *config.Config, webhookURL string, logger *slog.Logger) (sb *sandbox.Sandbox, url string, stop func(), err error) {
	sb, err = sandbox.New(sandbox.Config{
		Seed:           cfg.SandboxSeed,
		Latency:        cfg.SandboxLatency,
		FetchDelay:     cfg.SandboxFetchDelay,
		FetchOutcomes:  cfg.SandboxFetchOutcomes,
		TxnsPerAccount: cfg.SandboxTxnsPerAccount,
		// The AA page is served at the BFF's own address (/_sandbox/), so a
		// browser on the playground's origin reaches it.
		PublicURL:      config.SandboxBaseURL(cfg.Addr),
		WebhookURL:     webhookURL,
		WebhookSecret:  cfg.WebhookSecret,
		WebhookHeader:  cfg.WebhookHeader,
		WebhookRetries: cfg.SandboxWebhookRetries,
		Logger:         logger,
	})
	if err != nil {
		return nil, "", nil, fmt.Errorf("sandbox: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		sb.Close()
		return nil, "", nil, fmt.Errorf("sandbox listen: %w", err)
	}
	srv := &http.Server{Handler: sb.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("sandbox stopped", "err", err)
		}
	}()
	stop = func() {
		srv.Close()
		sb.Close()
	}
	return sb, "http://" + ln.Addr().String(), stop, nil
}

// serveSandbox runs the FinPro simulator alone.
func serveSandbox(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Parse("sandbox", args, func(k string) string {
		if k == "ADDR" && getenv("ADDR") == "" {
			return "127.0.0.1:8090" // the admin API is unauthenticated
		}
		return getenv(k)
	}, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, cfg)
	sb, err := sandbox.New(sandbox.Config{
		Seed:           cfg.SandboxSeed,
		Latency:        cfg.SandboxLatency,
		FetchDelay:     cfg.SandboxFetchDelay,
		FetchOutcomes:  cfg.SandboxFetchOutcomes,
		TxnsPerAccount: cfg.SandboxTxnsPerAccount,
		WebhookURL:     getenv("SANDBOX_WEBHOOK_URL"),
		WebhookSecret:  cfg.WebhookSecret,
		WebhookHeader:  cfg.WebhookHeader,
		WebhookRetries: cfg.SandboxWebhookRetries,
		Logger:         logger,
	})
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer sb.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	return serveHTTP(ctx, ln, sb.Handler(), cfg.ShutdownTimeout, logger, nil, func() {
		fmt.Fprintf(stdout, "FinPro sandbox serving on http://%s (client_id %s)\n", loopbackAddr(ln.Addr()), sandbox.DefaultClientID)
		printExposure(stdout, logger, ln.Addr(), "ADDR=:8090")
	}, func() {})
}

// printBanner says where the BFF really listens (all interfaces or one
// address), the URLs to use, and whether the playground bundle is embedded.
func printBanner(stdout io.Writer, a net.Addr, base string) {
	where := a.String()
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		where = fmt.Sprintf("port %d on every interface", tcp.Port)
	}
	fmt.Fprintf(stdout, "finpro-bff listening on %s\n  GraphQL     %s/graphql\n", where, base)
	if playground.Built() {
		fmt.Fprintf(stdout, "  playground  %s%s\n", base, playground.Prefix)
	} else {
		fmt.Fprintf(stdout, "  playground  not built: run `make playground` and rebuild\n")
	}
}

// printExposure says whom a sandbox listener is reachable by: its admin API
// approves and revokes consents without authentication and its tokens are
// signed with a dev secret, so off-loopback is a choice to be told about.
func printExposure(stdout io.Writer, logger *slog.Logger, a net.Addr, expose string) {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		fmt.Fprintf(stdout, "sandbox mode: listening on loopback only; set %s to accept other machines\n", expose)
		return
	}
	fmt.Fprintf(stdout, "sandbox mode: listening beyond loopback (%s): anyone who can reach it can approve consents and mint tokens\n", a)
	logger.Warn("sandbox mode on a non-loopback address", "addr", a.String())
}

// printDevTokens prints ready-to-paste tokens for the sandbox: one for a
// partner app (any customer) and one bound to the demo customer (for me).
func printDevTokens(w io.Writer, cfg *config.Config) {
	for _, t := range []struct{ label, mobile string }{
		{"dev token, any customer", ""},
		{"dev token, demo customer " + sandbox.DemoMobile + " (for me)", sandbox.DemoMobile},
	} {
		tok, err := devToken(cfg, t.mobile)
		if err != nil {
			fmt.Fprintf(w, "%s: cannot mint: %v\n", t.label, err)
			continue
		}
		fmt.Fprintf(w, "%s (24h):\n  Authorization: Bearer %s\n", t.label, tok)
	}
}

// devToken mints a sandbox dev token with every scope, bound to mobile when it
// is not empty, valid for auth.MaxMintTTL.
func devToken(cfg *config.Config, mobile string) (string, error) {
	return auth.Mint(auth.MintOptions{
		Secret:   []byte(cfg.JWTHS256Secret),
		Issuer:   cfg.JWTIssuer,
		Audience: cfg.JWTAudience,
		Subject:  "sandbox-dev",
		Scopes:   auth.DevScopes(),
		Mobile:   mobile,
		TTL:      auth.MaxMintTTL,
	})
}

// loopbackAddr turns a wildcard listen address into one a local client can dial.
func loopbackAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}

// newHandler is the BFF's whole HTTP surface.
func newHandler(logger *slog.Logger, cfg *config.Config, fp *finpro.Client, cache *fpcache.Cache, sb *sandbox.Sandbox, eventBroker *broker.Broker, verifier *auth.Verifier, metrics *obs.Metrics, live *liveConnections, ready *atomic.Bool) (http.Handler, error) {
	exts, rateLimit, err := protections(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	handleHealth(mux, ready, eventBroker.Ready)
	guards := newServerGuards(cfg)
	ws := graph.WebsocketConfig{
		AllowedOrigins: cfg.AllowedOrigins,
		// Browsers cannot set headers on a websocket: the token arrives in
		// connection_init and is checked by the same verifier as HTTP's; the
		// socket then counts against its principal and ends at the token's
		// exp (ws.go).
		InitFunc:    websocketInit(auth.WebsocketInit(verifier, wsgorilla.RejectInit), cfg.WSMaxSocketsPerPrincipal, guards.authFailed),
		InitTimeout: cfg.WSInitTimeout,
		// Websocket messages follow COMPRESS_MIN_BYTES too
		// (permessage-deflate, where the client offers it).
		CompressMinBytes: wsCompressMin(cfg.CompressMinBytes),
	}
	gql := graph.NewHandler(graph.Config{
		Options: resolvers.Options{
			FinPro:        fp,
			Logger:        logger,
			Events:        eventBroker,
			Replay:        eventBroker.ReplayStore(),
			FetchCooldown: cfg.FetchCooldown(),
			Returns:       cfg.Returns,
		},
		Websocket:  ws,
		Extensions: append(exts, metrics.GraphQLExtension()),
		HTTPSubscriptions: gqlhttp.Options{
			Draining:    live.draining,
			MaxPerKey:   cfg.WSMaxSocketsPerPrincipal,
			Established: httpguard.Release,
		},

		NodeIDSecret: cfg.NodeIDKey(),

		LoaderObserver: metrics.LoaderObserver(),
		Cache:          cache,
		// The playground needs introspection; outside sandbox mode the schema
		// is published as a file instead.
		Introspection: cfg.SandboxMode(),
	})
	guard.Configure(gql, cfg.Limits, cfg.SandboxMode())
	// Outermost first: the client address, cheap HTTP checks (method,
	// content type, size, batches), the client address's failed
	// authentications, then identity (websocket upgrades pass: their identity
	// comes with connection_init), then the per-principal rate limit.
	// Sessions sit next to gqlgen: they see each websocket's whole life.
	h := guards.outer(guard.HTTP(cfg.Limits)(guards.beforeAuth(auth.Middleware(verifier, guards.onAuthError)(rateLimit(live.sessions.Middleware(gql))))))
	// CORS outermost: a browser's preflight carries no token and must be
	// answered before authentication.
	crossOrigin := cors.Handler(cors.Options{
		Origins:       cfg.AllowedOrigins,
		ExposeHeaders: []string{"Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-Id"},
	})
	compress, err := compression(cfg.CompressMinBytes)
	if err != nil {
		return nil, fmt.Errorf("compression: %w", err)
	}
	mux.Handle("/graphql", compress(crossOrigin(ws.CheckOrigin(h))))
	// The SDL for codegen (introspection is off outside sandbox mode): for
	// callers with a valid token, whatever its scopes.
	mux.Handle("/graphql/schema.graphql", compress(crossOrigin(auth.Middleware(verifier, nil)(graph.SchemaHandler()))))
	mux.Handle("/webhooks/finpro", metrics.Webhook(webhook.Handler(eventBroker, webhook.Options{
		Secret:         []byte(cfg.WebhookSecret),
		Header:         cfg.WebhookHeader,
		StoreTimeout:   cfg.WebhookStoreTimeout,
		PreviousSecret: []byte(cfg.WebhookPreviousSecret),
		PreviousUntil:  cfg.WebhookPreviousUntil,
		MaxAge:         cfg.WebhookMaxAge,
		Logger:         logger,
	})))
	pg := playground.Handler(playground.Options{DefaultHeaders: playgroundHeaders(cfg)})
	mux.Handle(playground.Prefix, pg)
	mux.Handle(playground.Prefix+"/", pg)
	if sb != nil {
		mux.Handle("/_sandbox/", purgeOnChange(sb.Handler(), cache))
	}
	// Outermost first: a span per request (only with tracing on: the
	// middleware costs microseconds per request even with the no-op
	// provider), a request id and access log, then metrics by route pattern
	// (which needs the mux itself).
	out := obs.RequestID(logger)(metrics.HTTP(mux))
	if cfg.Tracing {
		out = obs.Trace(out)
	}
	return out, nil
}

// playgroundHeaders prefills the playground's headers editor with the demo
// customer's dev token in sandbox mode; never with a production credential.
func playgroundHeaders(cfg *config.Config) string {
	if !cfg.SandboxMode() || cfg.JWTHS256Secret == "" {
		return ""
	}
	tok, err := devToken(cfg, sandbox.DemoMobile)
	if err != nil {
		return ""
	}
	b, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + tok})
	return string(b)
}

// upstreamTransport is a pooled transport sized for fan-out to one host.
func upstreamTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// protections returns the gqlgen extensions of trusted documents and the rate
// limit, and the rate limit's HTTP middleware.
func protections(cfg *config.Config) ([]graphql.HandlerExtension, func(http.Handler) http.Handler, error) {
	var exts []graphql.HandlerExtension
	if cfg.TrustedDocumentsFile != "" {
		td, err := guard.LoadTrustedDocuments(cfg.TrustedDocumentsFile)
		if err != nil {
			return nil, nil, fmt.Errorf("TRUSTED_DOCUMENTS_FILE: %w", err)
		}
		// Partner apps (tokens not bound to a customer) run listed documents
		// only; first-party apps may use automatic persisted queries.
		enforce := func(ctx context.Context) bool {
			p, ok := auth.PrincipalFrom(ctx)
			return cfg.TrustedDocumentsFor == "all" || !ok || !p.Bound()
		}
		exts = append(exts, td.Extension(enforce))
	}
	if cfg.RatePerSecond == 0 {
		return exts, func(h http.Handler) http.Handler { return h }, nil
	}
	rl := ratelimit.New(ratelimit.Config{PerSecond: rate.Limit(cfg.RatePerSecond), Burst: cfg.RateBurst})
	return append(exts, rl.Extension()), rl.Middleware, nil
}

// wsCompressMin is graph.WebsocketConfig.CompressMinBytes for
// COMPRESS_MIN_BYTES: -1 (off) stays off, 0 (everything) compresses every
// message.
func wsCompressMin(httpMin int) int {
	if httpMin < 0 {
		return 0
	}
	return max(httpMin, 1)
}

// purgeOnChange empties the cache of FinPro reads after every request of the
// sandbox's admin API that may change its state (faults, transactions,
// consent transitions, the AA page): those change FinPro's answers without an
// event, and a playground user or test expects to see them at once.
func purgeOnChange(h http.Handler, cache *fpcache.Cache) http.Handler {
	if cache == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			cache.Purge()
		}
	})
}
