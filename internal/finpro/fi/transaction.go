package fi

import (
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/tagdec"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Txn is one transaction row decoded by its account's schema: a
// *deposits.DepositTransaction or *deposits.TermTransaction; a
// *securities.EquityTransaction, *securities.IDRTransaction,
// *securities.SecurityTransaction or *securities.DebentureTransaction; a
// *funds.MutualFundTransaction, *funds.SIPTransaction, *funds.ETFTransaction,
// *funds.CISTransaction, *funds.AIFTransaction or *funds.InvITTransaction; a
// *pension.NPSSchemeTransaction or *pension.NPSInvestmentTransaction; an
// *insurance.InsuranceTransaction or, for FI types without a schema, a
// *GenericTransaction.
type Txn interface {
	// Common is the row in the fields every schema can fill.
	Common() rebit.Common
}

// TransactionTypeEnums names the enums (keys of [Enums]) of the schemas'
// transaction types: Common.Type is always a value of one of them.
var TransactionTypeEnums = []string{
	"CreditDebit", "TermTransactionType", "BuySell", "EquityTransactionType",
	"ETFTransactionType", "CISTransactionType", "NPSTransactionType", "NPSInvestmentTransactionType",
	"InsuranceTransactionType",
}

// rowDecoder decodes one Transaction element of a schema.
type rowDecoder func(raw []byte, d *tagdec.Decoder) Txn

func row[T any, P interface {
	*T
	Txn
}]() rowDecoder {
	return func(raw []byte, d *tagdec.Decoder) Txn {
		v := P(new(T))
		d.Into(raw, v)
		return v
	}
}

// rows maps each FI type with a schema to its Transaction element's type.
var rows = map[finpro.FIType]rowDecoder{
	TypeDeposit:           row[deposits.DepositTransaction](),
	TypeTermDeposit:       row[deposits.TermTransaction](),
	TypeRecurringDeposit:  row[deposits.TermTransaction](),
	TypeSIP:               row[funds.SIPTransaction](),
	TypeCP:                row[securities.SecurityTransaction](),
	TypeGovtSecurities:    row[securities.SecurityTransaction](),
	TypeEquities:          row[securities.EquityTransaction](),
	TypeBonds:             row[securities.SecurityTransaction](),
	TypeDebentures:        row[securities.DebentureTransaction](),
	TypeMutualFunds:       row[funds.MutualFundTransaction](),
	TypeETF:               row[funds.ETFTransaction](),
	TypeIDR:               row[securities.IDRTransaction](),
	TypeCIS:               row[funds.CISTransaction](),
	TypeAIF:               row[funds.AIFTransaction](),
	TypeInsurancePolicies: row[insurance.InsuranceTransaction](),
	TypeLifeInsurance:     row[insurance.InsuranceTransaction](),
	TypeGeneralInsurance:  row[insurance.InsuranceTransaction](),
	TypeNPS:               decodeNPSRow,
	TypeInvIT:             row[funds.InvITTransaction](),
	TypeREIT:              row[funds.InvITTransaction](),
}

// DecodeTransaction decodes one transaction row of an account of FI type t
// (a getfidata row, finpro.Transaction.Raw) by the account's schema. Like
// Decode it never fails: what did not decode is absent and listed in Issues.
// FI types without a schema give a *GenericTransaction, a bounded view
// without personal data.
func DecodeTransaction(t finpro.FIType, raw []byte) (Txn, Issues) {
	d := tagdec.Decoder{Codec: codec}
	if dec := rows[t]; dec != nil {
		return dec(raw, &d), Issues{Malformed: d.Malformed} // a row that is not an object is an issue at ""
	}
	gt := &GenericTransaction{}
	if _, ok := tagdec.ParseObject(raw); !ok {
		d.AddMalformed("")
		return gt, Issues{Malformed: d.Malformed}
	}
	g := &Generic{}
	gt.Fields = g.flatten(raw, MaxGenericTxnFields)
	gt.Redacted, gt.Truncated = g.Redacted, g.Truncated
	return gt, Issues{Malformed: d.Malformed}
}

// decodeNPSRow decodes a row of getfidata's single NPS list, which merges the
// schema's scheme and investment (contribution) lists: a row with
// contribution attributes is an investment row.
func decodeNPSRow(raw []byte, d *tagdec.Decoder) Txn {
	m, _ := tagdec.ParseObject(raw)
	for _, k := range []string{"subscribercontribution", "employercontribution", "totalcontribution"} {
		if _, ok := m[k]; ok {
			return row[pension.NPSInvestmentTransaction]()(raw, d)
		}
	}
	return row[pension.NPSSchemeTransaction]()(raw, d)
}

// Normalize fills the statement fields of getfidata rows (the deposit-shaped
// view the finpro client decodes) from each row's own schema: the amount of
// an equity trade is its tradeValue, a term deposit's balance its balance
// attribute, a SIP's date its txnDate, and so on. A value the schema gives
// replaces the client's; a mode of DEMAT or PHYSICAL (how units are held, in
// the securities schemas) is not a payment channel and is cleared. Rows
// without Raw (deposits) are left alone, and so are rows the client read in
// full (an amount and a transactionTimestamp, from an FIP that renders the
// deposit shape whatever the type): the client has what the statement
// needs, and decoding every such row would cost the dashboard its speed.
func Normalize(t finpro.FIType, rs []finpro.Transaction) {
	for i := range rs {
		r := &rs[i]
		if r.Raw == nil || r.Amount != "" && !r.TransactionTimestamp.IsZero() && r.Mode != "DEMAT" && r.Mode != "PHYSICAL" {
			continue // a deposit, or a row in the deposit shape the client read in full
		}
		tx, _ := DecodeTransaction(t, r.Raw)
		c := tx.Common()
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&r.TxnID, c.TxnID)
		set(&r.Type, c.Type)
		set((*string)(&r.Amount), string(c.Amount))
		set((*string)(&r.CurrentBalance), string(c.Balance))
		set(&r.ValueDate, string(c.ValueDate))
		set(&r.Narration, c.Narration)
		set(&r.Reference, c.Reference)
		switch m := normEnum(r.Mode); {
		case c.Mode != "":
			r.Mode = c.Mode
		case m == "DEMAT" || m == "PHYSICAL":
			r.Mode = "" // how units are held, not a payment channel
		}
		if !c.At.IsZero() {
			r.TransactionTimestamp = c.At
		}
	}
}

