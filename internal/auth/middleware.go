package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// PublicMessage is the text clients see when authentication fails, whatever
// the reason.
const PublicMessage = "authentication required"

// Middleware returns HTTP middleware that verifies the request's
// "Authorization: Bearer <JWT>" header with v and serves the request with the
// caller's [Principal] in its context.
//
// A request without a valid token is answered by onError, or by
// [Unauthorized] if onError is nil; onError gets ErrMissingToken or an
// [*InvalidTokenError] (log it, never show it) and must write the response.
//
// Websocket upgrade requests (GET with Upgrade: websocket) pass through
// without a principal: browsers cannot set headers on websockets, so their
// identity comes from connection_init (see [WebsocketInit]). gqlgen's
// non-websocket transports refuse requests carrying an Upgrade header, so
// such a request cannot run a query or mutation.
func Middleware(v *Verifier, onError func(w http.ResponseWriter, r *http.Request, err error)) func(http.Handler) http.Handler {
	if onError == nil {
		onError = Unauthorized
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isWebsocketUpgrade(r) {
				next.ServeHTTP(w, r)
				return
			}
			tok, err := bearerFromHeader(r.Header)
			if err != nil {
				onError(w, r, err)
				return
			}
			p, err := v.Verify(r.Context(), tok)
			if err != nil {
				onError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
		})
	}
}

// Unauthorized writes the 401 response for a request without a valid token:
// a WWW-Authenticate challenge (RFC 6750 section 3: with
// error="invalid_token" when a token was sent, bare when none was) and a
// GraphQL error body with extensions.code UNAUTHENTICATED. It does not reveal
// why the token failed.
func Unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	h := w.Header()
	if errors.Is(err, ErrMissingToken) {
		h.Set("WWW-Authenticate", `Bearer`)
	} else {
		h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	apierr.WriteHTTP(w, http.StatusUnauthorized, apierr.Unauthenticated, PublicMessage, nil)
}

// isWebsocketUpgrade reports whether r asks to become a websocket (RFC 6455
// section 4.1: GET, Connection: upgrade, Upgrade: websocket).
func isWebsocketUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet &&
		headerHasToken(r.Header, "Connection", "upgrade") &&
		headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// bearerFromHeader returns the token of the request's one Authorization
// header.
func bearerFromHeader(h http.Header) (string, error) {
	vs := h.Values("Authorization")
	switch len(vs) {
	case 0:
		return "", ErrMissingToken
	case 1:
		return bearerToken(vs[0])
	default:
		return "", invalid(ReasonMalformed, nil)
	}
}

// bearerToken returns the token of an "Bearer <token>" credential (RFC 6750
// section 2.1; the scheme is case-insensitive).
func bearerToken(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", ErrMissingToken
	}
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", invalid(ReasonMalformed, nil)
	}
	tok = strings.TrimLeft(tok, " ")
	if tok == "" {
		return "", ErrMissingToken
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", invalid(ReasonMalformed, nil)
	}
	return tok, nil
}

// WebsocketInit returns a gqlgen websocket InitFunc that verifies the
// connection_init payload's Authorization entry ("Bearer <JWT>"; the key is
// matched case-insensitively) with v and puts the caller's [Principal] into
// the connection's context. It removes the entry from the payload, so that
// the token does not linger in operation contexts.
//
// On a missing or invalid token it returns reject(ctx) and an error whose
// text, [PublicMessage], is safe to show the client; pass
// wsgorilla.RejectInit as reject to close the socket with 4403. The verifier's
// error is wrapped (errors.Is works) but not shown by Error.
func WebsocketInit(v *Verifier, reject func(context.Context) context.Context) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		p, err := verifyInitPayload(ctx, v, payload)
		if err != nil {
			if reject != nil {
				ctx = reject(ctx)
			}
			return ctx, nil, &publicError{err: err}
		}
		return WithPrincipal(ctx, p), nil, nil
	}
}

func verifyInitPayload(ctx context.Context, v *Verifier, payload transport.InitPayload) (Principal, error) {
	var (
		cred  string
		found int
		bad   bool
	)
	for k, val := range payload {
		if !strings.EqualFold(k, "Authorization") {
			continue
		}
		found++
		s, ok := val.(string)
		if !ok {
			bad = true
		}
		cred = s
		delete(payload, k) // deleting during range is allowed
	}
	switch {
	case found == 0:
		return Principal{}, ErrMissingToken
	case found > 1 || bad:
		// Two spellings of the key, or a non-string value: refuse rather
		// than guess which one was meant.
		return Principal{}, invalid(ReasonMalformed, nil)
	}
	tok, err := bearerToken(cred)
	if err != nil {
		return Principal{}, err
	}
	return v.Verify(ctx, tok)
}

// publicError shows PublicMessage and keeps the reason for errors.Is/As.
type publicError struct{ err error }

func (e *publicError) Error() string { return PublicMessage }
func (e *publicError) Unwrap() error { return e.err }
