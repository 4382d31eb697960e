// Package wsgorilla runs gqlgen's websocket transport on gorilla/websocket.
//
// gqlgen v0.17.92 dropped its built-in gorilla transport and made
// [transport.Websocket.Implementation] pluggable; New returns such an
// implementation:
//
//	srv.AddTransport(transport.Websocket{
//		Implementation:        wsgorilla.New(wsgorilla.Options{AllowedOrigins: origins}),
//		InitFunc:              initFunc, // on failure: return wsgorilla.RejectInit(ctx), nil, err
//		InitTimeout:           10 * time.Second,
//		PingPongInterval:      15 * time.Second, // graphql-transport-ws ping/pong
//		KeepAlivePingInterval: 15 * time.Second, // graphql-ws "ka"
//	})
//
// Both graphql-transport-ws and the legacy graphql-ws subprotocol are served;
// a client offering both gets graphql-transport-ws.
//
// On top of gqlgen's protocol handling the implementation adds what a public
// endpoint needs: an Origin allow-list checked before the upgrade (HTTP 403;
// wrap the handler in [CheckOrigin] too for refusals without gqlgen's log
// noise), gqlgen's PayloadReadLimit, a write deadline so a client that stops
// reading cannot hold a server goroutine forever, serialised writes, and
// closing connections that are still waiting for connection_init when the
// request's context ends (gqlgen itself watches the context only after
// connection_ack), so cancelling the http.Server's BaseContext ends them all.
package wsgorilla

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// DefaultWriteTimeout is the write deadline used when Options.WriteTimeout is
// not positive.
const DefaultWriteTimeout = 10 * time.Second

// CloseForbidden is the close code graphql-transport-ws assigns to a rejected
// connection_init ("4403: Forbidden").
const CloseForbidden = 4403

// Subprotocol names, as negotiated in Sec-WebSocket-Protocol.
const (
	// GraphQLTransportWS is the graphql-transport-ws protocol of the
	// graphql-ws library (github.com/enisdenjo/graphql-ws).
	GraphQLTransportWS = "graphql-transport-ws"
	// GraphQLWS is the legacy protocol of Apollo's subscriptions-transport-ws.
	GraphQLWS = "graphql-ws"
)

// Options configures the implementation returned by New.
type Options struct {
	// AllowedOrigins lists the browser origins (scheme://host[:port], compared
	// case-insensitively, a trailing slash ignored) that may open a websocket.
	// "*" allows every origin, and only when listed explicitly. A request
	// without an Origin header (a native app, a server) is always allowed: the
	// check exists to stop other web pages from riding a browser's session.
	// A request from any other origin gets HTTP 403 and is not upgraded. The
	// BFF's own origin is not implied; list it if a page it serves (a
	// playground) opens websockets.
	AllowedOrigins []string

	// ReadBufferSize and WriteBufferSize are gorilla's I/O buffer sizes in
	// bytes; zero reuses the HTTP server's buffers (read) or gorilla's
	// default (write). They do not limit message sizes: gqlgen's
	// PayloadReadLimit does that. Write buffers come from a pool shared by
	// the connections of one implementation, so idle subscriptions hold none.
	ReadBufferSize, WriteBufferSize int

	// WriteTimeout bounds every write. A write that misses it (a client that
	// stopped reading) fails and closes the connection, which ends gqlgen's
	// read loop and the connection's subscriptions. Zero or negative means
	// DefaultWriteTimeout.
	WriteTimeout time.Duration

	// HandshakeTimeout bounds writing the upgrade response; zero means none.
	HandshakeTimeout time.Duration

	// EnableCompression lets gorilla negotiate permessage-deflate. Off by
	// default: it costs memory per connection and CPU per message.
	EnableCompression bool
}

// New returns a gqlgen websocket implementation backed by gorilla/websocket.
// It is safe for concurrent use by many connections.
func New(o Options) transport.WebsocketImplementation {
	im := &implementation{writeTimeout: o.WriteTimeout}
	if im.writeTimeout <= 0 {
		im.writeTimeout = DefaultWriteTimeout
	}
	im.upgrader = websocket.Upgrader{
		HandshakeTimeout:  o.HandshakeTimeout,
		ReadBufferSize:    o.ReadBufferSize,
		WriteBufferSize:   o.WriteBufferSize,
		WriteBufferPool:   &sync.Pool{},
		CheckOrigin:       newOriginPolicy(o.AllowedOrigins).allowed,
		EnableCompression: o.EnableCompression,
	}
	return im
}

// CheckOrigin returns middleware that answers HTTP 403 to websocket upgrade
// requests whose Origin allowedOrigins refuses (same rules as
// Options.AllowedOrigins) and passes every other request to the next handler.
//
// New refuses such requests on its own; this only makes the refusal clean.
// gqlgen's transport answers a failed Accept by logging it and writing a 400
// over the 403 already sent, which the http.Server logs as a superfluous
// WriteHeader call, once per refused request.
func CheckOrigin(allowedOrigins []string) func(http.Handler) http.Handler {
	p := newOriginPolicy(allowedOrigins)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if websocket.IsWebSocketUpgrade(r) && !p.allowed(r) {
				http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// RejectInit returns ctx marked so that gqlgen closes the connection with
// CloseForbidden and reason "Forbidden" when an InitFunc returns it together
// with an error, as graphql-transport-ws specifies for a rejected
// connection_init. Without it gqlgen closes with 1000. On graphql-ws gqlgen
// first sends connection_error carrying the error's text, so that text must be
// safe to show to the client.
func RejectInit(ctx context.Context) context.Context {
	ctx = transport.WithWebsocketCloseCode(ctx, CloseForbidden)
	return transport.AppendCloseReason(ctx, "Forbidden")
}

type implementation struct {
	upgrader     websocket.Upgrader
	writeTimeout time.Duration
}

var _ transport.WebsocketImplementation = (*implementation)(nil)

// Accept checks the Origin, negotiates a subprotocol and upgrades the request.
func (im *implementation) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	u := im.upgrader // a copy: Subprotocols depend on gqlgen's options
	u.Subprotocols = preferTransportWS(opts.Subprotocols)
	ws, err := u.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		// Upgrade has written the HTTP error (403 for a refused Origin).
		return nil, fmt.Errorf("wsgorilla: upgrade: %w", err)
	}
	c := &conn{ws: ws, writeTimeout: im.writeTimeout}
	c.stopWatch = context.AfterFunc(r.Context(), c.endBeforeAck)
	return c, nil
}

