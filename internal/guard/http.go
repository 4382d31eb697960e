package guard

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// HTTP returns middleware for the /graphql route that refuses, before gqlgen
// sees them, requests only HTTP can get wrong:
//
//   - POST must have Content-Type application/json (parameters such as
//     charset allowed), else 415. text/plain, form and multipart bodies are
//     what a cross-site page can send without a CORS preflight, so refusing
//     them stops CSRF; application/graphql-response+json is a response type,
//     which gqlgen's POST transport does not accept either.
//   - A POST body over l.MaxBodyBytes gets 413, a JSON array (a batch) 400.
//   - GET runs queries only: a mutation or subscription gets 405 with
//     Allow: POST (operationName picks the operation of a multi-operation
//     document); a GET without a query parameter gets 400, unless it carries
//     extensions (an automatic persisted query by hash).
//   - OPTIONS and websocket upgrades pass through; other methods get 405.
//
// Refusals are GraphQL-shaped JSON with extensions.code BAD_USER_INPUT.
// Documents that do not parse pass through: gqlgen reports them.
func HTTP(l Limits) func(http.Handler) http.Handler {
	l = l.normalized()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodOptions:
				next.ServeHTTP(w, r)
			case http.MethodGet:
				if isUpgrade(r) || checkGET(w, r, l) {
					next.ServeHTTP(w, r)
				}
			case http.MethodPost:
				if checkPOST(w, r, l) {
					next.ServeHTTP(w, r)
				}
			default:
				w.Header().Set("Allow", "GET, POST, OPTIONS")
				apierr.WriteHTTP(w, http.StatusMethodNotAllowed, apierr.BadUserInput,
					fmt.Sprintf("method %s is not allowed; use POST, or GET for queries", r.Method), nil)
			}
		})
	}
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// checkGET reports whether a GET may proceed, having answered it if not.
func checkGET(w http.ResponseWriter, r *http.Request, l Limits) bool {
	q := r.URL.Query()
	query := q.Get("query")
	if query == "" {
		if q.Get("extensions") != "" {
			return true
		}
		apierr.WriteHTTP(w, http.StatusBadRequest, apierr.BadUserInput, "GET request has no query parameter", nil)
		return false
	}
	limit := 0 // the parser's "no limit"
	if l.MaxTokens > 0 {
		limit = l.MaxTokens
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, limit)
	if err != nil {
		return true
	}
	op := pickOperation(doc, q.Get("operationName"))
	if op == nil || op.Operation == ast.Query {
		return true
	}
	w.Header().Set("Allow", "POST")
	apierr.WriteHTTP(w, http.StatusMethodNotAllowed, apierr.BadUserInput,
		fmt.Sprintf("%s operations are only allowed over POST", op.Operation), nil)
	return false
}

// pickOperation returns the operation gqlgen would run, or nil when the
// request is ambiguous (gqlgen then reports it).
func pickOperation(doc *ast.QueryDocument, name string) *ast.OperationDefinition {
	if name == "" && len(doc.Operations) != 1 {
		return nil
	}
	return doc.Operations.ForName(name)
}

// checkPOST reports whether a POST may proceed, having answered it if not.
// When it proceeds, r.Body is replaced by one that replays what was read.
func checkPOST(w http.ResponseWriter, r *http.Request, l Limits) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		apierr.WriteHTTP(w, http.StatusUnsupportedMediaType, apierr.BadUserInput,
			"Content-Type must be application/json", nil)
		return false
	}
	if l.MaxBodyBytes < 0 {
		// No size limit: peek at the first byte instead of buffering.
		br := bufio.NewReader(r.Body)
		first, err := firstByte(br)
		if err != nil && !errors.Is(err, io.EOF) {
			apierr.WriteHTTP(w, http.StatusBadRequest, apierr.BadUserInput, "could not read request body", nil)
			return false
		}
		if first == '[' {
			writeBatchError(w)
			return false
		}
		r.Body = readCloser{br, r.Body}
		return true
	}
	if r.ContentLength > l.MaxBodyBytes {
		writeTooLarge(w, l)
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, l.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeTooLarge(w, l)
		} else {
			apierr.WriteHTTP(w, http.StatusBadRequest, apierr.BadUserInput, "could not read request body", nil)
		}
		return false
	}
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		writeBatchError(w)
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return true
}

// firstByte returns the first non-whitespace byte of br without consuming it.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

func writeTooLarge(w http.ResponseWriter, l Limits) {
	apierr.WriteHTTP(w, http.StatusRequestEntityTooLarge, apierr.BadUserInput,
		fmt.Sprintf("request body exceeds the limit of %d bytes", l.MaxBodyBytes), nil)
}

func writeBatchError(w http.ResponseWriter) {
	apierr.WriteHTTP(w, http.StatusBadRequest, apierr.BadUserInput, "batched requests are not supported", nil)
}
