package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// jwksServer is a JWKS endpoint whose answer the test changes, and which
// counts the requests it gets.
type jwksServer struct {
	URL  string
	hits atomic.Int64

	mu     sync.Mutex
	status int
	body   []byte
}

// newJWKSServer serves a jwksServer over real HTTP on 127.0.0.1.
func newJWKSServer(t *testing.T, keys ...map[string]any) *jwksServer {
	t.Helper()
	s := newJWKSHandler(keys...)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// newJWKSHandler returns a jwksServer that only [jwksServer.client] reaches,
// in memory: no socket, so a synctest bubble sees every goroutine of a fetch.
func newJWKSHandler(keys ...map[string]any) *jwksServer {
	s := &jwksServer{URL: "https://jwks.test/.well-known/jwks.json"}
	s.set(http.StatusOK, jwksBody(keys...))
	return s
}

func (s *jwksServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	s.mu.Lock()
	status, body := s.status, s.body
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// client is an HTTP client whose every request s answers in memory.
func (s *jwksServer) client() *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec.Result(), nil
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func (s *jwksServer) set(status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}

func jwksBody(keys ...map[string]any) []byte {
	if keys == nil {
		keys = []map[string]any{}
	}
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return b
}

var b64u = base64.RawURLEncoding.EncodeToString

func rsaJWK(kid string, k *rsa.PublicKey) map[string]any {
	return map[string]any{
		"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": b64u(k.N.Bytes()), "e": b64u(big.NewInt(int64(k.E)).Bytes()),
	}
}

func ecJWK(kid string, k *ecdsa.PublicKey) map[string]any {
	b, err := k.Bytes() // 0x04 || X || Y
	if err != nil {
		panic(err)
	}
	return map[string]any{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64u(b[1:33]), "y": b64u(b[33:])}
}

func edJWK(kid string, k ed25519.PublicKey) map[string]any {
	return map[string]any{"kty": "OKP", "kid": kid, "crv": "Ed25519", "alg": "EdDSA", "x": b64u(k)}
}

// with returns a copy of m with edits applied (nil deletes).
func with(m map[string]any, edits map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for k, v := range edits {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func jwksVerifier(t *testing.T, url string, clk *clock) *auth.Verifier {
	t.Helper()
	return newVerifier(t, auth.Config{
		JWKSURL:                url,
		JWKSRefreshMinInterval: time.Minute,
		JWKSCacheTTL:           time.Hour,
	}, clk)
}

func rsaToken(t testing.TB, kid string) string {
	return sign(t, jwt.SigningMethodRS256, rsaKey(), kid, claims(t0, nil))
}

func TestJWKSVerify(t *testing.T) {
	srv := newJWKSServer(t,
		rsaJWK("r1", &rsaKey().PublicKey),
		ecJWK("e1", &ecKey().PublicKey),
		edJWK("d1", edKey().Public().(ed25519.PublicKey)),
		map[string]any{"kty": "oct", "kid": "h1", "k": b64u(testSecret)}, // never used
	)
	clk := newClock()
	v := jwksVerifier(t, srv.URL, clk)
	c := claims(t0, nil)
	tests := []struct {
		name  string
		token string
		want  string
	}{
		{"RS256", sign(t, jwt.SigningMethodRS256, rsaKey(), "r1", c), ""},
		{"ES256", sign(t, jwt.SigningMethodES256, ecKey(), "e1", c), ""},
		{"EdDSA", sign(t, jwt.SigningMethodEdDSA, edKey(), "d1", c), ""},
		{"RS256 under the EC kid", sign(t, jwt.SigningMethodRS256, rsaKey(), "e1", c), auth.ReasonAlgorithm},
		{"ES256 with another key under its kid", sign(t, jwt.SigningMethodES256, otherECKey(), "e1", c), auth.ReasonSignature},
		{"HS256 under the oct kid", sign(t, jwt.SigningMethodHS256, testSecret, "h1", c), auth.ReasonAlgorithm},
		{"HS256 with the RSA JWK as secret", hmacToken(t, map[string]any{"alg": "HS256", "kid": "r1"}, c, jwksBody(rsaJWK("r1", &rsaKey().PublicKey))), auth.ReasonAlgorithm},
		{"alg none", rawToken(t, map[string]any{"alg": "none", "kid": "r1"}, c, nil), auth.ReasonAlgorithm},
		{"no kid, several keys", sign(t, jwt.SigningMethodRS256, rsaKey(), "", c), auth.ReasonUnknownKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Verify(t.Context(), tc.token)
			checkErr(t, "Verify("+desc(tc.token)+")", err, tc.want)
		})
	}
	// Kid-less tokens never cause a fetch; the tokens above with known kids
	// needed none either.
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("JWKS fetches = %d, want 1 (at start)", got)
	}
}

func TestJWKSNoKidSingleKey(t *testing.T) {
	srv := newJWKSServer(t, edJWK("", edKey().Public().(ed25519.PublicKey)))
	v := jwksVerifier(t, srv.URL, newClock())
	tok := sign(t, jwt.SigningMethodEdDSA, edKey(), "", claims(t0, nil))
	_, err := v.Verify(t.Context(), tok)
	checkErr(t, "Verify(kid-less EdDSA)", err, "")
}

// TestJWKSParse serves one JWK per case and checks whether a matching token
// verifies (the key was accepted) or not (it was skipped).
func TestJWKSParse(t *testing.T) {
	rsaPub := &rsaKey().PublicKey
	ecPub := &ecKey().PublicKey
	edPub := edKey().Public().(ed25519.PublicKey)
	weak := mustRSA(t, 1024)
	rsaTok := sign(t, jwt.SigningMethodRS256, rsaKey(), "k", claims(t0, nil))
	weakTok := sign(t, jwt.SigningMethodRS256, weak, "k", claims(t0, nil))
	ecTok := sign(t, jwt.SigningMethodES256, ecKey(), "k", claims(t0, nil))
	edTok := sign(t, jwt.SigningMethodEdDSA, edKey(), "k", claims(t0, nil))
	offCurve := ecJWK("k", ecPub)
	offCurve["y"] = b64u(make([]byte, 32))

	tests := []struct {
		name  string
		jwk   map[string]any
		token string
		want  string
	}{
		{"RSA", rsaJWK("k", rsaPub), rsaTok, ""},
		{"RSA without alg or use", with(rsaJWK("k", rsaPub), map[string]any{"alg": nil, "use": nil}), rsaTok, ""},
		{"RSA padded base64", with(rsaJWK("k", rsaPub), map[string]any{"e": "AQAB=", "n": b64u(rsaPub.N.Bytes()) + "=="}), rsaTok, ""},
		{"RSA key_ops verify", with(rsaJWK("k", rsaPub), map[string]any{"key_ops": []string{"verify"}}), rsaTok, ""},
		{"RSA alg RS384", with(rsaJWK("k", rsaPub), map[string]any{"alg": "RS384"}), rsaTok, auth.ReasonUnknownKey},
		{"RSA alg HS256", with(rsaJWK("k", rsaPub), map[string]any{"alg": "HS256"}), rsaTok, auth.ReasonUnknownKey},
		{"RSA use enc", with(rsaJWK("k", rsaPub), map[string]any{"use": "enc"}), rsaTok, auth.ReasonUnknownKey},
		{"RSA key_ops sign only", with(rsaJWK("k", rsaPub), map[string]any{"key_ops": []string{"sign"}}), rsaTok, auth.ReasonUnknownKey},
		{"RSA with private exponent", with(rsaJWK("k", rsaPub), map[string]any{"d": "AQAB"}), rsaTok, auth.ReasonUnknownKey},
		{"RSA 1024 bits", rsaJWK("k", &weak.PublicKey), weakTok, auth.ReasonUnknownKey},
		{"RSA exponent 1", with(rsaJWK("k", rsaPub), map[string]any{"e": "AQ"}), rsaTok, auth.ReasonUnknownKey},
		{"RSA no modulus", with(rsaJWK("k", rsaPub), map[string]any{"n": nil}), rsaTok, auth.ReasonUnknownKey},
		{"EC", ecJWK("k", ecPub), ecTok, ""},
		{"EC alg ES256", with(ecJWK("k", ecPub), map[string]any{"alg": "ES256"}), ecTok, ""},
		{"EC alg ES384", with(ecJWK("k", ecPub), map[string]any{"alg": "ES384"}), ecTok, auth.ReasonUnknownKey},
		{"EC curve P-384", with(ecJWK("k", ecPub), map[string]any{"crv": "P-384"}), ecTok, auth.ReasonUnknownKey},
		{"EC point off the curve", offCurve, ecTok, auth.ReasonUnknownKey},
		{"EC short x", with(ecJWK("k", ecPub), map[string]any{"x": b64u(make([]byte, 31))}), ecTok, auth.ReasonUnknownKey},
		{"Ed25519", edJWK("k", edPub), edTok, ""},
		{"Ed25519 alg Ed25519", with(edJWK("k", edPub), map[string]any{"alg": "Ed25519"}), edTok, ""},
		{"OKP X25519", with(edJWK("k", edPub), map[string]any{"crv": "X25519", "alg": nil}), edTok, auth.ReasonUnknownKey},
		{"Ed25519 short x", with(edJWK("k", edPub), map[string]any{"x": b64u(edPub[:31])}), edTok, auth.ReasonUnknownKey},
		{"unknown kty", map[string]any{"kty": "XYZ", "kid": "k"}, rsaTok, auth.ReasonUnknownKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A second, valid key keeps the set usable, so the case's key
			// alone decides.
			srv := newJWKSServer(t, tc.jwk, edJWK("other", edPub))
			v := jwksVerifier(t, srv.URL, newClock())
			_, err := v.Verify(t.Context(), tc.token)
			checkErr(t, "Verify("+desc(tc.token)+")", err, tc.want)
		})
	}
}

// TestJWKSUnknownKidFlood checks that tokens with unknown kids cause at most
// one fetch per refresh interval, however many arrive at once.
func TestJWKSUnknownKidFlood(t *testing.T) {
	srv := newJWKSServer(t, rsaJWK("r1", &rsaKey().PublicKey))
	clk := newClock()
	v := jwksVerifier(t, srv.URL, clk)
	if got := srv.hits.Load(); got != 1 {
		t.Fatalf("JWKS fetches after start = %d, want 1", got)
	}
	var toks []string
	for i := range 64 {
		toks = append(toks, rsaToken(t, fmt.Sprintf("unknown-%d", i)))
	}
	flood := func() {
		t.Helper()
		var wg sync.WaitGroup
		for _, tok := range toks {
			wg.Go(func() {
				_, err := v.Verify(t.Context(), tok)
				checkErr(t, "Verify(unknown kid)", err, auth.ReasonUnknownKey)
			})
		}
		wg.Wait()
	}

	flood() // within the interval of the start fetch: no fetch
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("JWKS fetches after a flood within the interval = %d, want 1", got)
	}
	clk.Advance(time.Minute)
	flood() // a new interval: exactly one shared fetch
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("JWKS fetches after a flood in the next interval = %d, want 2", got)
	}
	clk.Advance(59 * time.Second)
	flood()
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("JWKS fetches after a flood 59s later = %d, want 2", got)
	}
	// The known key kept working throughout.
	if _, err := v.Verify(t.Context(), rsaToken(t, "r1")); err != nil {
		t.Errorf("Verify(known kid) error = %v, want nil", err)
	}
}

