package pii

import "testing"

func TestName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"two words", "Arjun Sharma", "A**** S*****"},
		{"one word", "Priya", "P****"},
		{"initial only", "A", "A"},
		{"empty", "", ""},
		{"double space", "A  B", "A  B"},
		{"unicode", "Ärjün Śharmā", "Ä**** Ś*****"},
		{"devanagari", "अर्जुन", "अ*****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Name(tt.in); got != tt.want {
				t.Errorf("Name(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"PAN", "ABCDE1234F", "XXXXXX234F"},
		{"mobile", "9876543210", "XXXXXX3210"},
		{"landline", "080-23456789", "XXXXXXXX6789"},
		{"nine chars", "123456789", "XXXXX6789"},
		{"eight chars masked whole", "12345678", "XXXXXXXX"},
		{"short", "123", "XXX"},
		{"empty", "", ""},
		{"unicode", "१२३४५६७८९०", "XXXXXX७८९०"},
		{"already masked", "XXXXXX3210", "XXXXXX3210"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Number(tt.in); got != tt.want {
				t.Errorf("Number(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "arjun@example.com", "a***@e***.com"},
		{"subdomains", "arjun.sharma@mail.example.co.in", "a***@m***.in"},
		{"no tld", "root@localhost", "r***@l***"},
		{"trailing dot", "a@b.", "a***@b***"},
		{"no at", "arjun.example.com", "***"},
		{"leading at", "@example.com", "***"},
		{"trailing at", "arjun@", "***"},
		{"empty", "", "***"},
		{"two ats", "a@b@example.com", "a***@e***.com"},
		{"unicode", "ärjun@exämple.com", "ä***@e***.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Email(tt.in); got != tt.want {
				t.Errorf("Email(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestAddress(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"address", "12 MG Road, Bengaluru 560001", Redacted},
		{"short", "x", Redacted},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Address(tt.in); got != tt.want {
				t.Errorf("Address(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}
