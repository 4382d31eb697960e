package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// TestFieldTypes: each tolerant field type inside a JSON document, as
// encoding/json hands it its value (finpro-upstream.md §4.9, §4.10, §4.12,
// §4.13).
func TestFieldTypes(t *testing.T) {
	type doc struct {
		S wire.String            `json:"s"`
		B wire.Bool              `json:"b"`
		I wire.Int               `json:"i"`
		D wire.Decimal           `json:"d"`
		L wire.OneOrMany[string] `json:"l"`
	}
	tests := []struct {
		name, in string
		want     doc
		wantErr  bool
	}{
		{name: "native types", in: `{"s":"x","b":true,"i":3,"d":"10.50","l":["a","b"]}`, want: doc{S: "x", B: true, I: 3, D: "10.50", L: wire.OneOrMany[string]{"a", "b"}}},
		{name: "as strings", in: `{"s":9876543210,"b":"YES","i":"42","d":12.5,"l":"a"}`, want: doc{S: "9876543210", B: true, I: 42, D: "12.5", L: wire.OneOrMany[string]{"a"}}},
		{name: "absent spellings", in: `{"s":null,"b":"NO_DATA_AVAILABLE","i":"","d":"","l":null}`, want: doc{}},
		{name: "null as a string", in: `{"b":"null","i":"null"}`, want: doc{}},
		{name: "boolean as an object is false", in: `{"b":{"v":true}}`, want: doc{}},
		{name: "string as an object", in: `{"s":{}}`, wantErr: true},
		{name: "integer with a fraction", in: `{"i":"1.5"}`, wantErr: true},
		{name: "decimal NaN", in: `{"d":"NaN"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got doc
			err := json.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Unmarshal(%s) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
				t.Errorf("Unmarshal(%s) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestIDAndCurrency: FinPro's "no id yet" spellings and the INR default.
func TestIDAndCurrency(t *testing.T) {
	for in, want := range map[wire.String]string{"<NULL>": "", " null ": "", "NONE": "", "": "", " c-1 ": "c-1"} {
		if got := wire.ID(in); got != want {
			t.Errorf("ID(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"": wire.DefaultCurrency, "  ": "INR", "USD": "USD", " usd ": "usd"} {
		if got := wire.Currency(in); got != want {
			t.Errorf("Currency(%q) = %q, want %q", in, got, want)
		}
	}
}
