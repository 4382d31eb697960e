package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/gqlhttp"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// httpFormats are the Accept headers of the two HTTP subscription formats,
// as graphql-sse and Apollo Client send them.
var httpFormats = []struct{ name, accept string }{
	{"graphql-sse", "text/event-stream"},
	{"apollo multipart", "multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json"},
}

// httpStream is one open HTTP subscription: its results in order, and
// whether it completed (SSE "complete", the multipart closing boundary).
type httpStream struct {
	res     *http.Response
	cancel  context.CancelFunc
	results chan response
	ended   chan struct{}
}

// openStream POSTs a subscription with accept and reads its messages as the
// two clients do.
func openStream(t *testing.T, url, accept, query string, vars map[string]any) *httpStream {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &httpStream{res: res, cancel: cancel, results: make(chan response, 64), ended: make(chan struct{})}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		return s
	}
	go func() {
		defer close(s.ended)
		defer close(s.results)
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
			readSSE(res.Body, s.results)
		} else {
			readMultipart(res.Body, s.results)
		}
	}()
	return s
}

// readSSE parses server-sent events: "next" results until "complete".
func readSSE(r io.Reader, out chan<- response) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var event, data string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		case line == "":
			switch event {
			case "next":
				var resp response
				if json.Unmarshal([]byte(data), &resp) == nil {
					out <- resp
				}
			case "complete":
				out <- response{Data: json.RawMessage(`"complete"`)}
				return
			}
			event, data = "", ""
		}
	}
}

// readMultipart parses Apollo's multipart subscription parts: {"payload":
// result} until the closing boundary; {} parts are heartbeats.
func readMultipart(r io.Reader, out chan<- response) {
	_, _ = io.Copy(io.Discard, &partReader{r: r, out: out})
}

// partReader splits the body on the boundary as it arrives.
type partReader struct {
	r   io.Reader
	out chan<- response
	buf []byte
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.buf = append(p.buf, b[:n]...)
	const boundary = "\r\n--graphql"
	for {
		i := bytes.Index(p.buf, []byte(boundary))
		if i < 0 {
			break
		}
		part := p.buf[:i]
		p.buf = p.buf[i+len(boundary):]
		if j := bytes.Index(part, []byte("\r\n\r\n")); j >= 0 {
			var msg struct {
				Payload *response `json:"payload"`
			}
			if json.Unmarshal(part[j+4:], &msg) == nil && msg.Payload != nil {
				p.out <- *msg.Payload
			}
		}
	}
	if bytes.HasPrefix(p.buf, []byte("--")) { // the closing delimiter's "--"
		p.out <- response{Data: json.RawMessage(`"complete"`)}
		return n, io.EOF
	}
	return n, err
}

// next returns the stream's next result (a completion is Data "complete").
func (s *httpStream) next(t *testing.T) response {
	t.Helper()
	select {
	case r, ok := <-s.results:
		if !ok {
			t.Fatal("the stream ended without complete")
		}
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no message in 10s")
	}
	return response{}
}

func (s *httpStream) event(t *testing.T) eventJSON {
	t.Helper()
	r := s.next(t)
	var d struct{ ConsentStatusChanged eventJSON }
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &d) != nil {
		t.Fatalf("got %s %+v, want an event", r.Data, r.Errors)
	}
	return d.ConsentStatusChanged
}

// httpSubEnv is a replica whose HTTP subscription transport has o.
func httpSubEnv(t *testing.T, o gqlhttp.Options) *liveEnv {
	t.Helper()
	b := newBFF(t, startBroker(t, broker.Options{}))
	sb, fp := newSandbox(t, b)
	h := graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp, Events: b.source}, HTTPSubscriptions: o})
	b.mux.Handle("/graphql", asPartner(h))
	return &liveEnv{bff: b, sb: sb, fp: fp}
}

