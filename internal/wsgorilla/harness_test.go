package wsgorilla_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
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
	dialer websocket.Dialer
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
	ws.Implementation = wsgorilla.New(o)
	gql.AddTransport(ws)
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
		dialer:   websocket.Dialer{HandshakeTimeout: safety},
	}
}

// dial opens a websocket offering protocols; header may carry an Origin.
func (h *harness) dial(t testing.TB, header http.Header, protocols ...string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	d := h.dialer
	d.Subprotocols = protocols
	c, resp, err := d.DialContext(t.Context(), h.url, header)
	if resp != nil {
		resp.Body.Close()
	}
	if c != nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, resp, err
}

// connect dials with one subprotocol and fails the test if that fails.
func (h *harness) connect(t testing.TB, protocol string) *websocket.Conn {
	t.Helper()
	c, _, err := h.dial(t, nil, protocol)
	if err != nil {
		t.Fatalf("Dial(%q) error = %v", protocol, err)
	}
	return c
}

// init sends connection_init and waits for connection_ack.
func (h *harness) init(t testing.TB, protocol string) *websocket.Conn {
	t.Helper()
	c := h.connect(t, protocol)
	send(t, c, msg{Type: "connection_init"})
	expect(t, c, "connection_ack")
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

// msg is a message of either protocol; both share this envelope.
type msg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// protocol names each subprotocol's message types for the same operations.
type protocol struct {
	name      string
	subscribe string // client starts an operation
	stop      string // client stops an operation
	data      string // server sends a result
}

var protocols = []protocol{
	{name: wsgorilla.GraphQLTransportWS, subscribe: "subscribe", stop: "complete", data: "next"},
	{name: wsgorilla.GraphQLWS, subscribe: "start", stop: "stop", data: "data"},
}

func send(t testing.TB, c *websocket.Conn, m msg) {
	t.Helper()
	if err := c.WriteJSON(m); err != nil {
		t.Fatalf("WriteJSON(%s) error = %v", m.Type, err)
	}
}

// read reads the next message.
func read(t testing.TB, c *websocket.Conn) msg {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(safety)); err != nil {
		t.Fatal(err)
	}
	var m msg
	if err := c.ReadJSON(&m); err != nil {
		t.Fatalf("ReadJSON() error = %v, want a message", err)
	}
	return m
}

// expect reads up to the next message of type typ, skipping graphql-ws "ka"
// keep-alives unless typ is "ka", and fails on any other type.
func expect(t testing.TB, c *websocket.Conn, typ string) msg {
	t.Helper()
	for {
		m := read(t, c)
		if m.Type == "ka" && typ != "ka" {
			continue
		}
		if m.Type != typ {
			t.Fatalf("read message type %q (payload %s), want %q", m.Type, m.Payload, typ)
		}
		return m
	}
}

// readClose reads until the connection fails and returns the close frame it
// got; a server that drops the TCP connection yields code 1006. Messages on
// the way are discarded.
func readClose(t testing.TB, c *websocket.Conn) *websocket.CloseError {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(safety)); err != nil {
		t.Fatal(err)
	}
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("ReadMessage() error = %v, want the server to close the connection", err)
		}
		return ce
	}
}

func subscribeMsg(p protocol, id string) msg {
	return msg{Type: p.subscribe, ID: id, Payload: json.RawMessage(`{"query":"subscription { name }"}`)}
}

func ptr[T any](v T) *T { return &v }
