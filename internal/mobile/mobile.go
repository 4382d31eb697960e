// Package mobile validates Indian mobile numbers as FinPro takes them: exactly
// ten ASCII digits, without +91 or separators. A mobile number is personal
// data: callers never log or echo it.
package mobile

import "strings"

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

// FromVUA returns the mobile number of a VUA such as 9876543210@onemoney: its
// part before the "@" when that part is [Valid]. A masked VUA
// (XXXXXX9999@onemoney, as FinPro's Type 2 webhooks send), a prefixed one
// (+919876543210@onemoney) or one without an "@" gives false: guessing a
// customer from it could route their events to someone else.
func FromVUA(vua string) (string, bool) {
	local, host, ok := strings.Cut(strings.TrimSpace(vua), "@")
	if !ok || host == "" || !Valid(local) {
		return "", false
	}
	return local, true
}
