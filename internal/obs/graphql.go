package obs

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// tracerName is the instrumentation scope of this package's spans.
const tracerName = "github.com/moneyone-bff/finpro-bff/internal/obs"

// GraphQLExtension returns a gqlgen extension recording every operation on
// every transport:
//
//   - bff_graphql_operations_total{operation, type, outcome}: operation is the
//     operation name ("anonymous" without one; names that are not 1..64
//     characters of [A-Za-z0-9_], and names after the first
//     MaxOperationNames, count as "other"); outcome is "ok" or the first
//     error's extensions.code. Queries and mutations count when they answer,
//     subscriptions when they end; operations refused before execution
//     (parse, validation, guard) count with type "unknown" when the document
//     could not be read.
//   - bff_graphql_operation_duration_seconds{operation, type}.
//   - bff_graphql_subscriptions_open and bff_graphql_subscription_events_total.
//
// It also starts a span per operation, named "<type> <operation>", with the
// global TracerProvider (see SetupTracing).
func (m *Metrics) GraphQLExtension() graphql.HandlerExtension {
	return &extension{m: m, tracer: otel.Tracer(tracerName)}
}

type extension struct {
	m      *Metrics
	tracer trace.Tracer
}

var (
	_ graphql.HandlerExtension     = (*extension)(nil)
	_ graphql.OperationInterceptor = (*extension)(nil)
	_ graphql.ResponseInterceptor  = (*extension)(nil)
)

// ExtensionName implements graphql.HandlerExtension.
func (*extension) ExtensionName() string { return "Observability" }

// Validate implements graphql.HandlerExtension.
func (*extension) Validate(graphql.ExecutableSchema) error { return nil }

type inOperationKey struct{}

// names returns the operation and type labels of ctx's operation.
func (e *extension) names(ctx context.Context) (name, typ string) {
	name, typ = "anonymous", "unknown"
	if !graphql.HasOperationContext(ctx) {
		return name, typ
	}
	oc := graphql.GetOperationContext(ctx)
	n := oc.OperationName
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if oc.Operation.Name != "" {
			n = oc.Operation.Name
		}
	}
	if n != "" {
		name = e.m.opNames.label(n, func(s string) bool { return isIdent(s, 64) })
	}
	return name, typ
}

// InterceptOperation implements graphql.OperationInterceptor: it times the
// operation, tracks open subscriptions and records the outcome.
func (e *extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	start := time.Now()
	name, typ := e.names(ctx)
	ctx, span := e.tracer.Start(ctx, typ+" "+name, trace.WithAttributes(
		attribute.String("graphql.operation.name", name),
		attribute.String("graphql.operation.type", typ),
	))
	ctx = context.WithValue(ctx, inOperationKey{}, true)
	op := &operation{e: e, name: name, typ: typ, start: start, span: span, outcome: "ok"}
	if typ == "subscription" {
		// Counted before next, which runs the subscription's resolver: from the
		// moment it listens for events, it is open.
		e.m.subsOpen.Inc()
	}
	h := next(ctx)
	if typ != "subscription" {
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			op.observe(resp)
			op.finish()
			return resp
		}
	}
	// A subscription ends when its handler returns nil or, should a panic
	// skip that, when its context ends: whichever comes first.
	stop := context.AfterFunc(ctx, op.finish)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp == nil {
			stop()
			op.finish()
			return nil
		}
		e.m.subEvents.WithLabelValues(name).Inc()
		op.observe(resp)
		return resp
	}
}

// InterceptResponse implements graphql.ResponseInterceptor. Responses of an
// operation are counted by InterceptOperation; this counts the others: errors
// dispatched before execution (parse, validation, refused operations).
func (e *extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if ctx.Value(inOperationKey{}) != nil {
		return resp
	}
	name, typ := e.names(ctx)
	outcome := "ok"
	if resp != nil {
		outcome = outcomeOf(resp.Errors)
	}
	e.m.operations.WithLabelValues(name, typ, outcome).Inc()
	return resp
}

// operation is one running operation's record.
type operation struct {
	e         *extension
	name, typ string
	start     time.Time
	span      trace.Span

	mu      sync.Mutex
	outcome string
	done    bool
}

// observe keeps the first error code seen.
func (op *operation) observe(resp *graphql.Response) {
	if resp == nil || len(resp.Errors) == 0 {
		return
	}
	op.mu.Lock()
	if op.outcome == "ok" {
		op.outcome = outcomeOf(resp.Errors)
	}
	op.mu.Unlock()
}

// finish records the operation once.
func (op *operation) finish() {
	op.mu.Lock()
	if op.done {
		op.mu.Unlock()
		return
	}
	op.done = true
	outcome := op.outcome
	op.mu.Unlock()
	m := op.e.m
	if op.typ == "subscription" {
		m.subsOpen.Dec()
	}
	m.operations.WithLabelValues(op.name, op.typ, outcome).Inc()
	m.opDuration.WithLabelValues(op.name, op.typ).Observe(time.Since(op.start).Seconds())
	if outcome != "ok" {
		op.span.SetStatus(codes.Error, outcome)
	}
	op.span.SetAttributes(attribute.String("graphql.outcome", outcome))
	op.span.End()
}

// outcomeOf returns "ok" for no errors, else the first error's
// extensions.code when it is an identifier, else "error".
func outcomeOf(errs gqlerror.List) string {
	if len(errs) == 0 {
		return "ok"
	}
	if code, ok := errs[0].Extensions["code"].(string); ok && isIdent(code, 48) {
		return code
	}
	return "error"
}
