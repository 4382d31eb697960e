// Package wsgorilla is a gqlgen transport for graphql-transport-ws and the
// legacy graphql-ws on the gorilla/websocket connections of package
// gorillaconn: [Transport] replaces gqlgen's transport.Websocket with the
// same protocol and fewer goroutines (one per connection, one per running
// operation):
//
//	srv.AddTransport(wsgorilla.Transport{
//		Implementation: gorillaconn.New(gorillaconn.Options{AllowedOrigins: origins,
//			PingInterval: 15 * time.Second, KeepAlive: 15 * time.Second}),
//		InitFunc:    initFunc, // on failure: return wsgorilla.RejectInit(ctx), nil, err
//		InitTimeout: 10 * time.Second,
//	})
//
// The connections keep graphql-transport-ws's promises that gqlgen's own
// transport does not (see gorillaconn). [RejectInit] closes a refused
// connection_init with 4403 on either transport, and [EndWithError] ends an
// operation with an error. Package wssession adds per-connection controls
// (operations per socket, expiry, sockets per key, shutdown) in front of
// either.
package wsgorilla

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
)

// Transport is a gqlgen transport serving graphql-transport-ws and graphql-ws
// on the connections of an implementation from gorillaconn.New, in place of
// gqlgen's transport.Websocket and with the same protocol (what its
// documentation and gorillaconn's say), but with fewer goroutines: a connection
// holds one, the HTTP handler's, which reads; each running operation holds
// one more while it streams. gqlgen's transport adds, per connection, one
// waiting for the connection's context (here a context.AfterFunc), one
// reading connection_init within InitTimeout (here a read deadline) and, with
// its keep-alive intervals, one ticker goroutine (here
// gorillaconn.Options.PingInterval and KeepAlive, timers).
//
// A resolver ends its operation with an error through [EndWithError]
// (transport.AddSubscriptionError works on gqlgen's transport only), and
// transport.GetInitPayload does not see the connection_init payload: the
// InitFunc puts what operations need into the context it returns.
type Transport struct {
	// Implementation is gorillaconn.New's; it accepts the connections.
	Implementation transport.WebsocketImplementation
	// InitFunc, InitTimeout and PayloadReadLimit are as in
	// transport.Websocket. An InitFunc refuses a connection by returning an
	// error, with RejectInit's context for close 4403 (else 1000).
	InitFunc         transport.WebsocketInitFunc
	InitTimeout      time.Duration
	PayloadReadLimit *int64
}

var _ graphql.Transport = Transport{}

// Supports reports whether r asks for an upgrade.
func (t Transport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// defaultPayloadReadLimit is gqlgen's default for a nil PayloadReadLimit.
const defaultPayloadReadLimit = 1 << 20

// Do serves one websocket until it closes.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ws, err := t.Implementation.Accept(w, r, transport.WebsocketAcceptOptions{
		ResponseHeader: http.Header{},
		Subprotocols:   []string{gorillaconn.GraphQLWS, gorillaconn.GraphQLTransportWS},
	})
	if err != nil {
		return // Upgrade has written the HTTP error
	}
	c, ok := ws.(*gorillaconn.Conn)
	if !ok {
		_ = ws.Close()
		return
	}
	limit := int64(defaultPayloadReadLimit)
	if t.PayloadReadLimit != nil {
		limit = *t.PayloadReadLimit
	}
	if limit > 0 {
		c.SetReadLimit(limit)
	}
	s := &session{
		t: t, c: c, names: gorillaconn.MessagesFor(c.Subprotocol()), ctx: r.Context(), exec: exec, headers: r.Header,
		active: map[string]context.CancelFunc{},
	}
	if !s.init() {
		return
	}
	s.run()
}

// session is one connection's protocol state, as gqlgen's wsConnection.
type session struct {
	t       Transport
	c       *gorillaconn.Conn
	names   gorillaconn.Messages
	ctx     context.Context // the request's, then the InitFunc's
	exec    graphql.GraphExecutor
	headers http.Header

	mu     sync.Mutex
	active map[string]context.CancelFunc // running operations by (internal) id
	closed bool
}

// message is a decoded client message.
type message struct {
	id      string
	typ     string
	payload json.RawMessage
}

// Kinds of client messages, as gqlgen reads them.
var (
	errInvalidMsg = errors.New("invalid message received")
	errWrongWay   = errors.New("message type not sent by clients")
)

// clientTypes are the message types a client may send, per subprotocol.
var clientTypes = map[bool]map[string]bool{
	true:  {"connection_init": true, "subscribe": true, "complete": true, "ping": true, "pong": true},
	false: {"connection_init": true, "connection_terminate": true, "start": true, "stop": true},
}

