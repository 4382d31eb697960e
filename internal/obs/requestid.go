package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

// RequestIDHeader carries a request's id in both directions.
const RequestIDHeader = "X-Request-Id"

// requestKey carries a request's *requestInfo.
type requestKey struct{}

// requestInfo is what RequestID puts in a request's context: its id, and the
// logger Logger derives the request's logger from when something asks (most
// requests log only their "request" line, which needs no logger of its own).
type requestInfo struct {
	id     string
	logger *slog.Logger
}

// RequestID returns middleware giving every request an id: the caller's
// X-Request-Id when it is well formed (1..64 characters of [A-Za-z0-9-_.]),
// else a fresh random one. The id is echoed in the response's X-Request-Id,
// and the request's context carries it (RequestIDFrom) and a logger with a
// request_id attribute (Logger). After the request, one "request" line is
// logged at Info with method, route pattern, status, duration and bytes
// written; query strings, headers and bodies are never logged.
func RequestID(logger *slog.Logger) func(http.Handler) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			id := r.Header.Get(RequestIDHeader)
			if !validRequestID(id) {
				id = newRequestID()
			}
			w.Header().Set(RequestIDHeader, id)
			ctx := context.WithValue(r.Context(), requestKey{}, &requestInfo{id: id, logger: logger})
			w, r, st := state(w, r.WithContext(ctx))
			st.serve(next, w, r)
			logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", id),
				slog.String("method", methodLabel(r.Method)),
				slog.String("route", st.routeLabel()),
				slog.Int("status", st.finalStatus()),
				slog.Duration("duration", time.Since(start)),
				slog.Int64("bytes", st.bytes),
			)
		})
	}
}

// Logger returns the request's logger (with its request_id), or
// slog.Default() outside a request that passed through RequestID.
func Logger(ctx context.Context) *slog.Logger {
	if ri, ok := ctx.Value(requestKey{}).(*requestInfo); ok {
		return ri.logger.With("request_id", ri.id)
	}
	return slog.Default()
}

// RequestIDFrom returns the request's id, or "" outside RequestID.
func RequestIDFrom(ctx context.Context) string {
	if ri, ok := ctx.Value(requestKey{}).(*requestInfo); ok {
		return ri.id
	}
	return ""
}

// validRequestID reports whether id is 1..64 characters of [A-Za-z0-9-_.].
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 16 random bytes in hex.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}
