package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// spanNames is an OTLP/HTTP traces endpoint recording the names of the spans
// it receives.
type spanNames struct {
	mu    sync.Mutex
	names []string
}

func (c *spanNames) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				c.names = append(c.names, s.GetName())
			}
		}
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Write(out)
}

func (c *spanNames) get() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.names...)
}

// TestTracingWiring runs the program with an OTLP endpoint and checks that one
// query's HTTP server span (named after the route) and FinPro call spans reach
// the collector: the wiring in run() switches the HTTP and upstream
// middleware on only when an endpoint is configured.
func TestTracingWiring(t *testing.T) {
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	t.Cleanup(func() {
		otel.SetTracerProvider(prev)
		otel.SetTextMapPropagator(prevProp)
	})
	col := &spanNames{}
	otlp := httptest.NewServer(col)
	defer otlp.Close()
	base, stop, logs, stdout := startRun(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.URL})
	toks := devTokens(t, stdout)
	const q = `{"query":"query Accounts { customer(mobileNumber: \"9876543210\", productID: \"PFM_DASHBOARD\") { accounts { balance { amount } } } }"}`
	if status, body := post(t, base+"/graphql", toks[0], q); status != http.StatusOK || strings.Contains(body, `"errors"`) {
		t.Fatalf("POST /graphql = %d %s", status, body)
	}
	if err := stop(); err != nil { // shutdown flushes the spans
		t.Fatalf("run: %v; logs:\n%s", err, logs)
	}
	got := col.get()
	for _, want := range []string{"POST /graphql", "finpro /v1/accounts/getconsentslist", "finpro /getfibalance"} {
		if !slices.Contains(got, want) {
			t.Errorf("no span %q among %q", want, got)
		}
	}
}
