package playground

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

const testIndex = `<!doctype html><html><head>` + configMarker + `</head><body></body></html>`

var configRE = regexp.MustCompile(`<script id="playground-config" type="application/json">(.*?)</script>`)

func TestRenderIndexEscapes(t *testing.T) {
	cfg := config{
		Endpoint:       "/graphql",
		DefaultHeaders: `{"Authorization":"Bearer </script><script>alert(1)</script>"}`,
		Examples:       []Example{{Name: "x", Query: "query X { a } # <!-- & -->"}},
	}
	page, err := renderIndex([]byte(testIndex), cfg)
	if err != nil {
		t.Fatalf("renderIndex: %v", err)
	}
	s := string(page)
	if n := strings.Count(s, "</script>"); n != 1 {
		t.Errorf("page has %d </script>, want 1 (the config block's own):\n%s", n, s)
	}
	for _, bad := range []string{"<script>alert", "<!--", "-->"} {
		if strings.Contains(s, bad) {
			t.Errorf("page contains %q unescaped:\n%s", bad, s)
		}
	}
	m := configRE.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("page has no config block:\n%s", s)
	}
	var got config
	if err := json.Unmarshal([]byte(m[1]), &got); err != nil {
		t.Fatalf("config block is not JSON: %v", err)
	}
	if diff := cmp.Diff(cfg, got); diff != "" {
		t.Errorf("config round trip (-want +got):\n%s", diff)
	}
}

func TestRenderIndexNeedsMarker(t *testing.T) {
	if _, err := renderIndex([]byte("<html></html>"), config{}); err == nil {
		t.Error("renderIndex(page without marker) = nil error, want an error")
	}
}

func TestPlaceholder(t *testing.T) {
	for _, target := range []string{"/playground", "/playground/assets/playground.js"} {
		rec := httptest.NewRecorder()
		placeholder{}.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s: status %d, want %d", target, rec.Code, http.StatusServiceUnavailable)
		}
		if got, want := rec.Header().Get("Content-Type"), "text/html; charset=utf-8"; got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", target, got, want)
		}
		if !strings.Contains(rec.Body.String(), "make playground") {
			t.Errorf("GET %s: body does not say how to build the playground:\n%s", target, rec.Body)
		}
	}
}

// TestHandler serves a stand-in bundle; TestEmbeddedBundle checks the real one.
func TestHandler(t *testing.T) {
	files := fstest.MapFS{
		"index.html":     {Data: []byte(testIndex)},
		"playground.js":  {Data: []byte("console.log(1)")},
		"playground.css": {Data: []byte("body{}")},
		".keep":          {Data: nil},
	}
	h := newHandler(files, Options{DefaultHeaders: `{"Authorization":"Bearer t"}`})
	tests := []struct {
		method, target string
		wantCode       int
		wantType       string
	}{
		{"GET", "/playground", 200, "text/html; charset=utf-8"},
		{"GET", "/playground/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/playground", 200, "text/html; charset=utf-8"},
		{"GET", "/playground/assets/playground.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/playground/assets/playground.css", 200, "text/css; charset=utf-8"},
		{"GET", "/playground/assets/index.html", 404, ""},
		{"GET", "/playground/assets/.keep", 404, ""},
		{"GET", "/playground/assets/missing.js", 404, ""},
		{"GET", "/playground/assets/../playground.go", 404, ""},
		{"GET", "/playground/other", 404, ""},
		{"POST", "/playground", 405, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
		if rec.Code != tt.wantCode {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.target, rec.Code, tt.wantCode)
			continue
		}
		if tt.wantType != "" {
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.target, got, tt.wantType)
			}
		}
		if rec.Code == 200 {
			if got := rec.Header().Get("Content-Security-Policy"); got != ContentSecurityPolicy {
				t.Errorf("%s %s: Content-Security-Policy %q, want %q", tt.method, tt.target, got, ContentSecurityPolicy)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s: X-Content-Type-Options %q, want nosniff", tt.method, tt.target, got)
			}
		}
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/playground", nil))
	m := configRE.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("GET /playground: no config block in\n%s", rec.Body)
	}
	var got config
	if err := json.Unmarshal([]byte(m[1]), &got); err != nil {
		t.Fatalf("config block is not JSON: %v", err)
	}
	want := config{Endpoint: "/graphql", DefaultHeaders: `{"Authorization":"Bearer t"}`, Examples: Examples()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET /playground config (-want +got):\n%s", diff)
	}
}

