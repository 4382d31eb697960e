// Package gqlhttp serves GraphQL over HTTP as the GraphQL-over-HTTP
// specification says, as one gqlgen transport for GET and POST, with
// incremental delivery of @defer over multipart/mixed.
//
// It replaces gqlgen's GET, POST and MultipartMixed transports, which differ
// from the specification where clients notice (graphql-http's audit suite,
// Apollo Client's @defer support) and which echo or log the request body on
// malformed input:
//
//   - The media type of the answer follows the Accept header:
//     application/graphql-response+json when the client lists it (before
//     application/json, or alone), else application/json (also for a
//     missing Accept, */* and application/*, for clients that predate the
//     specification). multipart/mixed is used only for an operation that
//     @defers something and only when the client accepts it.
//   - A request that is not a GraphQL request (the body is not a JSON
//     object, query is not a string, variables or extensions not objects,
//     neither query nor extensions.persistedQuery is present) is 400 with one fixed message naming the member: the body is never
//     echoed or logged.
//   - A request error (the document does not parse or validate, variables
//     do not coerce, a limit refuses it) has no "data" member. It is 200
//     under application/json and 400 under application/graphql-response+json.
//     Once execution starts the answer is 200 with "data", whatever fields fail.
//   - GET serves queries only: a mutation is 405 with Allow: POST.
//   - An operation that uses @defer from a client that does not accept
//     multipart/mixed is 406 before it runs.
//
// Responses are written directly: the data gqlgen produced is already JSON,
// so it is copied, not decoded and encoded again (encoding/json re-validates
// a json.RawMessage).
package gqlhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// Media types of requests and answers.
const (
	MediaJSON            = "application/json"
	MediaGraphQLResponse = "application/graphql-response+json"
	MediaMultipartMixed  = "multipart/mixed"
	multipartBoundary    = "-"
	multipartContentType = `multipart/mixed; boundary="` + multipartBoundary + `"; deferSpec=20220824`
	// Each part is written with the delimiter that ends it, so a client
	// (which splits on delimiters) reads the part at once, not when the
	// next part begins: the stream opens with a delimiter, each part is its
	// headers, body and the next delimiter, and "--" closes it.
	multipartOpen  = "\r\n--" + multipartBoundary
	partHeader     = "\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
	partEnd        = "\r\n--" + multipartBoundary
	multipartClose = "--\r\n"
)

// Transport is a gqlgen transport for GraphQL over HTTP GET and POST.
type Transport struct {
	// MaxBodyBytes, when positive, bounds a POST body. Zero reads any size:
	// the HTTP middleware in front (internal/guard) bounds bodies with 413
	// before they reach the transport.
	MaxBodyBytes int64
	// Subscriptions, when set, serves subscription operations over HTTP; nil
	// refuses them with a request error naming the websocket.
	Subscriptions SubscriptionTransport
}

// SubscriptionTransport serves a subscription operation over HTTP (for
// example as server-sent events or multipart HTTP subscriptions).
type SubscriptionTransport interface {
	// Accepts reports whether the request asks for this delivery.
	Accepts(r *http.Request) bool
	// Serve streams the operation's events to w.
	Serve(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, oc *graphql.OperationContext)
}

var _ graphql.Transport = Transport{}

// Supports reports whether r is a GraphQL request over plain HTTP (GET or
// POST, not a websocket upgrade).
func (Transport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	return r.Method == http.MethodGet || r.Method == http.MethodPost
}

