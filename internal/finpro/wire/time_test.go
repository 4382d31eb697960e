package wire_test

import (
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// TestParseTime covers the union of the layouts the client, the FI-type
// decoders and the webhook intake accepted before they shared one parser.
// The inputs are finpro-upstream.md §2d's and §4's examples, then the
// variants FinPro's clients and the seeds show; expected instants are written
// out by hand.
func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		name string
		in   string
		want time.Time
		// wantIST: the result's zone is IST (FinPro's own offset or no
		// zone), so callers formatting it show FinPro's wall clock.
		wantIST bool
		wantErr bool
	}{
		// §2d, webhook payloads.
		{name: "§2d timestamp, ISO with Z and millis", in: "2024-05-02T10:15:01.120Z", want: utc(2024, 5, 2, 10, 15, 1, 120e6)},
		{name: "§2d consentExpiry, naive with a space (IST)", in: "2024-05-03 10:14:40", want: utc(2024, 5, 3, 4, 44, 40, 0), wantIST: true},
		{name: "§2d dataExpiry, ISO with Z", in: "2024-05-09T10:15:21.000Z", want: utc(2024, 5, 9, 10, 15, 21, 0)},
		{name: "§2d Type 2 consentExpiry", in: "2025-05-02 10:14:40", want: utc(2025, 5, 2, 4, 44, 40, 0), wantIST: true},
		// §4.4: consent_expiry "YYYY-MM-DD HH:mm:ss", or ISO …Z in the V1 docs.
		{name: "§4.4 consent list naive", in: "2025-05-02 10:14:40", want: utc(2025, 5, 2, 4, 44, 40, 0), wantIST: true},
		{name: "§4.4 ISO Z without fraction", in: "2025-05-02T04:44:40Z", want: utc(2025, 5, 2, 4, 44, 40, 0)},
		// Offsets.
		{name: "+05:30", in: "2024-10-04T09:30:00+05:30", want: utc(2024, 10, 4, 4, 0, 0, 0), wantIST: true},
		{name: "+0530 without colon", in: "2024-10-04T09:30:00+0530", want: utc(2024, 10, 4, 4, 0, 0, 0), wantIST: true},
		{name: "+05 hours only", in: "2024-10-04T09:30:00+05", want: utc(2024, 10, 4, 4, 30, 0, 0)},
		{name: "+0530 with fraction", in: "2024-10-04T09:30:00.250+0530", want: utc(2024, 10, 4, 4, 0, 0, 250e6), wantIST: true},
		{name: "other offset", in: "2024-10-04T09:30:00-04:00", want: utc(2024, 10, 4, 13, 30, 0, 0)},
		{name: "nanoseconds", in: "2024-10-04T09:30:00.123456789Z", want: utc(2024, 10, 4, 9, 30, 0, 123456789)},
		// Naive forms (IST).
		{name: "naive with T", in: "2024-10-04T09:30:00", want: utc(2024, 10, 4, 4, 0, 0, 0), wantIST: true},
		{name: "naive with fraction", in: "2024-10-04 09:30:00.5", want: utc(2024, 10, 4, 4, 0, 0, 500e6), wantIST: true},
		{name: "naive with T and fraction", in: "2024-10-04T09:30:00.123", want: utc(2024, 10, 4, 4, 0, 0, 123e6), wantIST: true},
		{name: "minute precision", in: "2024-10-04T09:30", want: utc(2024, 10, 4, 4, 0, 0, 0), wantIST: true},
		{name: "minute precision with a space", in: "2024-10-04 09:30", want: utc(2024, 10, 4, 4, 0, 0, 0), wantIST: true},
		{name: "bare date is midnight IST", in: "2024-10-04", want: utc(2024, 10, 3, 18, 30, 0, 0), wantIST: true},
		{name: "surrounding spaces", in: "  2024-05-02T10:15:01.120Z ", want: utc(2024, 5, 2, 10, 15, 1, 120e6)},
		// Absent and unreadable.
		{name: "empty", in: "", want: time.Time{}},
		{name: "spaces only", in: "   ", want: time.Time{}},
		{name: "not a time", in: "yesterday", wantErr: true},
		{name: "day first", in: "02-05-2024 10:15:01", wantErr: true},
		{name: "unix seconds", in: "1714644901", wantErr: true},
		{name: "month 13", in: "2024-13-02T10:15:01Z", wantErr: true},
		{name: "trailing garbage", in: "2024-05-02T10:15:01Zjunk", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.ParseTime(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("ParseTime(%q) = %v, want an error", tc.in, got)
				}
				if !got.IsZero() {
					t.Errorf("ParseTime(%q) with an error = %v, want the zero time", tc.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTime(%q) error = %v", tc.in, err)
			}
			if !got.Equal(tc.want) || got.IsZero() != tc.want.IsZero() {
				t.Errorf("ParseTime(%q) = %v, want %v", tc.in, got, tc.want.In(wire.IST))
			}
			if tc.wantIST && got.Location() != wire.IST {
				t.Errorf("ParseTime(%q) zone = %v, want IST", tc.in, got.Location())
			}
		})
	}
}

func TestISTOffset(t *testing.T) {
	if _, off := time.Date(2024, 1, 1, 0, 0, 0, 0, wire.IST).Zone(); off != 5*3600+30*60 {
		t.Errorf("IST offset = %ds, want 19800s (+05:30)", off)
	}
	if _, off := time.Date(2024, 7, 1, 0, 0, 0, 0, wire.IST).Zone(); off != 5*3600+30*60 {
		t.Errorf("IST offset in July = %ds, want 19800s (India has no daylight saving)", off)
	}
}

// TestParseBool: finpro-upstream.md §2d and §4.13 (firstTimeFetch "false" as a
// string) and the Holder's ckycCompliance (boolean, "true", "YES").
func TestParseBool(t *testing.T) {
	tests := []struct {
		in       string
		want, ok bool
	}{
		{"true", true, true}, {"TRUE", true, true}, {" yes ", true, true}, {"Y", true, true}, {"1", true, true},
		{"false", false, true}, {"False", false, true}, {"NO", false, true}, {"n", false, true}, {"0", false, true},
		{"", false, false}, {"null", false, false}, {"NO_DATA_AVAILABLE", false, false}, {"2", false, false},
	}
	for _, tc := range tests {
		if got, ok := wire.ParseBool(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("ParseBool(%q) = %t, %t, want %t, %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
