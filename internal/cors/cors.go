// Package cors answers browsers' cross-origin checks for the GraphQL
// endpoint: preflights are answered before authentication (a browser never
// sends credentials on a preflight), and actual requests from an allowed
// origin get the headers that let the page read the answer.
//
// The BFF authenticates with a bearer token in the Authorization header, never
// with cookies, so it never sends Access-Control-Allow-Credentials: a page
// on an allowed origin sends its token explicitly, and a page on any other
// origin gets no CORS headers at all, so the browser keeps the answer from it.
// The allowed origin is echoed, never "*", and every answer varies on Origin
// so a shared cache cannot hand one origin's headers to another.
package cors

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Options configures Handler.
type Options struct {
	// Origins lists the allowed origins (scheme://host[:port], compared
	// case-insensitively, a trailing slash ignored). "*" allows every origin;
	// the answer still echoes the caller's origin and carries no credentials.
	// An empty list allows none: browsers on other origins are refused.
	Origins []string
	// AllowHeaders are the request headers a preflight may ask for; the
	// default is DefaultAllowHeaders. Compared case-insensitively.
	AllowHeaders []string
	// ExposeHeaders are the answer headers a page may read beyond the
	// CORS-safelisted ones (Retry-After, RateLimit, ...).
	ExposeHeaders []string
	// MaxAge is how long a browser may cache a preflight (default 10 minutes,
	// capped by browsers at 2 hours in Chromium).
	MaxAge time.Duration
}

// DefaultAllowHeaders are the headers the clients frontends use send on
// GraphQL requests: the token, the content type, Apollo Client's and
// urql's operation headers, and W3C trace context.
var DefaultAllowHeaders = []string{
	"Authorization", "Content-Type", "Accept",
	"Apollo-Require-Preflight", "X-Apollo-Operation-Name",
	"Apollographql-Client-Name", "Apollographql-Client-Version",
	"Traceparent", "Tracestate", "X-Request-Id",
}

// allowMethods are the methods GraphQL over HTTP uses.
const allowMethods = "GET, POST"

// Handler returns middleware applying o to next. Preflights (OPTIONS with
// Access-Control-Request-Method) never reach next: an allowed one answers
// 204 with the allowed methods and headers, a refused one 403 without CORS
// headers. Other requests go to next, with Access-Control-Allow-Origin when
// their Origin is allowed.
func Handler(o Options) func(http.Handler) http.Handler {
	p := newPolicy(o)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header.Get("Origin")
			h := w.Header()
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
				if origin == "" || !p.allowed(origin) || !p.methodAllowed(r.Header.Get("Access-Control-Request-Method")) ||
					!p.headersAllowed(r.Header.Values("Access-Control-Request-Headers")) {
					w.WriteHeader(http.StatusForbidden)
					return
				}
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Methods", allowMethods)
				h.Set("Access-Control-Allow-Headers", p.allowHeaders)
				h.Set("Access-Control-Max-Age", p.maxAge)
				w.WriteHeader(http.StatusNoContent)
				return
			}
			h.Add("Vary", "Origin")
			if origin != "" && p.allowed(origin) {
				h.Set("Access-Control-Allow-Origin", origin)
				if p.exposeHeaders != "" {
					h.Set("Access-Control-Expose-Headers", p.exposeHeaders)
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Origins is a parsed list of allowed browser origins, shared by CORS and
// the websocket transport's Origin check (internal/wsgorilla).
type Origins struct {
	list     []string // normalised; never "*"
	allowAll bool
}

// ParseOrigins parses allowed origins (scheme://host[:port], compared
// case-insensitively, a trailing slash ignored; "*" allows every origin).
func ParseOrigins(allowed []string) Origins {
	var o Origins
	for _, origin := range allowed {
		switch origin = normalize(origin); origin {
		case "":
		case "*":
			o.allowAll = true
		default:
			o.list = append(o.list, origin)
		}
	}
	return o
}

// Allows reports whether a browser on origin may call. "null" (sandboxed
// frames, file: pages) and an empty origin are never allowed, even under
// "*": no one configures them as a front end.
func (o Origins) Allows(origin string) bool {
	origin = normalize(origin)
	if origin == "" || origin == "null" {
		return false
	}
	return o.allowAll || slices.Contains(o.list, origin)
}

// policy is a parsed Options.
type policy struct {
	origins       Origins
	headerSet     map[string]bool // lower-case allowed request headers
	allowHeaders  string
	exposeHeaders string
	maxAge        string
}

func newPolicy(o Options) policy {
	p := policy{origins: ParseOrigins(o.Origins), headerSet: map[string]bool{}}
	headers := o.AllowHeaders
	if headers == nil {
		headers = DefaultAllowHeaders
	}
	for _, h := range headers {
		p.headerSet[strings.ToLower(h)] = true
	}
	p.allowHeaders = strings.Join(headers, ", ")
	p.exposeHeaders = strings.Join(o.ExposeHeaders, ", ")
	maxAge := o.MaxAge
	if maxAge <= 0 {
		maxAge = 10 * time.Minute
	}
	p.maxAge = strconv.Itoa(int(maxAge / time.Second))
	return p
}

func (p policy) allowed(origin string) bool { return p.origins.Allows(origin) }

func (p policy) methodAllowed(m string) bool {
	return m == http.MethodGet || m == http.MethodPost
}

// headersAllowed reports whether every header a preflight announces is one
// the policy allows (the values are comma-separated lists).
func (p policy) headersAllowed(values []string) bool {
	for _, v := range values {
		for h := range strings.SplitSeq(v, ",") {
			if h = strings.ToLower(strings.TrimSpace(h)); h != "" && !p.headerSet[h] {
				return false
			}
		}
	}
	return true
}

func normalize(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "/"))
}