// Do serves one request.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	neg := negotiate(r.Header.Values("Accept"))
	start := graphql.Now()
	params, err := t.readParams(r)
	if err != nil {
		writeRequestError(ctx, w, exec, neg, http.StatusBadRequest, err)
		return
	}
	if pq, ok := params.Extensions["persistedQuery"]; ok && !validPersistedQuery(pq) {
		writeRequestError(ctx, w, exec, neg, http.StatusBadRequest, errPersistedQuery)
		return
	}
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		// Not a GraphQL-over-HTTP request at all (a typo such as "qeury"):
		// a 400 under either media type, like a malformed body.
		writeRequestError(ctx, w, exec, neg, http.StatusBadRequest, errNoQuery)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		status := http.StatusOK
		// A subscription stream's request error is 400 whatever the JSON
		// media type: graphql-sse and Apollo read a 2xx as the stream.
		if neg.media == MediaGraphQLResponse || neg.stream != formatNone {
			status = http.StatusBadRequest
		}
		writeResponse(w, neg.media, status, exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	switch op := oc.Operation; {
	case op.Operation == ast.Subscription:
		if t.Subscriptions != nil && r.Method == http.MethodPost && t.Subscriptions.Accepts(r) {
			t.Subscriptions.Serve(w, r, exec, oc)
			return
		}
		writeRequestError(ctx, w, exec, neg, http.StatusBadRequest,
			apierr.BadInput("subscriptions need a websocket (graphql-transport-ws or graphql-ws), Accept: text/event-stream (graphql-sse) or Accept: multipart/mixed;subscriptionSpec=1.0 (Apollo)"))
		return
	case r.Method == http.MethodGet && op.Operation != ast.Query:
		w.Header().Set("Allow", http.MethodPost)
		writeRequestError(ctx, w, exec, neg, http.StatusMethodNotAllowed, apierr.BadInput("GET serves queries only; send a %s with POST", op.Operation))
		return
	case !neg.multipart && usesDefer(oc):
		writeRequestError(ctx, w, exec, neg, http.StatusNotAcceptable,
			apierr.BadInput("@defer needs an incremental delivery answer: send Accept: multipart/mixed"))
		return
	}

	responses, ctx := exec.DispatchOperation(ctx, oc)
	first := responses(ctx)
	if first == nil {
		first = &graphql.Response{Data: json.RawMessage("null")}
	}
	if first.HasNext == nil || !*first.HasNext {
		writeResponse(w, neg.media, http.StatusOK, first)
		return
	}
	streamIncremental(w, first, func() *graphql.Response { return responses(ctx) })
}

// negotiation is what the Accept header allows.
type negotiation struct {
	media     string // MediaJSON or MediaGraphQLResponse
	multipart bool   // multipart/mixed is acceptable
	stream    format // the HTTP subscription format asked for, if any
}

// negotiate reads the Accept header values. The first acceptable JSON media
// type wins (q-values are not weighed: clients list their preference first).
func negotiate(accept []string) negotiation {
	n := negotiation{media: MediaJSON}
	chosen := false
	for _, v := range accept {
		for part := range strings.SplitSeq(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || params["q"] == "0" {
				continue
			}
			switch mt {
			case MediaEventStream:
				if n.stream == formatNone {
					n.stream = formatSSE
				}
			case MediaMultipartMixed:
				n.multipart = true
				if params["subscriptionspec"] != "" && n.stream == formatNone {
					n.stream = formatMultipart
				}
			case MediaGraphQLResponse:
				if !chosen {
					n.media, chosen = MediaGraphQLResponse, true
				}
			case MediaJSON, "*/*", "application/*":
				chosen = true
			}
		}
	}
	return n
}

