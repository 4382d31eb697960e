package loaders_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// memTransport serves requests with h in memory, so the loaders' batching can
// run inside a synctest bubble.
type memTransport struct{ h http.Handler }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// fakeFinPro answers getfibalance for any consent with two accounts and counts
// calls per consent.
func fakeFinPro(calls *sync.Map) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ConsentID string `json:"consentID"`
		}
		json.Unmarshal(body, &req)
		n, _ := calls.LoadOrStore(r.URL.Path+" "+req.ConsentID, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ver":"1.21.0","status":"success","data":[
			{"linkReferenceNumber":"`+req.ConsentID+`-a","balance":"1.10"},
			{"linkReferenceNumber":"`+req.ConsentID+`-b","balance":"2.20"}]}`)
	})
}

// withFakeLoaders returns a context with fresh loaders over fakeFinPro.
func withFakeLoaders(t *testing.T, calls *sync.Map) context.Context {
	t.Helper()
	c, err := finpro.New(finpro.Options{BaseURL: "http://finpro.test", HTTPClient: &http.Client{Transport: memTransport{fakeFinPro(calls)}}})
	if err != nil {
		t.Fatal(err)
	}
	return loaders.With(context.Background(), loaders.New(c))
}

func TestBalancesBatchPerConsent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls sync.Map
		ctx := withFakeLoaders(t, &calls)
		var wg sync.WaitGroup
		for _, consent := range []string{"c1", "c2"} {
			for _, acct := range []string{"a", "b", "a"} {
				wg.Go(func() {
					b, err := loaders.Balance(ctx, consent, consent+"-"+acct)
					if err != nil {
						t.Errorf("Balance(%s, %s): %v", consent, acct, err)
						return
					}
					if want := map[string]finpro.Decimal{"a": "1.10", "b": "2.20"}[acct]; b.Balance != want {
						t.Errorf("Balance(%s, %s) = %s, want %s", consent, acct, b.Balance, want)
					}
				})
			}
		}
		wg.Wait()
		for _, consent := range []string{"c1", "c2"} {
			n, _ := calls.Load("/getfibalance " + consent)
			if n == nil || n.(*atomic.Int64).Load() != 1 {
				t.Errorf("getfibalance calls for %s = %v, want 1", consent, n)
			}
		}
		if _, err := loaders.Balance(ctx, "c1", "missing"); err == nil {
			t.Error("Balance of an unlisted account = nil error, want not found")
		}
	})
}

// TestLoadDoesNotWait checks that a load calls FinPro at once: there is no
// batch window to wait out (inside the synctest bubble, any timer would move
// the clock).
func TestLoadDoesNotWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls sync.Map
		ctx := withFakeLoaders(t, &calls)
		start := time.Now()
		if _, err := loaders.Balances(ctx, "c1"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("Balances took %v of the bubble's clock, want 0 (no batch window)", d)
		}
	})
}

func TestForPanicsWithoutLoaders(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "AroundOperations") {
			t.Errorf("For(ctx) panic = %q, want it to name AroundOperations", msg)
		}
	}()
	loaders.For(context.Background())
}

// TestConsentByRefBatches checks that concurrent lookups of one operation
// share /v3/getconsentslist calls: one per kind of reference, with every
// reference of the batch in it, and that an unknown reference is not found.
func TestConsentByRefBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu     sync.Mutex
			bodies []string
		)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, string(body))
			mu.Unlock()
			var req struct {
				Handles []string `json:"consentHandle"`
				IDs     []string `json:"consentID"`
			}
			json.Unmarshal(body, &req)
			var rows []string
			for _, h := range req.Handles {
				if h != "unknown" {
					rows = append(rows, `{"consentHandle":"`+h+`","consentID":"id-`+h+`","status":"ACTIVE","productID":"P"}`)
				}
			}
			for _, id := range req.IDs {
				rows = append(rows, `{"consentHandle":"h-`+id+`","consentID":"`+id+`","status":"ACTIVE","productID":"P"}`)
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ver":"1.21.0","status":"success","data":[`+strings.Join(rows, ",")+`]}`)
		})
		c, err := finpro.New(finpro.Options{BaseURL: "http://finpro.test", HTTPClient: &http.Client{Transport: memTransport{h}}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := loaders.With(context.Background(), loaders.New(c))
		refs := []loaders.ConsentRef{{Handle: "h1"}, {Handle: "h2"}, {ConsentID: "c3"}, {Handle: "unknown"}, {Handle: "h1"}}
		got := make([]*finpro.Consent, len(refs))
		errs := make([]error, len(refs))
		var wg sync.WaitGroup
		for i, r := range refs {
			wg.Go(func() { got[i], errs[i] = loaders.ConsentByRef(ctx, r) })
		}
		wg.Wait()
		if len(bodies) != 2 {
			t.Fatalf("lookup calls = %d (%q), want 2 (one by handle, one by consent ID)", len(bodies), bodies)
		}
		for i, r := range refs {
			switch {
			case r.Handle == "unknown":
				if !errors.Is(errs[i], finpro.ErrNotFound) {
					t.Errorf("ConsentByRef(%+v) error = %v, want not found", r, errs[i])
				}
			case errs[i] != nil:
				t.Errorf("ConsentByRef(%+v) error = %v", r, errs[i])
			case r.Handle != "" && got[i].ConsentHandle != r.Handle, r.ConsentID != "" && got[i].ConsentID != r.ConsentID:
				t.Errorf("ConsentByRef(%+v) = %+v, want that consent", r, got[i])
			}
		}
	})
}
