package model

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

func TestDecimalMarshalKeepsDigits(t *testing.T) {
	for _, s := range []string{"0.10", "100000000000.01", "-5.5", "101666.33", "0"} {
		var b bytes.Buffer
		Decimal(s).MarshalGQL(&b)
		if got, want := b.String(), `"`+s+`"`; got != want {
			t.Errorf("Decimal(%q).MarshalGQL = %s, want %s", s, got, want)
		}
		var d Decimal
		if err := d.UnmarshalGQL(s); err != nil || string(d) != s {
			t.Errorf("UnmarshalGQL(%q) = %q, %v, want %q, nil", s, d, err, s)
		}
	}
}

func TestDecimalUnmarshalRejects(t *testing.T) {
	for _, v := range []any{"NaN", "Infinity", "1,000", "", "abc", 12, nil} {
		var d Decimal
		if err := d.UnmarshalGQL(v); err == nil {
			t.Errorf("UnmarshalGQL(%v) = nil error, want one", v)
		}
	}
}

func TestDate(t *testing.T) {
	if DatePtr("2024-10-03") == nil || DatePtr("2024-13-03") != nil || DatePtr("") != nil {
		t.Error("DatePtr accepts or rejects the wrong dates")
	}
	var d Date
	if err := d.UnmarshalGQL("03-10-2024"); err == nil {
		t.Error(`Date.UnmarshalGQL("03-10-2024") = nil, want error`)
	}
}

func TestDateTime(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	tm := time.Date(2024, 10, 3, 23, 30, 0, 0, ist)
	var b bytes.Buffer
	MarshalDateTime(tm).MarshalGQL(&b)
	if got, want := b.String(), `"2024-10-03T23:30:00+05:30"`; got != want {
		t.Errorf("MarshalDateTime = %s, want %s", got, want)
	}
	got, err := UnmarshalDateTime("2024-10-03T23:30:00+05:30")
	if err != nil || !got.Equal(tm) {
		t.Errorf("UnmarshalDateTime = %v, %v, want %v", got, err, tm)
	}
	if _, err := UnmarshalDateTime("2024-10-03 23:30:00"); err == nil {
		t.Error("UnmarshalDateTime accepted a naive timestamp")
	}
}

// FuzzDecimalScalar feeds arbitrary input to the Decimal scalar: it never
// panics, and whatever it accepts it writes back byte for byte as a JSON string.
func FuzzDecimalScalar(f *testing.F) {
	for _, s := range []string{"0.10", "100000000000.01", "-5.5", "1.000", "1e3", "NaN", "Inf", "", "1..2", "0x10", " 1", "１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Decimal
		if err := d.UnmarshalGQL(s); err != nil {
			return
		}
		var buf strings.Builder
		d.MarshalGQL(&buf)
		var back string
		if err := json.Unmarshal([]byte(buf.String()), &back); err != nil || back != s {
			t.Errorf("Decimal %q marshals to %s, which reads back as %q (%v)", s, buf.String(), back, err)
		}
	})
}

// TestWriteQuoted checks that Decimal and Date write valid JSON strings whatever
// they hold (they are validated on the way in, but the writer must not depend
// on it): plain ASCII as is, anything else escaped.
func TestWriteQuoted(t *testing.T) {
	for _, s := range []string{"", "0.10", "2024-10-03", `a"b`, `a\b`, "tab\there", "nul\x00", "₹1", "\u2028"} {
		for name, m := range map[string]interface{ MarshalGQL(w io.Writer) }{"Decimal": Decimal(s), "Date": Date(s)} {
			var b bytes.Buffer
			m.MarshalGQL(&b)
			var got string
			if err := json.Unmarshal(b.Bytes(), &got); err != nil || got != s {
				t.Errorf("%s(%q).MarshalGQL = %s: decodes to %q, %v", name, s, b.Bytes(), got, err)
			}
		}
	}
}