// readParams decodes the request's GraphQL parameters.
func (t Transport) readParams(r *http.Request) (*graphql.RawParams, error) {
	if r.Method == http.MethodGet {
		return paramsFromQuery(r.URL.RawQuery)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != MediaJSON {
		return nil, apierr.BadInput("Content-Type must be application/json")
	}
	var src io.Reader = r.Body
	if t.MaxBodyBytes > 0 {
		src = io.LimitReader(r.Body, t.MaxBodyBytes+1)
	}
	body, err := io.ReadAll(src)
	switch {
	case err != nil:
		return nil, apierr.BadInput("could not read the request body")
	case t.MaxBodyBytes > 0 && int64(len(body)) > t.MaxBodyBytes:
		return nil, apierr.BadInput("the request body is larger than %d bytes", t.MaxBodyBytes)
	}
	return paramsFromJSON(body)
}

// request is the body of a POST, decoded member by member so that each
// member's type can be checked and named in the error.
type request struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

var (
	errNotRequest     = apierr.BadInput("the request body must be a JSON object with a string query")
	errNoQuery        = apierr.BadInput("the request has no query (nor extensions.persistedQuery)")
	errPersistedQuery = apierr.BadInput("extensions.persistedQuery must be an object with a version number and a string sha256Hash")
)

// validPersistedQuery reports whether v has the shape of automatic persisted
// queries' extension ({"version": 1, "sha256Hash": "…"}), which gqlgen's APQ
// extension would otherwise fail on as an internal error.
func validPersistedQuery(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, isNumber := m["version"].(json.Number) // extensions are decoded with UseNumber
	hash, isString := m["sha256Hash"].(string)
	return isNumber && isString && hash != ""
}

func paramsFromJSON(body []byte) (*graphql.RawParams, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		if len(body) > 0 && body[0] == '[' {
			return nil, apierr.BadInput("batched requests are not supported")
		}
		return nil, errNotRequest
	}
	var req request
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil || dec.More() {
		return nil, errNotRequest
	}
	p := &graphql.RawParams{}
	var err error
	if p.Query, err = optionalString(req.Query, "query"); err != nil {
		return nil, err
	}
	if p.OperationName, err = optionalString(req.OperationName, "operationName"); err != nil {
		return nil, err
	}
	if p.Variables, err = optionalObject(req.Variables, "variables"); err != nil {
		return nil, err
	}
	if p.Extensions, err = optionalObject(req.Extensions, "extensions"); err != nil {
		return nil, err
	}
	return p, nil
}

func paramsFromQuery(raw string) (*graphql.RawParams, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, apierr.BadInput("the query string is malformed")
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if p.Variables, err = optionalObject(json.RawMessage(v), "variables"); err != nil {
			return nil, err
		}
	}
	if v := q.Get("extensions"); v != "" {
		if p.Extensions, err = optionalObject(json.RawMessage(v), "extensions"); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

func optionalString(raw json.RawMessage, name string) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", apierr.BadInput("%s must be a string", name)
	}
	return s, nil
}

func optionalObject(raw json.RawMessage, name string) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, apierr.BadInput("%s must be a JSON object", name)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // gqlgen coerces variables from json.Number
	var m map[string]any
	if err := dec.Decode(&m); err != nil || dec.More() {
		return nil, apierr.BadInput("%s must be a JSON object", name)
	}
	return m, nil
}

// usesDefer reports whether the operation selects anything under an active
// @defer (one whose if argument is not false).
func usesDefer(oc *graphql.OperationContext) bool {
	if !strings.Contains(oc.RawQuery, "@defer") && !strings.Contains(oc.RawQuery, "@ defer") {
		return false // the usual case, decided without walking the document
	}
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			var (
				dirs ast.DirectiveList
				sub  ast.SelectionSet
			)
			switch sel := sel.(type) {
			case *ast.Field:
				sub = sel.SelectionSet
			case *ast.InlineFragment:
				dirs, sub = sel.Directives, sel.SelectionSet
			case *ast.FragmentSpread:
				dirs = sel.Directives
				if sel.Definition != nil && !seen[sel.Name] {
					seen[sel.Name] = true
					sub = sel.Definition.SelectionSet
				}
			}
			if d := dirs.ForName("defer"); d != nil && deferActive(d, oc.Variables) {
				return true
			}
			if walk(sub) {
				return true
			}
		}
		return false
	}
	return walk(oc.Operation.SelectionSet)
}

func deferActive(d *ast.Directive, vars map[string]any) bool {
	a := d.Arguments.ForName("if")
	if a == nil {
		return true
	}
	v, err := a.Value.Value(vars)
	b, ok := v.(bool)
	return err != nil || !ok || b
}

