// Package playground serves GraphiQL for the BFF at /playground, bundled from
// pinned npm packages into dist/ and embedded in the binary.
//
// The bundle is committed (dist/), so `go run .`, `go build` and `go install`
// serve the real playground with Go alone. `make playground` (npm ci && npm
// run build in this directory) rebuilds it after a change to src/ or the
// lockfile; CI rebuilds it from the lockfile and fails when the result differs
// from what is committed. Were dist/ emptied, the handler would answer with a
// page that says how to build the playground.
//
// The page makes no request to any host but its own: GraphiQL 3 (CodeMirror 5,
// no web workers), React, graphql-ws and the CSS (fonts inlined) are bundled,
// and a strict Content-Security-Policy keeps it that way. Queries and mutations
// go to Options.Endpoint over HTTP POST; subscriptions over graphql-transport-ws
// on the same endpoint, with the headers editor's Authorization sent in
// connection_init.
package playground

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Prefix is the path the handler serves: the page at Prefix and its assets
// under Prefix + "/assets/".
const Prefix = "/playground"

// configMarker is the comment in dist/index.html replaced with the
// configuration at serve time.
const configMarker = "<!--PLAYGROUND_CONFIG-->"

// ContentSecurityPolicy is the policy sent with the page and its assets. Only
// the page's own origin is allowed: 'self' covers ws: and wss: to the same
// host in CSP Level 3 browsers. GraphiQL sets inline styles, hence
// 'unsafe-inline' for styles only; fonts and icons are inlined as data: URLs.
const ContentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; " +
	"font-src 'self' data:; " +
	"connect-src 'self'; " +
	"worker-src 'none'; " +
	"object-src 'none'; " +
	"base-uri 'none'; " +
	"form-action 'none'; " +
	"frame-ancestors 'none'"

// Example is an operation the playground opens as a tab.
type Example struct {
	// Name is a label for the example; GraphiQL titles the tab with the
	// operation's name.
	Name string `json:"name"`
	// Query is the GraphQL document.
	Query string `json:"query"`
	// Variables is the variables editor's JSON text, or empty.
	Variables string `json:"variables,omitempty"`
}

// Options configure Handler.
type Options struct {
	// Endpoint is the GraphQL endpoint's path or URL, "/graphql" when empty.
	// Subscriptions use the same URL with a ws: or wss: scheme.
	Endpoint string
	// DefaultHeaders is the headers editor's initial JSON text, e.g.
	// `{"Authorization":"Bearer <dev token>"}` in sandbox mode; empty
	// otherwise (never put a production credential here: the page shows it).
	DefaultHeaders string
	// Examples are opened as tabs; Examples() when nil. An empty non-nil slice
	// opens GraphiQL's default tab.
	Examples []Example
}

// config is the JSON the page reads from <script id="playground-config">.
type config struct {
	Endpoint       string    `json:"endpoint"`
	DefaultHeaders string    `json:"defaultHeaders,omitempty"`
	Examples       []Example `json:"examples"`
}

// Built reports whether the embedded bundle exists (it is committed; only a
// tree whose dist/ was emptied lacks it).
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// Handler returns the playground's handler. Mount it at Prefix and Prefix+"/":
//
//	mux.Handle(playground.Prefix, h)
//	mux.Handle(playground.Prefix+"/", h)
func Handler(opts Options) http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(fmt.Sprintf("playground: %v", err)) // "dist" is a valid path
	}
	return newHandler(sub, opts)
}

// newHandler serves the bundle in files (index.html, playground.js,
// playground.css), or the placeholder when files has no index.html.
func newHandler(files fs.FS, opts Options) http.Handler {
	if opts.Endpoint == "" {
		opts.Endpoint = "/graphql"
	}
	if opts.Examples == nil {
		opts.Examples = Examples()
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return placeholder{}
	}
	page, err := renderIndex(index, config(opts))
	if err != nil {
		// A bundle without the marker is a build bug: say so on the page.
		return placeholder{}
	}
	return &handler{files: files, page: page}
}

// renderIndex puts cfg into the page as a JSON script block. json.Marshal
// escapes <, > and & as \u003c, \u003e and \u0026, so no value can close the
// script element.
func renderIndex(index []byte, cfg config) ([]byte, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("marshal playground config: %w", err)
	}
	block := `<script id="playground-config" type="application/json">` + string(b) + `</script>`
	if !bytes.Contains(index, []byte(configMarker)) {
		return nil, fmt.Errorf("index.html has no %s", configMarker)
	}
	return bytes.Replace(index, []byte(configMarker), []byte(block), 1), nil
}

type handler struct {
	files fs.FS
	page  []byte
}

// assets are the files served under Prefix/assets/ and their content types.
var assets = map[string]string{
	"playground.js":  "text/javascript; charset=utf-8",
	"playground.css": "text/css; charset=utf-8",
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	securityHeaders(w)
	switch p := r.URL.Path; {
	case p == Prefix || p == Prefix+"/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(h.page)
	case strings.HasPrefix(p, Prefix+"/assets/"):
		name := strings.TrimPrefix(p, Prefix+"/assets/")
		ctype, ok := assets[name]
		if !ok || path.Base(name) != name {
			http.NotFound(w, r)
			return
		}
		b, err := fs.ReadFile(h.files, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

// placeholderPage is served when the binary was built without the bundle.
const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Playground not built</title></head>
<body>
<h1>The GraphiQL playground is not built</h1>
<p>This binary was built without the playground bundle. Run <code>make playground</code>
(<code>npm ci &amp;&amp; npm run build</code> in <code>web/playground</code>), then rebuild or
<code>go run .</code> again; <code>make run</code> does both.</p>
<p>The API itself works: POST queries to <code>/graphql</code>.</p>
</body></html>
`

type placeholder struct{}

func (placeholder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		fmt.Fprint(w, placeholderPage)
	}
}
