package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// maxJWKSBytes bounds a JWKS response; real sets are a few KiB.
	maxJWKSBytes = 256 << 10
	// jwksFetchTimeout bounds a background fetch, whatever the HTTP client.
	jwksFetchTimeout = 30 * time.Second
)

// JWKS is a key source backed by a JWK Set URL. Keys are cached; a token with
// an unknown kid triggers a refresh, at most one per minInterval and one at a
// time (concurrent callers wait for the same fetch). A failed or garbled
// fetch keeps the cached keys.
type JWKS struct {
	url         string
	client      *http.Client
	minInterval time.Duration
	ttl         time.Duration
	now         func() time.Time
	logger      *slog.Logger

	mu          sync.Mutex
	keys        []jwk
	fetchedAt   time.Time     // last successful fetch; zero if none
	attemptedAt time.Time     // start of the last rate-limited fetch; zero if none
	inflight    chan struct{} // closed when the running fetch ends; nil if none
}

// jwk is one verification key of the set.
type jwk struct {
	kid string
	alg string
	key any
}

// JWKSOptions configure [NewJWKS]. Every field is required (internal/auth's
// Config sets the defaults).
type JWKSOptions struct {
	// URL is the JWK Set's address.
	URL string
	// Client fetches the set.
	Client *http.Client
	// MinInterval is the least time between two fetches a token's unknown
	// kid triggers.
	MinInterval time.Duration
	// TTL is how long a fetched set is fresh; a key of a stale set still
	// verifies while a refresh runs in the background.
	TTL time.Duration
	// Now returns the current time.
	Now func() time.Time
	// Logger receives fetch problems.
	Logger *slog.Logger
}

// NewJWKS returns a source for the set at o.URL; it fetches nothing before
// [JWKS.Start] or the first [JWKS.KeyFor].
func NewJWKS(o JWKSOptions) *JWKS {
	return &JWKS{
		url:         o.URL,
		client:      o.Client,
		minInterval: o.MinInterval,
		ttl:         o.TTL,
		now:         o.Now,
		logger:      o.Logger,
	}
}

// Start fetches the set once. A failure is logged and does not count against
// the refresh rate limit, so that the first token triggers a new attempt.
func (j *JWKS) Start(ctx context.Context) {
	keys, err := j.fetch(ctx)
	if err != nil {
		j.logger.WarnContext(ctx, "auth: JWKS fetch at start failed; will retry when a token needs a key", "err", err)
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.keys = keys
	j.fetchedAt = j.now()
	j.attemptedAt = j.fetchedAt
}

// lookup results.
const (
	keyFound = iota
	keyWrongAlg
	keyMissing
)

// lookupLocked finds the key for kid and alg. A token without a kid matches
// a set of exactly one key.
func (j *JWKS) lookupLocked(kid, alg string) (any, int) {
	var cands []jwk
	if kid == "" {
		if len(j.keys) != 1 {
			return nil, keyMissing
		}
		cands = j.keys
	} else {
		for _, k := range j.keys {
			if k.kid == kid {
				cands = append(cands, k)
			}
		}
	}
	if len(cands) == 0 {
		return nil, keyMissing
	}
	for _, k := range cands {
		if k.alg == alg {
			return k.key, keyFound
		}
	}
	return nil, keyWrongAlg
}

// KeyFor returns the key for kid and alg, fetching the set again (at most
// once per MinInterval, one fetch at a time) when kid is unknown or the set
// is stale. A token without a kid matches a set of exactly one key.
func (j *JWKS) KeyFor(ctx context.Context, kid, alg string) (any, error) {
	j.mu.Lock()
	k, st := j.lookupLocked(kid, alg)
	now := j.now()
	stale := j.fetchedAt.IsZero() || now.Sub(j.fetchedAt) >= j.ttl
	var wait <-chan struct{}
	switch {
	case st == keyMissing && kid == "" && len(j.keys) > 1:
		// A refresh cannot tell which key a kid-less token means.
	case st == keyMissing || stale:
		wait = j.refreshLocked(now)
	}
	j.mu.Unlock()

	switch st {
	case keyFound:
		return k, nil // if stale, the refresh runs in the background
	case keyWrongAlg:
		return nil, ErrAlgMismatch
	}
	if wait == nil {
		return nil, ErrUnknownKey
	}
	select {
	case <-wait:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	j.mu.Lock()
	k, st = j.lookupLocked(kid, alg)
	j.mu.Unlock()
	switch st {
	case keyFound:
		return k, nil
	case keyWrongAlg:
		return nil, ErrAlgMismatch
	default:
		return nil, ErrUnknownKey
	}
}

// refreshLocked starts a fetch unless one is running (it returns that one's
// channel) or the last one started less than minInterval ago (it returns nil).
func (j *JWKS) refreshLocked(now time.Time) <-chan struct{} {
	if j.inflight != nil {
		return j.inflight
	}
	if !j.attemptedAt.IsZero() && now.Sub(j.attemptedAt) < j.minInterval {
		return nil
	}
	j.attemptedAt = now
	done := make(chan struct{})
	j.inflight = done
	// The fetch is shared, so it must not die with the request that
	// started it; it has its own timeout instead.
	go j.refresh(done)
	return done
}

func (j *JWKS) refresh(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), jwksFetchTimeout)
	defer cancel()
	keys, err := j.fetch(ctx)
	j.mu.Lock()
	if err == nil {
		j.keys = keys
		j.fetchedAt = j.now()
	}
	cached := len(j.keys)
	j.inflight = nil
	j.mu.Unlock()
	close(done)
	if err != nil {
		j.logger.Warn("auth: JWKS refresh failed; keeping cached keys", "err", err, "cached_keys", cached)
	}
}

