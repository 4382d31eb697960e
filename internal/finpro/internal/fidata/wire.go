package fidata

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// AccountDataFrom converts a decoded getfidata answer for the account
// linkRef, slicing the rows to the page of limit rows from offset (limit 0:
// every row) that FIData asked for.
func AccountDataFrom(env *transport.Envelope[AccountDataWire], linkRef string, limit, offset int) *AccountData {
	w := &env.Data
	rows := w.FIData
	if len(rows) == 0 {
		rows = w.Transactions.Transaction
	}
	pd := env.PageDetails
	if pd == nil {
		pd = w.PageDetails
	}
	total := -1
	if pd != nil && pd.TotalRecords != nil {
		total = int(*pd.TotalRecords)
	}
	switch {
	case limit == 0:
		total = len(rows)
	case len(rows) > limit && pd != nil:
		rows = rows[:limit]
	case len(rows) > limit:
		total = len(rows)
		lo := min(offset, len(rows))
		rows = rows[lo:min(lo+limit, len(rows))]
	}
	return &AccountData{
		LinkReferenceNumber: wire.FirstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber, linkRef),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              NormFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             w.fipName(),
		Balance:             w.Balance,
		Transactions:        toTransactions(rows),
		TotalRecords:        total,
	}
}

// Wire structs of getfidata, getallfidata, getalllatestfidata and getfibalance.

type txWire struct {
	TxnID                wire.String `json:"txnId"`
	Type                 string      `json:"type"`
	Mode                 string      `json:"mode"`
	Amount               Decimal     `json:"amount"`
	CurrentBalance       Decimal     `json:"currentBalance"`
	TransactionTimestamp wire.Time   `json:"transactionTimestamp"`
	ValueDate            string      `json:"valueDate"`
	Narration            string      `json:"narration"`
	Reference            wire.String `json:"reference"`

	raw json.RawMessage // the row's bytes (see AccountDataWire.DecodeEnvelope)
}

func (w *txWire) toTransaction() Transaction {
	return Transaction{
		TxnID:                string(w.TxnID),
		Type:                 w.Type,
		Mode:                 w.Mode,
		Amount:               w.Amount,
		CurrentBalance:       w.CurrentBalance,
		TransactionTimestamp: time.Time(w.TransactionTimestamp),
		ValueDate:            w.ValueDate,
		Narration:            w.Narration,
		Reference:            string(w.Reference),
		Raw:                  w.raw,
	}
}

func toTransactions(ws []txWire) []Transaction {
	if len(ws) == 0 {
		return nil
	}
	out := make([]Transaction, len(ws))
	for i := range ws {
		out[i] = ws[i].toTransaction()
	}
	return out
}

// txContainer is the ReBIT Transactions element {startDate, endDate,
// Transaction: [...] | {...}} or the docs' placeholder transactions[] array.
type txContainer struct {
	StartDate   string
	EndDate     string
	Transaction []txWire
}

func (c *txContainer) UnmarshalJSON(b []byte) error {
	var w struct {
		StartDate   string                 `json:"startDate"`
		EndDate     string                 `json:"endDate"`
		Transaction wire.OneOrMany[txWire] `json:"Transaction"`
	}
	if obj, err := wire.Container(b, &c.Transaction, &w); !obj || err != nil {
		return err
	}
	c.StartDate, c.EndDate, c.Transaction = w.StartDate, w.EndDate, w.Transaction
	return nil
}

// AccountDataWire is getfidata's data, decoded by DecodeEnvelope
// (raw.go).
type AccountDataWire struct {
	accountDataHead
	FIData       []txWire    `json:"fiData"`
	Transactions txContainer `json:"Transactions"`
}

// accountDataHead is getfidata's data but its rows.
type accountDataHead struct {
	accountWire
	PageDetails *transport.PageDetails `json:"pageDetails"`
}

// accountWire is an account as getfibalance and getfidata name it.
type accountWire struct {
	LinkReferenceNumber string  `json:"linkReferenceNumber"`
	LinkRefNumber       string  `json:"linkRefNumber"`
	MaskedAccountNumber string  `json:"maskedAccountNumber"`
	FIType              string  `json:"fiType"`
	FIPID               string  `json:"fipId"`
	FIPName             string  `json:"fipName"`
	Bank                string  `json:"bank"`
	Balance             Decimal `json:"balance"`
}

