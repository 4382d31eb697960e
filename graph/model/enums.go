package model

import "strings"

// enum is a generated GraphQL enum type.
type enum interface {
	~string
	IsValid() bool
}

// EnumOf converts a FinPro value to the enum E: upper-cased, hyphens and
// spaces as underscores (NOT-REGISTERED, TERM-DEPOSIT), and unknown when the
// value is not one of E's (a value FinPro added later is never an error and
// never drops its row). It reports false for an empty value, which the
// schema shows as null where the field is nullable.
func EnumOf[E enum](s string, unknown E) (E, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return unknown, false
	}
	v := E(strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return '_'
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s))
	if !v.IsValid() || string(v) == string(unknown) {
		return unknown, true
	}
	return v, true
}

// EnumPtr is EnumOf for a nullable field: nil for an empty value.
func EnumPtr[E enum](s string, unknown E) *E {
	v, ok := EnumOf(s, unknown)
	if !ok {
		return nil
	}
	return &v
}
