package guard

import (
	"strings"
	"testing"
)

// countObjectsBytewise is countObjects as it was, one byte at a time: the
// reference the vectorized one must match.
func countObjectsBytewise(data []byte) int {
	n, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && c == '{':
			n++
		}
	}
	return max(n-1, 0)
}

func TestCountObjects(t *testing.T) {
	edge := `{"node":{"txnId":"T1","amount":"10.00","narration":"UPI/x"}}`
	for _, tc := range []struct {
		name string
		data string
		want int
	}{
		{"empty", ``, 0},
		{"data only", `{}`, 0},
		{"nested", `{"a":{"b":{"c":1}},"d":[{"e":2},{"f":3}]}`, 4},
		{"brace in a string", `{"a":{"n":"{not an object}"}}`, 1},
		{"escaped quote before a brace", `{"a":{"n":"say \"{hi}\" {"},"b":{}}`, 2},
		{"escaped backslash ends the string", `{"a":{"n":"C:\\"},"b":{"m":"\\\\"}}`, 2},
		{"backslash run before a quote", `{"a":"x\\\"{","b":{}}`, 1},
		{"unicode escape", `{"a":{"n":"\u007b"}}`, 1},
		{"many edges", `{"e":[` + strings.TrimSuffix(strings.Repeat(edge+",", 100), ",") + `]}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := countObjects([]byte(tc.data)); got != tc.want {
				t.Errorf("countObjects = %d, want %d", got, tc.want)
			}
			if ref := countObjectsBytewise([]byte(tc.data)); ref != tc.want {
				t.Errorf("the byte-wise reference counts %d, want %d: the case is wrong", ref, tc.want)
			}
		})
	}
}

func BenchmarkCountObjects(b *testing.B) {
	edge := `{"node":{"txnId":"T1","amount":"10.00","currentBalance":"99.10","narration":"UPI/123456/PAYMENT TO MERCHANT"}}`
	data := []byte(`{"e":[` + strings.TrimSuffix(strings.Repeat(edge+",", 110), ",") + `]}`)
	for _, f := range []struct {
		name string
		f    func([]byte) int
	}{{"vectorized", countObjects}, {"bytewise", countObjectsBytewise}} {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f.f(data)
			}
		})
	}
}
