package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

var testSecret = []byte("test-webhook-secret")

func sign(body []byte) string {
	m := hmac.New(sha256.New, testSecret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestValidSignature(t *testing.T) {
	body := []byte(`{"a":1}`)
	good := sign(body)
	tests := []struct {
		name string
		sig  string
		want bool
	}{
		{"hex", good, true},
		{"sha256 prefix", "sha256=" + good, true},
		{"uppercase hex", upper(good), true},
		{"empty", "", false},
		{"not hex", "zz" + good[2:], false},
		{"short", good[:10], false},
		{"other body", sign([]byte(`{"a":2}`)), false},
	}
	for _, tc := range tests {
		if got := validSignature(testSecret, body, tc.sig); got != tc.want {
			t.Errorf("validSignature(%s) = %t, want %t", tc.name, got, tc.want)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
