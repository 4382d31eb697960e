// Package finpro is a typed client for MoneyOne's FinPro FIU API.
//
// It holds the FIU credentials (sent as FinPro's exact-case headers, never
// following redirects), maps every failure to an *APIError matching one sentinel,
// retries idempotent reads with jittered backoff under a budget and a per-endpoint
// circuit breaker, never retries writes, and decodes FinPro's inconsistent JSON into
// one set of Go types. Money stays an exact Decimal string.
package finpro

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

var errUnimplemented = errors.New("finpro: not implemented yet")

// Credentials are the FIU's FinPro keys. ClientSecret must never reach a client,
// a log line or an error message.
type Credentials struct {
	ClientID       string
	ClientSecret   string
	OrganisationID string
	AppIdentifier  string
}

// LogValue keeps the secret out of logs.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.String("client_secret", "REDACTED"))
}

// Options configure a Client. Zero values get safe defaults.
type Options struct {
	BaseURL     string // e.g. https://tenant-uat.moneyone.in
	Credentials Credentials
	// HTTPClient is used for transport only; the client disables its redirects and
	// applies its own timeouts. Nil uses a dedicated transport.
	HTTPClient *http.Client
	// Timeout bounds one attempt (default 10s).
	Timeout time.Duration
	// MaxBodyBytes bounds a response body (default 32 MiB).
	MaxBodyBytes int64
	// MaxRetries is the number of retries of an idempotent read (default 2).
	MaxRetries int
	// Logger receives retry and breaker events; nil discards them.
	Logger *slog.Logger
}

// Client calls FinPro. It is safe for concurrent use.
type Client struct {
	opts Options
}

// New returns a Client for opts.BaseURL.
func New(opts Options) (*Client, error) {
	return &Client{opts: opts}, nil
}

// Balances returns the balance of every account under a consent
// (getfibalance without linkReferenceNumber: one call for the whole consent).
func (c *Client) Balances(ctx context.Context, consentID string) ([]Balance, error) {
	return nil, errUnimplemented
}

// Balance returns one account's balance (getfibalance with linkReferenceNumber).
func (c *Client) Balance(ctx context.Context, consentID, linkRef string) (*Balance, error) {
	return nil, errUnimplemented
}

// FIData returns one account and a page of its transactions (getfidata).
func (c *Client) FIData(ctx context.Context, req FIDataRequest) (*AccountData, error) {
	return nil, errUnimplemented
}

// AllFIData returns every account under a consent with profile, summary and
// transactions (getallfidata).
func (c *Client) AllFIData(ctx context.Context, consentID string) ([]FIAccount, error) {
	return nil, errUnimplemented
}

// LatestFIData returns what is new since the last pull (getalllatestfidata). It
// consumes the increment upstream: callers must keep the result. Nothing new is
// ErrNoNewData.
func (c *Client) LatestFIData(ctx context.Context, consentID string) ([]FIAccount, error) {
	return nil, errUnimplemented
}

// Consents returns a page of a customer's consents (/v1/accounts/getconsentslist).
func (c *Client) Consents(ctx context.Context, req ConsentListRequest) (*ConsentPage, error) {
	return nil, errUnimplemented
}

// RequestConsent creates a consent request (/v2/requestconsent). Never retried.
func (c *Client) RequestConsent(ctx context.Context, req ConsentRequest) (*ConsentHandle, error) {
	return nil, errUnimplemented
}

// RevokeConsent revokes an ACTIVE or PAUSED consent by consent ID (/revokeconsent).
// Never retried.
func (c *Client) RevokeConsent(ctx context.Context, consentID string) error {
	return errUnimplemented
}

// RequestFI starts a data fetch (/fi/request). Never retried.
func (c *Client) RequestFI(ctx context.Context, req FIRequest) (*FISession, error) {
	return nil, errUnimplemented
}

// FIRequestStatus reports a data fetch's state (/consent/firequest/status).
func (c *Client) FIRequestStatus(ctx context.Context, req FIStatusRequest) (*FIStatus, error) {
	return nil, errUnimplemented
}