// TestJWKSRotation checks that a key added to the set is picked up by the
// first token that needs it once the interval allows a fetch.
func TestJWKSRotation(t *testing.T) {
	srv := newJWKSServer(t, ecJWK("e1", &ecKey().PublicKey))
	clk := newClock()
	v := jwksVerifier(t, srv.URL, clk)
	srv.set(http.StatusOK, jwksBody(ecJWK("e1", &ecKey().PublicKey), rsaJWK("r2", &rsaKey().PublicKey)))
	tok := rsaToken(t, "r2")

	_, err := v.Verify(t.Context(), tok)
	checkErr(t, "Verify(new kid, within interval)", err, auth.ReasonUnknownKey)
	clk.Advance(time.Minute)
	_, err = v.Verify(t.Context(), tok)
	checkErr(t, "Verify(new kid, after interval)", err, "")
	_, err = v.Verify(t.Context(), tok)
	checkErr(t, "Verify(new kid, cached)", err, "")
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("JWKS fetches = %d, want 2", got)
	}
}

// TestJWKSKeepsCachedKeys checks that a failing or garbled JWKS endpoint
// never removes keys that were fetched before.
func TestJWKSKeepsCachedKeys(t *testing.T) {
	huge := `{"keys":[` + strings.Repeat(`{"kty":"oct","k":"AAAA"},`, 20000) + `{"kty":"oct","k":"AAAA"}]}`
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"down", http.StatusServiceUnavailable, `{"keys":[]}`},
		{"not found", http.StatusNotFound, ""},
		{"not JSON", http.StatusOK, "<html>oops</html>"},
		{"empty set", http.StatusOK, `{"keys":[]}`},
		{"no keys member", http.StatusOK, `{}`},
		{"only unusable keys", http.StatusOK, `{"keys":[{"kty":"oct","kid":"r1","k":"AAAA"}]}`},
		{"too large", http.StatusOK, huge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newJWKSServer(t, rsaJWK("r1", &rsaKey().PublicKey))
			clk := newClock()
			v := jwksVerifier(t, srv.URL, clk)
			srv.set(tc.status, []byte(tc.body))

			// An unknown kid forces a (failing) fetch in the next interval.
			clk.Advance(time.Minute)
			_, err := v.Verify(t.Context(), rsaToken(t, "r9"))
			checkErr(t, "Verify(unknown kid)", err, auth.ReasonUnknownKey)
			if got := srv.hits.Load(); got != 2 {
				t.Errorf("JWKS fetches = %d, want 2", got)
			}
			_, err = v.Verify(t.Context(), rsaToken(t, "r1"))
			checkErr(t, "Verify(cached kid)", err, "")
		})
	}
}

