// Package gorillaconn adapts gorilla/websocket connections to gqlgen's
// websocket transport: [New] returns a [transport.WebsocketImplementation],
// which gqlgen v0.17.92 made pluggable when it dropped its built-in gorilla
// transport:
//
//	srv.AddTransport(transport.Websocket{
//		Implementation:        gorillaconn.New(gorillaconn.Options{AllowedOrigins: origins}),
//		InitFunc:              initFunc, // on failure: return wsgorilla.RejectInit(ctx), nil, err
//		InitTimeout:           10 * time.Second,
//		PingPongInterval:      15 * time.Second, // graphql-transport-ws ping/pong
//		KeepAlivePingInterval: 15 * time.Second, // graphql-ws "ka"
//	})
//
// Both graphql-transport-ws and the legacy graphql-ws subprotocol are served;
// a client offering both gets graphql-transport-ws. The same connections
// serve package wsgorilla's Transport, which replaces gqlgen's
// transport.Websocket with fewer goroutines.
//
// On top of gqlgen's protocol handling the implementation adds what a public
// endpoint needs: an Origin allow-list checked before the upgrade (HTTP 403;
// wrap the handler in [CheckOrigin] too for refusals without gqlgen's log
// noise), gqlgen's PayloadReadLimit, a write deadline so a client that stops
// reading cannot hold a server goroutine forever, serialised writes,
// keep-alives on runtime timers ([Options.PingInterval]), and
// permessage-deflate with content-keyed padding ([Options.EnableCompression]).
//
// It also keeps the promises of graphql-transport-ws that gqlgen's transport
// does not, seeing every message both ways:
//
//   - A subscribe under the id of an operation still running closes the
//     connection with 4409 "Subscriber for <id> already exists" (gqlgen would
//     run both and lose track of the first). On graphql-ws, whose protocol
//     has no such code, the new start replaces the running operation, as
//     subscriptions-transport-ws's server does.
//   - After the client's complete (graphql-ws: stop) nothing more is sent for
//     that operation, not even gqlgen's own complete.
//   - A subscribe before connection_ack closes with 4401, a second
//     connection_init with 4429, and a connection that sends no
//     connection_init within gqlgen's InitTimeout closes with 4408
//     (graphql-transport-ws; graphql-ws keeps gqlgen's 1002 for the first two).
//   - No complete follows an error message.
//   - When the upgrade request's context ends (the http.Server's BaseContext
//     is cancelled at shutdown), every running operation gets complete and
//     the connection closes with 1001 (going away), before connection_ack
//     too, when gqlgen is not watching the context yet.
//
// A [Conn] also takes per-connection controls (a bound on its operations, an
// expiry, a refusal's close code), which package wssession applies through
// [OnAccept].
package gorillaconn

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/internal/cors"
)

// DefaultWriteTimeout is the write deadline used when Options.WriteTimeout is
// not positive.
const DefaultWriteTimeout = 10 * time.Second

