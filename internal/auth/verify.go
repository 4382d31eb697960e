package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/auth/keys"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
	"github.com/moneyone-bff/finpro-bff/internal/ttlcache"
)

// Defaults of [Config].
const (
	DefaultLeeway                 = 30 * time.Second
	DefaultMaxTokenBytes          = 8 << 10
	DefaultJWKSRefreshMinInterval = time.Minute
	DefaultJWKSCacheTTL           = time.Hour
	DefaultVerifiedCacheTTL       = time.Minute
	DefaultVerifiedCacheSize      = 10_000

	// MaxLeeway bounds Config.Leeway: clock skew is seconds, not hours.
	MaxLeeway = 5 * time.Minute
	// MinHS256SecretBytes is the shortest HS256 secret accepted (RFC 7518
	// section 3.2: a key of the hash's size, 256 bits).
	MinHS256SecretBytes = 32
)

// ErrMissingToken reports a request without a token.
var ErrMissingToken = errors.New("auth: missing token")

// ErrInvalidToken reports a token that does not verify. Errors returned by
// [Verifier.Verify] match it with errors.Is; their text carries a reason for
// logs (never the token or its claims) and is not meant for clients.
var ErrInvalidToken = errors.New("auth: invalid token")

// Reasons an [InvalidTokenError] gives. The set is closed so that logs and
// tests can rely on it.
const (
	ReasonTooLarge        = "too large"
	ReasonMalformed       = "malformed"
	ReasonAlgorithm       = "algorithm not allowed"
	ReasonHeader          = "unsupported header"
	ReasonUnknownKey      = "unknown key"
	ReasonSignature       = "bad signature"
	ReasonExpired         = "expired"
	ReasonNotYetValid     = "not yet valid"
	ReasonIssuedInFuture  = "issued in the future"
	ReasonIssuer          = "wrong issuer"
	ReasonAudience        = "wrong audience"
	ReasonMissingClaim    = "missing required claim"
	ReasonInvalidMobile   = "invalid mobile claim"
	ReasonInvalidProducts = "invalid products claim"
	ReasonInvalidScope    = "invalid scope claim"
	ReasonOther           = "unverifiable"
)

// InvalidTokenError is the error [Verifier.Verify] returns for a token that
// does not verify. It matches [ErrInvalidToken] with errors.Is, and the
// golang-jwt error behind it, if any.
type InvalidTokenError struct {
	// Reason is one of the Reason constants.
	Reason string
	cause  error
}

// Error returns the reason; it never includes the token or its claims.
func (e *InvalidTokenError) Error() string {
	return "auth: invalid token: " + e.Reason
}

// Unwrap returns ErrInvalidToken and the cause.
func (e *InvalidTokenError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrInvalidToken}
	}
	return []error{ErrInvalidToken, e.cause}
}

func invalid(reason string, cause error) error {
	return &InvalidTokenError{Reason: reason, cause: cause}
}

// Config configures a [Verifier]. Exactly one key source (HS256Secret,
// PublicKeyPEM or JWKSURL) must be set.
type Config struct {
	// HS256Secret verifies HS256 tokens; at least 32 bytes.
	HS256Secret []byte
	// PublicKeyPEM holds one public key (PUBLIC KEY, RSA PUBLIC KEY or
	// CERTIFICATE block). Its type decides the only algorithm accepted:
	// RSA (2048 bits or more) -> RS256, ECDSA P-256 -> ES256,
	// Ed25519 -> EdDSA.
	PublicKeyPEM []byte
	// JWKSURL is an https (or loopback http) URL serving a JWK Set. Keys are
	// picked by kid; each key accepts the one algorithm its type (and alg,
	// if given) allows: RS256, ES256 or EdDSA.
	JWKSURL string

	// Issuer is the required iss claim.
	Issuer string
	// Audience must be one of the token's aud values.
	Audience string

	// Leeway absorbs clock skew in exp, nbf and iat; zero means
	// DefaultLeeway, at most MaxLeeway.
	Leeway time.Duration
	// MaxTokenBytes caps a token's length, checked before parsing; zero
	// means DefaultMaxTokenBytes.
	MaxTokenBytes int
	// JWKSRefreshMinInterval is the least time between two JWKS fetches, so
	// that tokens with unknown kids cannot make the verifier hammer the
	// JWKS endpoint; zero means DefaultJWKSRefreshMinInterval.
	JWKSRefreshMinInterval time.Duration
	// JWKSCacheTTL is how long fetched keys are used before a refresh is
	// attempted in the background; the old keys stay in use until a
	// refresh succeeds. Zero means DefaultJWKSCacheTTL.
	JWKSCacheTTL time.Duration
	// VerifiedCacheTTL is how long a token that verified is trusted without
	// checking it again (never past its exp): a client sends the same token
	// with every request, and checking its signature and claims each time
	// was the larger part of a small query's cost. Zero means
	// DefaultVerifiedCacheTTL; negative turns the cache off. It bounds how
	// long a key removed from the JWKS still admits tokens it signed.
	VerifiedCacheTTL time.Duration
	// VerifiedCacheSize bounds the number of tokens remembered; zero means
	// DefaultVerifiedCacheSize.
	VerifiedCacheSize int
	// HTTPClient fetches the JWKS; nil means a client with a 10s timeout.
	HTTPClient *http.Client
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives JWKS refresh problems; nil discards them.
	Logger *slog.Logger
}

