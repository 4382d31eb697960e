package mobile_test

import (
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"9876543210", true},
		{"0000000000", true},
		{"987654321", false},
		{"98765432101", false},
		{"+919876543210", false},
		{"98765-43210", false},
		{"987654321a", false},
		{"９８７６５４３２１０", false}, // full-width digits
		{"", false},
	}
	for _, tc := range tests {
		if got := mobile.Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
