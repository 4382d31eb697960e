package gorillaconn

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// errEnded is what reads and writes return once the connection has ended
// itself. It wraps net.ErrClosed, which gqlgen takes for a connection closed
// on purpose and does not report.
var errEnded = fmt.Errorf("gorillaconn: connection ended: %w", net.ErrClosed)

// Messages are one subprotocol's message types where the two differ.
type Messages struct {
	TransportWS bool   // graphql-transport-ws; false: graphql-ws
	Subscribe   string // client: start an operation
	Stop        string // client: stop an operation
	Next        string // server: one result
}

// MessagesFor returns the message types of a negotiated subprotocol; gqlgen
// speaks graphql-ws when none was negotiated.
func MessagesFor(subprotocol string) Messages {
	if subprotocol == GraphQLTransportWS {
		return Messages{TransportWS: true, Subscribe: "subscribe", Stop: "complete", Next: "next"}
	}
	return Messages{Subscribe: "start", Stop: "stop", Next: "data"}
}

// Envelope is a message of either subprotocol.
type Envelope struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// operation is one operation the client started.
type operation struct {
	client   string // the client's id
	internal string // the id gqlgen knows it by, unique on the connection
	seq      int    // start order
	stopped  bool   // the client stopped it, or the connection ended it
}

// Conn adapts a gorilla connection to transport.WebsocketConn and keeps the
// protocol's promises that gqlgen's transport does not (see the package
// documentation): it sees every message both ways. New's implementation
// returns one from Accept.
//
// Operations reach gqlgen under ids of the connection's own (1, 2, ...),
// translated back on the way out. gqlgen keys its running operations by id,
// so a client id used again before gqlgen has finished the operation that had
// it would otherwise overwrite the first one's entry; with ids of its own,
// every operation stays separately stoppable, and whatever gqlgen still sends
// for an operation the client stopped (or one that already ended) is dropped.
type Conn struct {
	ws           *websocket.Conn
	writeTimeout time.Duration
	names        Messages
	reqCtx       context.Context // the upgrade request's; it ends at shutdown
	stopWatch    func() bool     // stops the watch of reqCtx installed by Accept
	limit        opLimit         // LimitOperations's, if any
	compressMin  int             // 0: permessage-deflate not negotiated; else messages this long are compressed

	// mu guards the fields below and serialises writes: gorilla allows one
	// concurrent writer, and the decision to forward or drop a message must
	// not be overtaken by the close that ends the connection.
	mu      sync.Mutex
	acked   bool                  // connection_ack written
	readAny bool                  // a message has been read
	inits   int                   // connection_init messages read
	ops     map[string]*operation // running, by client id
	live    map[string]*operation // that gqlgen has not ended, by internal id
	seq     int
	pending [][]byte // client messages for gqlgen before the next read
	closed  bool     // the close frame is sent or the connection is gone
	refusal *closeFrame
	expiry  *expiry
	timer   *time.Timer // of expiry

	// keepAlive is the interval of the connection's own pings
	// (graphql-transport-ws) or "ka" messages (graphql-ws); zero for none.
	// Set before the connection is used.
	keepAlive time.Duration
	kaTimer   *time.Timer // from connection_ack on
	pongSeen  bool        // a pong came since the last ping
}

// closeFrame is a close code and reason.
type closeFrame struct {
	code   int
	reason string
}

// expiry is when and how the connection ends (ExpireAt).
type expiry struct {
	at     time.Time
	grace  time.Duration // before running operations are ended
	reason string
	errs   json.RawMessage // payload of the error message each operation gets
}

// opLimit bounds the operations of one connection (LimitOperations).
type opLimit struct {
	max  int
	errs json.RawMessage
}

var (
	_ transport.WebsocketConn          = (*Conn)(nil)
	_ transport.WebsocketReadLimiter   = (*Conn)(nil)
	_ transport.WebsocketReadDeadliner = (*Conn)(nil)
)

func newConn(ws *websocket.Conn, writeTimeout time.Duration, reqCtx context.Context) *Conn {
	c := &Conn{
		ws:           ws,
		writeTimeout: writeTimeout,
		names:        MessagesFor(ws.Subprotocol()),
		reqCtx:       reqCtx,
		ops:          map[string]*operation{},
		live:         map[string]*operation{},
	}
	c.stopWatch = context.AfterFunc(reqCtx, c.shutdown)
	return c
}

