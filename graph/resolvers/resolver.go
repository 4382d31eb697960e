// Package resolvers implements the graph's root and object resolvers. They are
// thin: check identity and input, read through the operation's loaders
// (internal/loaders) or call FinPro for mutations, convert. Account fields are
// resolved by the FI-type plugins in graph/fitype.
package resolvers

import (
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
)

// DefaultReplayTTL is how long syncIncrementalData results are kept.
const DefaultReplayTTL = 24 * time.Hour

// Options configure a Resolver.
type Options struct {
	FinPro *finpro.Client
	Logger *slog.Logger
	// Replay keeps syncIncrementalData results; nil uses an in-memory store.
	Replay replay.Store
	// ReplayTTL is how long results are kept (default DefaultReplayTTL).
	ReplayTTL time.Duration
	// Events streams FinPro's events to subscriptions; nil makes subscriptions
	// fail with UPSTREAM_UNAVAILABLE.
	Events EventSource
}

// Resolver is the root resolver. It holds only long-lived, concurrency-safe
// dependencies; identity and loaders arrive in the context.
type Resolver struct {
	finpro    *finpro.Client
	logger    *slog.Logger
	plugins   *fitype.Registry
	replay    replay.Store
	replayTTL time.Duration
	events    EventSource
	syncs     singleflight.Group // one upstream sync per consent and key at a time
}

var _ generated.ResolverRoot = (*Resolver)(nil)

// New returns the root resolver. The FI-type plugins are registered here: one
// line per FI type (see graph/README.md).
func New(opts Options) *Resolver {
	r := &Resolver{
		finpro:    opts.FinPro,
		logger:    opts.Logger,
		replay:    opts.Replay,
		replayTTL: opts.ReplayTTL,
		events:    opts.Events,
		plugins: fitype.NewRegistry(
			fitype.Deposit{},
			fitype.TermDeposit{},
			fitype.RecurringDeposit{},
			fitype.MutualFunds{},
		),
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.replay == nil {
		r.replay = replay.NewMemory()
	}
	if r.replayTTL <= 0 {
		r.replayTTL = DefaultReplayTTL
	}
	return r
}
