// Package wsgorillatest is the test server of the websocket packages
// (wsgorilla, gorillaconn, wssession): a gqlgen handler on an httptest
// server whose subscription the test drives ([Feed]), served on gqlgen's
// transport.Websocket or on wsgorilla.Transport ([Main] runs a package's
// tests on both).
//
//	func TestMain(m *testing.M) { wsgorillatest.Main(m) }
//
//	h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
//	c := h.Init(t, wstest.TransportWS)
//	c.Send(t, wsgorillatest.SubscribeMsg(wstest.TransportWS, "1"))
//	s := h.NextSub(t)
//	s.Events <- `{"name":"a"}`
package wsgorillatest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// Safety bounds every blocking step of a test so a broken server fails the
// test instead of hanging it. It is a deadlock guard, not a timing assertion.
const Safety = 20 * time.Second

// ownTransport makes the harness serve wsgorilla.Transport instead of
// gqlgen's transport.Websocket (with its keep-alive intervals moved to
// gorillaconn.Options.PingInterval and KeepAlive); Main sets it.
var ownTransport bool

// Main runs a package's tests twice: on gqlgen's websocket transport, then on
// wsgorilla.Transport, which keeps the same protocol. Call it from TestMain.
func Main(m *testing.M) {
	if code := m.Run(); code != 0 {
		os.Exit(code)
	}
	ownTransport = true
	fmt.Println("wsgorillatest: the tests again, on wsgorilla.Transport")
	os.Exit(m.Run())
}

// OwnTransport reports whether the tests run on wsgorilla.Transport (Main's
// second run).
func OwnTransport() bool { return ownTransport }

// Feed hands the test every subscription the server starts, so the test
// decides what each one emits and sees when each one ends.
type Feed struct {
	Subs  chan *Sub
	Flood []byte // when set, subscriptions emit this data as fast as they can
}

// Sub is one running subscription operation.
type Sub struct {
	Events chan string   // data objects to emit; closing it completes the subscription
	Ended  chan struct{} // closed when the operation's context ends
}

// newSchema returns a schema whose subscription { name } is driven by f; it
// stands in for generated code (like gqlgen's testserver, which cannot flood
// or report a subscription's end).
func newSchema(f *Feed) graphql.ExecutableSchema {
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
			s := &Sub{Events: make(chan string), Ended: make(chan struct{})}
			context.AfterFunc(ctx, func() { close(s.Ended) })
			f.Subs <- s
			if f.Flood != nil {
				return func(context.Context) *graphql.Response {
					if ctx.Err() != nil {
						return nil
					}
					return &graphql.Response{Data: f.Flood}
				}
			}
			return func(context.Context) *graphql.Response {
				select {
				case <-ctx.Done():
					return nil
				case data, ok := <-s.Events:
					if !ok {
						return nil
					}
					return &graphql.Response{Data: json.RawMessage(data)}
				}
			}
		},
	}
}

// Harness is a gqlgen server with gorillaconn's connections on an httptest
// server.
type Harness struct {
	URL  string
	Feed *Feed
	// Done receives once each time the handler returns, i.e. when gqlgen
	// is finished with a connection.
	Done chan struct{}
	// Shutdown cancels the server's BaseContext, the parent of every
	// request context.
	Shutdown context.CancelFunc
	// Dialer opens client connections.
	Dialer wstest.Dialer
}

// Start serves ws with gorillaconn.New(o) as its implementation (on Main's
// second run, wsgorilla.Transport with ws's settings).
func Start(t testing.TB, o gorillaconn.Options, ws transport.Websocket) *Harness {
	t.Helper()
	return StartFeed(t, o, ws, &Feed{}, nil)
}

// StartFeed is Start with a given feed and, if wrap is not nil, middleware
// around the gqlgen handler.
func StartFeed(t testing.TB, o gorillaconn.Options, ws transport.Websocket, f *Feed, wrap func(http.Handler) http.Handler) *Harness {
	t.Helper()
	f.Subs = make(chan *Sub, 1024)
	gql := handler.New(newSchema(f))
	if ownTransport {
		// The same test against wsgorilla.Transport (see Main).
		if ws.PingPongInterval != 0 {
			o.PingInterval = ws.PingPongInterval
		}
		if ws.KeepAlivePingInterval != 0 {
			o.KeepAlive = ws.KeepAlivePingInterval
		}
		gql.AddTransport(wsgorilla.Transport{
			Implementation:   gorillaconn.New(o),
			InitFunc:         ws.InitFunc,
			InitTimeout:      ws.InitTimeout,
			PayloadReadLimit: ws.PayloadReadLimit,
		})
	} else {
		ws.Implementation = gorillaconn.New(o)
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
	return &Harness{
		URL:      "ws" + strings.TrimPrefix(srv.URL, "http"),
		Feed:     f,
		Done:     done,
		Shutdown: cancel,
	}
}

// Dial opens a websocket offering protocols; header may carry an Origin.
func (h *Harness) Dial(t testing.TB, header http.Header, protocols ...string) (*wstest.Conn, *http.Response, error) {
	t.Helper()
	return h.Dialer.Dial(t, h.URL, header, protocols...)
}

// Connect dials with one subprotocol and fails the test if that fails.
func (h *Harness) Connect(t testing.TB, p wstest.Protocol) *wstest.Conn {
	t.Helper()
	c, _, err := h.Dial(t, nil, p.Name)
	if err != nil {
		t.Fatalf("Dial(%q) error = %v", p.Name, err)
	}
	return c
}

// Init connects, sends connection_init and waits for connection_ack.
func (h *Harness) Init(t testing.TB, p wstest.Protocol) *wstest.Conn {
	t.Helper()
	c := h.Connect(t, p)
	c.Init(t, nil)
	return c
}

// WaitDone waits until gqlgen has finished with a connection.
func (h *Harness) WaitDone(t testing.TB) {
	t.Helper()
	select {
	case <-h.Done:
	case <-time.After(Safety):
		t.Fatal("handler still running: the server never ended the connection")
	}
}

// NextSub waits for the server to start a subscription.
func (h *Harness) NextSub(t testing.TB) *Sub {
	t.Helper()
	select {
	case s := <-h.Feed.Subs:
		return s
	case <-time.After(Safety):
		t.Fatal("no subscription started")
		return nil
	}
}

// WaitEnded waits for a subscription's context to end.
func WaitEnded(t testing.TB, s *Sub) {
	t.Helper()
	select {
	case <-s.Ended:
	case <-time.After(Safety):
		t.Fatal("subscription context never ended")
	}
}

// SubscribeMsg starts subscription { name } under id.
func SubscribeMsg(p wstest.Protocol, id string) wstest.Message {
	return wstest.Message{Type: p.Subscribe, ID: id, Payload: json.RawMessage(`{"query":"subscription { name }"}`)}
}