// NextReader returns the next data message for gqlgen. A normal close by the
// peer (1000, 1001 going away, 1005 no status) is reported as
// transport.ErrWebsocketClosed, which gqlgen does not treat as an error.
// Messages the connection answers itself (a subscribe over the operation
// limit, a stop for an operation that is not running) are not passed on; one
// that ends the connection (see the package documentation) makes it return an
// error wrapping net.ErrClosed.
func (c *Conn) NextReader() (int, io.Reader, error) {
	for {
		if data := c.popPending(); data != nil {
			return websocket.TextMessage, bytes.NewReader(data), nil
		}
		mt, r, err := c.ws.NextReader()
		if err != nil {
			if websocket.IsCloseError(err,
				websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
				return mt, nil, transport.ErrWebsocketClosed
			}
			return mt, nil, err
		}
		data, err := io.ReadAll(r) // bounded by SetReadLimit
		if err != nil {
			return mt, nil, err
		}
		data, err = c.received(data)
		if err != nil {
			return mt, nil, err
		}
		if data != nil {
			return mt, bytes.NewReader(data), nil
		}
	}
}

func (c *Conn) popPending() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) == 0 {
		return nil
	}
	data := c.pending[0]
	c.pending = c.pending[1:]
	return data
}

// received applies the protocol's rules to a client message and returns
// what gqlgen should read instead: the message, rewritten to the internal
// id, or nil for a message answered here.
func (c *Conn) received(data []byte) ([]byte, error) {
	var m Envelope
	if err := json.Unmarshal(data, &m); err != nil {
		return data, nil // gqlgen answers malformed messages
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errEnded
	}
	c.readAny = true
	switch m.Type {
	case "pong":
		if c.names.TransportWS && c.kaTimer != nil {
			// The client answered: no deadline until the next ping.
			c.pongSeen = true
			_ = c.ws.SetReadDeadline(time.Time{})
		}
	case "connection_init":
		c.inits++
		if c.inits > 1 && c.names.TransportWS {
			c.endLocked(closeFrame{CloseTooManyInitialisationRequests, "Too many initialisation requests"}, nil)
			return nil, errEnded
		}
	case c.names.Subscribe:
		return c.subscribeLocked(m)
	case c.names.Stop:
		op := c.ops[m.ID]
		if op == nil {
			return nil, nil // nothing runs under that id (any more)
		}
		op.stopped = true
		delete(c.ops, m.ID)
		return encode(Envelope{ID: op.internal, Type: m.Type}), nil
	}
	return data, nil
}

func (c *Conn) subscribeLocked(m Envelope) ([]byte, error) {
	if !c.acked && c.names.TransportWS {
		c.endLocked(closeFrame{CloseUnauthorized, "Unauthorized"}, nil)
		return nil, errEnded
	}
	if c.expiry != nil && !time.Now().Before(c.expiry.at) {
		c.expireLocked()
		return nil, errEnded
	}
	var stopOld []byte
	if old := c.ops[m.ID]; old != nil {
		if c.names.TransportWS {
			c.endLocked(closeFrame{CloseSubscriberAlreadyExists, "Subscriber for " + m.ID + " already exists"}, nil)
			return nil, errEnded
		}
		// graphql-ws: a start for a running id replaces that operation, as
		// subscriptions-transport-ws's server does.
		old.stopped = true
		delete(c.ops, m.ID)
		stopOld = encode(Envelope{ID: old.internal, Type: c.names.Stop})
	}
	if c.limit.max > 0 && len(c.ops) >= c.limit.max {
		_ = c.writeLocked(encode(Envelope{ID: m.ID, Type: "error", Payload: c.limit.errs}))
		return stopOld, nil
	}
	c.seq++
	op := &operation{client: m.ID, internal: strconv.Itoa(c.seq), seq: c.seq}
	c.ops[op.client] = op
	c.live[op.internal] = op
	start := encode(Envelope{ID: op.internal, Type: m.Type, Payload: m.Payload})
	if stopOld != nil {
		c.pending = append(c.pending, start)
		return stopOld, nil
	}
	return start, nil
}

// WriteJSON writes v, a message from gqlgen, as one text message within the
// write timeout, under the client's id; a result or end of an operation the
// client stopped or that already ended is dropped. After a failed write
// gorilla's writer is unusable (a timed-out write may have sent half a
// frame), so the connection is closed: that unblocks gqlgen's read loop,
// which would otherwise wait for a peer that may never speak again.
func (c *Conn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("gorillaconn: encode message: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errEnded
	}
	data = c.sendingLocked(data)
	if data == nil {
		return nil
	}
	return c.writeLocked(data)
}

