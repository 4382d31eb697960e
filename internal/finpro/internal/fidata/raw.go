package fidata

import (
	"bytes"
	"encoding/json"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// RawAccountWire is an account of getallfidata decoded as fiAccountWire that
// also keeps its bytes (FIAccount.Raw) for the FI-type decoders of
// internal/finpro/fi. One pass: encoding/json hands UnmarshalJSON the
// account's bytes, which are decoded and copied.
type RawAccountWire struct {
	fiAccountWire
	raw json.RawMessage
}

func (w *RawAccountWire) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &w.fiAccountWire); err != nil {
		return err
	}
	w.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

// DecodeEnvelope decodes a getfidata body and, for every FI type but
// DEPOSIT, keeps each row's bytes (Transaction.Raw) for internal/finpro/fi:
// the rows of the other ReBIT schemas say what they are worth in attributes
// the deposit-shaped Transaction has no field for. Deposits, the bulk of the
// traffic, pay nothing for it.
//
// The usual shapes decode in one encoding/json pass (plainAccountDataWire);
// only a body that does not fit them (a single Transaction object, the docs'
// transactions[] placeholder, ...) is decoded again with the tolerant
// decoders, whose nested UnmarshalJSON methods re-read each row. A body
// neither decodes is an error either way: the row types are the same.
func (w *AccountDataWire) DecodeEnvelope(body []byte, head *transport.Head) error {
	var fast struct {
		transport.Head
		Data plainAccountDataWire `json:"data"`
	}
	if json.Unmarshal(body, &fast) == nil {
		*head = fast.Head
		d := &fast.Data
		w.accountDataHead, w.FIData = d.accountDataHead, d.FIData
		w.Transactions = txContainer(d.Transactions)
	} else {
		var tolerant struct {
			transport.Head
			Data AccountDataWire `json:"data"`
		}
		if err := json.Unmarshal(body, &tolerant); err != nil {
			return err
		}
		*head, *w = tolerant.Head, tolerant.Data
	}
	if NormFIType(w.FIType) == FITypeDeposit {
		return nil
	}
	var raw struct {
		Data struct {
			FIData       []json.RawMessage `json:"fiData"`
			Transactions json.RawMessage   `json:"Transactions"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return nil // the rows decoded above; their bytes are a bonus
	}
	rows, into := raw.Data.FIData, w.FIData
	if len(into) == 0 {
		rows, into = rawTransactionRows(raw.Data.Transactions), w.Transactions.Transaction
	}
	if len(rows) != len(into) {
		return nil // a null row or another shape: keep the deposit view only
	}
	for i := range into {
		into[i].raw = rows[i]
	}
	return nil
}

// rawTransactionRows returns the rows of a ReBIT Transactions element
// ({Transaction: [...] | {...}}) or of the docs' placeholder array.
func rawTransactionRows(b json.RawMessage) []json.RawMessage {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	var rows []json.RawMessage
	if b[0] == '[' {
		_ = json.Unmarshal(b, &rows)
		return rows
	}
	var c struct {
		Transaction json.RawMessage `json:"Transaction"`
	}
	if json.Unmarshal(b, &c) != nil {
		return nil
	}
	t := bytes.TrimSpace(c.Transaction)
	switch {
	case len(t) == 0:
		return nil
	case t[0] == '[':
		_ = json.Unmarshal(t, &rows)
	case t[0] == '{':
		rows = []json.RawMessage{t}
	}
	return rows
}
