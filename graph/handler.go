package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/gqlhttp"
	"github.com/moneyone-bff/finpro-bff/graph/live"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/fpcache"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
)

// Config configures the GraphQL handler.
type Config struct {
	// Options are the resolvers' dependencies: the FinPro client (required),
	// the logger (nil discards; it also receives the handler's internal
	// errors, upstream failures and panics), the replay store and TTL of
	// syncIncrementalData, the live feed of subscriptions (Events: a
	// *broker.Broker; nil makes subscriptions fail with
	// UPSTREAM_UNAVAILABLE), the global-id sealer, requestData's storm
	// guard window and the Account Aggregator's allowed return addresses.
	// See [resolvers.Options].
	resolvers.Options
	// Introspection enables schema introspection (the playground needs it).
	Introspection bool
	// LoaderObserver, when set, sees every dataloader load: the loader's name
	// and whether the load shared an earlier load's FinPro call (for metrics;
	// see loaders.Options.OnLoad).
	LoaderObserver func(loader string, shared bool)
	// Cache, when set, serves queries' and subscriptions' FinPro reads
	// across operations, below the loaders and so below every authorization
	// check (internal/fpcache); a mutation's reads always go to FinPro. Nil
	// reads FinPro for every operation.
	Cache *fpcache.Cache
	// Extensions run before automatic persisted queries, in order: query
	// protection, trusted documents and rate limits (internal/guard) go here,
	// so a trusted document is checked before APQ could register it. None may
	// be a graphql.FieldInterceptor (NewHandler panics): plain scalar fields
	// are marshalled without field middleware (graph/internal/gqlgenpatch).
	Extensions []graphql.HandlerExtension
	// MaxBodyBytes, when positive, bounds a POST body (the HTTP middleware in
	// front usually does, with 413).
	MaxBodyBytes int64
	// QueryCacheSize is the parsed-query LRU size (default 1000).
	QueryCacheSize int
	// APQCacheSize is the automatic persisted query LRU size (default 100).
	APQCacheSize int
	// Websocket configures the websocket transport of subscriptions.
	Websocket WebsocketConfig
	// HTTPSubscriptions configures subscriptions over plain HTTP
	// (graphql-sse's distinct connections mode and Apollo's multipart
	// subscriptions). Unset Key and ExpiresAt take the caller's principal:
	// streams are counted per token subject and end at the token's exp.
	HTTPSubscriptions gqlhttp.Options
	// NodeIDSecret (at least 32 bytes, the same on every replica) seals the
	// global IDs that would reveal personal data (Customer.id) when
	// Options.IDs is nil. Neither uses a random key: such IDs then hold for
	// the process's lifetime only.
	NodeIDSecret []byte
}

// WebsocketConfig configures the websocket transport (graphql-transport-ws and
// the legacy graphql-ws, on gorilla/websocket).
type WebsocketConfig struct {
	// AllowedOrigins lists the browser origins that may open a websocket
	// (scheme://host[:port]; "*" allows all). A request without an Origin
	// header (a native app) is always allowed; any other origin gets HTTP 403.
	AllowedOrigins []string
	// InitFunc checks connection_init (e.g. verifies the token in its payload
	// and puts the Principal into the context); nil accepts every connection.
	// A rejection closes the connection with 4403 Forbidden; the client sees
	// only the message of an *apierr.Error, any other error as "forbidden".
	InitFunc transport.WebsocketInitFunc
	// InitTimeout is how long a connection may take to send connection_init
	// (default 10s).
	InitTimeout time.Duration
	// KeepAlive is the interval of the server's pings (graphql-transport-ws
	// ping, which the client must answer within two intervals, and graphql-ws
	// "ka") (default 25s).
	KeepAlive time.Duration
	// ReadLimit bounds the size of one client message in bytes (default 64 KiB).
	ReadLimit int64
	// WriteTimeout bounds every write; a client that stops reading is
	// disconnected (default gorillaconn.DefaultWriteTimeout).
	WriteTimeout time.Duration
	// CompressMinBytes, when positive, negotiates permessage-deflate with
	// clients that offer it and compresses messages of at least this many
	// bytes (a dashboard event, not an ack); zero or negative never
	// compresses.
	CompressMinBytes int
}

