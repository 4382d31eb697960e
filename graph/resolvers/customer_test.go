package resolvers

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func TestSumByCurrency(t *testing.T) {
	b := func(amount, cur string) *finpro.Balance {
		return &finpro.Balance{Balance: finpro.Decimal(amount), Currency: cur}
	}
	tests := []struct {
		name string
		in   []*finpro.Balance
		want []*model.Money
	}{
		{"scale of the widest addend", []*finpro.Balance{b("1234.5", "INR"), b("0.10", "INR")}, []*model.Money{{Amount: "1234.60", Currency: "INR"}}},
		{"negative and large", []*finpro.Balance{b("100000000000.01", "INR"), b("-5.5", "INR"), b("0.10", "INR")}, []*model.Money{{Amount: "99999999994.61", Currency: "INR"}}},
		{"per currency", []*finpro.Balance{b("1", "USD"), b("2.00", "INR")}, []*model.Money{{Amount: "2.00", Currency: "INR"}, {Amount: "1", Currency: "USD"}}},
		{"huge exact", []*finpro.Balance{b("99999999999999999999999999.99", "INR"), b("0.01", "INR")}, []*model.Money{{Amount: "100000000000000000000000000.00", Currency: "INR"}}},
		{"none", nil, []*model.Money{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sumByCurrency(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sumByCurrency (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := sumByCurrency([]*finpro.Balance{b("NaN", "INR")}); err == nil {
		t.Error("sumByCurrency(NaN) = nil error")
	}
}

func TestValidMobile(t *testing.T) {
	for s, ok := range map[string]bool{"9876543210": true, "+919876543210": false, "98765 4321": false, "987654321": false} {
		if err := validMobile("m", s); (err == nil) != ok {
			t.Errorf("validMobile(%q) = %v, want ok %v", s, err, ok)
		}
	}
}
