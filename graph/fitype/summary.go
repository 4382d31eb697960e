package fitype

import (
	"bytes"
	"encoding/json"

	"github.com/moneyone-bff/finpro-bff/graph/model"
)

// text is a summary value FinPro may send as a JSON string, number or boolean.
// Numbers keep their literal digits (decoded with UseNumber semantics).
type text string

// UnmarshalJSON accepts a string, number, boolean or null.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	default:
		*t = text(b)
	}
	return nil
}

func (t text) str() *string { return model.StringPtr(string(t)) }

func (t text) date() *model.Date { return model.DatePtr(string(t)) }

// decimal returns t as a Decimal when it is a finite decimal, else nil.
func (t text) decimal() *model.Decimal {
	s := string(t)
	if s == "" || !model.ValidDecimal(s) {
		return nil
	}
	d := model.Decimal(s)
	return &d
}

// decodeSummary decodes FinPro's raw Summary object into v (one plugin's view
// of it). A summary that does not decode is treated as absent.
func decodeSummary(raw json.RawMessage, v any) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return false
	}
	return json.Unmarshal(raw, v) == nil
}
