package guard_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// isPartner is the enforce func of the tests: principals named "partner".
func isPartner(ctx context.Context) bool {
	p, ok := auth.PrincipalFrom(ctx)
	return ok && p.Subject == "partner"
}

func writeFile(t testing.TB, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trusted.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadTrustedDocuments(t *testing.T) {
	const doc = "query Hello { hello }"
	h := sha(doc)
	tests := []struct {
		name       string
		file       string
		wantErr    bool
		wantHashes []string
	}{
		{"object", `{"` + h + `": "` + doc + `"}`, false, []string{h}},
		{"array", `["` + strings.ToUpper(h) + `"]`, false, []string{h}},
		{"apollo manifest", `{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": "` + h + `", "name": "Hello", "type": "query", "body": "` + doc + `"}]}`, false, []string{h}},
		{"hash does not match document", `{"` + sha("other") + `": "` + doc + `"}`, true, nil},
		{"not a hash", `["abc"]`, true, nil},
		{"document not a string", `{"` + h + `": 1}`, true, nil},
		{"unknown manifest version", `{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}`, true, nil},
		{"not JSON", `query Hello { hello }`, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			td, err := guard.LoadTrustedDocuments(writeFile(t, tc.file))
			if (err != nil) != tc.wantErr {
				t.Fatalf("LoadTrustedDocuments() error = %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if td.Len() != len(tc.wantHashes) {
				t.Errorf("Len() = %d, want %d", td.Len(), len(tc.wantHashes))
			}
			for _, h := range tc.wantHashes {
				if !td.Contains(h) {
					t.Errorf("Contains(%s) = false, want true", h)
				}
			}
		})
	}
	if _, err := guard.LoadTrustedDocuments(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Errorf("LoadTrustedDocuments(missing file) error = nil, want an error")
	}
}

// newHelloServer serves `type Query { hello: String! }` with the extension
// order recommended for graph.NewHandler: trusted documents, then APQ, then
// the guard.
func newHelloServer(t testing.TB, td *guard.TrustedDocuments) string {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { hello: String! }`})
	es := &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			return graphql.OneShot(&graphql.Response{Data: []byte(`{"hello":"world"}`)})
		},
	}
	srv := handler.New(es)
	srv.AddTransport(transport.POST{})
	srv.Use(td.Extension(isPartner))
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	guard.Configure(srv, guard.Limits{}, false)
	api := httptest.NewServer(withSubject(guard.HTTP(guard.Limits{})(srv)))
	t.Cleanup(api.Close)
	return api.URL
}

func apqBody(query, hash string) map[string]any {
	b := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		b["query"] = query
	}
	return b
}

func TestTrustedDocuments(t *testing.T) {
	const listed = "query Hello { hello }"
	const unlisted = "{ hello }"
	const unlisted2 = "query Other { hello }"
	td, err := guard.ParseTrustedDocuments([]byte(`{"` + sha(listed) + `": "` + listed + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{url: newHelloServer(t, td)}
	const forbidden = "unknown operation: this client may only run registered documents"
	tests := []struct {
		name     string
		subject  string
		body     map[string]any
		wantCode string // "" = runs
		wantMsg  string
	}{
		{"partner, listed document", "partner", map[string]any{"query": listed}, "", ""},
		{"partner, unlisted document", "partner", map[string]any{"query": unlisted}, "FORBIDDEN", forbidden},
		{"partner, hash of a listed document", "partner", apqBody("", sha(listed)), "", ""},
		{"partner, unknown hash", "partner", apqBody("", sha(unlisted)), "FORBIDDEN", forbidden},
		{"partner cannot register through APQ", "partner", apqBody(unlisted2, sha(unlisted2)), "FORBIDDEN", forbidden},
		{"so APQ does not know it", "app", apqBody("", sha(unlisted2)), "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound"},
		{"first party, unlisted document", "app", map[string]any{"query": unlisted}, "", ""},
		{"first party, hash of a listed document", "app", apqBody("", sha(listed)), "", ""},
		{"first party registers through APQ", "app", apqBody(unlisted, sha(unlisted)), "", ""},
		{"partner cannot use it", "partner", apqBody("", sha(unlisted)), "FORBIDDEN", forbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.postBody(t, tc.body, subjectHeader, tc.subject)
			if r.status != http.StatusOK {
				t.Errorf("status = %d, want 200", r.status)
			}
			if tc.wantCode == "" {
				if len(r.body.Errors) != 0 || string(r.body.Data) != `{"hello":"world"}` {
					t.Errorf("errors %+v, data %s; want {\"hello\":\"world\"}", r.body.Errors, r.body.Data)
				}
				return
			}
			want := []gqlError{{Message: tc.wantMsg, Extensions: map[string]any{"code": tc.wantCode}}}
			if diff := cmp.Diff(want, r.body.Errors); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTrustedDocumentsAfterAPQ installs the list after graph.NewHandler's APQ
// (the wrong order for hash-only requests): enforcement still holds, on the
// document APQ filled in, with the real error presenter.
func TestTrustedDocumentsAfterAPQ(t *testing.T) {
	const listed = "{ __typename }"
	const unlisted = "query Other { __typename }"
	td, err := guard.ParseTrustedDocuments([]byte(`["` + sha(listed) + `"]`))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{extensions: []graphql.HandlerExtension{td.Extension(isPartner)}})
	tests := []struct {
		name     string
		subject  string
		body     map[string]any
		wantCode string
	}{
		{"partner, listed", "partner", map[string]any{"query": listed}, ""},
		{"partner, unlisted", "partner", map[string]any{"query": unlisted}, "FORBIDDEN"},
		{"first party registers through APQ", "app", apqBody(unlisted, sha(unlisted)), ""},
		{"partner, hash filled in by APQ", "partner", apqBody("", sha(unlisted)), "FORBIDDEN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.postBody(t, tc.body, subjectHeader, tc.subject)
			if got := r.body.codes(); !cmp.Equal(got, nonEmpty(tc.wantCode)) {
				t.Errorf("codes = %q, want %q", got, nonEmpty(tc.wantCode))
			}
		})
	}
}

// TestTrustedDocumentsWebsocket checks enforcement per websocket operation.
func TestTrustedDocumentsWebsocket(t *testing.T) {
	const listed = "{ __typename }"
	td, err := guard.ParseTrustedDocuments([]byte(`["` + sha(listed) + `"]`))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOptions{extensions: []graphql.HandlerExtension{td.Extension(isPartner)}})
	ws := e.dialWS(t, "partner")
	if got := ws.run(t, listed, nil).codes(); got != nil {
		t.Errorf("listed document over websocket: codes = %q, want none", got)
	}
	if got := ws.run(t, "query X { __typename }", nil).codes(); !cmp.Equal(got, []string{"FORBIDDEN"}) {
		t.Errorf("unlisted document over websocket: codes = %q, want [FORBIDDEN]", got)
	}
}