// originPolicy is a parsed Options.AllowedOrigins.
type originPolicy struct {
	origins  []string // normalised; never "*"
	allowAll bool
}

func newOriginPolicy(allowed []string) originPolicy {
	var p originPolicy
	for _, origin := range allowed {
		switch origin = normalizeOrigin(origin); origin {
		case "":
		case "*":
			p.allowAll = true
		default:
			p.origins = append(p.origins, origin)
		}
	}
	return p
}

// allowed reports whether r may be upgraded; see Options.AllowedOrigins.
func (p originPolicy) allowed(r *http.Request) bool {
	origin := normalizeOrigin(r.Header.Get("Origin"))
	if origin == "" || p.allowAll {
		return true
	}
	return slices.Contains(p.origins, origin)
}

func normalizeOrigin(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "/"))
}

// preferTransportWS orders gqlgen's subprotocols for gorilla, which picks the
// first of the server's list that the client offers. gqlgen lists graphql-ws
// first; a client offering both gets graphql-transport-ws here, the maintained
// protocol and the only one with client-visible ping/pong and 4403.
func preferTransportWS(offered []string) []string {
	out := make([]string, 0, len(offered))
	if slices.Contains(offered, GraphQLTransportWS) {
		out = append(out, GraphQLTransportWS)
	}
	for _, p := range offered {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// conn adapts a gorilla connection to transport.WebsocketConn.
type conn struct {
	ws           *websocket.Conn
	writeTimeout time.Duration
	stopWatch    func() bool // stops the context watch installed by Accept

	// wmu serialises data writes: gorilla allows one concurrent writer.
	// Close and WriteControl are safe alongside it and do not take it.
	wmu sync.Mutex

	mu    sync.Mutex
	wrote bool // a message has been written, so gqlgen's run loop owns shutdown
}

var (
	_ transport.WebsocketConn          = (*conn)(nil)
	_ transport.WebsocketReadLimiter   = (*conn)(nil)
	_ transport.WebsocketReadDeadliner = (*conn)(nil)
)

// NextReader returns the next data message. A normal close by the peer
// (1000, 1001 going away, 1005 no status) is reported as
// transport.ErrWebsocketClosed, which gqlgen does not treat as an error.
func (c *conn) NextReader() (int, io.Reader, error) {
	mt, r, err := c.ws.NextReader()
	if err != nil && websocket.IsCloseError(err,
		websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
		return mt, nil, transport.ErrWebsocketClosed
	}
	return mt, r, err
}

// WriteJSON writes v as one text message within the write timeout. After a
// failed write gorilla's writer is unusable (a timed-out write may have sent
// half a frame), so the connection is closed: that unblocks gqlgen's read
// loop, which would otherwise wait for a peer that may never speak again.
func (c *conn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("wsgorilla: encode message: %w", err)
	}
	c.mu.Lock()
	c.wrote = true
	c.mu.Unlock()

	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(c.writeTimeout)); err != nil {
		_ = c.ws.Close()
		return fmt.Errorf("wsgorilla: set write deadline: %w", err)
	}
	if err := c.ws.WriteMessage(websocket.TextMessage, data); err != nil {
		_ = c.ws.Close()
		return fmt.Errorf("wsgorilla: write message: %w", err)
	}
	return nil
}

// WriteClose sends a close frame. The reason is cut to the 123 bytes a close
// frame can carry.
func (c *conn) WriteClose(code int, reason string) error {
	msg := websocket.FormatCloseMessage(code, truncateUTF8(reason, 123))
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.writeTimeout)); err != nil {
		return fmt.Errorf("wsgorilla: write close %d: %w", code, err)
	}
	return nil
}

// Close closes the network connection without waiting for the peer's close
// frame.
func (c *conn) Close() error {
	c.stopWatch()
	return c.ws.Close()
}

// Subprotocol returns the negotiated subprotocol, "" if none.
func (c *conn) Subprotocol() string { return c.ws.Subprotocol() }

// SetReadLimit implements transport.WebsocketReadLimiter: a bigger message
// makes gorilla send close 1009 and fail the read.
func (c *conn) SetReadLimit(limit int64) { c.ws.SetReadLimit(limit) }

// SetReadDeadline implements transport.WebsocketReadDeadliner, which gqlgen
// uses to drop graphql-transport-ws clients that stop answering pings.
func (c *conn) SetReadDeadline(t time.Time) error { return c.ws.SetReadDeadline(t) }

// endBeforeAck runs when the request's context ends. Once anything has been
// written gqlgen has finished connection_init and its run loop closes the
// connection itself; before that gqlgen is blocked reading connection_init
// (until InitTimeout, if any), so the connection is closed here with 1001.
func (c *conn) endBeforeAck() {
	c.mu.Lock()
	wrote := c.wrote
	c.mu.Unlock()
	if wrote {
		return
	}
	msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down")
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.writeTimeout))
	_ = c.ws.Close()
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
