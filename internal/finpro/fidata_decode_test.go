package finpro_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// TestDecodeFIDataShapes: getfidata's body decodes the same whether it takes
// the one-pass path (rows in fiData[] or Transactions.Transaction[]) or the
// tolerant one (a single Transaction object, the docs' transactions[]
// placeholder), and rows keep their bytes exactly for every FI type but
// DEPOSIT. The expected rows and bytes are the inputs themselves.
func TestDecodeFIDataShapes(t *testing.T) {
	mf1 := `{"txnId":"M1","amount":"100.00","units":"3.5","nav":"28.57","isin":"INF123"}`
	mf2 := `{"txnId":"M2","amount":"50.00", "units" : "1.75"}`
	shapes := []struct {
		name  string
		rows  func(a, b string) string
		nrows int
	}{
		{"fiData", func(a, b string) string { return `"fiData":[` + a + `,` + b + `]` }, 2},
		{"Transactions.Transaction[]", func(a, b string) string {
			return `"Transactions":{"startDate":"2024-01-01","Transaction":[` + a + `,` + b + `]}`
		}, 2},
		{"Transactions.Transaction{}", func(a, _ string) string { return `"Transactions":{"Transaction":` + a + `}` }, 1},
		{"transactions[] placeholder", func(a, b string) string { return `"transactions":[` + a + `,` + b + `]` }, 2},
	}
	for _, sh := range shapes {
		for _, ft := range []struct {
			fiType string
			a, b   string
			ids    []string
			keep   bool
		}{
			{"DEPOSIT", tx1, tx2, []string{"S1", "S2"}, false},
			{"MUTUAL_FUNDS", mf1, mf2, []string{"M1", "M2"}, true},
		} {
			t.Run(sh.name+"/"+ft.fiType, func(t *testing.T) {
				body := okBody(`{"linkReferenceNumber":"lr-1","fiType":"` + ft.fiType + `",` + sh.rows(ft.a, ft.b) + `}`)
				got, err := finpro.DecodeFIData([]byte(body), finpro.FIDataRequest{})
				if err != nil {
					t.Fatalf("DecodeFIData() error = %v", err)
				}
				if got.FIType != finpro.FIType(ft.fiType) || got.LinkReferenceNumber != "lr-1" {
					t.Errorf("DecodeFIData() = %s %s, want %s lr-1", got.FIType, got.LinkReferenceNumber, ft.fiType)
				}
				if len(got.Transactions) != sh.nrows {
					t.Fatalf("DecodeFIData() = %d rows, want %d", len(got.Transactions), sh.nrows)
				}
				raws := []string{ft.a, ft.b}
				for i, tx := range got.Transactions {
					if tx.TxnID != ft.ids[i] {
						t.Errorf("row %d txnId = %q, want %q", i, tx.TxnID, ft.ids[i])
					}
					switch {
					case !ft.keep && tx.Raw != nil:
						t.Errorf("row %d of a deposit kept its bytes", i)
					case ft.keep && string(tx.Raw) != raws[i]:
						t.Errorf("row %d Raw = %s, want %s", i, tx.Raw, raws[i])
					}
				}
			})
		}
	}
}

// TestDecodeFIDataRejects: a body that does not decode is an error on
// either path, never a partial account.
func TestDecodeFIDataRejects(t *testing.T) {
	for name, data := range map[string]string{
		"bad amount in fiData":         `{"fiType":"DEPOSIT","fiData":[{"txnId":"S1","amount":"12,50"}]}`,
		"bad amount, single object":    `{"fiType":"DEPOSIT","Transactions":{"Transaction":{"txnId":"S1","amount":"NaN"}}}`,
		"rows are a string":            `{"fiType":"DEPOSIT","Transactions":{"Transaction":"S1"}}`,
		"bad timestamp in Transaction": `{"fiType":"DEPOSIT","Transactions":{"Transaction":[{"txnId":"S1","transactionTimestamp":"yesterday"}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := finpro.DecodeFIData([]byte(okBody(data)), finpro.FIDataRequest{})
			if err == nil {
				t.Fatalf("DecodeFIData() = %+v, want an error", got)
			}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				t.Errorf("DecodeFIData() error = %v, a syntax error for valid JSON", err)
			}
		})
	}
}
