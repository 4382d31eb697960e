package finpro

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fidata"
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
	env, err := call[fidata.AccountDataWire](ctx, c, paths.FIData, q, fiDataRequest{ConsentID: req.ConsentID, LinkReferenceNumber: req.LinkReferenceNumber})
	if err != nil {
		return nil, err
	}
	return fidata.AccountDataFrom(env, req.LinkReferenceNumber, req.Limit, req.Offset), nil
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
	req := allFIDataRangeRequest{ConsentID: consentID, Start: fiTime(from), End: fiTime(to)}
	env, err := call[json.RawMessage](ctx, c, paths.AllFIData, "", req)
	if err != nil {
		return nil, err
	}
	out, err := fidata.DecodeRange(env.Data)
	if err != nil {
		return nil, transport.Unavailable(paths.AllFIData, env.HTTPStatus, "undecodable response")
	}
	return out, nil
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
	env, err := call[wire.OneOrMany[fidata.RawAccountWire]](ctx, c, ep, "", consentIDRequest{ConsentID: consentID})
	if err != nil {
		return nil, err
	}
	return fidata.Accounts(env.Data), nil
}

type fiRequestBody struct {
	ConsentID string `json:"consentId"`
	From      string `json:"fiDataRangeFrom,omitempty"`
	To        string `json:"fiDataRangeTo,omitempty"`
}

// fiTimeLayout is FinPro's ISO-8601 UTC with milliseconds, e.g.
// 2021-05-01T16:49:48.297Z: the instants of /fi/request's range and of
// getallfidata's.
const fiTimeLayout = "2006-01-02T15:04:05.000Z"

// RequestFI starts a data fetch (/fi/request). Never retried.
func (c *Client) RequestFI(ctx context.Context, req FIRequest) (*FISession, error) {
	ep := paths.FIRequest
	if err := check.ID(ep, "consentId", req.ConsentID); err != nil {
		return nil, err
	}
	if !req.From.IsZero() && !req.To.IsZero() && req.To.Before(req.From) {
		return nil, transport.Invalid(ep, "range ends before it starts")
	}
	body := fiRequestBody{ConsentID: req.ConsentID, From: fiTime(req.From), To: fiTime(req.To)}
	env, err := call[fiSessionWire](ctx, c, ep, "", body)
	if err != nil {
		return nil, err
	}
	s := &FISession{ConsentID: wire.ID(env.Data.ConsentID), SessionID: string(env.Data.SessionID)}
	if s.ConsentID == "" {
		s.ConsentID = req.ConsentID
	}
	return s, nil
}

// fiTime is t in fiTimeLayout, "" for the zero time (an open end).
func fiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(fiTimeLayout)
}

type fiSessionWire struct {
	ConsentID wire.String `json:"consentId"`
	SessionID wire.String `json:"sessionId"`
}
