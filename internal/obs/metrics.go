// Package obs is the service's observability: Prometheus metrics on a private
// registry, OpenTelemetry traces exported only when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, and JSON logs carrying request ids.
//
// Label values never carry caller data: operations are labelled by a capped,
// validated operation name, HTTP requests by their route pattern (never the raw
// path), upstream calls by FinPro endpoint and HTTP status, and outcomes by
// closed sets of codes. Mobile numbers, PANs, tokens and secrets have no way
// into a label.
//
// The series, besides the Go runtime's (go_*) and the process's (process_*):
//
//	bff_graphql_operations_total{operation, type, outcome}
//	bff_graphql_operation_duration_seconds{operation, type}   histogram
//	bff_graphql_subscriptions_open                            gauge
//	bff_graphql_subscription_events_total{operation}
//	bff_finpro_calls_total{endpoint, status, class}
//	bff_finpro_call_duration_seconds{endpoint}                histogram
//	bff_loader_loads_total{loader,result}                     counter
//	bff_finpro_cache_*, when the cache is on (see ObserveCache)
//	bff_webhook_requests_total{outcome}
//	bff_http_requests_total{route, method, status}
//	bff_http_request_duration_seconds{route, method}          histogram
//
// Wiring, outermost first: Trace, RequestID, then Metrics.HTTP directly
// around the *http.ServeMux (see the package example).
package obs

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Namespace prefixes every metric name.
const Namespace = "bff"

// MaxOperationNames is how many distinct GraphQL operation names get a label
// value of their own; later names are counted as "other".
const MaxOperationNames = 200

// Metrics holds the service's Prometheus collectors on a private registry.
// Create it with NewMetrics; its methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	operations   *prometheus.CounterVec
	opDuration   *prometheus.HistogramVec
	subsOpen     prometheus.Gauge
	subEvents    *prometheus.CounterVec
	upstream     *prometheus.CounterVec
	upDuration   *prometheus.HistogramVec
	loaderLoads  *prometheus.CounterVec
	webhooks     *prometheus.CounterVec
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	opNames   *labelSet
	endpoints *labelSet
	loaders   *labelSet
	routes    *labelSet
}

// NewMetrics returns Metrics registered on a fresh registry together with the
// Go runtime and process collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "operations_total",
			Help: "GraphQL operations by operation name, type (query, mutation, subscription) and outcome (ok or the first error's extensions.code).",
		}, []string{"operation", "type", "outcome"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "operation_duration_seconds",
			Help:    "Latency of GraphQL queries and mutations, and the lifetime of subscriptions.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 120, 600, 3600},
		}, []string{"operation", "type"}),
		subsOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "subscriptions_open",
			Help: "Subscriptions currently running.",
		}),
		subEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "subscription_events_total",
			Help: "Responses sent on subscriptions, by operation name.",
		}, []string{"operation"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "finpro", Name: "calls_total",
			Help: "FinPro call attempts by endpoint, HTTP status (0: no response) and class (ok or the error class).",
		}, []string{"endpoint", "status", "class"}),
		upDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "finpro", Name: "call_duration_seconds",
			Help:    "Duration of FinPro call attempts by endpoint.",
			Buckets: prometheus.DefBuckets,
		}, []string{"endpoint"}),
		loaderLoads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "loader", Name: "loads_total",
			Help: "Dataloader loads by loader and result: call (the load called FinPro) or shared (it shared an earlier load's call in the same operation).",
		}, []string{"loader", "result"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "webhook", Name: "requests_total",
			Help: "FinPro webhook deliveries by outcome (stored, ignored, bad_signature, bad_request, too_large, unavailable, other).",
		}, []string{"outcome"}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method (websockets: connection lifetime).",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		opNames:   newLabelSet(MaxOperationNames),
		endpoints: newLabelSet(50),
		loaders:   newLabelSet(20),
		routes:    newLabelSet(100),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.operations, m.opDuration, m.subsOpen, m.subEvents,
		m.upstream, m.upDuration, m.loaderLoads, m.webhooks,
		m.httpRequests, m.httpDuration,
	)
	return m
}

