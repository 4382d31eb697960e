package sandbox

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
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
	// Scale adds this many extra transactions spread over the seeded DEPOSIT
	// accounts, after their history, for benchmarks (default 0).
	Scale int
	// TxnsPerAccount, when larger than the seeded density (a few hundred),
	// is the least number of transactions of every seeded DEPOSIT account's
	// 13-month history: day-to-day transactions fill it between the
	// recurring ones, so statements and analytics can be measured on
	// 10,000-transaction accounts (SANDBOX_TXNS_PER_ACCOUNT).
	TxnsPerAccount int

	ClientID, ClientSecret, OrganisationID, AppIdentifier string // default: Default*

	Latency      time.Duration // added to every FinPro call (default 0)
	ErrorPercent int           // 0..100: share of FinPro calls answered 503 with an HTML body
	RateLimit    int           // requests per RateWindow per client_id; 0 = unlimited
	RateWindow   time.Duration // default 1s
	PageSize     int           // getfidata page size for limit=true (default 100)
	MaxBodyBytes int64         // request body limit (default 1 MiB)

	// FetchDelay is how long a data fetch (an approval's automatic first
	// fetch and each /fi/request) takes before its FIPs' outcomes are known,
	// its data readable and its DATA webhook sent (default 0: at once).
	FetchDelay time.Duration
	// DataReadyDelay, when set, is the approval fetch's delay instead of
	// FetchDelay (kept for tests written before FetchDelay).
	DataReadyDelay time.Duration
	// FetchOutcomes are the FIPs' answers to data fetches, by link reference
	// number or FIP id: DELIVERED (the default), DENIED or TIMEOUT. The admin
	// API changes them at run time.
	FetchOutcomes map[string]string

	// PublicURL is the sandbox's base URL as a browser reaches it, for the
	// AA consent page's links (default: the scheme and Host of the FinPro
	// request that asked for the link).
	PublicURL string
	// RedirectHosts, when set, are the only hosts redirect URLs may point to
	// (FinPro accepts only the domain registered with MoneyOne); empty allows
	// any http(s) URL.
	RedirectHosts []string

	WebhookURL    string // where lifecycle transitions POST events; empty = none
	WebhookSecret string // HMAC-SHA256 key
	WebhookHeader string // default X-Signature
	// WebhookQueue bounds the undelivered webhook events (default 1024); events
	// beyond it are dropped and logged.
	WebhookQueue int
	// WebhookRetries are the waits before each retry of a failed delivery
	// (default DefaultWebhookRetries; an empty non-nil slice: one attempt).
	// Deliveries stay in order: the next event waits for the retries.
	WebhookRetries []time.Duration
	// WebhookTimeout bounds one delivery attempt (default 5s).
	WebhookTimeout time.Duration

	// Now is the sandbox's clock (default time.Now). Seeded data does not depend
	// on it; response timestamps, rate-limit windows and appended transactions do.
	Now func() time.Time
	// Logger receives webhook delivery failures (each failed attempt, and
	// giving up); nil discards them.
	Logger *slog.Logger

	Quirks Quirks
}

// Quirks switch on FinPro shapes seen in the wild so clients are tested against both.
type Quirks struct {
	HolderAsObject     bool // a single Holder is sent as an object, not an array
	TermDepositHyphen  bool // fiType TERM-DEPOSIT instead of TERM_DEPOSIT
	LeakyProductFilter bool // the consent list also returns the customer's other products
}

// Sandbox is a running simulator's state. It is safe for concurrent use.
type Sandbox struct {
	cfg     Config
	handler http.Handler

	// mu guards customers, consents, accounts and the indexes below. FinPro reads
	// take it for reading; transitions, appends and incremental pulls for writing.
	mu          sync.RWMutex
	customers   []*customer
	byMobile    map[string]*customer
	byHandle    map[string]*consent
	byConsentID map[string]*consent
	bySession   map[string]*consent
	byLinkRef   map[string]*account
	created     int // consents created through requestconsent

	calls    map[string]*atomic.Int64 // per FinPro path; the map itself is fixed
	reqCount atomic.Uint64            // drives the deterministic error rate

	limits sync.Map // client_id -> *window

	// Data fetches and the AA journey, under mu.
	sessions    map[string]*fetchSession
	outcomes    map[string]string
	redirectKey []byte // AES-256 key of the redirect parameters

	faultMu sync.Mutex
	faults  map[string]*fault

	hooks *webhooks

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
}

