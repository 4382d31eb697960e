package fpcache

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// page is a getfidata page of n transactions as the cache keeps it.
func page(n int) *finpro.AccountData {
	d := &finpro.AccountData{LinkReferenceNumber: "link-0001", MaskedAccountNumber: "XXXXXXXX1234", FIType: "DEPOSIT", FIPID: "HDFC-FIP", FIPName: "HDFC Bank", Balance: "101234.50", TotalRecords: n}
	for i := range n {
		d.Transactions = append(d.Transactions, finpro.Transaction{
			TxnID: fmt.Sprintf("T%08d", i), Type: "DEBIT", Mode: "UPI", Amount: "1234.56", CurrentBalance: "100000.00",
			TransactionTimestamp: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), ValueDate: "2026-01-01",
			Narration: "UPI/123456789012/PAYMENT TO MERCHANT/okaxis", Reference: fmt.Sprintf("REF%010d", i),
			Raw: json.RawMessage(`{"txnId":"T1","type":"DEBIT","amount":"1234.56","narration":"UPI/123456789012/PAYMENT TO MERCHANT/okaxis"}`),
		})
	}
	return d
}

func BenchmarkEstimate(b *testing.B) {
	for _, n := range []int{20, 500} {
		v := page(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				estimate(key{kind: kindFIData, consent: "c"}, v, []string{"c:c"})
			}
		})
	}
}

// TestEstimate checks that an entry is counted at least at the size of its
// JSON (what FinPro sent for it) and at most a few times that, for values of
// every kind the cache keeps, so MaxBytes bounds what the cache holds.
func TestEstimate(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"page of 20", page(20)},
		{"page of 500", page(500)},
		{"balances", []finpro.Balance{{LinkReferenceNumber: "link-1", FIPName: "HDFC Bank", Balance: "10.00", Currency: "INR"}, {LinkReferenceNumber: "link-2", FIPName: "HDFC Bank", Balance: "-5.50", Currency: "INR"}}},
		{"consent list", &finpro.ConsentPage{Consents: []finpro.Consent{{ConsentHandle: "h-1", ConsentID: "id-1", Status: "ACTIVE"}}}},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		got := estimate(key{consent: "c"}, tc.v, nil)
		if got < int64(len(b)) || got > 4*int64(len(b))+1024 {
			t.Errorf("%s: estimate %d bytes for %d bytes of JSON, want between 1× and 4× (+1 KiB)", tc.name, got, len(b))
		}
	}
}
