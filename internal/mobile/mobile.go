// Package mobile validates Indian mobile numbers as FinPro takes them: exactly
// ten ASCII digits, without +91 or separators. A mobile number is personal
// data: callers never log or echo it.
package mobile

// Valid reports whether s is exactly ten ASCII digits.
func Valid(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