// sendingLocked returns what the client should get for a message of gqlgen,
// nil for nothing.
func (c *Conn) sendingLocked(data []byte) []byte {
	var m Envelope
	if err := json.Unmarshal(data, &m); err != nil {
		return data
	}
	switch m.Type {
	case "connection_ack":
		c.acked = true
		c.startKeepAliveLocked()
	case c.names.Next, "error", "complete":
		if m.ID == "" {
			return data
		}
		op := c.live[m.ID]
		if op == nil {
			// Ended already: gqlgen follows an error with a complete
			// after a panic, which the protocol forbids.
			return nil
		}
		if m.Type != c.names.Next {
			delete(c.live, m.ID)
			if !op.stopped {
				delete(c.ops, op.client)
			}
		}
		if op.stopped {
			// graphql-ws clients get gqlgen's complete after their stop, as
			// subscriptions-transport-ws sends it, unless the id already
			// names a new operation; graphql-transport-ws sends nothing
			// after the client's complete, as the protocol says.
			if c.names.TransportWS || m.Type != "complete" || c.ops[op.client] != nil {
				return nil
			}
		}
		m.ID = op.client
		return encode(m)
	}
	return data
}

// writeLocked writes one text message.
func (c *Conn) writeLocked(data []byte) error {
	if err := c.ws.SetWriteDeadline(time.Now().Add(c.writeTimeout)); err != nil {
		_ = c.ws.Close()
		return fmt.Errorf("gorillaconn: set write deadline: %w", err)
	}
	if c.compressMin > 0 {
		compress := len(data) >= c.compressMin
		c.ws.EnableWriteCompression(compress)
		if compress {
			data = pad(data)
		}
	}
	if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
		_ = c.ws.Close()
		return fmt.Errorf("gorillaconn: write message: %w", err)
	}
	return nil
}

// WriteClose sends a close frame. gqlgen's choice of code is replaced where
// the protocol or the connection's controls say otherwise: at shutdown
// every operation is completed and the code is 1001; a connection_init
// refused after Refuse closes as refused; one that never came closes with
// 4408; an expired connection closes as ExpireAt says. The reason is cut to the 123
// bytes a close frame can carry.
func (c *Conn) WriteClose(code int, reason string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil
	case c.reqCtx.Err() != nil:
		c.shutdownLocked()
		return nil
	case c.expiry != nil && !time.Now().Before(c.expiry.at):
		c.expireLocked()
		return nil
	case !c.acked && c.refusal != nil:
		code, reason = c.refusal.code, c.refusal.reason
	case !c.acked && !c.readAny && code == transport.WebsocketCloseProtocolError:
		// gqlgen's InitTimeout: nothing was read before it gave up.
		code, reason = CloseConnectionInitialisationTimeout, "Connection initialisation timeout"
	}
	c.closed = true
	c.stopTimerLocked()
	return c.writeCloseLocked(closeFrame{code, reason})
}

func (c *Conn) writeCloseLocked(f closeFrame) error {
	msg := websocket.FormatCloseMessage(f.code, truncateUTF8(f.reason, 123))
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.writeTimeout)); err != nil {
		return fmt.Errorf("gorillaconn: write close %d: %w", f.code, err)
	}
	return nil
}

// endLocked ends the connection: each running operation first gets the
// message last returns for it (if last is not nil), then the close frame goes
// out and the network connection closes. gqlgen's read loop then fails,
// which cancels every operation; what they still send is dropped.
func (c *Conn) endLocked(f closeFrame, last func(*operation) []byte) {
	if c.closed {
		return
	}
	ops := make([]*operation, 0, len(c.ops))
	for _, op := range c.ops {
		ops = append(ops, op)
	}
	slices.SortFunc(ops, func(a, b *operation) int { return cmp.Compare(a.seq, b.seq) })
	for _, op := range ops {
		op.stopped = true
		if last != nil {
			_ = c.writeLocked(last(op))
		}
	}
	clear(c.ops)
	c.closed = true
	c.stopTimerLocked()
	_ = c.writeCloseLocked(f)
	_ = c.ws.Close()
}

// shutdown runs when the upgrade request's context ends, which, while the
// connection is open, means the server is shutting down.
func (c *Conn) shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shutdownLocked()
}

// shutdownLocked completes every operation and closes with 1001 (going away),
// so that clients know to reconnect elsewhere and resume. Before
// connection_ack gqlgen is blocked reading connection_init and does not watch
// the context; this ends such connections too.
func (c *Conn) shutdownLocked() {
	c.endLocked(closeFrame{websocket.CloseGoingAway, "server shutting down"}, func(op *operation) []byte {
		return encode(Envelope{ID: op.client, Type: "complete"})
	})
}

