// Package resolvers implements the graph's root and object resolvers, by hand:
// gqlgen generates the interfaces they implement (generated.ResolverRoot) but
// no stubs, so each file here holds its type's resolvers themselves, a few
// lines over the operation's loaders (internal/loaders), a FinPro call for
// mutations, and the domain packages: graph/live (subscriptions over the live
// feed), graph/journey (the consent journey's rules), graph/portfolio (a
// customer's accounts and their sums), graph/increments (syncIncrementalData's
// kept increments), graph/args (argument checks). Account
// fields are resolved by graph/fitype and its FI-type plugins
// (graph/fitype/plugins).
//
//	query.go         Query: customer, me
//	mutation.go      Mutation: revokeConsent, requestData, syncIncrementalData
//	journey.go       the consent journey: requestConsent, createConsentRedirect,
//	                 completeConsentRedirect, Query.consent, accountAggregators,
//	                 products, Consent.dataStatus, RequestDataPayload.dataStatus,
//	                 AccountDataStatus.account
//	customer.go      Customer: id, consents, accounts, account, totalBalance,
//	                 insights, netWorth
//	consent.go       Consent: accounts (conversions are graph/model's)
//	node.go          Query: node, nodes; placing a consent by reference
//	events.go        Subscription (over graph/live), ConsentStatusEvent.consent,
//	                 DataStatusEvent.consent
//	fi_transaction.go Transaction: detail
//	authz.go         the @auth directive and the customer and product checks,
//	                 over the Principal each resolver reads once (principal)
package resolvers

import (
	"crypto/rand"
	"log/slog"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/fitype/plugins"
	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/increments"
	"github.com/moneyone-bff/finpro-bff/graph/live"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fetchguard"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
)

// DefaultReplayTTL is how long syncIncrementalData results are kept.
const DefaultReplayTTL = 24 * time.Hour

// Options configure a Resolver.
type Options struct {
	// FinPro is the upstream client (required).
	FinPro *finpro.Client
	// Logger receives internal errors and upstream failures.
	Logger *slog.Logger
	// Replay keeps syncIncrementalData results; nil uses an in-memory store.
	Replay replay.Store
	// ReplayTTL is how long results are kept (default DefaultReplayTTL).
	ReplayTTL time.Duration
	// Events streams FinPro's events to subscriptions; nil makes subscriptions
	// fail with UPSTREAM_UNAVAILABLE.
	Events live.EventSource
	// IDs seals the global IDs that would reveal personal data (Customer.id).
	// Every replica needs the same one; nil uses a random key, so such IDs
	// hold only for the process's lifetime.
	IDs *relay.Sealer
	// Returns are the addresses the Account Aggregator may send customers
	// back to (CONSENT_REDIRECT_URLS); empty, consents are requested without
	// an AA page (FinPro /v2/requestconsent).
	Returns *returnurl.List
	// FetchCooldown is the requestData storm guard's window
	// (fetchguard.New: 0 takes its default, negative turns it off).
	FetchCooldown time.Duration
}

// Resolver is the root resolver. It holds only long-lived, concurrency-safe
// dependencies; identity and loaders arrive in the context.
type Resolver struct {
	finpro     *finpro.Client
	fetches    *fetchguard.Guard
	logger     *slog.Logger
	plugins    *fitype.Registry
	live       *live.Feed
	ids        *relay.Sealer
	returns    *returnurl.List
	increments *increments.Syncer
}

var _ generated.ResolverRoot = (*Resolver)(nil)

// New returns the root resolver, with the FI-type plugins of plugins.All
// (see graph/README.md).
func New(opts Options) *Resolver {
	r := &Resolver{
		finpro:  opts.FinPro,
		fetches: fetchguard.New(opts.FinPro, opts.FetchCooldown),
		logger:  opts.Logger,
		live:    live.New(opts.Events, opts.FinPro, opts.Logger),
		ids:     opts.IDs,
		returns: opts.Returns,
		plugins: fitype.NewRegistry(plugins.All()...),
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if opts.Replay == nil {
		opts.Replay = replay.NewMemory()
	}
	if opts.ReplayTTL <= 0 {
		opts.ReplayTTL = DefaultReplayTTL
	}
	r.increments = increments.New(opts.FinPro, opts.Replay, opts.ReplayTTL, r.logger)
	if r.ids == nil {
		r.ids = mustSealer(rand.Text() + rand.Text())
	}
	return r
}

func mustSealer(secret string) *relay.Sealer {
	s, err := relay.NewSealer([]byte(secret))
	if err != nil {
		panic(err) // a random 52-character secret always suffices
	}
	return s
}

// Query returns the Query resolvers.
func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }

// Mutation returns the Mutation resolvers.
func (r *Resolver) Mutation() generated.MutationResolver { return &mutationResolver{r} }

// Customer returns the Customer resolvers.
func (r *Resolver) Customer() generated.CustomerResolver { return &customerResolver{r} }

// RequestDataPayload returns the RequestDataPayload resolvers.
func (r *Resolver) RequestDataPayload() generated.RequestDataPayloadResolver {
	return &requestDataPayloadResolver{r}
}

// AccountDataStatus returns the AccountDataStatus resolvers.
func (r *Resolver) AccountDataStatus() generated.AccountDataStatusResolver {
	return &accountDataStatusResolver{r}
}

// DataStatusEvent returns the DataStatusEvent resolvers.
func (r *Resolver) DataStatusEvent() generated.DataStatusEventResolver {
	return &dataStatusEventResolver{r}
}

// Consent returns the Consent resolvers.
func (r *Resolver) Consent() generated.ConsentResolver { return &consentResolver{r} }

type (
	queryResolver    struct{ *Resolver }
	mutationResolver struct{ *Resolver }
	customerResolver struct{ *Resolver }
	consentResolver  struct{ *Resolver }
)
