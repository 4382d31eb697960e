package graph

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/loaders/replay"
)

// Config configures the GraphQL handler.
type Config struct {
	// FinPro is the upstream client (required).
	FinPro *finpro.Client
	// Logger receives internal errors, upstream failures and panics; nil discards.
	Logger *slog.Logger
	// Replay keeps syncIncrementalData results; nil keeps them in memory.
	Replay replay.Store
	// ReplayTTL is how long sync results are kept (default 24h).
	ReplayTTL time.Duration
	// Introspection enables schema introspection (the playground needs it).
	Introspection bool
	// ComplexityLimit rejects operations above this complexity with
	// COMPLEXITY_LIMIT_EXCEEDED; 0 disables the check.
	ComplexityLimit int
	// QueryCacheSize is the parsed-query LRU size (default 1000).
	QueryCacheSize int
	// APQCacheSize is the automatic persisted query LRU size (default 100).
	APQCacheSize int
}

// NewHandler returns the GraphQL server: OPTIONS, GET (queries only) and POST
// transports, a parsed-query cache, automatic persisted queries, per-operation
// loaders, and the error presenter and recover func of the error contract.
// Callers add more transports (the websocket) with AddTransport.
func NewHandler(cfg Config) *handler.Server {
	if cfg.FinPro == nil {
		panic("graph: NewHandler needs Config.FinPro")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.QueryCacheSize <= 0 {
		cfg.QueryCacheSize = 1000
	}
	if cfg.APQCacheSize <= 0 {
		cfg.APQCacheSize = 100
	}
	r := resolvers.New(resolvers.Options{
		FinPro:    cfg.FinPro,
		Logger:    logger,
		Replay:    cfg.Replay,
		ReplayTTL: cfg.ReplayTTL,
	})
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](cfg.QueryCacheSize))
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](cfg.APQCacheSize)})
	if cfg.ComplexityLimit > 0 {
		srv.Use(extension.FixedComplexityLimit(cfg.ComplexityLimit))
	}
	srv.AroundOperations(withLoaders(cfg.FinPro))
	srv.SetErrorPresenter(errorPresenter(logger))
	srv.SetRecoverFunc(recoverFunc(logger))
	return srv
}

// withLoaders attaches fresh loaders to every operation. Doing it per operation
// (not per HTTP request) gives each websocket operation its own; a
// subscription's loaders forget their cache after every batch, so its events
// never see stale data.
func withLoaders(c *finpro.Client) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		l := loaders.New(c)
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
			l = loaders.NewLongLived(c)
		}
		return next(loaders.With(ctx, l))
	}
}
