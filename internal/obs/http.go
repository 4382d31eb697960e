package obs

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/felixge/httpsnoop"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// reqState is one HTTP request's facts shared by this package's middleware,
// however they are nested: the route pattern, status and bytes written.
type reqState struct {
	route  string
	status int
	bytes  int64
}

type stateKey struct{}

// state returns r's shared reqState, attaching a new one (and recording the
// response's status and size through w) when r has none yet.
func state(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request, *reqState) {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return w, r, st
	}
	st := &reqState{}
	r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
	w = httpsnoop.Wrap(w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) {
				if st.status == 0 && code >= 200 {
					st.status = code
				}
				next(code)
			}
		},
		Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
			return func(b []byte) (int, error) {
				if st.status == 0 {
					st.status = http.StatusOK
				}
				n, err := next(b)
				st.bytes += int64(n)
				return n, err
			}
		},
		ReadFrom: func(next httpsnoop.ReadFromFunc) httpsnoop.ReadFromFunc {
			return func(src io.Reader) (int64, error) {
				if st.status == 0 {
					st.status = http.StatusOK
				}
				n, err := next(src)
				st.bytes += n
				return n, err
			}
		},
		Hijack: func(next httpsnoop.HijackFunc) httpsnoop.HijackFunc {
			return func() (net.Conn, *bufio.ReadWriter, error) {
				c, rw, err := next()
				if err == nil && st.status == 0 {
					st.status = http.StatusSwitchingProtocols
				}
				return c, rw, err
			}
		},
	})
	return w, r, st
}

// serve runs next, first resolving the route pattern when next is a
// *http.ServeMux (whose routing sets r.Pattern only on the request it sees),
// else taking r.Pattern afterwards.
func (st *reqState) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if mux, ok := next.(*http.ServeMux); ok && st.route == "" {
		_, st.route = mux.Handler(r)
	}
	next.ServeHTTP(w, r)
	if st.route == "" && r.Pattern != "" {
		st.route = r.Pattern
	}
}

// finalStatus is the status the client saw: 200 when the handler wrote
// nothing.
func (st *reqState) finalStatus() int {
	if st.status == 0 {
		return http.StatusOK
	}
	return st.status
}

// routeLabel is st's route, or "unmatched".
func (st *reqState) routeLabel() string {
	if st.route == "" {
		return "unmatched"
	}
	return st.route
}

// HTTP returns middleware counting requests in bff_http_requests_total and
// timing them in bff_http_request_duration_seconds, labelled by route pattern
// (never the raw path), method and status. It also names the request's server
// span after the route. Wrap the *http.ServeMux itself (or handlers registered
// on it) so the pattern is known; other requests are labelled "unmatched".
func (m *Metrics) HTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w, r, st := state(w, r)
		st.serve(next, w, r)
		route := m.routes.label(st.routeLabel(), isRoute)
		method := methodLabel(r.Method)
		m.httpRequests.WithLabelValues(route, method, statusLabel(st.finalStatus())).Inc()
		m.httpDuration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		nameSpan(r.Context(), method, st.route)
	})
}

// nameSpan renames the request's server span after its route.
func nameSpan(ctx context.Context, method, route string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() || route == "" {
		return
	}
	span.SetName(method + " " + route)
	span.SetAttributes(attribute.String("http.route", route))
}

// Webhook returns middleware counting webhook deliveries by outcome, read
// from next's status: stored (200), ignored (202), bad_request (400),
// bad_signature (401), too_large (413), stale (422), unavailable (503),
// other.
func (m *Metrics) Webhook(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var status int
		next.ServeHTTP(httpsnoop.Wrap(w, httpsnoop.Hooks{
			WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
				return func(code int) {
					if status == 0 && code >= 200 {
						status = code
					}
					next(code)
				}
			},
			Write: func(next httpsnoop.WriteFunc) httpsnoop.WriteFunc {
				return func(b []byte) (int, error) {
					if status == 0 {
						status = http.StatusOK
					}
					return next(b)
				}
			},
		}), r)
		m.webhooks.WithLabelValues(webhookOutcome(status)).Inc()
	})
}

// webhookOutcome maps a webhook response status to its outcome label.
func webhookOutcome(status int) string {
	switch status {
	case 0, http.StatusOK:
		return "stored"
	case http.StatusAccepted:
		return "ignored"
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "bad_signature"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnprocessableEntity:
		return "stale"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "other"
}

// methodLabel keeps the standard methods and folds the rest into "other".
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// isRoute accepts a ServeMux pattern: printable ASCII without spaces beyond
// the one after a method, at most 128 bytes.
func isRoute(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