// fipName is the FIP's name under either of its keys.
func (w *accountWire) fipName() string { return wire.FirstNonEmpty(w.FIPName, w.Bank) }

// plainAccountDataWire is AccountDataWire in the shapes FinPro sends in
// practice (rows in fiData[] or in Transactions.Transaction[]), with no
// UnmarshalJSON method above the rows' fields: encoding/json reads it in one
// pass.
type plainAccountDataWire struct {
	accountDataHead
	FIData       []txWire `json:"fiData"`
	Transactions struct {
		StartDate   string   `json:"startDate"`
		EndDate     string   `json:"endDate"`
		Transaction []txWire `json:"Transaction"`
	} `json:"Transactions"`
}

type fiAccountWire struct {
	LinkReferenceNumber string       `json:"linkReferenceNumber"`
	LinkRefNumber       string       `json:"linkRefNumber"`
	LinkedAccRef        string       `json:"linkedAccRef"`
	MaskedAccountNumber string       `json:"maskedAccountNumber"`
	MaskedAccNumber     string       `json:"maskedAccNumber"`
	FIType              string       `json:"fiType"`
	FIPID               string       `json:"fipId"`
	FIPName             string       `json:"fipName"`
	Bank                string       `json:"bank"`
	Profile             *profileWire `json:"Profile"`
	Summary             *summaryWire `json:"Summary"`
	Transactions        txContainer  `json:"Transactions"`
}

func (w *fiAccountWire) toFIAccount() FIAccount {
	a := FIAccount{
		LinkReferenceNumber: wire.FirstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber, w.LinkedAccRef),
		MaskedAccountNumber: wire.FirstNonEmpty(w.MaskedAccountNumber, w.MaskedAccNumber),
		FIType:              NormFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             wire.FirstNonEmpty(w.Bank, w.FIPName),
		Transactions:        toTransactions(w.Transactions.Transaction),
		TransactionsStart:   w.Transactions.StartDate,
		TransactionsEnd:     w.Transactions.EndDate,
	}
	if w.Profile != nil {
		a.Profile = w.Profile.toProfile()
	}
	if w.Summary != nil {
		a.Summary = w.Summary.toSummary()
	}
	return a
}

// profileWire is Profile{Holders{type, Holder: {...} | [...]}}; the docs'
// placeholder shape puts holder directly under profile, which is accepted too.
type profileWire struct {
	Holders holdersWire                `json:"Holders"`
	Holder  wire.OneOrMany[holderWire] `json:"Holder"`
	Type    string                     `json:"type"`
}

type holdersWire struct {
	Type   string
	Holder []holderWire
}

func (h *holdersWire) UnmarshalJSON(b []byte) error {
	var w struct {
		Type   string                     `json:"type"`
		Holder wire.OneOrMany[holderWire] `json:"Holder"`
	}
	if obj, err := wire.Container(b, &h.Holder, &w); !obj || err != nil {
		return err
	}
	h.Type, h.Holder = w.Type, w.Holder
	return nil
}

func (w *profileWire) toProfile() *Profile {
	hs := w.Holders.Holder
	if len(hs) == 0 {
		hs = w.Holder
	}
	p := &Profile{
		HoldersType: strings.ToUpper(strings.TrimSpace(wire.FirstNonEmpty(w.Holders.Type, w.Type))),
		Holders:     make([]Holder, len(hs)),
	}
	for i := range hs {
		p.Holders[i] = hs[i].toHolder()
	}
	if p.HoldersType == "" {
		p.HoldersType = "SINGLE"
		if len(hs) > 1 {
			p.HoldersType = "JOINT"
		}
	}
	return p
}

type holderWire struct {
	Name           string      `json:"name"`
	DOB            string      `json:"dob"`
	Mobile         wire.String `json:"mobile"`
	Nominee        string      `json:"nominee"`
	Landline       wire.String `json:"landline"`
	Address        string      `json:"address"`
	Email          string      `json:"email"`
	PAN            string      `json:"pan"`
	CKYCCompliance wire.Bool   `json:"ckycCompliance"`
	CKYCCompliant  wire.Bool   `json:"ckycCompliant"`
}

