package apierr

import (
	"encoding/json"
	"net/http"
)

// WriteHTTP answers a request that is refused before GraphQL runs (no token,
// a body over the limit, too many requests) with a GraphQL-shaped error body,
// so that clients handle it like every other error of the API:
//
//	{"errors":[{"message":msg,"extensions":{"code":code,…ext}}]}
//
// The members come in the order gqlgen writes them (message, then
// extensions; the extensions' keys sorted) and the body ends in a newline.
// The answer is application/json, Cache-Control: no-store (a refusal is
// about this request, never to be reused) and X-Content-Type-Options:
// nosniff. Headers the caller set before, such as Retry-After or
// WWW-Authenticate, are kept. msg and ext are shown to the client: they must
// be safe to show (see [Error]); a "code" key in ext is ignored.
func WriteHTTP(w http.ResponseWriter, status int, code Code, msg string, ext map[string]any) {
	e := make(map[string]any, len(ext)+1)
	for k, v := range ext {
		e[k] = v
	}
	e["code"] = string(code)
	type gqlError struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
	body, err := json.Marshal(struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{{msg, e}}})
	if err != nil {
		// Not reached with the callers' plain values; an answer without the
		// unencodable extensions still carries the code.
		body, _ = json.Marshal(struct {
			Errors []gqlError `json:"errors"`
		}{[]gqlError{{msg, map[string]any{"code": string(code)}}}})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