// A Verifier checks tokens. It is safe for concurrent use.
type Verifier struct {
	parser  *jwt.Parser
	algs    []string // allowed algorithms
	maxSize int
	keys    keys.Source

	// verified remembers tokens that verified, by SHA-256 (the cache never
	// holds a token itself); nil when off.
	verified    *ttlcache.Cache[[sha256.Size]byte, Principal]
	verifiedTTL time.Duration
	now         func() time.Time
}

var (
	errRequiredClms = errors.New("required claim missing")
)

// NewVerifier returns a Verifier for cfg. With a JWKS URL it fetches the key
// set once with ctx; if that fails it logs and starts anyway, and fetches
// again when a token needs a key.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	v := &Verifier{maxSize: cfg.MaxTokenBytes, verifiedTTL: cfg.VerifiedCacheTTL, now: cfg.Now}
	if cfg.VerifiedCacheTTL > 0 {
		v.verified = ttlcache.New[[sha256.Size]byte, Principal](cfg.VerifiedCacheSize, cfg.Now)
	}
	switch {
	case cfg.HS256Secret != nil:
		v.keys = keys.Static{Alg: jwt.SigningMethodHS256.Alg(), Key: slices.Clone(cfg.HS256Secret)}
		v.algs = []string{jwt.SigningMethodHS256.Alg()}
	case cfg.PublicKeyPEM != nil:
		k, alg, err := keys.ParsePublicKeyPEM(cfg.PublicKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("auth: public key: %w", err)
		}
		v.keys = keys.Static{Alg: alg, Key: k}
		v.algs = []string{alg}
	default:
		j := keys.NewJWKS(keys.JWKSOptions{
			URL:         cfg.JWKSURL,
			Client:      cfg.HTTPClient,
			MinInterval: cfg.JWKSRefreshMinInterval,
			TTL:         cfg.JWKSCacheTTL,
			Now:         cfg.Now,
			Logger:      cfg.Logger,
		})
		j.Start(ctx)
		v.keys = j
		v.algs = []string{jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg(), jwt.SigningMethodEdDSA.Alg()}
	}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(v.algs),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
		jwt.WithStrictDecoding(),
	)
	return v, nil
}

