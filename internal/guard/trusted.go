package guard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// TrustedDocuments is an allow-list of GraphQL documents, identified by the
// lowercase hex SHA-256 of their exact text (the hash automatic persisted
// queries use). Partner apps register their operations ahead of time; for
// them, any other document is refused.
type TrustedDocuments struct {
	docs map[string]string // hash -> document text, "" when only the hash is known
}

// LoadTrustedDocuments reads an allow-list file; see [ParseTrustedDocuments]
// for its formats.
func LoadTrustedDocuments(path string) (*TrustedDocuments, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load trusted documents: %w", err)
	}
	td, err := ParseTrustedDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("load trusted documents from %s: %w", path, err)
	}
	return td, nil
}

// ParseTrustedDocuments parses an allow-list in one of three JSON formats:
//
//   - an object of hash to document, {"<sha256 hex>": "query { ... }"}
//     (the persisted-query manifest of Relay and of Apollo's older tools);
//   - an array of hashes, ["<sha256 hex>", ...], when clients always send
//     the document text;
//   - Apollo's persisted query manifest, {"format":
//     "apollo-persisted-query-manifest", "version": 1, "operations":
//     [{"id": "<sha256 hex>", "body": "query { ... }"}, ...]}.
//
// A document's hash must be the SHA-256 of its text: a mismatch is an error,
// not a silent miss at request time.
func ParseTrustedDocuments(data []byte) (*TrustedDocuments, error) {
	td := &TrustedDocuments{docs: map[string]string{}}
	data = bytes.TrimSpace(data)
	switch {
	case len(data) > 0 && data[0] == '[':
		var hashes []string
		if err := json.Unmarshal(data, &hashes); err != nil {
			return nil, fmt.Errorf("parse hash list: %w", err)
		}
		for _, h := range hashes {
			if err := td.add(h, ""); err != nil {
				return nil, err
			}
		}
	default:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return nil, fmt.Errorf("parse trusted documents: %w", err)
		}
		if _, ok := obj["operations"]; ok {
			return td, td.addApollo(data)
		}
		for h, raw := range obj {
			var doc string
			if err := json.Unmarshal(raw, &doc); err != nil {
				return nil, fmt.Errorf("document of %q is not a string", h)
			}
			if err := td.add(h, doc); err != nil {
				return nil, err
			}
		}
	}
	return td, nil
}

func (td *TrustedDocuments) addApollo(data []byte) error {
	var m struct {
		Format     string `json:"format"`
		Version    int    `json:"version"`
		Operations []struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("parse persisted query manifest: %w", err)
	}
	if m.Format != "apollo-persisted-query-manifest" || m.Version != 1 {
		return fmt.Errorf("unsupported manifest format %q version %d", m.Format, m.Version)
	}
	for _, op := range m.Operations {
		if err := td.add(op.ID, op.Body); err != nil {
			return err
		}
	}
	return nil
}

func (td *TrustedDocuments) add(hash, doc string) error {
	h := strings.ToLower(hash)
	if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
		return fmt.Errorf("%q is not a hex SHA-256 hash", hash)
	}
	if doc != "" && hashOf(doc) != h {
		return fmt.Errorf("document listed as %s has SHA-256 %s", h, hashOf(doc))
	}
	td.docs[h] = doc
	return nil
}

// Len returns the number of listed documents.
func (td *TrustedDocuments) Len() int { return len(td.docs) }

// Contains reports whether the document with this SHA-256 (hex, any case) is
// listed.
func (td *TrustedDocuments) Contains(hash string) bool {
	_, ok := td.docs[strings.ToLower(hash)]
	return ok
}

func hashOf(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// errUnknownOperation is the refusal of a document that is not listed.
func errUnknownOperation() *gqlerror.Error {
	return apierr.GraphQL(apierr.Forbidden, "unknown operation: this client may only run registered documents")
}

// Extension returns the gqlgen extension that enforces the list for the
// operations where enforce(ctx) is true (say, partner principals; nil
// enforces for everyone): an operation whose document's SHA-256 is not listed
// fails with FORBIDDEN "unknown operation". For every caller, a request that
// sends only extensions.persistedQuery.sha256Hash of a listed document (with
// its text in the file) runs that document.
//
// Install it before extension.AutomaticPersistedQuery (srv.Use order is run
// order): then a hash-only request for a listed document is filled in from
// the list instead of failing with PersistedQueryNotFound, and an enforced
// caller's unlisted document is refused before APQ would store it, so
// enforced callers cannot register documents through APQ. The check is
// repeated on the final document once all parameter mutators have run, so a
// document APQ fills in from its cache is checked too, whatever the order.
func (td *TrustedDocuments) Extension(enforce func(context.Context) bool) graphql.HandlerExtension {
	if enforce == nil {
		enforce = func(context.Context) bool { return true }
	}
	return &trustedExtension{td: td, enforce: enforce}
}

type trustedExtension struct {
	td      *TrustedDocuments
	enforce func(context.Context) bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = (*trustedExtension)(nil)

func (*trustedExtension) ExtensionName() string { return "TrustedDocuments" }

func (*trustedExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e *trustedExtension) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash, hasHash := persistedHash(p.Extensions)
	if p.Query == "" && hasHash {
		if doc := e.td.docs[hash]; doc != "" {
			p.Query = doc
			return nil
		}
		if e.enforce(ctx) && !e.td.Contains(hash) {
			return errUnknownOperation()
		}
		return nil // APQ may know it
	}
	if p.Query != "" && e.enforce(ctx) && !e.td.Contains(hashOf(p.Query)) {
		return errUnknownOperation()
	}
	return nil
}

func (e *trustedExtension) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if e.enforce(ctx) && !e.td.Contains(hashOf(oc.RawQuery)) {
		return errUnknownOperation()
	}
	return nil
}

// persistedHash returns extensions.persistedQuery.sha256Hash, lowercased.
func persistedHash(ext map[string]any) (string, bool) {
	pq, ok := ext["persistedQuery"].(map[string]any)
	if !ok {
		return "", false
	}
	h, ok := pq["sha256Hash"].(string)
	if !ok || h == "" {
		return "", false
	}
	return strings.ToLower(h), true
}
