package model

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func TestSumBalances(t *testing.T) {
	b := func(amount, cur string) *finpro.Balance {
		return &finpro.Balance{Balance: finpro.Decimal(amount), Currency: cur}
	}
	tests := []struct {
		name string
		in   []*finpro.Balance
		want []*Money
	}{
		{"scale of the widest addend", []*finpro.Balance{b("1234.5", "INR"), b("0.10", "INR")}, []*Money{{Amount: "1234.60", Currency: "INR"}}},
		{"negative and large", []*finpro.Balance{b("100000000000.01", "INR"), b("-5.5", "INR"), b("0.10", "INR")}, []*Money{{Amount: "99999999994.61", Currency: "INR"}}},
		{"per currency", []*finpro.Balance{b("1", "USD"), b("2.00", "INR")}, []*Money{{Amount: "2.00", Currency: "INR"}, {Amount: "1", Currency: "USD"}}},
		{"huge exact", []*finpro.Balance{b("99999999999999999999999999.99", "INR"), b("0.01", "INR")}, []*Money{{Amount: "100000000000000000000000000.00", Currency: "INR"}}},
		{"none", nil, []*Money{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SumBalances(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SumBalances (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := SumBalances([]*finpro.Balance{b("NaN", "INR")}); err == nil {
		t.Error("SumBalances(NaN) = nil error")
	}
}
