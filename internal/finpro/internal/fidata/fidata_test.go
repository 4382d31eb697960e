package fidata

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// Two deposit rows of getfidata, and the envelope of a successful answer.
const (
	tx1 = `{"txnId":"S1","type":"CREDIT","mode":"UPI","amount":"25591.00","currentBalance":"25591.00","transactionTimestamp":"2024-10-01T10:12:45+05:30","valueDate":"2024-10-01","narration":"UPI/427512345678/SALARY","reference":"427512345678"}`
	tx2 = `{"txnId":"S2","type":"DEBIT","mode":"FT","amount":"20000.00","currentBalance":"5591.00","transactionTimestamp":"2024-10-03 23:30:00","valueDate":"2024-10-03","narration":"IB FUNDS TRANSFER","reference":""}`
)

func okBody(data string) string {
	return `{"ver":"1.21.0","status":"success","data":` + data + `,"timestamp":"2024-10-04T09:30:00+05:30"}`
}

// decodeFIData decodes a getfidata body as finpro's FIData does (every row).
func decodeFIData(body []byte) (*AccountData, error) {
	var env transport.Envelope[AccountDataWire]
	if err := transport.Decode(body, &env); err != nil {
		return nil, err
	}
	return AccountDataFrom(&env, "", 0, 0), nil
}

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
				got, err := decodeFIData([]byte(body))
				if err != nil {
					t.Fatalf("decodeFIData() error = %v", err)
				}
				if got.FIType != FIType(ft.fiType) || got.LinkReferenceNumber != "lr-1" {
					t.Errorf("decodeFIData() = %s %s, want %s lr-1", got.FIType, got.LinkReferenceNumber, ft.fiType)
				}
				if len(got.Transactions) != sh.nrows {
					t.Fatalf("decodeFIData() = %d rows, want %d", len(got.Transactions), sh.nrows)
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
			got, err := decodeFIData([]byte(okBody(data)))
			if err == nil {
				t.Fatalf("decodeFIData() = %+v, want an error", got)
			}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				t.Errorf("decodeFIData() error = %v, a syntax error for valid JSON", err)
			}
		})
	}
}
