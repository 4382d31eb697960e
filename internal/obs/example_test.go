package obs_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/obs"
)

// Example shows the wiring of a server: tracing from the environment, the
// upstream client's observer and transport, the GraphQL extension, the
// webhook's outcomes, and the HTTP middleware around the mux.
func Example() {
	ctx := context.Background()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	shutdown, err := obs.SetupTracing(ctx, os.Getenv, "finpro-bff")
	if err != nil {
		logger.Error("tracing off", "err", err)
	}
	defer shutdown(ctx)

	m := obs.NewMetrics()
	client, err := finpro.New(finpro.Options{
		BaseURL:    "https://tenant-uat.moneyone.in",
		Observer:   m.FinproObserver(),
		HTTPClient: &http.Client{Transport: obs.Transport(nil)},
	})
	if err != nil {
		return
	}
	gql := graph.NewHandler(graph.Config{
		Options: resolvers.Options{
			FinPro: client,
			Logger: logger,
		},
		Extensions: []graphql.HandlerExtension{m.GraphQLExtension()},
	})
	var webhook http.Handler = http.NotFoundHandler() // the events webhook

	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	mux.Handle("POST /webhook", m.Webhook(webhook))
	mux.Handle("GET /metrics", m.Handler())
	// m.HTTP wraps the mux itself so it knows each request's route pattern;
	// RequestID and Trace may sit further out, with other middleware between.
	srv := &http.Server{Handler: obs.Trace(obs.RequestID(logger)(m.HTTP(mux)))}
	_ = srv
}
