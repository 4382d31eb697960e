// Package wstest is the GraphQL websocket client of the tests: it speaks
// graphql-transport-ws and the legacy graphql-ws over gorilla/websocket, and
// bounds every blocking step by [Timeout] so that a broken server fails a test
// instead of hanging it.
//
//	c := wstest.Connect(t, url, wstest.TransportWS, nil)
//	c.Init(t, map[string]any{"Authorization": "Bearer " + token})
//	r := c.Run(t, "{ __typename }", nil)
//	if got := r.Codes(); got != nil { ... }
//
// Every method takes the test's testing.TB and fails it on an unexpected
// transport error, so tests read as the exchange they check.
package wstest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Timeout bounds every blocking step of the client. It is a deadlock guard,
// not a timing assertion.
const Timeout = 20 * time.Second

// Protocol names one subprotocol's message types for the same exchanges.
type Protocol struct {
	Name      string // the Sec-WebSocket-Protocol token
	Subscribe string // client: start an operation
	Stop      string // client: stop an operation
	Next      string // server: one result of an operation
}

// The two subprotocols the BFF serves.
var (
	// TransportWS is graphql-transport-ws, the protocol of the graphql-ws
	// library.
	TransportWS = Protocol{Name: "graphql-transport-ws", Subscribe: "subscribe", Stop: "complete", Next: "next"}
	// GraphQLWS is the legacy graphql-ws of subscriptions-transport-ws.
	GraphQLWS = Protocol{Name: "graphql-ws", Subscribe: "start", Stop: "stop", Next: "data"}
)

// Protocols returns both subprotocols, graphql-transport-ws first, for tests
// that run over each.
func Protocols() []Protocol { return []Protocol{TransportWS, GraphQLWS} }

// Message is a message of either subprotocol; both share this envelope.
type Message struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Error is a GraphQL error as the server sends it.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code returns extensions.code, "" when there is none.
func (e Error) Code() string {
	s, _ := e.Extensions["code"].(string)
	return s
}

// Result is what one operation delivered: the data of its last result and
// the errors of all its results and of its error message.
type Result struct {
	Data   json.RawMessage
	Errors []Error
	// Nexts counts the results (next or data messages) received.
	Nexts int
	// Ended is the message type that ended the operation: complete or error.
	Ended string
}

// Codes returns the extensions.code of every error, nil when there is none.
func (r Result) Codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Code())
	}
	return out
}

// Conn is a client connection. The embedded gorilla connection is there for
// raw frames and control messages; use the methods for GraphQL messages.
type Conn struct {
	*websocket.Conn
	// Protocol is the negotiated subprotocol (GraphQLWS when none was, as
	// gqlgen then speaks graphql-ws).
	Protocol Protocol
	ops      int // operations started by Run
}

// Dialer opens connections; its zero value is usable.
type Dialer struct {
	// ReadBufferSize and WriteBufferSize are gorilla's buffer sizes; zero
	// takes gorilla's defaults.
	ReadBufferSize, WriteBufferSize int
}

// Dial opens a websocket to url (ws:// or http://, which is rewritten),
// offering subprotocols in order and sending header (an Origin, say). The
// connection closes when the test ends. The response, when there is one, has
// its body closed.
func (d Dialer) Dial(t testing.TB, url string, header http.Header, subprotocols ...string) (*Conn, *http.Response, error) {
	t.Helper()
	wd := websocket.Dialer{
		HandshakeTimeout: Timeout,
		Subprotocols:     subprotocols,
		ReadBufferSize:   d.ReadBufferSize,
		WriteBufferSize:  d.WriteBufferSize,
	}
	ws, resp, err := wd.DialContext(t.Context(), wsURL(url), header)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { ws.Close() })
	c := &Conn{Conn: ws, Protocol: GraphQLWS}
	if ws.Subprotocol() == TransportWS.Name {
		c.Protocol = TransportWS
	}
	return c, resp, nil
}

