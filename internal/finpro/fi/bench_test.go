package fi_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// BenchmarkDecode measures decoding one account: a schema example, and a
// deposit with 1,000 transactions (the size of a busy year).
func BenchmarkDecode(b *testing.B) {
	mf := readExample(&testing.T{}, "mutual_funds")
	var sb strings.Builder
	sb.WriteString(`{"Summary":{"currentBalance":"5591.00","type":"SAVINGS"},"Transactions":{"startDate":"2024-01-01","endDate":"2024-12-31","Transaction":[`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"txnId":"T` + strconv.Itoa(i) + `","type":"DEBIT","mode":"UPI","amount":"120.50","currentBalance":"5591.00","transactionTimestamp":"2024-10-01T10:12:45+05:30","valueDate":"2024-10-01","narration":"UPI/427512345678/SWIGGY","reference":"427512345678"}`)
	}
	sb.WriteString(`]}}`)
	dep := []byte(sb.String())
	for _, c := range []struct {
		name string
		ft   string
		raw  []byte
	}{{"mutual_funds_example", "MUTUAL_FUNDS", mf}, {"deposit_1000_txns", "DEPOSIT", dep}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.raw)))
			for b.Loop() {
				fi.DecodeRaw(finpro.FIType(c.ft), c.raw)
			}
		})
	}
}