// TestJWKSStaleRefreshInBackground checks that keys older than the cache TTL
// keep verifying while a refresh runs, and are kept when it fails.
func TestJWKSStaleRefreshInBackground(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newJWKSHandler(rsaJWK("r1", &rsaKey().PublicKey))
		clk := newClock()
		v := newVerifier(t, auth.Config{
			JWKSURL:                srv.URL,
			HTTPClient:             srv.client(),
			JWKSRefreshMinInterval: time.Minute,
			JWKSCacheTTL:           time.Hour,
		}, clk)
		srv.set(http.StatusInternalServerError, nil)
		clk.Advance(2 * time.Hour)
		tok := sign(t, jwt.SigningMethodRS256, rsaKey(), "r1", claims(clk.Now(), nil))

		_, err := v.Verify(t.Context(), tok)
		checkErr(t, "Verify(stale cached kid)", err, "")
		synctest.Wait() // the background refresh has run (and failed)
		if got := srv.hits.Load(); got != 2 {
			t.Fatalf("JWKS fetches after the stale read = %d, want 2 (start, background refresh)", got)
		}
		_, err = v.Verify(t.Context(), tok)
		checkErr(t, "Verify(stale cached kid after failed refresh)", err, "")
		synctest.Wait()
		if got := srv.hits.Load(); got != 2 {
			t.Errorf("JWKS fetches = %d, want 2 (refresh rate-limited)", got)
		}
	})
}

