package finpro_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// TestAllFIDataBetween reads one month of the demo PERIODIC consent with
// getallfidata's date range and checks it against the full data: exactly the
// month's transactions of every account, and no raw copy kept.
func TestAllFIDataBetween(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
	k := demoConsents(t, c)["ACTIVE/PERIODIC"]
	all, err := c.AllFIData(t.Context(), k.ConsentID)
	if err != nil {
		t.Fatal(err)
	}
	ist := time.FixedZone("IST", 19800)
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, ist)
	to := time.Date(2026, 7, 1, 0, 0, 0, 0, ist).Add(-time.Millisecond)
	sb.ResetStats()
	month, err := c.AllFIDataBetween(t.Context(), k.ConsentID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if n := sb.Stats()["/getallfidata"]; n != 1 {
		t.Errorf("getallfidata calls = %d, want 1", n)
	}
	if len(month) != len(all) {
		t.Fatalf("%d accounts, want %d", len(month), len(all))
	}
	for i, a := range month {
		var want []string
		for _, x := range all[i].Transactions {
			if d := x.TransactionTimestamp.In(ist).Format(time.DateOnly); d >= "2026-06-01" && d <= "2026-06-30" {
				want = append(want, x.TxnID)
			}
		}
		var got []string
		for _, x := range a.Transactions {
			got = append(got, x.TxnID)
		}
		if len(got) != len(want) || (len(got) > 0 && (got[0] != want[0] || got[len(got)-1] != want[len(want)-1])) {
			t.Errorf("account %s: %d transactions %v..., want %d", a.LinkReferenceNumber, len(got), got[:min(3, len(got))], len(want))
		}
		if a.Raw != nil || a.Summary == nil {
			t.Errorf("account %s: Raw kept %v, Summary %v", a.LinkReferenceNumber, a.Raw != nil, a.Summary)
		}
	}
	sb.ResetStats()
	if _, err := c.AllFIDataBetween(t.Context(), k.ConsentID, to, from); !errors.Is(err, finpro.ErrInvalidRequest) {
		t.Errorf("reversed range: error = %v, want ErrInvalidRequest", err)
	}
	if n := sb.Stats()["/getallfidata"]; n != 0 {
		t.Errorf("reversed range made %d calls", n)
	}
}

// TestAllFIDataBetweenShapes checks the tolerant fallback: data as one
// object and a single Transaction as an object still decode.
func TestAllFIDataBetweenShapes(t *testing.T) {
	for name, body := range map[string]string{
		"usual":          `{"status":"success","data":[{"linkReferenceNumber":"l1","fiType":"DEPOSIT","Transactions":{"Transaction":[{"txnId":"t1","type":"CREDIT","amount":"1.00"}]}}]}`,
		"one object":     `{"status":"success","data":{"linkReferenceNumber":"l1","fiType":"DEPOSIT","Transactions":{"Transaction":[{"txnId":"t1","type":"CREDIT","amount":"1.00"}]}}}`,
		"one txn object": `{"status":"success","data":[{"linkReferenceNumber":"l1","fiType":"DEPOSIT","Transactions":{"Transaction":{"txnId":"t1","type":"CREDIT","amount":1.00}}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, body)
			}))
			defer srv.Close()
			c, err := finpro.New(finpro.Options{BaseURL: srv.URL, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			accs, err := c.AllFIDataBetween(t.Context(), "c1", time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(accs) != 1 || accs[0].LinkReferenceNumber != "l1" || len(accs[0].Transactions) != 1 || accs[0].Transactions[0].TxnID != "t1" {
				t.Errorf("accounts %+v, want l1 with t1", accs)
			}
		})
	}
}
