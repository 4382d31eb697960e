package finpro

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

type fiDataRequest struct {
	ConsentID           string `json:"consentID"`
	LinkReferenceNumber string `json:"linkReferenceNumber"`
}

type consentIDRequest struct {
	ConsentID string `json:"consentID"`
}

// MaxFIDataLimit is the largest FIDataRequest.Limit the client sends.
const MaxFIDataLimit = 1000

// FIData returns one account and a page of its transactions (getfidata).
//
// Paging is sent as ?limit=<n>&offset=<k> (docs/upstream-decisions.md). When FinPro
// answers with more rows than asked for, the client slices: rows[:Limit] when
// FinPro echoed pageDetails (it applied the offset), otherwise
// rows[Offset:Offset+Limit] (it ignored paging and sent every row).
func (c *Client) FIData(ctx context.Context, req FIDataRequest) (*AccountData, error) {
	if err := check.ID(paths.FIData, "consentID", req.ConsentID); err != nil {
		return nil, err
	}
	if err := check.ID(paths.FIData, "linkReferenceNumber", req.LinkReferenceNumber); err != nil {
		return nil, err
	}
	switch {
	case req.Limit < 0 || req.Limit > MaxFIDataLimit:
		return nil, transport.Invalid(paths.FIData, "limit out of range")
	case req.Offset < 0:
		return nil, transport.Invalid(paths.FIData, "offset out of range")
	case req.Offset > 0 && req.Limit == 0:
		return nil, transport.Invalid(paths.FIData, "offset without limit")
	}
	q := ""
	if req.Limit > 0 {
		q = "limit=" + strconv.Itoa(req.Limit) + "&offset=" + strconv.Itoa(req.Offset)
	}
	env, err := call[accountDataWire](ctx, c, paths.FIData, q, fiDataRequest{ConsentID: req.ConsentID, LinkReferenceNumber: req.LinkReferenceNumber})
	if err != nil {
		return nil, err
	}
	return accountDataFrom(env, req), nil
}

// AllFIData returns every account under a consent with profile, summary and
// transactions (getallfidata).
func (c *Client) AllFIData(ctx context.Context, consentID string) ([]FIAccount, error) {
	return c.fiAccounts(ctx, paths.AllFIData, consentID)
}

// allFIDataRangeRequest is getallfidata's body with a date range; the dates
// are ISO 8601 UTC instants, as /fi/request's are.
type allFIDataRangeRequest struct {
	ConsentID string `json:"consentID"`
	Start     string `json:"transactionsStartDate,omitempty"`
	End       string `json:"transactionsEndDate,omitempty"`
}

// isoUTC is the instant format of FinPro's date parameters, e.g.
// 2021-05-01T16:49:48.297Z.
const isoUTC = "2006-01-02T15:04:05.000Z"

// AllFIDataBetween returns every account under a consent with only the
// transactions between from and to (getallfidata's transactionsStartDate
// and transactionsEndDate); a zero time leaves its end open. FinPro does not
// say whether it compares timestamps or value dates, or in which zone, so
// callers that need exact day bounds ask for a little more and filter
// themselves. Unlike AllFIData it keeps no raw bytes (FIAccount.Raw is nil):
// it is for reading transactions.
func (c *Client) AllFIDataBetween(ctx context.Context, consentID string, from, to time.Time) ([]FIAccount, error) {
	if err := check.ID(paths.AllFIData, "consentID", consentID); err != nil {
		return nil, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, transport.Invalid(paths.AllFIData, "date range ends before it starts")
	}
	req := allFIDataRangeRequest{ConsentID: consentID}
	if !from.IsZero() {
		req.Start = from.UTC().Format(isoUTC)
	}
	if !to.IsZero() {
		req.End = to.UTC().Format(isoUTC)
	}
	env, err := call[json.RawMessage](ctx, c, paths.AllFIData, "", req)
	if err != nil {
		return nil, err
	}
	// A range read is mostly transactions: decode FinPro's usual shape (an
	// array of accounts, each with a Transaction array) in one pass, and
	// only another shape with the tolerant decoders, whose nested
	// UnmarshalJSON scan each transaction several times.
	var plain []rangeAccountWire
	if err := json.Unmarshal(env.Data, &plain); err == nil {
		out := make([]FIAccount, len(plain))
		for i := range plain {
			w := &plain[i]
			w.fiAccountWire.Transactions = txContainer{StartDate: w.Transactions.StartDate, EndDate: w.Transactions.EndDate, Transaction: w.Transactions.Transaction}
			out[i] = w.toFIAccount()
		}
		return out, nil
	}
	var any wire.OneOrMany[fiAccountWire]
	if err := json.Unmarshal(env.Data, &any); err != nil {
		return nil, transport.Unavailable(paths.AllFIData, env.HTTPStatus, "undecodable response")
	}
	out := make([]FIAccount, len(any))
	for i := range any {
		out[i] = any[i].toFIAccount()
	}
	return out, nil
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

// LatestFIData returns what is new since the last pull (getalllatestfidata). It
// consumes the increment upstream: callers must keep the result. Nothing new is
// ErrNoNewData. Never retried.
func (c *Client) LatestFIData(ctx context.Context, consentID string) ([]FIAccount, error) {
	return c.fiAccounts(ctx, paths.LatestFIData, consentID)
}

func (c *Client) fiAccounts(ctx context.Context, ep, consentID string) ([]FIAccount, error) {
	if err := check.ID(ep, "consentID", consentID); err != nil {
		return nil, err
	}
	env, err := call[wire.OneOrMany[rawFIAccountWire]](ctx, c, ep, "", consentIDRequest{ConsentID: consentID})
	if err != nil {
		return nil, err
	}
	out := make([]FIAccount, len(env.Data))
	for i := range env.Data {
		out[i] = env.Data[i].toFIAccount()
		out[i].Raw = env.Data[i].raw
	}
	return out, nil
}

// accountDataFrom converts a decoded getfidata answer, slicing the rows to the
// requested page.
func accountDataFrom(env *transport.Envelope[accountDataWire], req FIDataRequest) *AccountData {
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
	case req.Limit == 0:
		total = len(rows)
	case len(rows) > req.Limit && pd != nil:
		rows = rows[:req.Limit]
	case len(rows) > req.Limit:
		total = len(rows)
		lo := min(req.Offset, len(rows))
		rows = rows[lo:min(lo+req.Limit, len(rows))]
	}
	return &AccountData{
		LinkReferenceNumber: wire.FirstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber, req.LinkReferenceNumber),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              NormFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             w.fipName(),
		Balance:             w.Balance,
		Transactions:        toTransactions(rows),
		TotalRecords:        total,
	}
}

// Wire structs of getfidata, getallfidata and getalllatestfidata.

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

	raw json.RawMessage // the row's bytes (see accountDataWire.DecodeEnvelope)
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

// accountDataWire is getfidata's data, decoded by DecodeEnvelope
// (rawaccount.go).
type accountDataWire struct {
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

// plainAccountDataWire is accountDataWire in the shapes FinPro sends in
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