// TestJWKSStartFails checks that a verifier starts while the JWKS endpoint
// is down, and that the first token needing a key fetches again at once.
func TestJWKSStartFails(t *testing.T) {
	srv := newJWKSServer(t)
	srv.set(http.StatusBadGateway, nil)
	clk := newClock()
	v := jwksVerifier(t, srv.URL, clk)
	srv.set(http.StatusOK, jwksBody(rsaJWK("r1", &rsaKey().PublicKey)))

	_, err := v.Verify(t.Context(), rsaToken(t, "r1"))
	checkErr(t, "Verify(after failed start)", err, "")
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("JWKS fetches = %d, want 2", got)
	}
}

// TestJWKSWaitHonoursContext checks that a caller waiting for a fetch gives
// up when its context ends.
func TestJWKSWaitHonoursContext(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) > 1 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		_, _ = w.Write(jwksBody(rsaJWK("r1", &rsaKey().PublicKey)))
	}))
	defer srv.Close()
	defer close(release)
	clk := newClock()
	v := jwksVerifier(t, srv.URL, clk)
	clk.Advance(time.Minute)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := v.Verify(ctx, rsaToken(t, "r9"))
	if !errors.Is(err, context.Canceled) || !errors.Is(err, auth.ErrInvalidToken) {
		t.Errorf("Verify(canceled ctx, unknown kid) error = %v, want ErrInvalidToken wrapping context.Canceled", err)
	}
}