// GenericTransaction is a transaction of an FI type without a schema: its
// scalar values, made safe and bounded as a [Generic] account's are.
type GenericTransaction struct {
	// Fields are the row's scalars in FinPro's order ("amount", "tax/igst").
	Fields []Field
	// Redacted counts the values dropped as personal data.
	Redacted int
	// Truncated reports that the limits cut fields or long values.
	Truncated bool
}

// Common implements Txn from the row's top-level fields that name a
// statement field (txnId, type, amount, balance, a date, narration). They
// come from Fields, so personal data is already gone.
func (t *GenericTransaction) Common() rebit.Common {
	var c rebit.Common
	for _, f := range t.Fields {
		if strings.ContainsAny(f.Path, "/[") {
			continue
		}
		switch tagdec.NormKey(f.Path) {
		case "txnid":
			c.TxnID = f.Value
		case "type":
			c.Type = normEnum(f.Value)
		case "amount":
			c.Amount, _ = tagdec.ParseDecimal(f.Value)
		case "balance", "currentbalance":
			c.Balance, _ = tagdec.ParseDecimal(f.Value)
		case "narration":
			c.Narration = f.Value
		case "transactiontimestamp", "transactiondatetime", "txndate", "date":
			if c.At.IsZero() {
				c.At, _ = wire.ParseTime(f.Value)
			}
		case "valuedate":
			c.ValueDate, _ = parseDate(f.Value)
		}
	}
	for _, f := range t.Fields { // no statement date: the row's first other date (an invoice's invoiceDate)
		if !c.At.IsZero() {
			break
		}
		k := tagdec.NormKey(f.Path)
		if !strings.ContainsAny(f.Path, "/[") && (strings.HasSuffix(k, "date") || strings.HasSuffix(k, "datetime") || strings.HasSuffix(k, "timestamp")) {
			c.At, _ = wire.ParseTime(f.Value)
		}
	}
	return c
}