// Dial is Dialer{}.Dial.
func Dial(t testing.TB, url string, header http.Header, subprotocols ...string) (*Conn, *http.Response, error) {
	t.Helper()
	return Dialer{}.Dial(t, url, header, subprotocols...)
}

// Connect dials url with subprotocol p and fails the test if that fails.
func Connect(t testing.TB, url string, p Protocol, header http.Header) *Conn {
	t.Helper()
	c, resp, err := Dial(t, url, header, p.Name)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s (%s): %v (HTTP %d)", url, p.Name, err, status)
	}
	if c.Protocol.Name != p.Name {
		t.Fatalf("dial %s: negotiated %q, want %q", url, c.Subprotocol(), p.Name)
	}
	return c
}

// wsURL turns an http(s) URL into a ws(s) one.
func wsURL(u string) string {
	if rest, ok := strings.CutPrefix(u, "http"); ok {
		return "ws" + rest
	}
	return u
}

// Init sends connection_init with payload (none when nil) and waits for
// connection_ack, skipping graphql-ws keep-alives.
func (c *Conn) Init(t testing.TB, payload map[string]any) {
	t.Helper()
	c.SendInit(t, payload)
	c.Expect(t, "connection_ack")
}

// SendInit sends connection_init with payload (none when nil) and does not
// wait for the answer.
func (c *Conn) SendInit(t testing.TB, payload map[string]any) {
	t.Helper()
	m := Message{Type: "connection_init"}
	if payload != nil {
		m.Payload = marshal(t, payload)
	}
	c.Send(t, m)
}

// Send writes one message.
func (c *Conn) Send(t testing.TB, m Message) {
	t.Helper()
	c.SendJSON(t, m)
}

// SendJSON writes v as one text message.
func (c *Conn) SendJSON(t testing.TB, v any) {
	t.Helper()
	if err := c.SetWriteDeadline(time.Now().Add(Timeout)); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteJSON(v); err != nil {
		t.Fatalf("websocket write: %v", err)
	}
}

// Subscribe starts operation id running query with vars (none when nil).
func (c *Conn) Subscribe(t testing.TB, id, query string, vars map[string]any) {
	t.Helper()
	p := map[string]any{"query": query}
	if vars != nil {
		p["variables"] = vars
	}
	c.Send(t, Message{Type: c.Protocol.Subscribe, ID: id, Payload: marshal(t, p)})
}

// Stop stops operation id (complete on graphql-transport-ws, stop on
// graphql-ws).
func (c *Conn) Stop(t testing.TB, id string) {
	t.Helper()
	c.Send(t, Message{Type: c.Protocol.Stop, ID: id})
}

// ReadAny returns the next message, whatever its type.
func (c *Conn) ReadAny(t testing.TB) Message {
	t.Helper()
	m, err := c.read(false)
	if err != nil {
		t.Fatalf("websocket read: %v, want a message", err)
	}
	return m
}

// TryRead returns the next message, skipping graphql-ws keep-alives ("ka"),
// or the error that ended the connection (a *websocket.CloseError when the
// server closed it).
func (c *Conn) TryRead() (Message, error) { return c.read(true) }

func (c *Conn) read(skipKA bool) (Message, error) {
	for {
		if err := c.SetReadDeadline(time.Now().Add(Timeout)); err != nil {
			return Message{}, err
		}
		var m Message
		if err := c.ReadJSON(&m); err != nil {
			return Message{}, err
		}
		if skipKA && m.Type == "ka" {
			continue
		}
		return m, nil
	}
}

// Read returns the next message other than a graphql-ws keep-alive.
func (c *Conn) Read(t testing.TB) Message {
	t.Helper()
	m, err := c.TryRead()
	if err != nil {
		t.Fatalf("websocket read: %v, want a message", err)
	}
	return m
}