// Registry returns the private registry, for registering further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler returns the /metrics handler (Prometheus text or OpenMetrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// FinproObserver returns a finpro.Options.Observer recording every attempt in
// bff_finpro_calls_total{endpoint, status, class} and
// bff_finpro_call_duration_seconds{endpoint}. status is the HTTP status, "0"
// when no response arrived, or "2xx" for a success whose status CallInfo
// leaves out. FinPro's own errorCode is not a label: the client's Class
// already names it in a closed set.
func (m *Metrics) FinproObserver() func(finpro.CallInfo) {
	return func(ci finpro.CallInfo) {
		ep := m.endpoints.label(ci.Endpoint, isPath)
		class := ci.Class
		if !isIdent(class, 32) {
			class = "other"
		}
		status := statusLabel(ci.Status)
		if ci.Status == 0 && class == "ok" {
			// A success whose status the client did not report: some 2xx.
			status = "2xx"
		}
		m.upstream.WithLabelValues(ep, status, class).Inc()
		if ci.Duration > 0 {
			m.upDuration.WithLabelValues(ep).Observe(ci.Duration.Seconds())
		}
	}
}

// LoaderObserver returns a loaders.Options.OnLoad counting loads in
// bff_loader_loads_total.
func (m *Metrics) LoaderObserver() func(loader string, shared bool) {
	return func(loader string, shared bool) {
		result := "call"
		if shared {
			result = "shared"
		}
		m.loaderLoads.WithLabelValues(m.loaders.label(loader, func(s string) bool { return isIdent(s, 64) }), result).Inc()
	}
}

// statusLabel returns an HTTP status as a label value: its three digits, "0"
// for no response, "other" for anything else.
func statusLabel(code int) string {
	switch {
	case code == 0:
		return "0"
	case code >= 100 && code <= 599:
		return strconv.Itoa(code)
	}
	return "other"
}

// labelSet caps the cardinality of a label fed by values from outside: a value
// must pass a check, and only the first max distinct values get a series.
type labelSet struct {
	mu   sync.RWMutex
	max  int
	seen map[string]struct{}
}

func newLabelSet(max int) *labelSet {
	return &labelSet{max: max, seen: make(map[string]struct{})}
}

// label returns v if ok accepts it and it is one of the first max values seen,
// else "other".
func (s *labelSet) label(v string, ok func(string) bool) string {
	s.mu.RLock()
	_, known := s.seen[v]
	s.mu.RUnlock()
	if known {
		return v
	}
	if !ok(v) {
		return "other"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := s.seen[v]; known {
		return v
	}
	if len(s.seen) >= s.max {
		return "other"
	}
	s.seen[v] = struct{}{}
	return v
}

// isIdent reports whether s is 1..max characters of [A-Za-z0-9_] and not all
// digits (so no phone number or account number can pass as a name).
func isIdent(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		default:
			return false
		}
	}
	return digits < 6 && !secretLike(s)
}

// secretLike reports whether s contains what looks like a PAN
// ([A-Z]{5}[0-9]{4}[A-Z]), a JWT ("eyJ") or a bearer token.
func secretLike(s string) bool {
	if strings.Contains(s, "eyJ") || strings.Contains(strings.ToLower(s), "bearer") {
		return true
	}
	for i := 0; i+10 <= len(s); i++ {
		if isPAN(s[i : i+10]) {
			return true
		}
	}
	return false
}

func isPAN(s string) bool {
	for i := 0; i < 10; i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if (i < 5 || i == 9) && !letter || i >= 5 && i < 9 && !digit {
			return false
		}
	}
	return true
}

// isPath reports whether s looks like a FinPro endpoint path: "/" followed by
// up to 64 characters of [A-Za-z0-9_/-] with few digits.
func isPath(s string) bool {
	if len(s) < 2 || len(s) > 65 || s[0] != '/' {
		return false
	}
	digits := 0
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '/', c == '-':
		default:
			return false
		}
	}
	return digits < 6 && !secretLike(s)
}
