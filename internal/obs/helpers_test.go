package obs_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/finprotest"
	"github.com/moneyone-bff/finpro-bff/internal/obs"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// safety bounds every blocking step so a broken server fails the test instead
// of hanging it. It is a deadlock guard, not a timing assertion.
const safety = 20 * time.Second

// anonymousHeader makes withPrincipal leave the request unauthenticated.
const anonymousHeader = "X-Test-Anonymous"

// env is the real GraphQL handler wired with obs like server.go, in front of
// an in-process sandbox over real HTTP.
type env struct {
	m      *obs.Metrics
	fe     *finprotest.Env
	events *fakeEvents
	url    string // base URL of the BFF
}

func newEnv(t testing.TB) *env {
	t.Helper()
	m := obs.NewMetrics()
	fe := finprotest.New(t, sandbox.Config{}, finpro.Options{
		MaxRetries: -1,
		Observer:   m.FinproObserver(),
		HTTPClient: &http.Client{Transport: obs.Transport(nil)},
	})
	ev := &fakeEvents{subscribed: make(chan chan events.Event, 4)}
	srv := graph.NewHandler(graph.Config{
		Options: resolvers.Options{
			FinPro: fe.Client,
			Events: ev,
		},
		Extensions: []graphql.HandlerExtension{m.GraphQLExtension()},
		Websocket: graph.WebsocketConfig{
			InitFunc: func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
				return auth.WithPrincipal(ctx, principal()), nil, nil
			},
		},
	})
	mux := http.NewServeMux()
	mux.Handle("/graphql", withPrincipal(srv))
	mux.Handle("POST /webhook", m.Webhook(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("status"))
		w.WriteHeader(code)
	})))
	mux.Handle("GET /metrics", m.Handler())
	api := httptest.NewServer(obs.Trace(obs.RequestID(nil)(m.HTTP(mux))))
	t.Cleanup(api.Close)
	return &env{m: m, fe: fe, events: ev, url: api.URL}
}

func principal() auth.Principal {
	return auth.Principal{Subject: "obs-test", Scopes: auth.DevScopes()}
}

// withPrincipal attaches a full-scope principal unless anonymousHeader is set.
func withPrincipal(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "" && r.Header.Get(anonymousHeader) == "" {
			r = r.WithContext(auth.WithPrincipal(r.Context(), principal()))
		}
		h.ServeHTTP(w, r)
	})
}

// fakeEvents is a live feed whose subscriptions end with their context; each
// subscription's channel is sent on subscribed.
type fakeEvents struct {
	subscribed chan chan events.Event
}

func (f *fakeEvents) Subscribe(ctx context.Context, _ events.Filter) (<-chan events.Event, error) {
	ch := make(chan events.Event)
	f.subscribed <- ch
	return ch, nil
}

func (f *fakeEvents) RememberConsent(context.Context, string, string) error { return nil }

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// codes returns the extensions.code of every error.
func (r gqlResponse) codes() []string {
	var out []string
	for _, e := range r.Errors {
		s, _ := e.Extensions["code"].(string)
		out = append(out, s)
	}
	return out
}

// post sends one operation; header pairs are name, value.
func (e *env) post(t testing.TB, body map[string]any, header ...string) gqlResponse {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, e.url+"/graphql", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	defer res.Body.Close()
	var r gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("decode response (HTTP %d): %v", res.StatusCode, err)
	}
	return r
}

// series is one sample of a scrape.
type series struct {
	name   string
	labels map[string]string
	value  string
}

// scrape fetches /metrics through the server and parses the text format.
func (e *env) scrape(t testing.TB) (raw string, out []series) {
	t.Helper()
	res, err := http.Get(e.url + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: HTTP %d", res.StatusCode)
	}
	return string(b), parseText(t, string(b))
}

// parseText parses Prometheus text exposition lines.
func parseText(t testing.TB, text string) []series {
	t.Helper()
	var out []series
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s := series{labels: map[string]string{}}
		rest := line
		if i := strings.IndexByte(line, '{'); i >= 0 {
			s.name = line[:i]
			rest = line[i+1:]
			for !strings.HasPrefix(rest, "}") {
				eq := strings.IndexByte(rest, '=')
				if eq < 0 || len(rest) < eq+2 || rest[eq+1] != '"' {
					t.Fatalf("bad series line %q", line)
				}
				name := rest[:eq]
				rest = rest[eq+2:]
				var v strings.Builder
				for i := 0; ; i++ {
					if i >= len(rest) {
						t.Fatalf("bad series line %q", line)
					}
					c := rest[i]
					if c == '\\' && i+1 < len(rest) {
						i++
						switch rest[i] {
						case 'n':
							v.WriteByte('\n')
						default:
							v.WriteByte(rest[i])
						}
						continue
					}
					if c == '"' {
						rest = rest[i+1:]
						break
					}
					v.WriteByte(c)
				}
				s.labels[name] = v.String()
				rest = strings.TrimPrefix(rest, ",")
			}
			rest = strings.TrimSpace(rest[1:])
		} else {
			sp := strings.IndexByte(line, ' ')
			s.name, rest = line[:sp], line[sp+1:]
		}
		s.value = strings.Fields(rest)[0]
		out = append(out, s)
	}
	return out
}

// find returns the value of the sample named name whose labels include want,
// and whether there is one.
func find(ss []series, name string, want map[string]string) (string, bool) {
	for _, s := range ss {
		if s.name != name {
			continue
		}
		match := true
		for k, v := range want {
			if s.labels[k] != v {
				match = false
				break
			}
		}
		if match {
			return s.value, true
		}
	}
	return "", false
}

func (e *env) dialWS(t testing.TB) *wstest.Conn {
	t.Helper()
	c := wstest.Connect(t, e.url+"/graphql", wstest.TransportWS, nil)
	c.Init(t, nil)
	return c
}