// Close codes of graphql-transport-ws that the implementation sends (gqlgen
// itself sends only 1000, 1002 and the code an InitFunc asks for).
const (
	// CloseUnauthorized ends a connection that subscribes before
	// connection_ack.
	CloseUnauthorized = 4401
	// CloseForbidden ends a connection whose connection_init was rejected
	// (see wsgorilla.RejectInit) or that expired ([Conn.ExpireAt]).
	CloseForbidden = 4403
	// CloseConnectionInitialisationTimeout ends a connection that sent no
	// connection_init within gqlgen's InitTimeout.
	CloseConnectionInitialisationTimeout = 4408
	// CloseSubscriberAlreadyExists ends a connection that subscribes under
	// the id of an operation still running.
	CloseSubscriberAlreadyExists = 4409
	// CloseTooManyInitialisationRequests ends a connection that sends
	// connection_init twice.
	CloseTooManyInitialisationRequests = 4429
)

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

	// EnableCompression lets gorilla negotiate permessage-deflate with
	// clients that offer it (browsers do; graphql-ws on Node with the ws
	// package does when asked). Off by default: it costs CPU per message.
	// gorilla compresses each message on its own (no context takeover), with
	// pooled compressors, so an idle connection holds no compression state.
	EnableCompression bool
	// CompressMinBytes, with EnableCompression, sends messages shorter than
	// this uncompressed: deflating an ack or a ping costs more than it saves.
	// Zero compresses every message.
	CompressMinBytes int

	// PingInterval makes the connection itself ping graphql-transport-ws
	// clients, as gqlgen's PingPongInterval does (set that to zero then):
	// a ping every interval from connection_ack on, and a client whose pong
	// is missing for two intervals is dropped (its read fails and gqlgen's
	// read loop ends). KeepAlive is the same for graphql-ws's "ka" messages
	// (gqlgen's KeepAlivePingInterval). Zero: none.
	//
	// Unlike gqlgen's, these hold no goroutine per connection: each
	// connection has a runtime timer (time.AfterFunc), whose callback runs
	// only when a ping is due.
	PingInterval, KeepAlive time.Duration
}

// New returns a gqlgen websocket implementation backed by gorilla/websocket.
// It is safe for concurrent use by many connections.
func New(o Options) transport.WebsocketImplementation {
	im := &implementation{writeTimeout: o.WriteTimeout, compressMin: o.CompressMinBytes, ping: o.PingInterval, ka: o.KeepAlive}
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

type implementation struct {
	upgrader     websocket.Upgrader
	writeTimeout time.Duration
	compressMin  int // Options.CompressMinBytes
	ping, ka     time.Duration
}

var _ transport.WebsocketImplementation = (*implementation)(nil)

// Accept checks the Origin, negotiates a subprotocol and upgrades the request.
func (im *implementation) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	u := im.upgrader // a copy: Subprotocols depend on gqlgen's options
	u.Subprotocols = preferTransportWS(opts.Subprotocols)
	ws, err := u.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		// Upgrade has written the HTTP error (403 for a refused Origin).
		return nil, fmt.Errorf("gorillaconn: upgrade: %w", err)
	}
	c := newConn(ws, im.writeTimeout, r.Context())
	if im.upgrader.EnableCompression && offersDeflate(r.Header) {
		c.compressMin = max(im.compressMin, 1)
	}
	if c.names.TransportWS {
		c.keepAlive = im.ping
	} else {
		c.keepAlive = im.ka
	}
	if fn, ok := r.Context().Value(acceptKey{}).(func(*Conn)); ok {
		fn(c)
	}
	return c, nil
}

type acceptKey struct{}

// OnAccept returns ctx carrying fn, which New's implementation calls with
// every connection it accepts from a request with that context (or one
// derived from it), before the connection is used. Package wssession binds
// its Session to the connection so.
func OnAccept(ctx context.Context, fn func(*Conn)) context.Context {
	return context.WithValue(ctx, acceptKey{}, fn)
}

// offersDeflate reports whether the client offered permessage-deflate, which
// gorilla then accepts (the same reading of Sec-WebSocket-Extensions).
func offersDeflate(h http.Header) bool {
	for _, v := range h.Values("Sec-WebSocket-Extensions") {
		for ext := range strings.SplitSeq(v, ",") {
			name, _, _ := strings.Cut(ext, ";")
			if strings.EqualFold(strings.TrimSpace(name), "permessage-deflate") {
				return true
			}
		}
	}
	return false
}

// originPolicy is a parsed Options.AllowedOrigins: the list and rules of
// CORS (internal/cors), except that a request without an Origin (a native
// app, not a browser) is always let in.
type originPolicy struct{ origins cors.Origins }

func newOriginPolicy(allowed []string) originPolicy {
	return originPolicy{cors.ParseOrigins(allowed)}
}

// allowed reports whether r may be upgraded; see Options.AllowedOrigins.
func (p originPolicy) allowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	return strings.TrimSpace(origin) == "" || p.origins.Allows(origin)
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