// fetch gets and parses the set.
func (j *JWKS) fetch(ctx context.Context) ([]jwk, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := j.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read JWKS: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("JWKS larger than %d bytes", maxJWKSBytes)
	}
	keys, skipped, err := parseJWKS(body)
	if err != nil {
		return nil, err
	}
	if skipped > 0 {
		j.logger.DebugContext(ctx, "auth: JWKS keys skipped", "skipped", skipped, "usable", len(keys))
	}
	return keys, nil
}

// parseJWKS returns the usable verification keys of a JWK Set and how many
// it skipped (unsupported types, other uses, weak or malformed keys). A set
// without a usable key is an error, so that garbage never replaces good keys.
func parseJWKS(b []byte) (keys []jwk, skipped int, err error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, 0, fmt.Errorf("decode JWKS: %w", err)
	}
	for _, raw := range set.Keys {
		k, err := parseJWK(raw)
		if err != nil {
			skipped++
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, skipped, fmt.Errorf("JWKS has no usable key (%d skipped)", skipped)
	}
	return keys, skipped, nil
}

// rawJWK holds the JWK members we read (RFC 7517, RFC 7518 section 6,
// RFC 8037).
type rawJWK struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Alg    string   `json:"alg"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Crv    string   `json:"crv"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
	D      string   `json:"d"`
}

// parseJWK turns one JWK into a key and the one algorithm it verifies. Only
// RSA, EC P-256 and OKP Ed25519 public keys for signatures are accepted;
// symmetric ("oct") keys never are.
func parseJWK(raw json.RawMessage) (jwk, error) {
	var r rawJWK
	if err := json.Unmarshal(raw, &r); err != nil {
		return jwk{}, err
	}
	if r.D != "" {
		return jwk{}, errors.New("private key material in JWKS")
	}
	if r.Use != "" && r.Use != "sig" {
		return jwk{}, fmt.Errorf("use %q", r.Use)
	}
	if r.KeyOps != nil && !slices.Contains(r.KeyOps, "verify") {
		return jwk{}, errors.New("key_ops lacks verify")
	}
	var (
		key  any
		alg  string
		algs []string // JWK alg values allowed for this key type
	)
	switch r.Kty {
	case "RSA":
		n, err1 := b64(r.N)
		e, err2 := b64(r.E)
		if err := errors.Join(err1, err2); err != nil {
			return jwk{}, err
		}
		if len(e) == 0 || len(e) > 4 {
			return jwk{}, errors.New("bad RSA exponent")
		}
		exp := int(new(big.Int).SetBytes(e).Int64())
		if exp < 3 || exp%2 == 0 {
			return jwk{}, errors.New("bad RSA exponent")
		}
		key = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp}
		alg, algs = jwt.SigningMethodRS256.Alg(), []string{"RS256"}
	case "EC":
		if r.Crv != "P-256" {
			return jwk{}, fmt.Errorf("curve %q", r.Crv)
		}
		x, err1 := b64(r.X)
		y, err2 := b64(r.Y)
		if err := errors.Join(err1, err2); err != nil {
			return jwk{}, err
		}
		if len(x) != 32 || len(y) != 32 {
			return jwk{}, errors.New("bad P-256 coordinates")
		}
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), slices.Concat([]byte{4}, x, y))
		if err != nil {
			return jwk{}, err
		}
		key = pk
		alg, algs = jwt.SigningMethodES256.Alg(), []string{"ES256"}
	case "OKP":
		if r.Crv != "Ed25519" {
			return jwk{}, fmt.Errorf("curve %q", r.Crv)
		}
		x, err := b64(r.X)
		if err != nil {
			return jwk{}, err
		}
		if len(x) != ed25519.PublicKeySize {
			return jwk{}, errors.New("bad Ed25519 key size")
		}
		key = ed25519.PublicKey(x)
		// "Ed25519" is the fully specified name of RFC 9864.
		alg, algs = jwt.SigningMethodEdDSA.Alg(), []string{"EdDSA", "Ed25519"}
	default:
		return jwk{}, fmt.Errorf("kty %q", r.Kty)
	}
	if r.Alg != "" && !slices.Contains(algs, r.Alg) {
		return jwk{}, fmt.Errorf("alg %q", r.Alg)
	}
	// Reuse the PEM checks (RSA size) so both sources refuse the same keys.
	if _, err := algForKey(key); err != nil {
		return jwk{}, err
	}
	return jwk{kid: r.Kid, alg: alg, key: key}, nil
}

// b64 decodes base64url, with or without padding.
func b64(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty member")
	}
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