func (cfg *Config) setDefaults() error {
	var errs []error
	n := 0
	if cfg.HS256Secret != nil {
		n++
		if len(cfg.HS256Secret) < MinHS256SecretBytes {
			errs = append(errs, fmt.Errorf("HS256 secret is %d bytes, want at least %d", len(cfg.HS256Secret), MinHS256SecretBytes))
		}
	}
	if cfg.PublicKeyPEM != nil {
		n++
	}
	if cfg.JWKSURL != "" {
		n++
		if err := checkJWKSURL(cfg.JWKSURL); err != nil {
			errs = append(errs, err)
		}
	}
	if n != 1 {
		errs = append(errs, fmt.Errorf("want exactly one key source (HS256 secret, public key PEM, JWKS URL), have %d", n))
	}
	if cfg.Issuer == "" {
		errs = append(errs, errors.New("issuer is required"))
	}
	if cfg.Audience == "" {
		errs = append(errs, errors.New("audience is required"))
	}
	switch {
	case cfg.Leeway < 0 || cfg.Leeway > MaxLeeway:
		errs = append(errs, fmt.Errorf("leeway %v outside [0, %v]", cfg.Leeway, MaxLeeway))
	case cfg.Leeway == 0:
		cfg.Leeway = DefaultLeeway
	}
	switch {
	case cfg.MaxTokenBytes < 0:
		errs = append(errs, fmt.Errorf("max token bytes %d is negative", cfg.MaxTokenBytes))
	case cfg.MaxTokenBytes == 0:
		cfg.MaxTokenBytes = DefaultMaxTokenBytes
	}
	switch {
	case cfg.JWKSRefreshMinInterval < 0:
		errs = append(errs, fmt.Errorf("JWKS refresh interval %v is negative", cfg.JWKSRefreshMinInterval))
	case cfg.JWKSRefreshMinInterval == 0:
		cfg.JWKSRefreshMinInterval = DefaultJWKSRefreshMinInterval
	}
	switch {
	case cfg.JWKSCacheTTL < 0:
		errs = append(errs, fmt.Errorf("JWKS cache TTL %v is negative", cfg.JWKSCacheTTL))
	case cfg.JWKSCacheTTL == 0:
		cfg.JWKSCacheTTL = DefaultJWKSCacheTTL
	}
	if cfg.VerifiedCacheTTL == 0 {
		cfg.VerifiedCacheTTL = DefaultVerifiedCacheTTL
	}
	switch {
	case cfg.VerifiedCacheSize < 0:
		errs = append(errs, fmt.Errorf("verified-token cache size %d is negative", cfg.VerifiedCacheSize))
	case cfg.VerifiedCacheSize == 0:
		cfg.VerifiedCacheSize = DefaultVerifiedCacheSize
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(errs) > 0 {
		return fmt.Errorf("auth: config: %w", errors.Join(errs...))
	}
	return nil
}

// checkJWKSURL refuses plain http except on loopback hosts (tests, sidecars):
// keys fetched over plain http could be swapped by anyone on the path.
func checkJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("JWKS URL: %w", err)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if h := u.Hostname(); h != "localhost" && h != "127.0.0.1" && h != "::1" {
			return errors.New("JWKS URL must use https unless it is on localhost")
		}
	default:
		return fmt.Errorf("JWKS URL scheme %q not supported", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("JWKS URL has no host")
	}
	return nil
}

// header is the part of a JOSE header the verifier looks at before parsing.
type header struct {
	Alg  string          `json:"alg"`
	Kid  string          `json:"kid"`
	Typ  string          `json:"typ"`
	Crit json.RawMessage `json:"crit"`
}

// Verify checks token and returns the caller it identifies. An empty token
// yields [ErrMissingToken]; every other failure an [*InvalidTokenError].
// A token that verified is trusted again for Config.VerifiedCacheTTL, never
// past its exp; failures are never remembered. The returned Principal's
// slices are shared: do not modify them.
func (v *Verifier) Verify(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, ErrMissingToken
	}
	if len(token) > v.maxSize {
		return Principal{}, invalid(ReasonTooLarge, nil)
	}
	if v.verified == nil {
		return v.verify(ctx, token)
	}
	sum := sha256.Sum256([]byte(token))
	if p, ok := v.verified.Get(sum); ok {
		return p, nil
	}
	p, err := v.verify(ctx, token)
	if err == nil {
		until := v.now().Add(v.verifiedTTL)
		if !p.ExpiresAt.IsZero() && p.ExpiresAt.Before(until) {
			until = p.ExpiresAt
		}
		v.verified.Put(sum, p, until)
	}
	return p, err
}

// verify checks token without the cache.
func (v *Verifier) verify(ctx context.Context, token string) (Principal, error) {
	h, err := v.checkHeader(token)
	if err != nil {
		return Principal{}, err
	}
	var c claims
	_, err = v.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		// The header was checked above, but check again what the parser
		// decoded: the key's alg must be the token's alg.
		alg := t.Method.Alg()
		if alg != h.Alg {
			return nil, keys.ErrAlgMismatch
		}
		return v.keys.KeyFor(ctx, h.Kid, alg)
	})
	if err != nil {
		return Principal{}, classify(err)
	}
	return c.principal()
}