// knownTypes are every message type of a subprotocol: an unknown one is
// invalid JSON to gqlgen, a known server type a decoding error.
var knownTypes = map[bool]map[string]bool{
	true: {
		"connection_init": true, "connection_ack": true, "ping": true, "pong": true, "subscribe": true,
		"next": true, "error": true, "complete": true,
	},
	false: {
		"connection_init": true, "connection_terminate": true, "start": true, "stop": true, "connection_ack": true,
		"connection_error": true, "data": true, "error": true, "complete": true, "ka": true,
	},
}

// next reads the next message for the protocol.
func (s *session) next() (message, error) {
	_, r, err := s.c.NextReader()
	if err != nil {
		return message{}, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return message{}, err
	}
	var m struct {
		ID      string          `json:"id"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || !knownTypes[s.names.TransportWS][m.Type] {
		return message{}, errInvalidMsg
	}
	if !clientTypes[s.names.TransportWS][m.Type] {
		return message{}, errWrongWay
	}
	return message{id: m.ID, typ: m.Type, payload: m.Payload}, nil
}

// send writes a server message; types only graphql-ws has are dropped on
// graphql-transport-ws, as gqlgen does.
func (s *session) send(id, typ string, payload json.RawMessage) {
	if s.names.TransportWS && (typ == "ka" || typ == "connection_error") {
		return
	}
	if typ == "data" {
		typ = s.names.Next
	}
	_ = s.c.WriteJSON(gorillaconn.Envelope{ID: id, Type: typ, Payload: payload})
}

func (s *session) sendConnectionError(format string, args ...any) {
	b, _ := json.Marshal(&gqlerror.Error{Message: fmt.Sprintf(format, args...)})
	s.send("", "connection_error", b)
}

// init reads connection_init within InitTimeout and runs the InitFunc.
func (s *session) init() bool {
	if s.t.InitTimeout > 0 {
		_ = s.c.SetReadDeadline(time.Now().Add(s.t.InitTimeout))
	}
	m, err := s.next()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			s.close(transport.WebsocketCloseProtocolError, "connection initialisation timeout")
			return false
		}
		if errors.Is(err, errInvalidMsg) {
			s.sendConnectionError("invalid json")
		}
		s.close(transport.WebsocketCloseProtocolError, "decoding error")
		return false
	}
	if s.t.InitTimeout > 0 {
		_ = s.c.SetReadDeadline(time.Time{})
	}
	switch m.typ {
	case "connection_init":
		var payload transport.InitPayload
		if len(m.payload) > 0 {
			payload = make(transport.InitPayload)
			if err := json.Unmarshal(m.payload, &payload); err != nil {
				s.sendConnectionError("invalid json")
				s.close(transport.WebsocketCloseProtocolError, "decoding error")
				return false
			}
		}
		var ack *transport.InitPayload
		if s.t.InitFunc != nil {
			ctx, a, err := s.t.InitFunc(s.ctx, payload)
			if err != nil {
				s.sendConnectionError("%s", err.Error())
				code, reason := websocket1000, "terminated"
				if f, ok := ctxValue[closeFrame](ctx, rejectKey{}); ok {
					code, reason = f.code, f.reason
				}
				s.close(code, reason)
				return false
			}
			s.ctx, ack = ctx, a
		}
		var ackPayload json.RawMessage
		if ack != nil {
			b, err := json.Marshal(*ack)
			if err != nil {
				panic(err)
			}
			ackPayload = b
		}
		s.send("", "connection_ack", ackPayload)
		s.send("", "ka", nil)
		return true
	case "connection_terminate":
		s.close(websocket1000, "terminated")
	default:
		s.sendConnectionError("unexpected message %s", gqlgenName[m.typ])
		s.close(transport.WebsocketCloseProtocolError, "unexpected message")
	}
	return false
}

// gqlgenName is what gqlgen's connection_error calls a client message type.
var gqlgenName = map[string]string{
	"connection_init": "init", "connection_terminate": "connection close",
	"start": "start", "subscribe": "start", "stop": "stop subscription", "complete": "stop subscription",
	"ping": "ping", "pong": "pong",
}

const websocket1000 = 1000

// ctxValue is ctx's value under key, if it has one of type T.
func ctxValue[T any](ctx context.Context, key any) (T, bool) {
	var zero T
	if ctx == nil {
		return zero, false
	}
	v, ok := ctx.Value(key).(T)
	return v, ok
}

// run reads until the connection ends, then closes it (1000, unless the
// connection closed otherwise already).
func (s *session) run() {
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	context.AfterFunc(ctx, func() { s.close(websocket1000, "terminated") })
	for {
		start := graphql.Now()
		m, err := s.next()
		if err != nil {
			return
		}
		switch m.typ {
		case s.names.Subscribe:
			s.subscribe(start, m)
		case s.names.Stop:
			s.mu.Lock()
			stop := s.active[m.id]
			s.mu.Unlock()
			if stop != nil {
				stop()
			}
		case "connection_terminate":
			s.close(websocket1000, "terminated")
			return
		case "ping":
			s.send("", "pong", m.payload)
		case "pong":
			_ = s.c.SetReadDeadline(time.Time{})
		default:
			s.sendConnectionError("unexpected message %s", gqlgenName[m.typ])
			s.close(transport.WebsocketCloseProtocolError, "unexpected message")
			return
		}
	}
}

// subscribe starts an operation, as gqlgen's transport does.
func (s *session) subscribe(start time.Time, m message) {
	ctx := graphql.StartOperationTrace(s.ctx)
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(m.payload))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		s.sendError(m.id, &gqlerror.Error{Message: "invalid json"})
		s.complete(m.id)
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	params.Headers = s.headers

	rc, err := s.exec.CreateOperationContext(ctx, params)
	if err != nil {
		resp := s.exec.DispatchError(graphql.WithOperationContext(ctx, rc), err)
		switch errcode.GetErrorKind(err) {
		case errcode.KindProtocol:
			s.sendError(m.id, resp.Errors...)
		default:
			s.sendResponse(m.id, &graphql.Response{Errors: err})
		}
		s.complete(m.id)
		return
	}
	ctx = graphql.WithOperationContext(ctx, rc)
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.active[m.id] = cancel
	s.mu.Unlock()

	go func() {
		ends := &endError{}
		ctx := context.WithValue(ctx, endErrorKey{}, ends)
		defer func() {
			if r := recover(); r != nil {
				err := rc.Recover(ctx, r)
				var gqlerr *gqlerror.Error
				if !errors.As(err, &gqlerr) {
					gqlerr = &gqlerror.Error{}
					if err != nil {
						gqlerr.Message = err.Error()
					}
				}
				s.sendError(m.id, gqlerr)
			}
			if errs := ends.get(); len(errs) != 0 {
				s.sendError(m.id, errs...)
			} else {
				s.complete(m.id)
			}
			s.mu.Lock()
			delete(s.active, m.id)
			s.mu.Unlock()
			cancel()
		}()
		responses, ctx := s.exec.DispatchOperation(ctx, rc)
		for {
			response := responses(ctx)
			if response == nil {
				break
			}
			s.sendResponse(m.id, response)
		}
	}()
}

func (s *session) sendResponse(id string, response *graphql.Response) {
	b, err := json.Marshal(response)
	if err != nil {
		panic(err)
	}
	s.send(id, "data", b)
}

func (s *session) complete(id string) { s.send(id, "complete", nil) }

func (s *session) sendError(id string, errs ...*gqlerror.Error) {
	list := make([]error, len(errs))
	for i, err := range errs {
		list[i] = err
	}
	b, err := json.Marshal(list)
	if err != nil {
		panic(err)
	}
	s.send(id, "error", b)
}

// close sends the close frame (the conn may choose another code, see
// gorillaconn.Conn.WriteClose), stops every operation and closes the connection, once.
func (s *session) close(code int, reason string) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	_ = s.c.WriteClose(code, reason)
	for _, stop := range s.active {
		stop()
	}
	s.closed = true
	s.mu.Unlock()
	_ = s.c.Close()
}

type endErrorKey struct{}

// endError holds the errors an operation ends with (EndWithError).
type endError struct {
	mu   sync.Mutex
	errs []*gqlerror.Error
}

func (e *endError) get() []*gqlerror.Error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.errs
}

// EndWithError makes the operation of ctx, on a [Transport], end with an
// error message carrying err instead of complete once its stream closes
// (gqlgen's transport.AddSubscriptionError on gqlgen's transport). It reports
// false when ctx is not such an operation's.
func EndWithError(ctx context.Context, err *gqlerror.Error) bool {
	e, ok := ctx.Value(endErrorKey{}).(*endError)
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, err)
	return true
}

type rejectKey struct{}

// closeFrame is a close code and reason.
type closeFrame struct {
	code   int
	reason string
}

// RejectInit returns ctx marked so that the connection closes with
// gorillaconn.CloseForbidden and reason "Forbidden" when an InitFunc returns
// it together with an error, as graphql-transport-ws specifies for a
// rejected connection_init, on gqlgen's transport.Websocket and on
// [Transport] alike. Without it the close code is 1000. On graphql-ws the
// client first gets connection_error carrying the error's text, so that text
// must be safe to show to the client.
func RejectInit(ctx context.Context) context.Context {
	ctx = transport.WithWebsocketCloseCode(ctx, gorillaconn.CloseForbidden)
	ctx = context.WithValue(ctx, rejectKey{}, closeFrame{gorillaconn.CloseForbidden, "Forbidden"}) // for Transport
	return transport.AppendCloseReason(ctx, "Forbidden")
}
