package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// env is a BFF handler in front of an in-process sandbox, over real HTTP.
type env struct {
	sb  *sandbox.Sandbox
	fp  *finpro.Client // the client the BFF uses
	api *httptest.Server
	// principal, when set, is attached to every request (stands in for the
	// auth middleware of server.go). newEnv sets partner(); nil sends
	// requests without identity.
	principal *auth.Principal
}

type envOptions struct {
	sandbox     sandbox.Config
	credentials *finpro.Credentials
	// logger receives the handler's logs; nil discards them.
	logger *slog.Logger
}

// partner returns the default principal of the tests: a token with every
// scope, not bound to a customer, for any product.
func partner() *auth.Principal {
	return &auth.Principal{Subject: "partner-app", Scopes: auth.DevScopes()}
}

// customerToken returns a principal bound to mobile with the given scopes
// (every scope when none are given).
func customerToken(mobile string, scopes ...string) *auth.Principal {
	if len(scopes) == 0 {
		scopes = auth.DevScopes()
	}
	return &auth.Principal{Subject: "customer-app", Mobile: mobile, Scopes: scopes}
}

func sandboxCredentials() finpro.Credentials {
	return finpro.Credentials{
		ClientID:       sandbox.DefaultClientID,
		ClientSecret:   sandbox.DefaultClientSecret,
		OrganisationID: sandbox.DefaultOrganisationID,
		AppIdentifier:  sandbox.DefaultAppIdentifier,
	}
}

func newEnv(t testing.TB, opts envOptions) *env {
	t.Helper()
	sb, err := sandbox.New(opts.sandbox)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	up := httptest.NewServer(sb.Handler())
	t.Cleanup(up.Close)
	creds := sandboxCredentials()
	if opts.credentials != nil {
		creds = *opts.credentials
	}
	fp, err := finpro.New(finpro.Options{BaseURL: up.URL, Credentials: creds, MaxRetries: -1})
	if err != nil {
		t.Fatalf("finpro.New: %v", err)
	}
	e := &env{sb: sb, fp: fp, principal: partner()}
	h := graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp, Logger: opts.logger}})
	e.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.principal != nil {
			r = r.WithContext(auth.WithPrincipal(r.Context(), *e.principal))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.api.Close)
	return e
}

// asPartner attaches partner() to every request but websocket upgrades (whose
// identity comes from connection_init, see testInit), standing in for the
// auth middleware of server.go.
func asPartner(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			r = r.WithContext(auth.WithPrincipal(r.Context(), *partner()))
		}
		h.ServeHTTP(w, r)
	})
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string            `json:"message"`
	Path       []json.RawMessage `json:"path"`
	Extensions map[string]any    `json:"extensions"`
}

func (e gqlError) code() string       { s, _ := e.Extensions["code"].(string); return s }
func (e gqlError) finproCode() string { s, _ := e.Extensions["finproCode"].(string); return s }

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// post runs one operation through the real HTTP handler.
func (e *env) post(t testing.TB, query string, vars map[string]any) response {
	t.Helper()
	return postTo(t, e.api.URL, query, vars)
}

func postTo(t testing.TB, url, query string, vars map[string]any) response {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer res.Body.Close()
	var out response
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("decode response (HTTP %d): %v", res.StatusCode, err)
	}
	return out
}

// mustData decodes a response without errors into v.
func mustData(t testing.TB, r response, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("errors = %+v, want none", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data: %v", err)
	}
}

// demo returns the sandbox's demo customer.
func (e *env) demo(t testing.TB) sandbox.CustomerInfo {
	t.Helper()
	for _, c := range e.sb.Customers() {
		if c.Mobile == sandbox.DemoMobile {
			return c
		}
	}
	t.Fatal("sandbox has no demo customer")
	return sandbox.CustomerInfo{}
}

// activeConsents returns the demo customer's ACTIVE consents of the demo product.
func activeConsents(c sandbox.CustomerInfo) []sandbox.ConsentInfo {
	var out []sandbox.ConsentInfo
	for _, k := range c.Consents {
		if k.Status == "ACTIVE" && k.ProductID == sandbox.DemoProductID {
			out = append(out, k)
		}
	}
	return out
}