// TestHTTPSubscriptions checks consentStatusChanged over graphql-sse and
// Apollo's multipart subscriptions: the lifecycle of a consent in order, a
// second stream resuming after the second event's cursor, request errors
// as 400 before any stream, the per-principal bound, and shutdown (Draining)
// completing every open stream.
func TestHTTPSubscriptions(t *testing.T) {
	draining := make(chan struct{})
	e := httpSubEnv(t, gqlhttp.Options{Draining: draining, MaxPerKey: 3, Heartbeat: 50 * time.Millisecond})
	api := e.bff.srv.URL + "/graphql"
	var open []*httpStream
	outer := t // streams that outlive their subtest
	for _, f := range httpFormats {
		t.Run(f.name, func(t *testing.T) {
			handle := requestConsent(t, api, mobileA)
			s := openStream(t, api, f.accept, consentStatusChanged, subVars(mobileA, handle, ""))
			if s.res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", s.res.StatusCode)
			}
			e.bff.source.waitSubscribed(t, 1)
			transition(t, e.sb, handle, sandbox.ActionApprove, sandbox.ActionPause, sandbox.ActionResume, sandbox.ActionRevoke)
			var got []step
			var cursors []string
			for range 4 {
				ev := s.event(t)
				got = append(got, stepOf(ev))
				cursors = append(cursors, ev.Cursor)
			}
			if diff := cmp.Diff(lifecycle(handle), got); diff != "" {
				t.Fatalf("events (-want +got):\n%s", diff)
			}

			// Resume after the second event: the third and fourth again.
			resumed := openStream(t, api, f.accept, consentStatusChanged, subVars(mobileA, handle, cursors[1]))
			for i := 2; i < 4; i++ {
				if ev := resumed.event(t); ev.Cursor != cursors[i] {
					t.Errorf("resumed event %d: cursor %q, want %q", i, ev.Cursor, cursors[i])
				}
			}
			s.cancel()
			resumed.cancel()

			// A request error is 400 before any stream.
			bad := openStream(t, api, f.accept, consentStatusChanged, map[string]any{"product": map[string]any{"a": 1}})
			if bad.res.StatusCode != http.StatusBadRequest {
				t.Errorf("invalid variables: status %d, want 400", bad.res.StatusCode)
			}
			open = append(open, openStream(outer, api, f.accept, consentStatusChanged, subVars(mobileA, "", "")))
		})
	}

	// The bound: 3 streams per principal, 2 open here plus one more, then 429
	// (the subtests' ended streams are released as their handlers return).
	third := openStream(t, api, httpFormats[0].accept, consentStatusChanged, subVars(mobileA, "", ""))
	for deadline := time.Now().Add(5 * time.Second); third.res.StatusCode == http.StatusTooManyRequests && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		third = openStream(t, api, httpFormats[0].accept, consentStatusChanged, subVars(mobileA, "", ""))
	}
	open = append(open, third)
	waitOpen := time.Now().Add(5 * time.Second)
	var over *httpStream
	for time.Now().Before(waitOpen) {
		if over = openStream(t, api, httpFormats[1].accept, consentStatusChanged, subVars(mobileA, "", "")); over.res.StatusCode == http.StatusTooManyRequests {
			break
		}
		over.cancel() // an earlier stream had not registered yet
		time.Sleep(20 * time.Millisecond)
	}
	if over.res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a fourth stream: status %d, want 429", over.res.StatusCode)
	}

	// Shutdown: every open stream completes.
	close(draining)
	for i, s := range open {
		for {
			r := s.next(t)
			if string(r.Data) == `"complete"` {
				break
			}
			if len(r.Errors) > 0 {
				t.Errorf("stream %d: error %+v before complete", i, r.Errors)
			}
		}
	}
}

// TestHTTPSubscriptionExpiry checks that an HTTP subscription ends at its
// token's exp with UNAUTHENTICATED as its last result, then complete, in
// both formats.
func TestHTTPSubscriptionExpiry(t *testing.T) {
	b := newBFF(t, startBroker(t, broker.Options{}))
	_, fp := newSandbox(t, b)
	h := graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp, Events: b.source}})
	var exp time.Time
	b.mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := *partner()
		p.ExpiresAt = exp
		h.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	}))
	for _, f := range httpFormats {
		t.Run(f.name, func(t *testing.T) {
			exp = time.Now().Add(300 * time.Millisecond)
			s := openStream(t, b.srv.URL+"/graphql", f.accept, consentStatusChanged, subVars(mobileA, "", ""))
			if s.res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", s.res.StatusCode)
			}
			r := s.next(t)
			if len(r.Errors) != 1 || r.Errors[0].code() != "UNAUTHENTICATED" {
				t.Fatalf("at exp: %s %+v, want one UNAUTHENTICATED error", r.Data, r.Errors)
			}
			if r := s.next(t); string(r.Data) != `"complete"` {
				t.Errorf("after the error: %s %+v, want complete", r.Data, r.Errors)
			}
		})
	}
}