// Websocket defaults.
const (
	DefaultInitTimeout = 10 * time.Second
	DefaultKeepAlive   = 25 * time.Second
	DefaultReadLimit   = 64 << 10
)

// websocket returns the transport for c: wsgorilla's own (graphql-transport-ws
// and graphql-ws with gqlgen's protocol), which holds one goroutine per
// connection and one per running operation, where gqlgen's transport.Websocket
// holds two more per connection.
func (c WebsocketConfig) websocket() graphql.Transport {
	if c.InitTimeout <= 0 {
		c.InitTimeout = DefaultInitTimeout
	}
	if c.KeepAlive <= 0 {
		c.KeepAlive = DefaultKeepAlive
	}
	if c.ReadLimit <= 0 {
		c.ReadLimit = DefaultReadLimit
	}
	return wsgorilla.Transport{
		// The connections ping (graphql-transport-ws, dropping a client
		// whose pong is missing for two intervals) and send "ka"
		// (graphql-ws) on runtime timers of their own.
		Implementation: gorillaconn.New(gorillaconn.Options{
			AllowedOrigins:    c.AllowedOrigins,
			WriteTimeout:      c.WriteTimeout,
			PingInterval:      c.KeepAlive,
			KeepAlive:         c.KeepAlive,
			EnableCompression: c.CompressMinBytes > 0,
			CompressMinBytes:  c.CompressMinBytes,
		}),
		InitFunc:         rejectWith4403(c.InitFunc),
		InitTimeout:      c.InitTimeout,
		PayloadReadLimit: &c.ReadLimit,
	}
}

// rejectWith4403 wraps an InitFunc so that any rejection closes the connection
// with 4403 Forbidden, and the client (graphql-ws sends the error's text in
// connection_error) sees only a safe message.
func rejectWith4403(f transport.WebsocketInitFunc) transport.WebsocketInitFunc {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		next, ack, err := f(ctx, p)
		if err == nil {
			return live.WithConnectionAck(next), ack, nil
		}
		msg := "forbidden"
		if e, ok := apierr.As(err); ok {
			msg = e.Message
		}
		return wsgorilla.RejectInit(ctx), nil, errors.New(msg)
	}
}

// CheckOrigin returns middleware answering HTTP 403 to websocket upgrades from
// an origin c.AllowedOrigins refuses, before gqlgen sees them. The handler
// refuses them on its own; wrapping it only keeps the refusal out of the logs.
func (c WebsocketConfig) CheckOrigin(next http.Handler) http.Handler {
	return gorillaconn.CheckOrigin(c.AllowedOrigins)(next)
}

