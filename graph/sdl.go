package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
)

// SDL returns the public schema as SDL, with every description and the cost
// directives (@cost, @listSize, @upstream) that clients may read to estimate
// an operation: the schema.graphql file at the repository's root, byte for
// byte (TestSchemaGolden keeps the two equal).
func SDL() []byte { return sdl() }

var sdl = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(generated.NewExecutableSchema(generated.Config{}).Schema())
	return b.Bytes()
})

// SchemaHandler serves SDL for codegen (graphql-codegen, relay-compiler,
// Apollo's rover), where introspection is off: outside sandbox mode only the
// callers the wrapping middleware authenticated reach it. It answers GET and
// HEAD with an ETag, so tools that poll it get 304 while the schema is
// unchanged.
func SchemaHandler() http.Handler {
	body := SDL()
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, no-cache")
		h.Set("Content-Disposition", `inline; filename="schema.graphql"`)
		http.ServeContent(w, r, "schema.graphql", time.Time{}, bytes.NewReader(body))
	})
}