func TestHandlerWithoutBundle(t *testing.T) {
	for name, files := range map[string]fstest.MapFS{
		"empty":     {".keep": {}},
		"no marker": {"index.html": {Data: []byte("<html></html>")}},
	} {
		rec := httptest.NewRecorder()
		newHandler(files, Options{}).ServeHTTP(rec, httptest.NewRequest("GET", "/playground", nil))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "make playground") {
			t.Errorf("%s bundle: GET /playground = %d %q, want 503 saying make playground", name, rec.Code, rec.Body)
		}
	}
}

// TestEmbeddedBundle checks the bundle go:embed picked up, when `make
// playground` ran before the test.
func TestEmbeddedBundle(t *testing.T) {
	h := Handler(Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/playground", nil))
	if !Built() {
		t.Fatalf("the committed bundle (dist/) is not embedded: GET /playground = %d", rec.Code)
	}
	if rec.Code != http.StatusOK || !configRE.MatchString(rec.Body.String()) {
		t.Fatalf("GET /playground = %d, want 200 with a config block:\n%s", rec.Code, rec.Body)
	}
	for _, asset := range []string{"/playground/assets/playground.js", "/playground/assets/playground.css"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", asset, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s = %d with %d bytes, want 200 with the asset", asset, rec.Code, rec.Body.Len())
		}
		if strings.Contains(rec.Body.String(), "esm.sh") {
			t.Errorf("GET %s: the bundle mentions esm.sh", asset)
		}
	}
}

// TestCSPIsStrict guards the offline promise: nothing but the page's own
// origin (and inline data:) may be loaded.
func TestCSPIsStrict(t *testing.T) {
	for _, d := range strings.Split(ContentSecurityPolicy, ";") {
		for _, src := range strings.Fields(d)[1:] {
			switch src {
			case "'self'", "'none'", "data:":
			case "'unsafe-inline'":
				if !strings.HasPrefix(strings.TrimSpace(d), "style-src") {
					t.Errorf("directive %q allows 'unsafe-inline' beyond styles", d)
				}
			default:
				t.Errorf("directive %q allows %s, want only 'self', 'none' or data:", d, src)
			}
		}
	}
}

// TestExamplesValidate checks every example against the golden SDL, so a
// schema change that breaks one fails here rather than in a browser.
func TestExamplesValidate(t *testing.T) {
	sdl, err := os.ReadFile("../../graph/testdata/schema.graphql")
	if err != nil {
		t.Fatalf("read golden schema: %v", err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(sdl)})
	if gerr != nil {
		t.Fatalf("load golden schema: %v", gerr)
	}
	names := map[string]bool{}
	for _, e := range Examples() {
		if names[e.Name] {
			t.Errorf("example %q appears twice", e.Name)
		}
		names[e.Name] = true
		if _, errs := gqlparser.LoadQueryWithRules(schema, e.Query, rules.NewDefaultRules()); errs != nil {
			t.Errorf("example %q does not validate: %v", e.Name, errs)
		}
		if e.Variables != "" && !json.Valid([]byte(e.Variables)) {
			t.Errorf("example %q: variables are not JSON: %s", e.Name, e.Variables)
		}
	}
	for _, n := range []string{"dashboard", "paging", "consent flow", "subscription"} {
		if !names[n] {
			t.Errorf("Examples() has no %q", n)
		}
	}
}
