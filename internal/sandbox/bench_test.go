package sandbox_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

func BenchmarkNewScale100k(b *testing.B) {
	for b.Loop() {
		sb, err := sandbox.New(sandbox.Config{Scale: 100_000})
		if err != nil {
			b.Fatal(err)
		}
		sb.Close()
	}
}

// BenchmarkHandler measures the simulator's own cost per call, without a network.
func BenchmarkHandler(b *testing.B) {
	sb, err := sandbox.New(sandbox.Config{Scale: 100_000})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	var k sandbox.ConsentInfo
	for _, c := range sb.Customers()[0].Consents {
		if c.Status == "ACTIVE" && c.FetchType == "PERIODIC" {
			k = c
			break
		}
	}
	h := sb.Handler()
	for _, bc := range []struct{ name, path, body string }{
		{"getfibalance", "/getfibalance", `{"consentID":"` + k.ConsentID + `"}`},
		{"getfidata-page100", "/getfidata?limit=100&offset=5000", `{"consentID":"` + k.ConsentID + `","linkReferenceNumber":"` + k.LinkRefs[0] + `"}`},
		{"consentlist", "/v1/accounts/getconsentslist", `{"mobileNumber":"9876543210","productID":"PFM_DASHBOARD"}`},
		{"getallfidata-all", "/getallfidata", `{"consentID":"` + k.ConsentID + `"}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, bc.path, strings.NewReader(bc.body))
				for k, v := range authHeaders() {
					req.Header[k] = []string{v}
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("%s = %d %s", bc.path, w.Code, w.Body)
				}
				io.Copy(io.Discard, w.Body)
			}
		})
	}
}
