// Package pii masks the personal data of account holders (name, PAN, date of
// birth, mobile, landline, email, address) for callers whose token lacks the
// profile:read scope. Masking keeps the shape a screen needs (an initial, the
// last digits) and never the rest; it works on runes, so non-ASCII values are
// masked whole characters at a time.
package pii

import "strings"

// Mask is the character that replaces hidden characters, as in FinPro's
// masked account numbers (XXXXXXXX4321).
const Mask = 'X'

// Redacted replaces a value of which nothing is shown (an address).
const Redacted = "XXXX"

// keepLast is how many trailing characters of a number (PAN, mobile,
// landline) stay visible.
const keepLast = 4

// Name keeps the first letter of each word and replaces the others with '*':
// "Arjun Sharma" -> "A**** S*****". Spaces separate words and are kept.
func Name(s string) string {
	var b strings.Builder
	first := true
	for _, r := range s {
		switch {
		case r == ' ':
			b.WriteRune(r)
			first = true
		case first:
			b.WriteRune(r)
			first = false
		default:
			b.WriteByte('*')
		}
	}
	return b.String()
}

// Number masks an identifier (PAN, mobile, landline) but its last four
// characters: "ABCDE1234F" -> "XXXXXX234F", "9876543210" -> "XXXXXX3210".
// A value of eight characters or fewer is masked whole, so that at least half
// of it stays hidden.
func Number(s string) string {
	rs := []rune(s)
	n := len(rs)
	keep := keepLast
	if n <= 2*keepLast {
		keep = 0
	}
	for i := range n - keep {
		rs[i] = Mask
	}
	return string(rs)
}

// Email keeps the first character of the local part and of the domain and the
// top-level domain: "arjun.sharma@example.co.in" -> "a***@e***.in". A value
// that is not of the form local@domain is masked whole ("***").
func Email(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "***"
	}
	local, domain := s[:at], s[at+1:]
	out := firstRune(local) + "***@" + firstRune(domain) + "***"
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 && dot < len(domain)-1 {
		out += domain[dot:]
	}
	return out
}

// Address hides an address entirely: Redacted, or "" for "".
func Address(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}
