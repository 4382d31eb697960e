// Package finprotest starts the embedded FinPro sandbox over real HTTP for
// tests and returns a finpro.Client pointed at it, so tests of the layers above
// the client (loaders, resolvers, server) exercise the same wire path as
// production.
package finprotest

import (
	"net/http/httptest"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// Credentials are the sandbox's default credentials as finpro.Credentials.
var Credentials = finpro.Credentials{
	ClientID:       sandbox.DefaultClientID,
	ClientSecret:   sandbox.DefaultClientSecret,
	OrganisationID: sandbox.DefaultOrganisationID,
	AppIdentifier:  sandbox.DefaultAppIdentifier,
}

// Env is a running sandbox and a client for it.
type Env struct {
	Client  *finpro.Client
	Sandbox *sandbox.Sandbox
	// URL is the sandbox's base URL (FinPro paths and /_sandbox/ admin API).
	URL string
}

// New starts a sandbox configured by cfg behind an httptest.Server and returns a
// client built from opts, whose BaseURL and (when empty) Credentials are filled
// in to reach it. Everything is stopped when the test ends.
func New(t testing.TB, cfg sandbox.Config, opts finpro.Options) *Env {
	t.Helper()
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatalf("finprotest: sandbox.New() error = %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	opts.BaseURL = srv.URL
	if opts.Credentials == (finpro.Credentials{}) {
		opts.Credentials = Credentials
	}
	c, err := finpro.New(opts)
	if err != nil {
		t.Fatalf("finprotest: finpro.New() error = %v", err)
	}
	return &Env{Client: c, Sandbox: sb, URL: srv.URL}
}