// LimitOperations bounds the operations (subscriptions, and queries and
// mutations sent over the socket) running at once on c to max; 0 means no
// bound. A subscribe over it is answered with an error message for its id
// whose payload is errs (a JSON list of GraphQL errors); the connection and
// its other operations go on. Call it before c is used, from an [OnAccept]
// function.
func (c *Conn) LimitOperations(max int, errs json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = opLimit{max: max, errs: errs}
}

// ExpireAt ends the connection when the credential it was opened with stops
// being valid, at at: grace later (time for operations that watch the
// credential to end on their own), every operation still running gets an
// error message whose payload is errs (a JSON list of GraphQL errors), and
// the connection closes with [CloseForbidden] and reason. A subscribe read
// at or after at ends it at once, so nothing started after at is served.
func (c *Conn) ExpireAt(at time.Time, grace time.Duration, reason string, errs json.RawMessage) {
	e := expiry{at: at, grace: grace, reason: reason, errs: errs}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.expiry = &e
	c.stopTimerLocked()
	c.timer = time.AfterFunc(time.Until(e.at)+e.grace, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.expireLocked()
	})
}

// expireLocked gives every running operation the expiry's error and closes
// with CloseForbidden.
func (c *Conn) expireLocked() {
	e := c.expiry
	c.endLocked(closeFrame{CloseForbidden, e.reason}, func(op *operation) []byte {
		return encode(Envelope{ID: op.client, Type: "error", Payload: e.errs})
	})
}

func (c *Conn) stopTimerLocked() {
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.kaTimer != nil {
		c.kaTimer.Stop()
	}
}

// startKeepAliveLocked starts the connection's pings or "ka" messages, as
// gqlgen's run does after connection_ack: graphql-transport-ws clients must
// answer within two intervals (the read deadline; a pong clears it, the
// next ping sets it again), graphql-ws clients get a "ka" every interval.
func (c *Conn) startKeepAliveLocked() {
	if c.keepAlive <= 0 || c.kaTimer != nil {
		return
	}
	if c.names.TransportWS {
		_ = c.ws.SetReadDeadline(time.Now().Add(2 * c.keepAlive))
	}
	c.kaTimer = time.AfterFunc(c.keepAlive, c.keepAliveDue)
}

var (
	pingMessage = []byte(`{"type":"ping"}`)
	kaMessage   = []byte(`{"type":"ka"}`)
)

// keepAliveDue runs on the connection's timer, in a goroutine of its own
// that ends with the write: it pings (or sends "ka") and sets the timer
// again.
func (c *Conn) keepAliveDue() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if !c.names.TransportWS {
		if c.writeLocked(kaMessage) == nil {
			c.kaTimer.Reset(c.keepAlive)
		}
		return
	}
	if c.writeLocked(pingMessage) != nil {
		return
	}
	// Without a pong since the last ping the deadline set then stands.
	if c.pongSeen {
		_ = c.ws.SetReadDeadline(time.Now().Add(2 * c.keepAlive))
	}
	c.pongSeen = false
	c.kaTimer.Reset(c.keepAlive)
}

// Refuse makes the connection close with code and reason when its
// connection_init is rejected, instead of the code gqlgen (or the
// transport) chose; it has no effect after connection_ack.
func (c *Conn) Refuse(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refusal = &closeFrame{code, reason}
}

// Close closes the network connection without waiting for the peer's close
// frame.
func (c *Conn) Close() error {
	c.stopWatch()
	err := c.ws.Close() // first: it unblocks a write stuck on a slow peer
	c.mu.Lock()
	c.closed = true
	c.stopTimerLocked()
	c.mu.Unlock()
	return err
}

// Subprotocol returns the negotiated subprotocol, "" if none.
func (c *Conn) Subprotocol() string { return c.ws.Subprotocol() }

// SetReadLimit implements transport.WebsocketReadLimiter: a bigger message
// makes gorilla send close 1009 and fail the read.
func (c *Conn) SetReadLimit(limit int64) { c.ws.SetReadLimit(limit) }

// SetReadDeadline implements transport.WebsocketReadDeadliner, which gqlgen
// uses to drop graphql-transport-ws clients that stop answering pings.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.ws.SetReadDeadline(t) }

// encode marshals a message; an Envelope of strings and a valid raw payload
// always encodes.
func encode(m Envelope) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic("gorillaconn: encode message: " + err.Error())
	}
	return b
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