// checkHeader decodes the header alone, so that a token with a refused alg
// (none, NONE, HS256 against a public key) or a critical extension is
// rejected with a precise reason before any key lookup or claims decoding.
func (v *Verifier) checkHeader(token string) (header, error) {
	seg, _, ok := strings.Cut(token, ".")
	if !ok {
		return header{}, invalid(ReasonMalformed, nil)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		return header{}, invalid(ReasonMalformed, nil)
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return header{}, invalid(ReasonMalformed, nil)
	}
	if !slices.Contains(v.algs, h.Alg) {
		return header{}, invalid(ReasonAlgorithm, nil)
	}
	if h.Crit != nil {
		// RFC 7515 section 4.1.11: we understand no extensions.
		return header{}, invalid(ReasonHeader, nil)
	}
	// RFC 8725 section 3.11: refuse JWTs typed as something else (ID
	// tokens of other kinds, logout tokens, DPoP proofs).
	switch strings.ToLower(h.Typ) {
	case "", "jwt", "at+jwt", "application/at+jwt":
	default:
		return header{}, invalid(ReasonHeader, nil)
	}
	return h, nil
}

// classify maps a golang-jwt error to an InvalidTokenError with a fixed reason.
func classify(err error) error {
	var reason string
	switch {
	case errors.Is(err, keys.ErrAlgMismatch):
		reason = ReasonAlgorithm
	case errors.Is(err, keys.ErrUnknownKey):
		reason = ReasonUnknownKey
	case errors.Is(err, jwt.ErrTokenMalformed):
		reason = ReasonMalformed
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		reason = ReasonSignature
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		reason = ReasonMissingClaim
	case errors.Is(err, jwt.ErrTokenExpired):
		reason = ReasonExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		reason = ReasonNotYetValid
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		reason = ReasonIssuedInFuture
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		reason = ReasonIssuer
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		reason = ReasonAudience
	case errors.Is(err, errInvalidMobile):
		reason = ReasonInvalidMobile
	case errors.Is(err, errInvalidProducts):
		reason = ReasonInvalidProducts
	case errors.Is(err, errInvalidScope):
		reason = ReasonInvalidScope
	case errors.Is(err, errRequiredClms):
		reason = ReasonMissingClaim
	case errors.Is(err, jwt.ErrInvalidType):
		reason = ReasonMalformed
	default:
		reason = ReasonOther
	}
	return invalid(reason, err)
}

// claims are the claims the verifier reads.
type claims struct {
	jwt.RegisteredClaims
	Scope    stringList     `json:"scope"`
	Mobile   optionalString `json:"mobile"`
	Products stringList     `json:"products"`
}

var (
	errInvalidMobile   = errors.New("mobile claim is not 10 digits")
	errInvalidProducts = errors.New("products claim is empty or not strings")
	errInvalidScope    = errors.New("scope claim is not a string")
)

// Validate implements jwt.ClaimsValidator; the parser calls it after the
// signature verifies.
func (c *claims) Validate() error {
	if c.Subject == "" {
		return errRequiredClms
	}
	if c.Scope.present && !c.Scope.valid {
		return errInvalidScope
	}
	if c.Mobile.present && !mobile.Valid(c.Mobile.value) {
		return errInvalidMobile
	}
	// A present but empty products claim most likely means "no products";
	// reading it as "any product" would fail open.
	if c.Products.present && (!c.Products.valid || len(c.Products.values) == 0) {
		return errInvalidProducts
	}
	return nil
}

func (c *claims) principal() (Principal, error) {
	p := Principal{
		Subject:  c.Subject,
		Mobile:   c.Mobile.value,
		Scopes:   c.Scope.values,
		Products: c.Products.values,
	}
	if c.ExpiresAt != nil {
		p.ExpiresAt = c.ExpiresAt.Time
	}
	return p, nil
}

// stringList decodes a claim given either as a space-separated string or as
// an array of strings. Decoding never fails on a wrong JSON type: it records
// valid=false so that Validate reports which claim was wrong.
type stringList struct {
	present bool
	valid   bool
	values  []string
}

func (l *stringList) UnmarshalJSON(b []byte) error {
	l.present = true
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		l.valid = true
		if f := strings.Fields(s); len(f) > 0 {
			l.values = f
		}
		return nil
	}
	var a []string
	if err := json.Unmarshal(b, &a); err != nil || a == nil {
		l.valid = false
		return nil
	}
	l.valid = true
	for _, v := range a {
		if v == "" || strings.ContainsFunc(v, isSpace) {
			l.valid = false
			return nil
		}
		l.values = append(l.values, v)
	}
	return nil
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// optionalString decodes a string claim and records whether it was present
// at all, so that "mobile": "" or "mobile": null is an invalid binding rather
// than no binding.
type optionalString struct {
	present bool
	value   string
}

func (o *optionalString) UnmarshalJSON(b []byte) error {
	o.present = true
	if err := json.Unmarshal(b, &o.value); err != nil {
		o.value = ""
	}
	return nil
}
