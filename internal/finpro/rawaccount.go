package finpro

import (
	"bytes"
	"encoding/json"
)

// rawFIAccountWire is an account of getallfidata decoded as fiAccountWire that
// also keeps its bytes (FIAccount.Raw) for the FI-type decoders of
// internal/finpro/fi. One pass: encoding/json hands UnmarshalJSON the
// account's bytes, which are decoded and copied.
type rawFIAccountWire struct {
	fiAccountWire
	raw json.RawMessage
}

func (w *rawFIAccountWire) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &w.fiAccountWire); err != nil {
		return err
	}
	w.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}
