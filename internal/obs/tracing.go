package obs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// SetupTracing installs the global TracerProvider and propagators when
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set
// in getenv: spans are batched and exported over OTLP/HTTP protobuf to
// <endpoint>/v1/traces (the traces endpoint as given). The exporter's other
// standard variables (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION,
// _CERTIFICATE...) and OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES are read
// from the process environment by the SDK; serviceName is the service.name
// unless OTEL_SERVICE_NAME overrides it.
//
// Without an endpoint nothing is installed: the global provider stays
// OpenTelemetry's no-op, spans cost next to nothing, and shutdown is a no-op.
// Call shutdown before exit to flush buffered spans.
func SetupTracing(ctx context.Context, getenv func(string) string, serviceName string) (shutdown func(context.Context) error, err error) {
	noop := func(context.Context) error { return nil }
	url := tracesURL(getenv)
	if url == "" {
		return noop, nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(url))
	if err != nil {
		return noop, fmt.Errorf("otlp trace exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", serviceName)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
	)
	if err != nil && res == nil {
		return noop, fmt.Errorf("trace resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(res),
	)
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return func(ctx context.Context) error {
		return errors.Join(tp.ForceFlush(ctx), tp.Shutdown(ctx))
	}, nil
}

// tracesURL returns the OTLP/HTTP traces URL from the standard variables, or
// "" when tracing is off.
func tracesURL(getenv func(string) string) string {
	if u := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")); u != "" {
		return u
	}
	u := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_ENDPOINT"))
	if u == "" {
		return ""
	}
	return strings.TrimSuffix(u, "/") + "/v1/traces"
}

// Trace returns middleware starting a server span per HTTP request (and
// continuing a caller's W3C trace context) with the global TracerProvider.
// Put it outside Metrics.HTTP, which renames the span after the route
// pattern; until then the span is named after the method only, so no raw path
// becomes a span name.
func Trace(next http.Handler) http.Handler {
	return otelhttp.NewHandler(next, "http.server",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			if r.Pattern != "" {
				return methodLabel(r.Method) + " " + r.Pattern
			}
			return methodLabel(r.Method)
		}),
	)
}

// Transport returns base (http.DefaultTransport when nil) wrapped to start a
// client span per upstream request, named "finpro <path>", and to propagate
// the trace context. Use it as the Transport of finpro.Options.HTTPClient.
func Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return otelhttp.NewTransport(base,
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return "finpro " + r.URL.Path
		}),
	)
}