// Expect reads the next message and fails the test unless its type is typ.
// graphql-ws keep-alives are skipped unless typ is "ka".
func (c *Conn) Expect(t testing.TB, typ string) Message {
	t.Helper()
	for {
		m := c.ReadAny(t)
		if m.Type == "ka" && typ != "ka" {
			continue
		}
		if m.Type != typ {
			t.Fatalf("read message %q (id %q, payload %.300s), want %q", m.Type, m.ID, m.Payload, typ)
		}
		return m
	}
}

// ReadClose reads until the connection ends and returns the close frame the
// server sent; a server that dropped the TCP connection gives code 1006.
// Messages on the way are discarded.
func (c *Conn) ReadClose(t testing.TB) *websocket.CloseError {
	t.Helper()
	ce, _ := c.ReadToClose(t)
	return ce
}

// ReadToClose is ReadClose that also returns the messages read on the way, in
// order (graphql-ws keep-alives excepted).
func (c *Conn) ReadToClose(t testing.TB) (*websocket.CloseError, []Message) {
	t.Helper()
	var seen []Message
	for {
		m, err := c.TryRead()
		if err == nil {
			seen = append(seen, m)
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("websocket read: %v, want the server to close the connection", err)
		}
		return ce, seen
	}
}

// Collect reads until operation id ends (complete or error) and returns what
// it delivered. Messages of other operations are skipped.
func (c *Conn) Collect(t testing.TB, id string) Result {
	t.Helper()
	var out Result
	for {
		m := c.Read(t)
		if m.ID != id {
			continue
		}
		switch m.Type {
		case c.Protocol.Next:
			var r struct {
				Data   json.RawMessage `json:"data"`
				Errors []Error         `json:"errors"`
			}
			if err := json.Unmarshal(m.Payload, &r); err != nil {
				t.Fatalf("decode %s payload: %v", m.Type, err)
			}
			out.Nexts++
			out.Data = r.Data
			out.Errors = append(out.Errors, r.Errors...)
		case "error":
			out.Errors = append(out.Errors, decodeErrors(t, m.Payload)...)
			out.Ended = m.Type
			return out
		case "complete":
			out.Ended = m.Type
			return out
		}
	}
}

// decodeErrors decodes an error message's payload: an array of GraphQL
// errors, or one error object as some legacy servers send.
func decodeErrors(t testing.TB, payload json.RawMessage) []Error {
	t.Helper()
	var errs []Error
	if err := json.Unmarshal(payload, &errs); err == nil {
		return errs
	}
	var one Error
	if err := json.Unmarshal(payload, &one); err != nil {
		t.Fatalf("decode error payload %.300s: %v", payload, err)
	}
	return []Error{one}
}

// Errors decodes the payload of an error message.
func (m Message) Errors(t testing.TB) []Error {
	t.Helper()
	return decodeErrors(t, m.Payload)
}

// Run runs one operation under a fresh id and returns what it delivered,
// reading until it ends.
func (c *Conn) Run(t testing.TB, query string, vars map[string]any) Result {
	t.Helper()
	c.ops++
	id := "op-" + strconv.Itoa(c.ops)
	c.Subscribe(t, id, query, vars)
	return c.Collect(t, id)
}

// Ping sends a graphql-transport-ws ping and returns the messages that
// arrived before its pong, which the server writes after everything it wrote
// before reading the ping: a barrier. It fails the test on graphql-ws, which
// has no ping.
func (c *Conn) Ping(t testing.TB) []Message {
	t.Helper()
	if c.Protocol != TransportWS {
		t.Fatalf("Ping on %s: only graphql-transport-ws has ping", c.Protocol.Name)
	}
	c.Send(t, Message{Type: "ping"})
	var seen []Message
	for {
		m := c.Read(t)
		if m.Type == "pong" {
			return seen
		}
		seen = append(seen, m)
	}
}

func marshal(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode message: %v", err)
	}
	return b
}
