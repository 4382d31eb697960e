package fi

import (
	"strings"
	"time"
)

// This file is the package's only timestamp parser. internal/finpro is getting
// an exported finpro.ParseTime with the same rules; when it lands, parseDateTime
// becomes a call to it and the layouts below go.

// ist is Indian Standard Time: FinPro's naive timestamps are IST
// (docs/upstream-decisions.md).
var ist = time.FixedZone("IST", 5*3600+30*60)

// parseDateTime accepts RFC 3339 (with or without fractional seconds, numeric
// zone with or without colon), "YYYY-MM-DD HH:mm:ss" and "YYYY-MM-DDTHH:mm:ss"
// (IST), and a bare date (midnight IST).
func parseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05Z07",
		"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, ist); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
