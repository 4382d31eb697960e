package wire

import (
	"errors"
	"strings"
	"time"
)

// IST is Indian Standard Time (UTC+05:30, no daylight saving): FinPro's
// timestamps without a zone are IST (docs/upstream-decisions.md). It is the
// one definition of the zone in the BFF (finpro.IST is this value).
var IST = time.FixedZone("IST", 5*3600+30*60)

// errTimeFormat is ParseTime's error; it never quotes the input, which may
// come from anywhere in an upstream body.
var errTimeFormat = errors.New("finpro: unknown timestamp format")

// ParseTime reads a timestamp in any of the forms FinPro sends
// (finpro-upstream.md §2b, §2d and §4.4), in this order:
//
//   - RFC 3339 / ISO 8601 with a zone: "2024-05-02T10:15:01.120Z",
//     "2024-05-02T15:45:01+05:30", with or without fractional seconds;
//   - a numeric zone without its colon or minutes: "+0530", "+05";
//   - no zone, taken as [IST]: "2024-05-03 10:14:40" (FinPro's usual
//     webhook and consent-list form; a space or a T between date and
//     time), with fractional seconds, or to the minute only
//     ("2024-05-03T10:14");
//   - a bare date, midnight IST: "2024-05-03".
//
// Leading and trailing spaces are ignored. An empty string is the zero time
// with no error (FinPro sends "" for an absent value); anything else that
// does not parse is an error. A +05:30 offset or a naive timestamp gives a
// time in IST, other offsets a time in a fixed zone of that offset.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	// ParseInLocation with IST reuses the IST zone for "+05:30" (FinPro's
	// usual offset) instead of allocating one per timestamp; Z and other
	// offsets parse as with time.Parse. Every layout accepts fractional
	// seconds after the seconds (time.Parse does so without saying it).
	for _, layout := range [...]string{
		time.RFC3339,
		"2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04:05Z07",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		time.DateOnly,
	} {
		if t, err := time.ParseInLocation(layout, s, IST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errTimeFormat
}

// ParseBool reads a boolean in the spellings FinPro and the FIPs use: true,
// "true", "YES", "Y", "1" and false, "false", "NO", "N", "0", in any case and
// with spaces trimmed (pass a JSON string's contents, or a literal's text).
// ok is false for anything else ("NO_DATA_AVAILABLE", "", null), which a
// caller treats as absent or as false.
func ParseBool(s string) (v, ok bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "TRUE", "YES", "Y", "1":
		return true, true
	case "FALSE", "NO", "N", "0":
		return false, true
	}
	return false, false
}
