package sandbox_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// newSandbox starts cfg's sandbox behind a real HTTP server.
func newSandbox(t *testing.T, cfg sandbox.Config) (*sandbox.Sandbox, *httptest.Server) {
	t.Helper()
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	return sb, srv
}

// reply is one HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
	env    map[string]any // decoded JSON envelope; nil when not JSON
}

func (r reply) code() string {
	s, _ := r.env["errorCode"].(string)
	return s
}

// authHeaders are the default credentials.
func authHeaders() map[string]string {
	return map[string]string{
		"client_id":      sandbox.DefaultClientID,
		"client_secret":  sandbox.DefaultClientSecret,
		"organisationId": sandbox.DefaultOrganisationID,
		"appIdentifier":  sandbox.DefaultAppIdentifier,
		"Content-Type":   "application/json",
	}
}

// do sends a request with exact-case headers (a nil value deletes the default).
func do(t *testing.T, srv *httptest.Server, method, path, body string, headers map[string]string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header[k] = []string{v}
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, body: b}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&r.env); err != nil {
			t.Fatalf("%s %s: response is not JSON: %v", method, path, err)
		}
	}
	return r
}

// post calls a FinPro path with the default credentials.
func post(t *testing.T, srv *httptest.Server, path, body string) reply {
	t.Helper()
	return do(t, srv, http.MethodPost, path, body, authHeaders())
}

// jsonBody marshals v.
func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// demo returns the demo customer's info.
func demo(t *testing.T, sb *sandbox.Sandbox) sandbox.CustomerInfo {
	t.Helper()
	for _, c := range sb.Customers() {
		if c.Mobile == sandbox.DemoMobile {
			return c
		}
	}
	t.Fatal("no demo customer")
	return sandbox.CustomerInfo{}
}

// findConsent returns the demo customer's first consent matching status,
// product and (if not empty) fetch type.
func findConsent(t *testing.T, sb *sandbox.Sandbox, status, product, fetch string) sandbox.ConsentInfo {
	t.Helper()
	for _, k := range demo(t, sb).Consents {
		if k.Status == status && k.ProductID == product && (fetch == "" || k.FetchType == fetch) {
			return k
		}
	}
	t.Fatalf("demo customer has no %s %s %s consent", status, product, fetch)
	return sandbox.ConsentInfo{}
}
