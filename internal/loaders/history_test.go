package loaders_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// historyFinPro answers getallfidata with one account per consent and
// records each call's consent and date range.
type historyFinPro struct {
	mu    sync.Mutex
	calls []string
}

func (f *historyFinPro) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		ConsentID string `json:"consentID"`
		Start     string `json:"transactionsStartDate"`
		End       string `json:"transactionsEndDate"`
	}
	json.Unmarshal(body, &req)
	f.mu.Lock()
	f.calls = append(f.calls, req.ConsentID+" "+req.Start+" "+req.End)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ver":"1.21.0","status":"success","data":[{"linkReferenceNumber":"`+req.ConsentID+`-a","fiType":"DEPOSIT","Transactions":{"Transaction":[]}}]}`)
}

func TestAccountHistoryOnceAConsent(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, time.FixedZone("IST", 19800))
		return d
	}
	synctest.Test(t, func(t *testing.T) {
		f := &historyFinPro{}
		c, err := finpro.New(finpro.Options{BaseURL: "http://finpro.test", HTTPClient: &http.Client{Transport: memTransport{f}}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := loaders.With(context.Background(), loaders.New(c))
		load := func(consent, from, to string) error {
			_, err := loaders.AccountHistory(ctx, consent, consent+"-a", day(from), day(to))
			return err
		}
		// Sibling fields: two ranges of c1 and one of c2 at once.
		var wg sync.WaitGroup
		for _, q := range [][3]string{{"c1", "2026-01-01", "2026-03-31"}, {"c1", "2025-11-01", "2026-02-28"}, {"c2", "2026-01-01", "2026-01-31"}} {
			wg.Go(func() {
				if err := load(q[0], q[1], q[2]); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		// A range inside what c1's call read, then one outside it.
		if err := load("c1", "2026-02-01", "2026-02-28"); err != nil {
			t.Fatal(err)
		}
		if err := load("c1", "2026-04-01", "2026-04-30"); err != nil {
			t.Fatal(err)
		}
		// The days are IST; the call asks a day more on each side.
		want := []string{
			"c1 2025-10-30T18:30:00.000Z 2026-04-01T18:29:59.999Z",
			"c2 2025-12-30T18:30:00.000Z 2026-02-01T18:29:59.999Z",
			"c1 2026-03-30T18:30:00.000Z 2026-05-01T18:29:59.999Z",
		}
		f.mu.Lock()
		got := f.calls
		f.mu.Unlock()
		if len(got) >= 2 {
			slices.Sort(got[:2]) // one batch: its consents' calls in any order
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("getallfidata calls (-want +got):\n%s", diff)
		}
		if _, err := loaders.AccountHistory(ctx, "c1", "other", day("2026-02-01"), day("2026-02-02")); !errors.Is(err, finpro.ErrNotFound) {
			t.Errorf("an account the answer does not list: %v, want ErrNotFound", err)
		}
	})
}