func (w *holderWire) toHolder() Holder {
	return Holder{
		Name:          w.Name,
		DOB:           w.DOB,
		Mobile:        string(w.Mobile),
		Nominee:       w.Nominee,
		Landline:      string(w.Landline),
		Address:       w.Address,
		Email:         w.Email,
		PAN:           w.PAN,
		CKYCCompliant: bool(w.CKYCCompliance || w.CKYCCompliant),
	}
}

// summaryWire keeps the Summary object's raw bytes for the FI-type plugins.
type summaryWire struct {
	raw    json.RawMessage
	fields summaryFields
}

type summaryFields struct {
	CurrentBalance  Decimal   `json:"currentBalance"`
	Currency        string    `json:"currency"`
	BalanceDateTime wire.Time `json:"balanceDateTime"`
	Type            string    `json:"type"`
	Branch          string    `json:"branch"`
	IFSCCode        string    `json:"ifscCode"`
	IFSC            string    `json:"ifsc"`
	OpeningDate     string    `json:"openingDate"`
	Status          string    `json:"status"`
}

func (s *summaryWire) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &s.fields); err != nil {
		return err
	}
	s.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

func (s *summaryWire) toSummary() *Summary {
	f := &s.fields
	return &Summary{
		CurrentBalance:  f.CurrentBalance,
		Currency:        wire.Currency(f.Currency),
		BalanceDateTime: time.Time(f.BalanceDateTime),
		Type:            f.Type,
		Branch:          f.Branch,
		IFSC:            wire.FirstNonEmpty(f.IFSCCode, f.IFSC),
		OpeningDate:     f.OpeningDate,
		Status:          f.Status,
		Raw:             s.raw,
	}
}

// rangeAccountWire is fiAccountWire with its transactions as FinPro sends
// them in practice: a Transaction array (the outer field wins over the
// embedded one).
type rangeAccountWire struct {
	fiAccountWire
	Transactions struct {
		StartDate   string   `json:"startDate"`
		EndDate     string   `json:"endDate"`
		Transaction []txWire `json:"Transaction"`
	} `json:"Transactions"`
}

// BalanceWire is one account of getfibalance's data.
type BalanceWire struct {
	accountWire
	CurrentBalance Decimal `json:"currentBalance"`
	Currency       string  `json:"currency"`
}

func (w *BalanceWire) ToBalance(asOf time.Time) Balance {
	b := Balance{
		LinkReferenceNumber: wire.FirstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              NormFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             w.fipName(),
		Balance:             Decimal(wire.FirstNonEmpty(string(w.Balance), string(w.CurrentBalance))),
		Currency:            wire.Currency(w.Currency),
		AsOf:                asOf,
	}
	return b
}

// Accounts converts getallfidata's or getalllatestfidata's accounts, each
// with its bytes (FIAccount.Raw).
func Accounts(ws []RawAccountWire) []FIAccount {
	out := make([]FIAccount, len(ws))
	for i := range ws {
		out[i] = ws[i].toFIAccount()
		out[i].Raw = ws[i].raw
	}
	return out
}

// DecodeRange decodes the data of getallfidata with a date range into its
// accounts, keeping no raw bytes (FIAccount.Raw is nil): a range read is for
// reading transactions. FinPro's usual shape (an array of accounts, each
// with a Transaction array) decodes in one pass; only another shape goes
// through the tolerant decoders, whose nested UnmarshalJSON scan each
// transaction several times.
func DecodeRange(data json.RawMessage) ([]FIAccount, error) {
	var plain []rangeAccountWire
	if err := json.Unmarshal(data, &plain); err == nil {
		out := make([]FIAccount, len(plain))
		for i := range plain {
			w := &plain[i]
			w.fiAccountWire.Transactions = txContainer{StartDate: w.Transactions.StartDate, EndDate: w.Transactions.EndDate, Transaction: w.Transactions.Transaction}
			out[i] = w.toFIAccount()
		}
		return out, nil
	}
	var any wire.OneOrMany[fiAccountWire]
	if err := json.Unmarshal(data, &any); err != nil {
		return nil, err
	}
	out := make([]FIAccount, len(any))
	for i := range any {
		out[i] = any[i].toFIAccount()
	}
	return out, nil
}
