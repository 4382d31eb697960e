package fi

import (
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/tagdec"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Txn is one transaction row decoded by its account's schema: a
// *DepositTransaction, *TermTransaction, *MutualFundTransaction,
// *SIPTransaction, *EquityTransaction, *IDRTransaction, *ETFTransaction,
// *CISTransaction, *AIFTransaction, *InvITTransaction, *SecurityTransaction,
// *DebentureTransaction, *NPSSchemeTransaction, *NPSInvestmentTransaction,
// *InsuranceTransaction or, for FI types without a schema, *GenericTransaction.
type Txn interface {
	// Common is the row in the fields every schema can fill.
	Common() Common
}

// Common is what a transaction of any schema says in the terms of an account
// statement, so that one list can show every account's transactions. "" and
// the zero time mean the schema or the row has no such value.
type Common struct {
	TxnID string
	// Type is the schema's transaction type, normalised: a value of one of
	// the enums in TransactionTypeEnums unless FinPro sent another; "" for
	// schemas without one (AIF, InvIT, REIT).
	Type string
	// Amount is the money that moved: amount, tradeValue, totalContribution,
	// ... by schema.
	Amount Decimal
	// Balance is the account's balance after the row (deposit, term and
	// recurring deposit schemas).
	Balance Decimal
	// Mode is the payment channel (deposit, term and recurring deposit
	// schemas; the others' mode is DEMAT or PHYSICAL, not a channel).
	Mode string
	// At is when the row happened: its date-time, or its date at midnight IST.
	At        time.Time
	ValueDate Date
	Narration string
	// Reference is the cheque or reference number, or an exchange trade's ID.
	Reference string
}

// TransactionTypeEnums names the enums (keys of [Enums]) of the schemas'
// transaction types: Common.Type is always a value of one of them.
var TransactionTypeEnums = []string{"CreditDebit", "TermTransactionType", "BuySell", "EquityTransactionType",
	"ETFTransactionType", "CISTransactionType", "NPSTransactionType", "NPSInvestmentTransactionType",
	"InsuranceTransactionType"}

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
	TypeDeposit:           row[DepositTransaction](),
	TypeTermDeposit:       row[TermTransaction](),
	TypeRecurringDeposit:  row[TermTransaction](),
	TypeSIP:               row[SIPTransaction](),
	TypeCP:                row[SecurityTransaction](),
	TypeGovtSecurities:    row[SecurityTransaction](),
	TypeEquities:          row[EquityTransaction](),
	TypeBonds:             row[SecurityTransaction](),
	TypeDebentures:        row[DebentureTransaction](),
	TypeMutualFunds:       row[MutualFundTransaction](),
	TypeETF:               row[ETFTransaction](),
	TypeIDR:               row[IDRTransaction](),
	TypeCIS:               row[CISTransaction](),
	TypeAIF:               row[AIFTransaction](),
	TypeInsurancePolicies: row[InsuranceTransaction](),
	TypeLifeInsurance:     row[InsuranceTransaction](),
	TypeGeneralInsurance:  row[InsuranceTransaction](),
	TypeNPS:               decodeNPSRow,
	TypeInvIT:             row[InvITTransaction](),
	TypeREIT:              row[InvITTransaction](),
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
			return row[NPSInvestmentTransaction]()(raw, d)
		}
	}
	return row[NPSSchemeTransaction]()(raw, d)
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

// midnight is a date's start in IST (FinPro's dates are IST), zero when absent.
func midnight(d Date) time.Time {
	if d == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, string(d), wire.IST)
	if err != nil {
		return time.Time{}
	}
	return t
}

// firstTime returns the first non-zero of ts.
func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// Common implements Txn.
func (t *DepositTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Balance: t.CurrentBalance, Mode: t.Mode,
		At: t.TransactionTimestamp, ValueDate: t.ValueDate, Narration: t.Narration, Reference: t.Reference}
}

// Common implements Txn.
func (t *TermTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Balance: t.Balance, Mode: t.Mode,
		At: t.TransactionDateTime, ValueDate: t.ValueDate, Narration: t.Narration, Reference: t.Reference}
}

// Common implements Txn: a fund order happens on its execution date.
func (t *MutualFundTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: firstTime(midnight(t.ExecutionDate), midnight(t.OrderDate), midnight(t.NAVDate))}
}

// Common implements Txn.
func (t *SIPTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: midnight(t.TxnDate)}
}

// Common implements Txn: the money of a trade is its trade value.
func (t *EquityTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration,
		At: t.TransactionDateTime, Reference: firstString(t.TradeID, t.OrderID)}
}

// Common implements Txn.
func (t *IDRTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration,
		At: t.TransactionDateTime, Reference: firstString(t.TradeID, t.OrderID)}
}

// Common implements Txn.
func (t *ETFTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: firstTime(t.TransactionDateTime, midnight(t.ExecutionDate), midnight(t.OrderDate))}
}

// Common implements Txn.
func (t *CISTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration,
		At: firstTime(t.TransactionDateTime, midnight(t.ExecutionDate), midnight(t.OrderDate), midnight(t.NAVDate))}
}

// Common implements Txn. An AIF row has no type: it is an investment, a
// redemption, a reinvestment, a payout, a fee or a tax payment by which
// amount it fills, and happens on that amount's date.
func (t *AIFTransaction) Common() Common {
	c := Common{TxnID: t.TxnID, Narration: t.Narration}
	for _, p := range []struct {
		amount Decimal
		at     time.Time
	}{
		{t.InvestmentValue, t.InvestmentDateTime},
		{t.RedemptionValue, midnight(t.RedemptionDate)},
		{t.ReInvestmentValue, midnight(t.ReInvestmentDate)},
		{t.PaymentInvestorAmount, midnight(t.PaymentInvestorDate)},
		{t.FundFeesPaymentAmount, midnight(t.FundFeesPaymentDate)},
		{t.TaxPaidValue, midnight(t.TaxPaidDate)},
	} {
		if p.amount != "" {
			c.Amount, c.At = p.amount, p.at
			break
		}
	}
	if c.At.IsZero() {
		c.At = firstTime(t.InvestmentDateTime, midnight(t.RedemptionDate), midnight(t.ReInvestmentDate),
			midnight(t.PaymentInvestorDate), midnight(t.FundFeesPaymentDate), midnight(t.TaxPaidDate))
	}
	return c
}

// Common implements Txn. The schema has no type; its transactionDescription
// stands in for a narration when there is none.
func (t *InvITTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Amount: t.TradeValue, At: t.TransactionDateTime,
		Narration: firstString(t.Narration, t.TransactionDescription)}
}

// Common implements Txn.
func (t *SecurityTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration, At: t.TransactionDateTime}
}

// Common implements Txn.
func (t *DebentureTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration, At: t.TransactionDateTime}
}

// Common implements Txn.
func (t *NPSSchemeTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: midnight(t.TxnDate)}
}

// Common implements Txn: the money of a contribution is its total.
func (t *NPSInvestmentTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TotalContribution, Narration: t.Narration, At: midnight(t.TxnDate)}
}

// Common implements Txn.
func (t *InsuranceTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: midnight(t.TxnDate)}
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
func (t *GenericTransaction) Common() Common {
	var c Common
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
			c.Amount, _ = parseDecimal(f.Value)
		case "balance", "currentbalance":
			c.Balance, _ = parseDecimal(f.Value)
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

func firstString(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