// NewHandler returns the GraphQL server: OPTIONS, GET (queries only), POST and
// websocket (subscriptions, see WebsocketConfig) transports, a parsed-query
// cache, automatic persisted queries, per-operation loaders, the @auth
// directive (scopes of the caller's auth.Principal; see graph/README.md), and
// the error presenter and recover func of the error contract.
//
// Open websockets are hijacked connections that http.Server.Shutdown neither
// closes nor waits for: they end, completing their subscriptions, when the
// request's context ends, so serve the handler from a server whose
// BaseContext is cancelled at shutdown.
func NewHandler(cfg Config) *handler.Server {
	if cfg.FinPro == nil {
		panic("graph: NewHandler needs Config.FinPro")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	logger := cfg.Logger
	if cfg.QueryCacheSize <= 0 {
		cfg.QueryCacheSize = 1000
	}
	if cfg.APQCacheSize <= 0 {
		cfg.APQCacheSize = 100
	}
	if cfg.IDs == nil && len(cfg.NodeIDSecret) > 0 {
		s, err := relay.NewSealer(cfg.NodeIDSecret)
		if err != nil {
			panic("graph: NewHandler: " + err.Error())
		}
		cfg.IDs = s
	}
	r := resolvers.New(cfg.Options)
	srv := handler.New(generated.NewExecutableSchema(generated.Config{
		Resolvers:  r,
		Directives: generated.DirectiveRoot{Auth: resolvers.Auth},
	}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(cfg.Websocket.websocket()) // before HTTP: it claims upgrades only
	subs := cfg.HTTPSubscriptions
	if subs.Key == nil {
		subs.Key = func(ctx context.Context) string {
			if p, ok := auth.PrincipalFrom(ctx); ok {
				return "sub:" + p.Subject
			}
			return ""
		}
	}
	if subs.ExpiresAt == nil {
		subs.ExpiresAt = func(ctx context.Context) time.Time {
			p, _ := auth.PrincipalFrom(ctx)
			return p.ExpiresAt
		}
	}
	srv.AddTransport(gqlhttp.Transport{MaxBodyBytes: cfg.MaxBodyBytes, Subscriptions: gqlhttp.NewSubscriptions(subs)})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](cfg.QueryCacheSize))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	for _, ext := range cfg.Extensions {
		if _, ok := ext.(graphql.FieldInterceptor); ok {
			// The generated code marshals plain scalar fields without
			// gqlgen's field middleware (graph/internal/gqlgenpatch,
			// direct.go): such an extension would miss them.
			panic("graph: NewHandler: extension " + ext.ExtensionName() + " intercepts fields, which gqlgenpatch's direct fields skip")
		}
		srv.Use(ext)
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](cfg.APQCacheSize)})
	srv.Use(withLoaders{client: cfg.FinPro, onLoad: cfg.LoaderObserver, counts: loaders.NewCounts(loaders.CountsOptions{}), cache: cfg.Cache})
	srv.SetErrorPresenter(errorPresenter(logger))
	srv.SetRecoverFunc(recoverFunc(logger))
	return srv
}

// withLoaders attaches fresh loaders to every operation and, for a
// subscription, fresh ones again to every event it sends. Doing it per
// operation (not per HTTP request) gives each websocket operation its own
// cache; doing it per event means an event never sees data cached for an
// earlier one, while the fields of one event still share their FinPro calls.
// gqlgen resolves an event's fields inside the response middleware chain,
// with the context that chain passes on.
type withLoaders struct {
	client *finpro.Client
	onLoad func(loader string, shared bool)
	counts *loaders.Counts // transaction counts, shared by every operation
	cache  *fpcache.Cache  // nil: off
}

var (
	_ graphql.HandlerExtension     = withLoaders{}
	_ graphql.OperationInterceptor = withLoaders{}
	_ graphql.ResponseInterceptor  = withLoaders{}
)

func (withLoaders) ExtensionName() string                   { return "Loaders" }
func (withLoaders) Validate(graphql.ExecutableSchema) error { return nil }

func (w withLoaders) attach(ctx context.Context) context.Context {
	o := loaders.Options{OnLoad: w.onLoad, Counts: w.counts}
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		if span, ok := historySpan(oc, time.Now()); ok {
			o.HistoryFrom, o.HistoryTo = span.From, span.To
		}
		if w.cache != nil && oc.Operation != nil && oc.Operation.Operation != ast.Mutation {
			o.Through = func(up loaders.Upstream) loaders.Upstream { return w.cache.View(up) }
		}
	}
	return loaders.With(ctx, loaders.NewWith(w.client, o))
}

// InterceptOperation attaches the operation's loaders (a subscription's
// resolver uses them before its first event).
func (w withLoaders) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := next(w.attach(ctx))
	if oc := graphql.GetOperationContext(ctx); w.cache == nil || oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return h
	}
	// A mutation may have changed consent lists (requestConsent,
	// revokeConsent) in ways no event reports: the next query reads them.
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		w.cache.DropLists()
		return resp
	}
}

// InterceptResponse attaches fresh loaders to each event of a subscription.
func (w withLoaders) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx) // a request error: no operation, nothing to load
	}
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		ctx = w.attach(ctx)
	}
	return next(ctx)
}