// New builds the seeded simulator. Call Close to stop its webhook delivery.
func New(cfg Config) (*Sandbox, error) {
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	cfg.ClientID = or(cfg.ClientID, DefaultClientID)
	cfg.ClientSecret = or(cfg.ClientSecret, DefaultClientSecret)
	cfg.OrganisationID = or(cfg.OrganisationID, DefaultOrganisationID)
	cfg.AppIdentifier = or(cfg.AppIdentifier, DefaultAppIdentifier)
	cfg.WebhookHeader = or(cfg.WebhookHeader, "X-Signature")
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = time.Second
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.WebhookQueue <= 0 {
		cfg.WebhookQueue = 1024
	}
	if cfg.WebhookRetries == nil {
		cfg.WebhookRetries = DefaultWebhookRetries
	}
	if cfg.WebhookTimeout <= 0 {
		cfg.WebhookTimeout = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.ErrorPercent = min(max(cfg.ErrorPercent, 0), 100)
	cfg.Scale = max(cfg.Scale, 0)
	cfg.TxnsPerAccount = max(cfg.TxnsPerAccount, 0)

	s := &Sandbox{
		cfg:         cfg,
		byMobile:    map[string]*customer{},
		byHandle:    map[string]*consent{},
		byConsentID: map[string]*consent{},
		bySession:   map[string]*consent{},
		byLinkRef:   map[string]*account{},
		calls:       map[string]*atomic.Int64{},
		faults:      map[string]*fault{},
		sessions:    map[string]*fetchSession{},
		outcomes:    map[string]string{},
		redirectKey: make([]byte, 32),
	}
	rand.Read(s.redirectKey)
	for key, o := range cfg.FetchOutcomes {
		if o = strings.ToUpper(strings.TrimSpace(o)); !validOutcome[o] || strings.TrimSpace(key) == "" {
			return nil, fmt.Errorf("sandbox: fetch outcome %q=%q: want DELIVERED, DENIED or TIMEOUT", key, o)
		}
		s.outcomes[strings.TrimSpace(key)] = o
	}
	if cfg.PublicURL != "" {
		if u, err := url.Parse(cfg.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("sandbox: PublicURL %q is not an absolute http(s) URL", cfg.PublicURL)
		}
		s.cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	started := s.now()
	for _, c := range seedData(cfg.Seed, cfg.Scale, cfg.TxnsPerAccount) {
		for _, k := range c.consents {
			if !k.fetchedAt.IsZero() {
				// The seeded data is anchored on a fixed day, but its fetch
				// was just before the sandbox started: firequest/status
				// must not call data expired that every read serves.
				k.fetchedAt = started.Add(-time.Hour)
			}
		}
		s.addCustomer(c)
	}
	s.hooks = newWebhooks(s)
	s.handler = s.routes()
	return s, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// addCustomer indexes c and builds its JSON caches. Callers hold mu (or own s).
func (s *Sandbox) addCustomer(c *customer) {
	s.customers = append(s.customers, c)
	s.byMobile[c.mobile] = c
	for _, a := range c.accounts {
		s.byLinkRef[a.linkRef] = a
		s.rebuild(a, 0)
	}
	for _, k := range c.consents {
		s.indexConsent(k)
	}
}

func (s *Sandbox) indexConsent(k *consent) {
	s.byHandle[k.handle] = k
	if k.id != "" {
		s.byConsentID[k.id] = k
	}
	if k.sessionID != "" {
		s.bySession[k.sessionID] = k
	}
}

// Handler serves FinPro's paths and the admin API under /_sandbox/.
func (s *Sandbox) Handler() http.Handler { return s.handler }

// Close stops webhook delivery (pending events are dropped) and timers. The
// Handler keeps answering FinPro calls.
func (s *Sandbox) Close() error {
	s.cancel()
	s.hooks.close()
	return nil
}

func (s *Sandbox) now() time.Time { return s.cfg.Now() }
