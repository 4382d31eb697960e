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
		{"919876543210", false},
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

// TestFromVUA uses the VUAs of finpro-upstream.md §2b and §2d: a Type 1
// payload shows the mobile, a Type 2 payload masks it.
func TestFromVUA(t *testing.T) {
	tests := []struct {
		vua    string
		want   string
		wantOK bool
	}{
		{"9999999999@onemoney", "9999999999", true},
		{" 9876543210@onemoney ", "9876543210", true},
		{"9876543210@finvu", "9876543210", true},
		{"XXXXXX9999@onemoney", "", false},
		{"XXXXXXX773@onemoney", "", false},
		{"+919876543210@onemoney", "", false},
		{"919876543210@onemoney", "", false},
		{"9876543210", "", false},
		{"9876543210@", "", false},
		{"@onemoney", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := mobile.FromVUA(tc.vua)
		if got != tc.want || ok != tc.wantOK {
			// The test VUAs are made up, so printing them is fine.
			t.Errorf("FromVUA(%q) = %q, %t, want %q, %t", tc.vua, got, ok, tc.want, tc.wantOK)
		}
	}
}
