package returnurl_test

import (
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
)

func TestParse(t *testing.T) {
	tests := []struct {
		addrs []string
		ok    bool
	}{
		{[]string{"https://app.example.com/aa/return"}, true},
		{[]string{"http://localhost:8080/playground/", " ", ""}, true},
		{[]string{"http://127.0.0.1:3000/"}, true},
		{[]string{"http://app.example.com/aa"}, false}, // http off loopback
		{[]string{"ftp://app.example.com/"}, false},
		{[]string{"/aa/return"}, false},
		{[]string{"https://user:pw@app.example.com/"}, false},
		{[]string{"https://app.example.com/aa?x=1"}, false},
		{[]string{"https://app.example.com/aa#top"}, false},
		{[]string{"https://app.example.com/ok", "javascript:alert(1)"}, false},
	}
	for _, tc := range tests {
		_, err := returnurl.Parse(tc.addrs)
		if (err == nil) != tc.ok {
			t.Errorf("Parse(%q) error = %v, want ok %v", tc.addrs, err, tc.ok)
		}
	}
}

func TestPickAndAllowed(t *testing.T) {
	l, err := returnurl.Parse([]string{"https://app.example.com/aa/return", "http://localhost:8080/playground/"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, want string // want "" = refused
	}{
		{"", "https://app.example.com/aa/return"}, // the default
		{"https://app.example.com/aa/return", "https://app.example.com/aa/return"},
		{"https://app.example.com/aa/return?journey=42", "https://app.example.com/aa/return?journey=42"},
		{"https://APP.example.com/aa/return", "https://APP.example.com/aa/return"},
		{"https://app.example.com/aa/return/step2", "https://app.example.com/aa/return/step2"},
		{"http://localhost:8080/playground/", "http://localhost:8080/playground/"},
		{"http://localhost:8080/playground/?ecres=x", "http://localhost:8080/playground/?ecres=x"},
		{"https://app.example.com/aa/returnx", ""},    // not below the base: a sibling
		{"https://app.example.com/aa", ""},            // above the base
		{"http://app.example.com/aa/return", ""},      // another scheme
		{"https://app.example.com:444/aa/return", ""}, // another port
		{"https://evil.example.com/aa/return", ""},
		{"https://app.example.com.evil.com/aa/return", ""},
		{"https://app.example.com@evil.com/aa/return", ""},
		{"https://app.example.com/aa/return/../../admin", ""},
		{"https://app.example.com/aa/return/%2e%2e/admin", ""},
		{"https://app.example.com/aa/return%2f..%2fadmin", ""},
		{"https://app.example.com/aa/return#frag", ""},
		{"//evil.example.com/aa/return", ""},
		{"http://localhost:8081/playground/", ""},
		{"http://localhost:8080/playgroundx", ""},
		{"javascript:alert(1)", ""},
	}
	for _, tc := range tests {
		got, err := l.Pick(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("Pick(%q) = %q, want refused", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Pick(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
	var empty returnurl.List
	if _, err := empty.Pick(""); err == nil {
		t.Error("empty list: Pick(\"\") allowed")
	}
	if !empty.Empty() || l.Empty() {
		t.Error("Empty() wrong")
	}
}
