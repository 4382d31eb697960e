package guard_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/guard"
)

// paddedBody returns a JSON request body of exactly n bytes running
// { __typename }.
func paddedBody(t testing.TB, n int) string {
	t.Helper()
	const body = `{"query":"{ __typename }"}`
	if n < len(body) {
		t.Fatalf("paddedBody(%d): shorter than %d", n, len(body))
	}
	return body + strings.Repeat(" ", n-len(body))
}

// chunked hides a reader's length, so the request has no Content-Length.
type chunked struct{ io.Reader }

func TestHTTP(t *testing.T) {
	const bodyLimit = 256
	e := newEnv(t, envOptions{limits: guard.Limits{MaxBodyBytes: bodyLimit}})
	const query = `{"query":"{ __typename }"}`
	const mutation = `mutation { revokeConsent(input: {consentID: "c1"}) { consent { status } } }`
	const subscription = `subscription { consentStatusChanged(productID: "P") { status } }`
	get := func(params ...string) *http.Request {
		v := url.Values{}
		for i := 0; i+1 < len(params); i += 2 {
			v.Set(params[i], params[i+1])
		}
		r := e.request(t, http.MethodGet, "", nil)
		r.URL.RawQuery = v.Encode()
		return r
	}
	post := func(contentType, body string) *http.Request {
		return e.request(t, http.MethodPost, contentType, strings.NewReader(body))
	}
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int
		wantCode   string // "" = the operation runs
		wantMsg    string
		wantAllow  string
	}{
		{"json POST", post("application/json", query), 200, "", "", ""},
		{"json POST with charset", post("application/json; charset=utf-8", query), 200, "", "", ""},
		{"text/plain POST", post("text/plain", query), 415, "BAD_USER_INPUT", "Content-Type must be application/json", ""},
		{"form POST", post("application/x-www-form-urlencoded", "query=%7B__typename%7D"), 415, "BAD_USER_INPUT", "Content-Type must be application/json", ""},
		{"multipart POST", post("multipart/form-data; boundary=x", "--x--"), 415, "BAD_USER_INPUT", "Content-Type must be application/json", ""},
		{"POST without Content-Type", post("", query), 415, "BAD_USER_INPUT", "Content-Type must be application/json", ""},
		{"body at limit", post("application/json", paddedBody(t, bodyLimit)), 200, "", "", ""},
		{"body over limit", post("application/json", paddedBody(t, bodyLimit+1)), 413, "BAD_USER_INPUT", "request body exceeds the limit of 256 bytes", ""},
		{"chunked body at limit", e.request(t, http.MethodPost, "application/json", chunked{strings.NewReader(paddedBody(t, bodyLimit))}), 200, "", "", ""},
		{"chunked body over limit", e.request(t, http.MethodPost, "application/json", chunked{strings.NewReader(paddedBody(t, bodyLimit+1))}), 413, "BAD_USER_INPUT", "request body exceeds the limit of 256 bytes", ""},
		{"batch array", post("application/json", " ["+query+","+query+"]"), 400, "BAD_USER_INPUT", "batched requests are not supported", ""},
		{"query over GET", get("query", "{ __typename }"), 200, "", "", ""},
		{"mutation over GET", get("query", mutation), 405, "BAD_USER_INPUT", "mutation operations are only allowed over POST", "POST"},
		{"subscription over GET", get("query", subscription), 405, "BAD_USER_INPUT", "subscription operations are only allowed over POST", "POST"},
		{"GET picks operationName", get("query", "query A { __typename } "+mutation[:8]+" B "+mutation[9:], "operationName", "B"), 405, "BAD_USER_INPUT", "mutation operations are only allowed over POST", "POST"},
		{"GET query of a mixed document", get("query", "query A { __typename } "+mutation[:8]+" B "+mutation[9:], "operationName", "A"), 200, "", "", ""},
		{"GET without query", get(), 400, "BAD_USER_INPUT", "GET request has no query parameter", ""},
		{"PUT", e.request(t, http.MethodPut, "application/json", strings.NewReader(query)), 405, "BAD_USER_INPUT", "method PUT is not allowed; use POST, or GET for queries", "GET, POST, OPTIONS"},
		{"OPTIONS passes to gqlgen", e.request(t, http.MethodOptions, "", nil), 200, "", "", "OPTIONS, GET, POST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.sb.ResetStats()
			r := do(t, tc.req)
			if r.status != tc.wantStatus {
				t.Errorf("%s: status = %d, want %d (body %.200s)", tc.name, r.status, tc.wantStatus, r.raw)
			}
			if got := r.header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("%s: Allow = %q, want %q", tc.name, got, tc.wantAllow)
			}
			if tc.wantCode == "" {
				if tc.req.Method != http.MethodOptions && (len(r.body.Errors) != 0 || !strings.Contains(string(r.body.Data), "__typename")) {
					t.Errorf("%s: errors %+v data %s, want __typename", tc.name, r.body.Errors, r.body.Data)
				}
				return
			}
			want := []gqlError{{Message: tc.wantMsg, Extensions: map[string]any{"code": tc.wantCode}}}
			if diff := cmp.Diff(want, r.body.Errors); diff != "" {
				t.Errorf("%s: errors mismatch (-want +got):\n%s", tc.name, diff)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s: Content-Type = %q, want application/json", tc.name, ct)
			}
			if n := e.upstreamCalls(); n != 0 {
				t.Errorf("%s: FinPro calls = %d, want 0", tc.name, n)
			}
		})
	}
}

// TestHTTPDefaultBodyLimit checks the 1 MiB default at n and n+1.
func TestHTTPDefaultBodyLimit(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tc := range []struct {
		size       int
		wantStatus int
	}{
		{guard.DefaultMaxBodyBytes, http.StatusOK},
		{guard.DefaultMaxBodyBytes + 1, http.StatusRequestEntityTooLarge},
	} {
		r := do(t, e.request(t, http.MethodPost, "application/json", strings.NewReader(paddedBody(t, tc.size))))
		if r.status != tc.wantStatus {
			t.Errorf("POST of %d bytes: status = %d, want %d", tc.size, r.status, tc.wantStatus)
		}
	}
}

// TestHTTPNoBodyLimit checks that batches are refused without a size limit
// too, and that the body still reaches gqlgen intact.
func TestHTTPNoBodyLimit(t *testing.T) {
	e := newEnv(t, envOptions{limits: guard.Limits{MaxBodyBytes: -1}})
	tests := []struct {
		name, body string
		wantStatus int
	}{
		{"single", "\n " + `{"query":"{ __typename }"}`, http.StatusOK},
		{"large", paddedBody(t, 2*guard.DefaultMaxBodyBytes), http.StatusOK},
		{"batch", "\n [{}]", http.StatusBadRequest},
	}
	for _, tc := range tests {
		r := do(t, e.request(t, http.MethodPost, "application/json", bytes.NewReader([]byte(tc.body))))
		if r.status != tc.wantStatus {
			t.Errorf("POST %s: status = %d, want %d (body %.200s)", tc.name, r.status, tc.wantStatus, r.raw)
		}
	}
}
