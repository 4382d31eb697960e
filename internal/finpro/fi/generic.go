package fi

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/tagdec"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Generic is an account of an FI type without a ReBIT schema of its own
// (GSTR1_3B, OTHER, and any type FinPro adds later): what FinPro sent, as
// scalar fields, made safe to show without profile:read.
//
// Safe means: the Profile element is never read (holder data reaches clients
// only through the common, scope-gated profile); keys that name personal data
// (name, dob, mobile, email, pan, address, gstin, ...) and values that look
// like a PAN, a GSTIN, an Aadhaar number, a mobile number or an e-mail address
// are dropped; and the view is bounded (field count, transaction count, value
// length), with Truncated set when something was cut. It is a view of data,
// not a pass-through of raw JSON.
type Generic struct {
	FIType finpro.FIType
	// Summary is the Summary element's scalar values, in FinPro's order, with
	// paths through nested elements ("Investment/Holdings/Holding[0]/units").
	Summary []Field
	// StartDate and EndDate are the Transactions element's period, if sent.
	StartDate, EndDate rebit.Date
	// Transactions are the Transaction elements' scalar values, one slice each.
	Transactions [][]Field
	// Truncated reports that limits cut fields or transactions.
	Truncated bool
	// Redacted counts the fields dropped as personal data.
	Redacted int
}

// Field is one scalar of a Generic account.
type Field struct {
	Path  string
	Value string
}

// Limits of a Generic view.
const (
	MaxGenericFields       = 200 // summary fields
	MaxGenericTransactions = 500
	MaxGenericTxnFields    = 50 // fields per transaction
	MaxGenericValueLen     = 256
	maxGenericDepth        = 8
)

// piiKeys are normalised keys whose values are personal data.
var piiKeys = map[string]bool{
	"name": true, "holdername": true, "holder1name": true, "holder2name": true, "nomineename": true,
	"customername": true, "accountholdername": true, "legalname": true, "tradename": true,
	"dob": true, "dateofbirth": true, "mobile": true, "mobilenumber": true, "phone": true, "landline": true,
	"email": true, "emailid": true, "pan": true, "pannumber": true, "aadhaar": true, "aadhar": true,
	"address": true, "gstin": true, "dematid": true, "pranid": true, "ckycnumber": true,
}

// piiValue matches values that are personal data whatever their key: a PAN
// (alone or inside a GSTIN), a 12-digit Aadhaar number, a 10-digit Indian
// mobile number (with or without +91), an e-mail address, each alone or
// inside free text ("call 9876543210"). A long plain number may be dropped
// with them: losing an odd amount is the safe side of the trade.
var piiValue = regexp.MustCompile(`(?i)[A-Z]{5}[0-9]{4}[A-Z]` +
	`|(?:^|[^0-9])(?:\+?91[ -]?)?[6-9][0-9]{9}(?:[^0-9]|$)` +
	`|(?:^|[^0-9])[0-9]{4} ?[0-9]{4} ?[0-9]{4}(?:[^0-9]|$)` +
	`|[^@\s]+@[^@\s]+\.[a-z]{2,}`)

func decodeGeneric(t finpro.FIType, raw []byte, d *tagdec.Decoder) Data {
	g := &Generic{FIType: t}
	m, ok := tagdec.ParseObject(raw)
	if !ok {
		d.AddMalformed("")
		return g
	}
	if s, ok := m["summary"]; ok && !tagdec.IsNull(s) {
		g.Summary = g.flatten(s, MaxGenericFields)
	}
	if tx, ok := m["transactions"]; ok && !tagdec.IsNull(tx) {
		if tm, ok := tagdec.ParseObject(tx); ok {
			if v, ok := wire.Scalar(tm["startdate"]); ok {
				g.StartDate, _ = parseDate(v)
			}
			if v, ok := wire.Scalar(tm["enddate"]); ok {
				g.EndDate, _ = parseDate(v)
			}
			rows := tm["transaction"]
			if bytes.HasPrefix(bytes.TrimSpace(tx), []byte("[")) {
				rows = tx // the docs' placeholder: transactions as a bare array
			}
			if d.Skip != "transactions" {
				g.rows(rows)
			}
		}
	}
	return g
}

// rows reads the Transaction elements (an array or one object).
func (g *Generic) rows(raw json.RawMessage) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return
	}
	elems := []json.RawMessage{raw}
	if raw[0] == '[' && json.Unmarshal(raw, &elems) != nil {
		return
	}
	for _, e := range elems {
		if len(g.Transactions) == MaxGenericTransactions {
			g.Truncated = true
			return
		}
		if f := g.flatten(e, MaxGenericTxnFields); f != nil {
			g.Transactions = append(g.Transactions, f)
		}
	}
}

// flatten lists raw's scalars in document order, at most limit of them.
func (g *Generic) flatten(raw json.RawMessage, limit int) []Field {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out []Field
	var walk func(path, key string, depth int) bool
	walk = func(path, key string, depth int) bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch v := tok.(type) {
		case json.Delim:
			if depth >= maxGenericDepth {
				g.Truncated = true
			}
			i := 0
			for dec.More() {
				p := path
				k := key
				if v == '{' {
					kt, err := dec.Token()
					if err != nil {
						return false
					}
					k, _ = kt.(string)
					p = tagdec.Join(path, k)
				} else {
					p = path + "[" + strconv.Itoa(i) + "]"
				}
				i++
				if depth >= maxGenericDepth {
					var skip json.RawMessage
					if dec.Decode(&skip) != nil {
						return false
					}
					continue
				}
				if !walk(p, k, depth+1) {
					return false
				}
			}
			_, err := dec.Token() // closing delimiter
			return err == nil
		default:
			text := ""
			switch s := v.(type) {
			case string:
				text = strings.TrimSpace(s)
			case json.Number:
				text = s.String()
			case bool:
				text = strconv.FormatBool(s)
			case nil:
				return true
			}
			if text == "" {
				return true
			}
			if piiKeys[tagdec.NormKey(key)] || piiValue.MatchString(text) {
				g.Redacted++
				return true
			}
			if len(out) == limit {
				g.Truncated = true
				return true
			}
			if len(text) > MaxGenericValueLen {
				text = truncateUTF8(text, MaxGenericValueLen)
				g.Truncated = true
			}
			out = append(out, Field{Path: path, Value: text})
			return true
		}
	}
	walk("", "", 0)
	return out
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Valuation is the Summary's top-level currentValue when FinPro sent one; the
// type's meaning is otherwise unknown, so it is not guessed.
func (g *Generic) Valuation() rebit.Valuation {
	v := rebit.Valuation{Class: rebit.AssetOther, Currency: wire.DefaultCurrency}
	for _, f := range g.Summary {
		if tagdec.NormKey(f.Path) == "currentvalue" {
			if d, ok := tagdec.ParseDecimal(f.Value); ok {
				v.Value = d
				return v
			}
		}
	}
	v.Missing = "not valued"
	return v
}
