package wsgorilla_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// safety bounds every blocking step of a test so a broken server fails the
// test instead of hanging it. It is a deadlock guard, not a timing assertion.
const safety = 20 * time.Second

// feed hands the test every subscription the server starts, so the test
// decides what each one emits and sees when each one ends.
type feed struct {
	subs  chan *sub
	flood []byte // when set, subscriptions emit this data as fast as they can
}

// sub is one running subscription operation.
type sub struct {
	events chan string   // data objects to emit; closing it completes the subscription
	ended  chan struct{} // closed when the operation's context ends
}

// newSchema returns a schema whose subscription { name } is driven by f; it
// stands in for generated code (like gqlgen's testserver, which cannot flood
// or report a subscription's end).
func newSchema(f *feed) graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query { name: String! }
		type Subscription { name: String! }
	`})
	return &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			if graphql.GetOperationContext(ctx).Operation.Operation != ast.Subscription {
				return graphql.OneShot(&graphql.Response{Data: []byte(`{"name":"q"}`)})
			}
			s := &sub{events: make(chan string), ended: make(chan struct{})}
			context.AfterFunc(ctx, func() { close(s.ended) })
			f.subs <- s
			if f.flood != nil {
				return func(context.Context) *graphql.Response {
					if ctx.Err() != nil {
						return nil
					}
					return &graphql.Response{Data: f.flood}
				}
			}
			return func(context.Context) *graphql.Response {
				select {
				case <-ctx.Done():
					return nil
				case data, ok := <-s.events:
					if !ok {
						return nil
					}
					return &graphql.Response{Data: json.RawMessage(data)}
				}
			}
		},
	}
}

// harness is a gqlgen server with the wsgorilla transport on an httptest server.
type harness struct {
	url  string
	feed *feed
	// done receives once each time the handler returns, i.e. when gqlgen
	// is finished with a connection.
	done chan struct{}
	// shutdown cancels the server's BaseContext, the parent of every
	// request context.
	shutdown context.CancelFunc
	// dialer opens client connections.
	dialer wstest.Dialer
}

// start serves ws with wsgorilla.New(o) as its implementation.
func start(t testing.TB, o wsgorilla.Options, ws transport.Websocket) *harness {
	t.Helper()
	return startFeed(t, o, ws, &feed{}, nil)
}

// startFeed is start with a given feed and, if wrap is not nil, middleware
// around the gqlgen handler.
func startFeed(t testing.TB, o wsgorilla.Options, ws transport.Websocket, f *feed, wrap func(http.Handler) http.Handler) *harness {
	t.Helper()
	f.subs = make(chan *sub, 1024)
	gql := handler.New(newSchema(f))
	if ownTransport {
		// The same test against wsgorilla.Transport (see TestMain).
		if ws.PingPongInterval != 0 {
			o.PingInterval = ws.PingPongInterval
		}
		if ws.KeepAlivePingInterval != 0 {
			o.KeepAlive = ws.KeepAlivePingInterval
		}
		gql.AddTransport(wsgorilla.Transport{
			Implementation:   wsgorilla.New(o),
			InitFunc:         ws.InitFunc,
			InitTimeout:      ws.InitTimeout,
			PayloadReadLimit: ws.PayloadReadLimit,
		})
	} else {
		ws.Implementation = wsgorilla.New(o)
		gql.AddTransport(ws)
	}
	var next http.Handler = gql
	if wrap != nil {
		next = wrap(gql)
	}

	done := make(chan struct{}, 1024)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		done <- struct{}{}
	}))
	base, cancel := context.WithCancel(context.Background())
	srv.Config.BaseContext = func(net.Listener) context.Context { return base }
	srv.Start()
	t.Cleanup(func() {
		cancel()
		srv.Close()
	})
	return &harness{
		url:      "ws" + strings.TrimPrefix(srv.URL, "http"),
		feed:     f,
		done:     done,
		shutdown: cancel,
	}
}

// dial opens a websocket offering protocols; header may carry an Origin.
func (h *harness) dial(t testing.TB, header http.Header, protocols ...string) (*wstest.Conn, *http.Response, error) {
	t.Helper()
	return h.dialer.Dial(t, h.url, header, protocols...)
}

// connect dials with one subprotocol and fails the test if that fails.
func (h *harness) connect(t testing.TB, p wstest.Protocol) *wstest.Conn {
	t.Helper()
	c, _, err := h.dial(t, nil, p.Name)
	if err != nil {
		t.Fatalf("Dial(%q) error = %v", p.Name, err)
	}
	return c
}

// init sends connection_init and waits for connection_ack.
func (h *harness) init(t testing.TB, p wstest.Protocol) *wstest.Conn {
	t.Helper()
	c := h.connect(t, p)
	c.Init(t, nil)
	return c
}

// waitDone waits until gqlgen has finished with a connection.
func (h *harness) waitDone(t testing.TB) {
	t.Helper()
	select {
	case <-h.done:
	case <-time.After(safety):
		t.Fatal("handler still running: the server never ended the connection")
	}
}

// nextSub waits for the server to start a subscription.
func (h *harness) nextSub(t testing.TB) *sub {
	t.Helper()
	select {
	case s := <-h.feed.subs:
		return s
	case <-time.After(safety):
		t.Fatal("no subscription started")
		return nil
	}
}

// waitEnded waits for a subscription's context to end.
func waitEnded(t testing.TB, s *sub) {
	t.Helper()
	select {
	case <-s.ended:
	case <-time.After(safety):
		t.Fatal("subscription context never ended")
	}
}

type msg = wstest.Message

var protocols = wstest.Protocols()

func subscribeMsg(p wstest.Protocol, id string) msg {
	return msg{Type: p.Subscribe, ID: id, Payload: json.RawMessage(`{"query":"subscription { name }"}`)}
}

func ptr[T any](v T) *T { return &v }