// writeRequestError answers a request that does not reach execution.
func writeRequestError(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, neg negotiation, status int, err error) {
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) {
		gqlErr = &gqlerror.Error{Err: err, Message: err.Error()}
	}
	errcode.Set(gqlErr, errcode.ValidationFailed)
	writeResponse(w, neg.media, status, exec.DispatchError(ctx, gqlerror.List{gqlErr}))
}

// writeResponse writes one GraphQL response.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	var buf bytes.Buffer
	appendResponse(&buf, resp, false)
	_, _ = w.Write(buf.Bytes())
}

// appendResponse writes resp as JSON: errors first (as the specification
// advises), then data (absent when the request did not reach execution),
// then extensions; with hasNext when incremental is set.
func appendResponse(buf *bytes.Buffer, resp *graphql.Response, incremental bool) {
	buf.WriteByte('{')
	sep := ""
	member := func(name string) {
		buf.WriteString(sep)
		sep = ","
		buf.WriteByte('"')
		buf.WriteString(name)
		buf.WriteString(`":`)
	}
	if len(resp.Errors) > 0 {
		member("errors")
		writeJSON(buf, resp.Errors)
	}
	if resp.Data != nil {
		member("data")
		buf.Write(resp.Data)
	}
	if len(resp.Extensions) > 0 {
		member("extensions")
		writeJSON(buf, resp.Extensions)
	}
	if incremental {
		member("hasNext")
		buf.WriteString(boolText(resp.HasNext != nil && *resp.HasNext))
	}
	buf.WriteByte('}')
}

func writeJSON(buf *bytes.Buffer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("null") // not reached: errors and extensions are plain values
	}
	buf.Write(b)
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// streamIncremental writes an operation with deferred parts as multipart/mixed
// (the format of the 2022-08-24 @defer proposal that Apollo Client reads):
// the initial result, then one part per deferred group as it completes, each
// flushed at once.
func streamIncremental(w http.ResponseWriter, first *graphql.Response, next func() *graphql.Response) {
	w.Header().Set("Content-Type", multipartContentType)
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	var buf bytes.Buffer
	write := func() {
		_, _ = w.Write(buf.Bytes())
		buf.Reset()
		if flusher != nil {
			flusher.Flush()
		}
	}
	buf.WriteString(multipartOpen + partHeader)
	appendResponse(&buf, first, true)
	buf.WriteString(partEnd)
	write()
	for {
		resp := next()
		if resp == nil {
			break
		}
		buf.WriteString(partHeader)
		appendSubsequent(&buf, resp)
		buf.WriteString(partEnd)
		write()
		if resp.HasNext == nil || !*resp.HasNext {
			break
		}
	}
	buf.WriteString(multipartClose)
	write()
}

// appendSubsequent writes a deferred group's result as a subsequent payload:
// {"incremental":[{"data":…,"path":[…],"label":…,"errors":[…]}],"hasNext":…}.
func appendSubsequent(buf *bytes.Buffer, resp *graphql.Response) {
	buf.WriteString(`{"incremental":[{`)
	if len(resp.Errors) > 0 {
		buf.WriteString(`"errors":`)
		writeJSON(buf, resp.Errors)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if resp.Data != nil {
		buf.Write(resp.Data)
	} else {
		buf.WriteString("null")
	}
	buf.WriteString(`,"path":`)
	path := resp.Path
	if path == nil {
		path = ast.Path{}
	}
	writeJSON(buf, path)
	if resp.Label != "" {
		buf.WriteString(`,"label":`)
		writeJSON(buf, resp.Label)
	}
	buf.WriteString(`}]`)
	if len(resp.Extensions) > 0 {
		buf.WriteString(`,"extensions":`)
		writeJSON(buf, resp.Extensions)
	}
	buf.WriteString(`,"hasNext":`)
	buf.WriteString(boolText(resp.HasNext != nil && *resp.HasNext))
	buf.WriteByte('}')
}
