// Package guard protects the GraphQL endpoint from expensive, malformed and
// cross-site documents, following the OWASP GraphQL Cheat Sheet and the
// protections of graphql-armor.
//
// It has three layers, each usable alone:
//
//   - [HTTP] is middleware for /graphql that checks what only HTTP has: the
//     method, the Content-Type (JSON only, so a cross-site form or text/plain
//     POST never reaches the executor), the body size and batched (array)
//     bodies.
//   - [Extension] (installed with [Configure]) is a gqlgen handler extension,
//     so it runs for every operation of every transport, websocket operations
//     included: token count, depth, aliases, directives, the operation's cost
//     under the schema's IBM cost directives (@cost, @listSize) and the FinPro
//     calls it could make (@upstream), both estimated before it runs ([Analyze]),
//     a per-operation FinPro call budget while it runs, extensions.cost in
//     every answer, and introspection.
//   - [TrustedDocuments] refuses documents that are not on an allow-list for
//     the callers an enforce func picks (partner apps).
//
// What belongs here: limits on what one request or document may ask,
// whoever sends it. The per-principal request budget is internal/ratelimit's;
// limits per client address (failed tokens, requests in flight) are
// internal/httpguard's.
//
// Refusals follow the API's error contract (internal/apierr): limits are
// COMPLEXITY_LIMIT_EXCEEDED, malformed requests BAD_USER_INPUT, refused
// documents and introspection FORBIDDEN.
//
// Wiring, as server.go does it (newHandler; gqlgen extensions run in srv.Use
// order, so the ones in graph.Config.Extensions run before automatic
// persisted queries and the ones Configure adds after them):
//
//	td, _ := guard.LoadTrustedDocuments(path)
//	rl := ratelimit.New(ratelimit.Config{PerSecond: 10, Burst: 20})
//	srv := graph.NewHandler(graph.Config{
//		Extensions: []graphql.HandlerExtension{td.Extension(enforce), rl.Extension()},
//	}) // then APQ; extension.Introspection only in sandbox mode
//	guard.Configure(srv, limits, introspection) // sees APQ's filled-in query
//	// outermost first: no-store, client address, in-flight bound (httpguard);
//	// these HTTP checks; failed tokens per address (httpguard); the JWT;
//	// the per-principal rate limit; websocket sessions; gqlgen
//	h := outer(guard.HTTP(limits)(beforeAuth(authenticate(rl.Middleware(sessions(srv))))))
//
// Trusted documents must run before APQ; see [TrustedDocuments.Extension].
//
// The HTTP statuses: an operation the extension refuses is a request error
// (no "data"), 200 under application/json and 400 under
// application/graphql-response+json, as the GraphQL-over-HTTP spec says (the
// transport, graph/gqlhttp, decides); FORBIDDEN from the extension is 200 with
// the error in the body, like every other FORBIDDEN of the API; the
// middleware answers 405, 413, 415 and 400 itself.
package guard

import (
	"math"
	"time"

	"github.com/99designs/gqlgen/graphql/errcode"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// init registers COMPLEXITY_LIMIT_EXCEEDED with gqlgen as a protocol error, so
// an operation refused before execution is a request error (no "data"; see
// the package doc for its HTTP status) and a websocket "error" message, like a
// validation failure. gqlgen's registry is a plain map read on every request; writing it
// anywhere but init would race with requests in flight.
func init() {
	errcode.RegisterErrorType(string(apierr.ComplexityLimitExceeded), errcode.KindProtocol)
}

// Limits configures the checks of [HTTP] and [Extension]. For every int field,
// 0 means the default of [DefaultLimits] and a negative value turns the check
// off.
type Limits struct {
	// MaxBodyBytes bounds a POST body (default 1 MiB); larger bodies get 413.
	MaxBodyBytes int64
	// MaxTokens bounds the lexical tokens of a document (default 2000),
	// counted before parsing so a huge document costs little.
	MaxTokens int
	// MaxDepth bounds the nesting of fields (default 12). A root field has
	// depth 1; fragments add no depth of their own.
	MaxDepth int
	// MaxAliases bounds the aliased fields of an operation (default 30),
	// counted with fragments expanded.
	MaxAliases int
	// MaxDirectives bounds the directives of an operation (default 50),
	// counted with fragments expanded.
	MaxDirectives int
	// MaxCost bounds an operation's requested cost under the schema's cost
	// directives (default 50000); see [Analyze].
	MaxCost int
	// MaxFinproCalls bounds the FinPro calls an operation can make under the
	// schema's @upstream directives (default 1000): a query that would make
	// more is refused before its first call.
	MaxFinproCalls int
	// ListSize is the size assumed for a list field the schema gives no
	// @listSize (default 10).
	ListSize int
	// RetryWindow, when positive, is a query's or mutation's retry budget in
	// time: its FinPro calls start no retry whose wait would end later than
	// this after the operation began, so retries of calls made one after
	// another (the consent list, then the accounts' data) cannot add up past
	// it. Zero leaves each call the FinPro client's own window from its
	// start (FINPRO_RETRY_WINDOW sets both).
	RetryWindow time.Duration
}

// The defaults of [DefaultLimits].
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxTokens      = 2000
	DefaultMaxDepth       = 12
	DefaultMaxAliases     = 30
	DefaultMaxDirectives  = 50
	DefaultMaxCost        = 50000
	DefaultMaxFinproCalls = 1000
	DefaultListSize       = 10
)

// DefaultLimits returns the limits used for zero fields.
//
// MaxCost is 50000 and MaxFinproCalls 1000 because the first-party dashboard
// written the natural way (consents(status: [ACTIVE], first: 50), each
// consent's accounts with balance, profile holders and transactions(first: 20))
// costs 21,862 and at most 601 FinPro calls under [Analyze]: the limits leave
// it about twice that headroom, while first: 100 at both levels is refused.
func DefaultLimits() Limits {
	return Limits{
		MaxBodyBytes:   DefaultMaxBodyBytes,
		MaxTokens:      DefaultMaxTokens,
		MaxDepth:       DefaultMaxDepth,
		MaxAliases:     DefaultMaxAliases,
		MaxDirectives:  DefaultMaxDirectives,
		MaxCost:        DefaultMaxCost,
		MaxFinproCalls: DefaultMaxFinproCalls,
		ListSize:       DefaultListSize,
	}
}

// normalized returns l with zero fields set to their defaults.
func (l Limits) normalized() Limits {
	d := DefaultLimits()
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	def := func(v *int, dv int) {
		if *v == 0 {
			*v = dv
		}
	}
	def(&l.MaxTokens, d.MaxTokens)
	def(&l.MaxDepth, d.MaxDepth)
	def(&l.MaxAliases, d.MaxAliases)
	def(&l.MaxDirectives, d.MaxDirectives)
	def(&l.MaxCost, d.MaxCost)
	def(&l.MaxFinproCalls, d.MaxFinproCalls)
	def(&l.ListSize, d.ListSize)
	if l.ListSize < 0 {
		l.ListSize = 1
	}
	return l
}

// exceeds reports whether v is over limit; a negative limit is off.
func exceeds(v, limit int) bool { return limit >= 0 && v > limit }

// satAdd and satMul saturate at math.MaxInt32, so hostile first/last values or
// fragment fan-out cannot overflow a cost.
func satAdd(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt32/b {
		return math.MaxInt32
	}
	return a * b
}
