package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// TestSchemaRoute checks GET /graphql/schema.graphql in production mode
// (introspection off): 401 without a token, the repository's schema.graphql
// byte for byte with one (whatever its scopes), and 304 for a tool that sends
// back the ETag.
func TestSchemaRoute(t *testing.T) {
	s := startProduction(t, nil)
	want, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	noScopes := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("codegen").with("scope", ""))
	get := func(token, etag string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest("GET", s.base+"/graphql/schema.graphql", nil)
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	if res, _ := get("", ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", res.StatusCode)
	}
	res, body := get(noScopes, "")
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("with a token: %d and %d bytes, want 200 and schema.graphql's %d", res.StatusCode, len(body), len(want))
	}
	for _, d := range []string{"@cost(", "@listSize(", "@upstream(", `"""`} {
		if !bytes.Contains(body, []byte(d)) {
			t.Errorf("the SDL lacks %s", d)
		}
	}
	etag := res.Header.Get("ETag")
	if res, _ := get(noScopes, etag); etag == "" || res.StatusCode != http.StatusNotModified {
		t.Errorf("with If-None-Match %q: %d, want 304", etag, res.StatusCode)
	}
	// Introspection stays off: the route is the supported way to the schema.
	status, resBody := post(t, s.base+"/graphql", noScopes, `{"query":"{ __schema { types { name } } }"}`)
	if status != http.StatusOK || !bytes.Contains([]byte(resBody), []byte("introspection")) {
		t.Errorf("introspection in production: %d %s", status, resBody)
	}
}
