// Package wssession adds per-connection controls to the websockets of
// package gorillaconn: [Sessions.Middleware] in front of the gqlgen handler
// gives each connection a [Session], through which the InitFunc bounds it
// and ends it:
//
//   - a bound on the operations running at once on one connection
//     ([Options.MaxOperations]);
//   - an end of the session when its credential expires ([Session.ExpireAt]:
//     each operation gets an error, then close 4403);
//   - a bound on the connections open under one key, such as a principal
//     ([Session.Claim]);
//   - a close code of the InitFunc's choice for a refused connection_init
//     ([Session.Refuse]);
//   - and [Sessions.Wait], for shutdown to wait until every connection has
//     closed (with complete and 1001, see gorillaconn).
package wssession

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
)

// Options configures [Sessions].
type Options struct {
	// MaxOperations bounds the operations (subscriptions, and queries and
	// mutations sent over the socket) running at once on one connection;
	// 0 means no bound. A subscribe over the bound is answered with an
	// error message for its id, carrying OperationLimitError's errors; the
	// connection and its other operations go on.
	MaxOperations int
	// OperationLimitError returns the errors of that message; nil gives one
	// error, "too many operations on this connection (limit N)".
	OperationLimitError func(limit int) gqlerror.List
	// ExpiryGrace is how long after a session's expiry (Session.ExpireAt)
	// its running operations may take to end on their own (a subscription
	// resolver that watches the credential ends with an error of its own)
	// before the connection ends them; operations started after the expiry
	// are refused at once whatever it is. gqlgen reads an operation's
	// resolver error without a lock when the operation's context ends, so an
	// end by the connection at the very moment a resolver ends is a data
	// race inside gqlgen: the grace keeps the two apart. 0 means none.
	ExpiryGrace time.Duration
	// MaxPerKey bounds the connections open at once under one key (see
	// [Session.Claim]), such as a principal's; 0 means no bound.
	MaxPerKey int
}

// Sessions tracks the websocket connections served through its Middleware:
// it gives each one a [Session] (through which an InitFunc ends or refuses
// it), applies Options to it, and lets shutdown wait for all of them to
// close ([Sessions.Wait]). It is safe for concurrent use.
type Sessions struct {
	limit     opLimit
	grace     time.Duration
	maxPerKey int

	mu   sync.Mutex
	open int
	idle chan struct{}  // closed while open is 0
	keys map[string]int // open connections by claimed key
}

// New returns a tracker applying o.
func New(o Options) *Sessions {
	s := &Sessions{idle: make(chan struct{}), maxPerKey: o.MaxPerKey, grace: o.ExpiryGrace, keys: map[string]int{}}
	close(s.idle)
	if o.MaxOperations > 0 {
		errs := gqlerror.List{gqlerror.Errorf("too many operations on this connection (limit %d)", o.MaxOperations)}
		if o.OperationLimitError != nil {
			errs = o.OperationLimitError(o.MaxOperations)
		}
		b, err := json.Marshal(errs)
		if err != nil {
			panic("wssession: encode OperationLimitError: " + err.Error())
		}
		s.limit = opLimit{max: o.MaxOperations, errs: b}
	}
	return s
}

// Middleware gives every websocket upgrade request a Session in its context
// and counts it as open until the handler returns (gqlgen's transport returns
// when the connection has ended). Other requests pass untouched. Put it in
// front of the gqlgen handler.
func (s *Sessions) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !websocket.IsWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		s.add(1)
		defer s.add(-1)
		sess := &Session{limit: s.limit, sessions: s}
		defer sess.release()
		ctx := context.WithValue(r.Context(), sessionKey{}, sess)
		next.ServeHTTP(w, r.WithContext(gorillaconn.OnAccept(ctx, sess.attach)))
	})
}

func (s *Sessions) add(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == 0 {
		s.idle = make(chan struct{})
	}
	s.open += n
	if s.open == 0 {
		close(s.idle)
	}
}

// claim counts one more connection under key, unless MaxPerKey are open.
func (s *Sessions) claim(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.maxPerKey > 0 && s.keys[key] >= s.maxPerKey {
		return false
	}
	s.keys[key]++
	return true
}

func (s *Sessions) unclaim(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys[key]--; s.keys[key] <= 0 {
		delete(s.keys, key)
	}
}

// Open returns the number of connections being served.
func (s *Sessions) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// Wait waits until no connection is being served, or ctx ends (then it
// returns ctx's error). Connections end when their request's context does:
// at shutdown, cancel the http.Server's BaseContext, then Wait, so that
// every subscription's complete and close frame are written before the
// process exits.
func (s *Sessions) Wait(ctx context.Context) error {
	s.mu.Lock()
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// opLimit is Options.MaxOperations and the payload of the error message a
// subscribe over it gets.
type opLimit struct {
	max  int
	errs json.RawMessage
}

type sessionKey struct{}

// From returns the Session of the websocket connection whose upgrade
// request (or connection_init, whose InitFunc gets the request's context)
// ctx belongs to, or nil when the request did not pass through
// [Sessions.Middleware]. A nil *Session's methods do nothing.
func From(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey{}).(*Session)
	return s
}

// Session controls one websocket connection from its InitFunc.
type Session struct {
	limit    opLimit
	sessions *Sessions

	mu      sync.Mutex
	conn    *gorillaconn.Conn
	claimed bool   // Claim was called
	held    bool   // and succeeded, until release
	key     string // what it claimed
}

// attach binds the session to its connection, once accepted.
func (s *Session) attach(c *gorillaconn.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn = c
	c.LimitOperations(s.limit.max, s.limit.errs)
}

func (s *Session) connection() *gorillaconn.Conn {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

// Claim counts the connection under key (a principal, say) until it ends,
// and reports whether it may stay open: false when Options.MaxPerKey
// connections already hold key. Refuse the connection then (see
// [Session.Refuse]). A connection claims one key: a later Claim reports
// whether the first succeeded. A nil Session allows everything.
func (s *Session) Claim(key string) bool {
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.claimed {
		return s.held
	}
	s.claimed = true
	s.held = s.sessions.claim(key)
	s.key = key
	return s.held
}

// release gives back the session's claim, when its connection has ended.
func (s *Session) release() {
	s.mu.Lock()
	held, key := s.held, s.key
	s.held = false
	s.mu.Unlock()
	if held {
		s.sessions.unclaim(key)
	}
}

// ExpireAt ends the session at t, when the credential it was opened with
// stops being valid: every operation still running then gets an error
// message carrying errs, and the connection closes with
// [gorillaconn.CloseForbidden] and reason (after Options.ExpiryGrace, if
// set). A subscribe read at or after t ends it at once, so nothing started
// after t is served. A t already past ends the connection now.
func (s *Session) ExpireAt(t time.Time, reason string, errs gqlerror.List) {
	c := s.connection()
	if c == nil {
		return
	}
	b, err := json.Marshal(errs)
	if err != nil {
		panic("wssession: encode expiry errors: " + err.Error())
	}
	c.ExpireAt(t, s.sessions.grace, reason, b)
}

// Refuse makes the connection close with code and reason when its InitFunc
// rejects connection_init (instead of the code the InitFunc's context
// carries, see wsgorilla.RejectInit); it has no effect after connection_ack. Use it
// for refusals that are not about the credential, such as a limit on
// connections.
func (s *Session) Refuse(code int, reason string) {
	if c := s.connection(); c != nil {
		c.Refuse(code, reason)
	}
}
