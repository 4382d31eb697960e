package obs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/moneyone-bff/finpro-bff/internal/obs"
)

// restoreGlobalTracing puts back the global TracerProvider when the test ends.
func restoreGlobalTracing(t *testing.T) {
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		otel.SetTracerProvider(prev)
		otel.SetTextMapPropagator(prevProp)
	})
}

func TestSetupTracingOff(t *testing.T) {
	shutdown, err := obs.SetupTracing(t.Context(), func(string) string { return "" }, "obs-test")
	if err != nil {
		t.Fatalf("SetupTracing(no endpoint) error = %v", err)
	}
	if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
		t.Errorf("SetupTracing(no endpoint) installed an SDK TracerProvider, want the no-op left alone")
	}
	if err := shutdown(t.Context()); err != nil {
		t.Errorf("shutdown() = %v, want nil", err)
	}
}

// collector is an OTLP/HTTP traces endpoint recording the spans it receives.
type collector struct {
	mu    sync.Mutex
	spans []*tracepb.Span
	// service is the service.name of the last resource received.
	service string
	bad     []string
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		c.bad = append(c.bad, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
		http.Error(w, "unexpected request", http.StatusBadRequest)
		return
	}
	b, err := io.ReadAll(r.Body)
	var req coltracepb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(b, &req)
	}
	if err != nil {
		c.bad = append(c.bad, "undecodable body")
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	for _, rs := range req.GetResourceSpans() {
		for _, a := range rs.GetResource().GetAttributes() {
			if a.GetKey() == "service.name" {
				c.service = a.GetValue().GetStringValue()
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			c.spans = append(c.spans, ss.GetSpans()...)
		}
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Write(out)
}

// TestSetupTracingExports runs a query with tracing on and checks that the
// HTTP server, operation and upstream spans reach an OTLP/HTTP endpoint, in
// one trace.
func TestSetupTracingExports(t *testing.T) {
	restoreGlobalTracing(t)
	col := &collector{}
	otlp := httptest.NewServer(col)
	defer otlp.Close()
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.URL}
	shutdown, err := obs.SetupTracing(t.Context(), func(k string) string { return env[k] }, "obs-test")
	if err != nil {
		t.Fatalf("SetupTracing(endpoint) error = %v", err)
	}
	e := newEnv(t)
	if r := e.post(t, map[string]any{"query": dashboardQuery, "variables": demoVars()}); len(r.Errors) != 0 {
		t.Fatalf("dashboard: codes %q, want none", r.codes())
	}
	// shutdown flushes the batcher: every span has been POSTed when it returns.
	if err := shutdown(context.Background()); err != nil {
		t.Fatalf("shutdown() = %v", err)
	}

	col.mu.Lock()
	defer col.mu.Unlock()
	if len(col.bad) > 0 {
		t.Errorf("collector got unexpected requests: %q", col.bad)
	}
	if col.service != "obs-test" {
		t.Errorf("service.name = %q, want obs-test", col.service)
	}
	byName := map[string]*tracepb.Span{}
	for _, s := range col.spans {
		byName[s.GetName()] = s
	}
	for _, name := range []string{"POST /graphql", "query Dashboard", "finpro /v1/accounts/getconsentslist", "finpro /getfibalance"} {
		if byName[name] == nil {
			var got []string
			for n := range byName {
				got = append(got, n)
			}
			t.Errorf("no span %q; got %q", name, got)
		}
	}
	server, op, up := byName["POST /graphql"], byName["query Dashboard"], byName["finpro /getfibalance"]
	if server == nil || op == nil || up == nil {
		return
	}
	if string(op.GetTraceId()) != string(server.GetTraceId()) || string(up.GetTraceId()) != string(server.GetTraceId()) {
		t.Errorf("the operation and upstream spans are not in the server span's trace")
	}
	if string(op.GetParentSpanId()) != string(server.GetSpanId()) {
		t.Errorf("the operation span's parent is not the server span")
	}
}
