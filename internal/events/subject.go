package events

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// Subject layout: finpro.<kind>.<customerKey>.<handleToken>.
const (
	subjectPrefix = "finpro"
	kindConsent   = "consent"
	kindData      = "data"
)

// StreamSubjects are the subjects of the event stream: one per kind, with a
// customer key and a handle token.
func StreamSubjects() []string {
	return []string{subjectPrefix + "." + kindConsent + ".*.*", subjectPrefix + "." + kindData + ".*.*"}
}

// HashCustomer is the keyed hash naming the customer with this 10-digit
// mobile in subjects and events: the first 128 bits, in hex, of
// HMAC-SHA256(salt, "mobile:" + mobile).
func HashCustomer(salt []byte, mobile string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte("mobile:"))
	m.Write([]byte(mobile))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

var plainToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// ValidToken reports whether s can stand as one subject token unchanged (a
// customer key, a UUID).
func ValidToken(s string) bool { return plainToken.MatchString(s) }

// HandleToken turns a consent handle into one subject token. UUIDs pass
// unchanged; anything holding characters a NATS token cannot (., *, >, space)
// is hashed.
func HandleToken(handle string) string {
	if plainToken.MatchString(handle) {
		return handle
	}
	sum := sha256.Sum256([]byte(handle))
	return "h" + hex.EncodeToString(sum[:16])
}

// Subject is the subject an event is stored under.
func Subject(ev Event) string {
	kind := kindConsent
	if ev.Type == TypeData {
		kind = kindData
	}
	return subjectPrefix + "." + kind + "." + ev.CustomerKey + "." + HandleToken(ev.ConsentHandle)
}

// SubjectFilter is the stream subject covering a subscriber's events:
// customer key "" or handle token "" stand for any; a handle filter matches
// every customer key (an event stored under UnknownCustomer too).
func SubjectFilter(customerKey, handleToken string, includeData bool) string {
	kind := kindConsent
	if includeData {
		kind = "*"
	}
	if handleToken != "" {
		customerKey = "*"
	} else {
		handleToken = "*"
	}
	if customerKey == "" {
		customerKey = "*"
	}
	return subjectPrefix + "." + kind + "." + customerKey + "." + handleToken
}
