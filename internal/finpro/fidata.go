package finpro

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
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
	if err := checkID(pathFIData, "consentID", req.ConsentID); err != nil {
		return nil, err
	}
	if err := checkID(pathFIData, "linkReferenceNumber", req.LinkReferenceNumber); err != nil {
		return nil, err
	}
	switch {
	case req.Limit < 0 || req.Limit > MaxFIDataLimit:
		return nil, invalid(pathFIData, "limit out of range")
	case req.Offset < 0:
		return nil, invalid(pathFIData, "offset out of range")
	case req.Offset > 0 && req.Limit == 0:
		return nil, invalid(pathFIData, "offset without limit")
	}
	q := ""
	if req.Limit > 0 {
		q = "limit=" + strconv.Itoa(req.Limit) + "&offset=" + strconv.Itoa(req.Offset)
	}
	env, err := call[accountDataWire](ctx, c, pathFIData, q, fiDataRequest{ConsentID: req.ConsentID, LinkReferenceNumber: req.LinkReferenceNumber})
	if err != nil {
		return nil, err
	}
	return accountDataFrom(env, req), nil
}

// AllFIData returns every account under a consent with profile, summary and
// transactions (getallfidata).
func (c *Client) AllFIData(ctx context.Context, consentID string) ([]FIAccount, error) {
	return c.fiAccounts(ctx, pathAllFIData, consentID)
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
	if err := checkID(pathAllFIData, "consentID", consentID); err != nil {
		return nil, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, invalid(pathAllFIData, "date range ends before it starts")
	}
	req := allFIDataRangeRequest{ConsentID: consentID}
	if !from.IsZero() {
		req.Start = from.UTC().Format(isoUTC)
	}
	if !to.IsZero() {
		req.End = to.UTC().Format(isoUTC)
	}
	env, err := call[json.RawMessage](ctx, c, pathAllFIData, "", req)
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
	var any oneOrMany[fiAccountWire]
	if err := json.Unmarshal(env.Data, &any); err != nil {
		return nil, unavailable(pathAllFIData, env.httpStatus, "undecodable response")
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
	return c.fiAccounts(ctx, pathLatestFIData, consentID)
}

func (c *Client) fiAccounts(ctx context.Context, ep, consentID string) ([]FIAccount, error) {
	if err := checkID(ep, "consentID", consentID); err != nil {
		return nil, err
	}
	env, err := call[oneOrMany[rawFIAccountWire]](ctx, c, ep, "", consentIDRequest{ConsentID: consentID})
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
func accountDataFrom(env *envelope[accountDataWire], req FIDataRequest) *AccountData {
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
		LinkReferenceNumber: firstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber, req.LinkReferenceNumber),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              normFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             firstNonEmpty(w.FIPName, w.Bank),
		Balance:             w.Balance,
		Transactions:        toTransactions(rows),
		TotalRecords:        total,
	}
}
