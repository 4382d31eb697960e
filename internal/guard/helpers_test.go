package guard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/finprotest"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
	"github.com/moneyone-bff/finpro-bff/internal/ratelimit"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// subjectHeader names the test-only header whose value becomes the request's
// principal (standing in for the JWT middleware of server.go).
const subjectHeader = "X-Test-Subject"

type envOptions struct {
	limits        guard.Limits
	introspection bool
	// rate, when set, adds a rate limiter (middleware and extension).
	rate *ratelimit.Config
	// extensions are used after guard.Configure.
	extensions []graphql.HandlerExtension
	// finpro configures the FinPro client (default: no retries).
	finpro *finpro.Options
}

// env is the real GraphQL handler (graph.NewHandler) with the guard, a
// websocket transport, in front of an in-process sandbox over real HTTP.
type env struct {
	sb   *sandbox.Sandbox
	url  string // http://.../graphql
	rate *ratelimit.Limiter
}

func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	fo := finpro.Options{MaxRetries: -1}
	if o.finpro != nil {
		fo = *o.finpro
	}
	fe := finprotest.New(t, sandbox.Config{}, fo)
	srv := graph.NewHandler(graph.Config{
		Options: resolvers.Options{
			FinPro: fe.Client,
		},
		Introspection: o.introspection,
		Websocket: graph.WebsocketConfig{
			InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
				ctx = auth.WithPrincipal(ctx, principal(p.GetString(subjectHeader)))
				return ctx, nil, nil
			},
		},
	})
	guard.Configure(srv, o.limits, o.introspection)
	for _, x := range o.extensions {
		srv.Use(x)
	}
	e := &env{sb: fe.Sandbox}
	h := guard.HTTP(o.limits)(srv)
	if o.rate != nil {
		e.rate = ratelimit.New(*o.rate)
		srv.Use(e.rate.Extension())
		h = e.rate.Middleware(h)
	}
	api := httptest.NewServer(withSubject(h))
	t.Cleanup(api.Close)
	e.url = api.URL + "/graphql"
	return e
}

// principal is a full-scope caller named subject, so the graph's scope checks
// pass and only the guard's limits are tested. An empty subject keeps the rate
// limiter's per-IP bucket for "anonymous" callers.
func principal(subject string) auth.Principal {
	return auth.Principal{Subject: subject, Scopes: auth.DevScopes()}
}

// withSubject attaches the principal named by subjectHeader.
func withSubject(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Websocket upgrades get their principal from connection_init.
		if r.Header.Get("Upgrade") == "" {
			r = r.WithContext(auth.WithPrincipal(r.Context(), principal(r.Header.Get(subjectHeader))))
		}
		h.ServeHTTP(w, r)
	})
}

// upstreamCalls returns the number of FinPro calls since the last reset.
func (e *env) upstreamCalls() int64 {
	var n int64
	for _, c := range e.sb.Stats() {
		n += c
	}
	return n
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { s, _ := e.Extensions["code"].(string); return s }

type response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions struct {
		Cost *guard.Cost `json:"cost"`
	} `json:"extensions"`
}

// codes returns the extensions.code of every error.
func (r response) codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.code())
	}
	return out
}

// result is an HTTP response of the GraphQL endpoint.
type result struct {
	status int
	header http.Header
	body   response
	raw    string
}

func do(t testing.TB, req *http.Request) result {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	r := result{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("decode response (HTTP %d): %v", res.StatusCode, err)
		}
	}
	return r
}

// request builds a request to the endpoint; header pairs are name, value.
func (e *env) request(t testing.TB, method, contentType string, body io.Reader, header ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, e.url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// post sends one operation as application/json.
func (e *env) post(t testing.TB, query string, vars map[string]any, header ...string) result {
	t.Helper()
	return e.postBody(t, map[string]any{"query": query, "variables": vars}, header...)
}

func (e *env) postBody(t testing.TB, body any, header ...string) result {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, e.request(t, http.MethodPost, "application/json", bytes.NewReader(b), header...))
}

func demoVars() map[string]any {
	return map[string]any{"mobile": sandbox.DemoMobile, "product": sandbox.DemoProductID}
}

// wsConn is a graphql-transport-ws client connection.
type wsConn struct{ c *wstest.Conn }

// dialWS opens a websocket and completes connection_init; subject, when not
// empty, becomes the connection's principal.
func (e *env) dialWS(t testing.TB, subject string) *wsConn {
	t.Helper()
	c := wstest.Connect(t, e.url, wstest.TransportWS, nil)
	var init map[string]any
	if subject != "" {
		init = map[string]any{subjectHeader: subject}
	}
	c.Init(t, init)
	return &wsConn{c: c}
}

// run runs one operation and returns its errors, from "next" payloads and
// from an "error" message alike, reading until the operation ends.
func (w *wsConn) run(t testing.TB, query string, vars map[string]any) response {
	t.Helper()
	r := w.c.Run(t, query, vars)
	out := response{Data: r.Data}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, gqlError{Message: e.Message, Extensions: e.Extensions})
	}
	return out
}
