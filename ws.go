package main

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/config"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wssession"
)

// Websocket close reasons and errors the BFF sends on its own account (the
// protocol's own, 4408 and 4409 among them, come from gorillaconn).
const (
	reasonTokenExpired       = "Token expired"
	reasonTooManyConnections = "Too many connections"
)

// liveConnections are the long-lived answers shutdown must end: websockets
// (sessions, which complete their subscriptions and close 1001 when their
// connections' context ends) and HTTP subscription streams, which complete
// when draining closes.
type liveConnections struct {
	sessions *wssession.Sessions
	draining chan struct{}
	once     sync.Once
}

// drain ends the HTTP subscription streams (each gets its complete).
func (l *liveConnections) drain() { l.once.Do(func() { close(l.draining) }) }

// newSessions tracks the BFF's websockets: at most cfg.WSMaxOperations
// operations at once on one socket and cfg.WSMaxSocketsPerPrincipal sockets
// per principal (claimed by websocketInit).
func newSessions(cfg *config.Config) *wssession.Sessions {
	return wssession.New(wssession.Options{
		MaxOperations: cfg.WSMaxOperations,
		OperationLimitError: func(limit int) gqlerror.List {
			return gqlerror.List{apierr.GraphQL(apierr.RateLimited, "too many operations on this connection (limit %d); complete one first", limit)}
		},
		MaxPerKey: cfg.WSMaxSocketsPerPrincipal,
		// consentStatusChanged ends itself at the token's exp with
		// UNAUTHENTICATED; the socket closes a moment later.
		ExpiryGrace: time.Second,
	})
}

// websocketInit checks connection_init with check (the token in its
// payload), then binds the socket to the principal it names: the socket
// counts against the principal's WS_MAX_SOCKETS_PER_PRINCIPAL (over it,
// close 1008 policy violation: graphql-ws clients do not retry that code, so
// an app that leaks sockets fails visibly instead of reconnecting in a
// loop), and it serves nothing once the token expires (every operation gets
// UNAUTHENTICATED, then close 4403). failed, when not nil, hears of every
// presented credential that did not verify.
func websocketInit(check transport.WebsocketInitFunc, limit int, failed func(context.Context, error)) transport.WebsocketInitFunc {
	expired := gqlerror.List{apierr.GraphQL(apierr.Unauthenticated, "token expired")}
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		next, ack, err := check(ctx, payload)
		if err != nil {
			if failed != nil {
				failed(ctx, err)
			}
			return next, ack, err
		}
		p, _ := auth.PrincipalFrom(next)
		s := wssession.From(ctx)
		if !s.Claim("sub:" + p.Subject) {
			s.Refuse(websocket.ClosePolicyViolation, reasonTooManyConnections)
			return ctx, nil, apierr.New(apierr.RateLimited, "too many connections for this token (limit %d)", limit)
		}
		if !p.ExpiresAt.IsZero() {
			s.ExpireAt(p.ExpiresAt, reasonTokenExpired, expired)
		}
		return next, ack, nil
	}
}
