package finpro

import (
	"context"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

type consentListRequest struct {
	MobileNumber string          `json:"mobileNumber"`
	ProductID    string          `json:"productID"`
	Status       []ConsentStatus `json:"status,omitempty"`
	PageNumber   int             `json:"pageNumber,omitempty"`
	PageSize     int             `json:"pageSize,omitempty"`
}

// MaxConsentPageSize is the largest ConsentListRequest.PageSize the client sends.
const MaxConsentPageSize = 1000

var validStatus = map[ConsentStatus]bool{
	ConsentPending: true, ConsentActive: true, ConsentRejected: true,
	ConsentRevoked: true, ConsentExpired: true, ConsentPaused: true,
}

// Consents returns a page of a customer's consents (/v1/accounts/getconsentslist).
//
// FinPro's list is not reliably scoped to the product (finpro-upstream.md §5), so
// the client drops rows of other products; Page still holds FinPro's numbers.
func (c *Client) Consents(ctx context.Context, req ConsentListRequest) (*ConsentPage, error) {
	if !mobile.Valid(req.MobileNumber) {
		return nil, transport.Invalid(paths.Consents, "mobileNumber is not 10 digits")
	}
	if err := check.ID(paths.Consents, "productID", req.ProductID); err != nil {
		return nil, err
	}
	for _, s := range req.Status {
		if !validStatus[s] {
			return nil, transport.Invalid(paths.Consents, "unknown status")
		}
	}
	switch {
	case req.PageNumber < 0:
		return nil, transport.Invalid(paths.Consents, "pageNumber out of range")
	case req.PageSize < 0 || req.PageSize > MaxConsentPageSize:
		return nil, transport.Invalid(paths.Consents, "pageSize out of range")
	case req.PageNumber > 0 && req.PageSize == 0:
		return nil, transport.Invalid(paths.Consents, "pageNumber without pageSize")
	}
	env, err := call[wire.OneOrMany[consentWire]](ctx, c, paths.Consents, "", consentListRequest(req))
	if err != nil {
		return nil, err
	}
	page := &ConsentPage{Consents: make([]Consent, 0, len(env.Data))}
	for i := range env.Data {
		con := env.Data[i].toConsent()
		if con.ProductID != "" && con.ProductID != req.ProductID {
			continue
		}
		page.Consents = append(page.Consents, con)
	}
	if pd := env.PageDetails; pd != nil {
		page.Page = &PageDetails{CurrentPageNumber: int(pd.CurrentPageNumber), TotalPages: int(pd.TotalPages)}
		if pd.TotalRecords != nil {
			page.Page.TotalRecords = int(*pd.TotalRecords)
		}
	}
	return page, nil
}

type requestConsentBody struct {
	ProductID            string `json:"productID"`
	VUA                  string `json:"vua"`
	PartyIdentifierType  string `json:"partyIdentifierType"`
	PartyIdentifierValue string `json:"partyIdentifierValue"`
	AccountID            string `json:"accountID"`
}

// RequestConsent creates a consent request (/v2/requestconsent). Never retried.
//
// PartyIdentifierType defaults to MOBILE and, for MOBILE, PartyIdentifierValue
// to the VUA's mobile number.
func (c *Client) RequestConsent(ctx context.Context, req ConsentRequest) (*ConsentHandle, error) {
	ep := paths.RequestConsent
	body, err := consentRequestBody(ep, req)
	if err != nil {
		return nil, err
	}
	env, err := call[consentHandleWire](ctx, c, ep, "", body)
	if err != nil {
		return nil, err
	}
	return env.Data.toHandle(ep)
}

// consentRequestBody checks req and fills its defaults, for /v2 and
// /v3/requestconsent.
func consentRequestBody(ep string, req ConsentRequest) (requestConsentBody, error) {
	if err := check.ID(ep, "productID", req.ProductID); err != nil {
		return requestConsentBody{}, err
	}
	local, host, ok := strings.Cut(req.VUA, "@")
	if !ok || local == "" || host == "" {
		return requestConsentBody{}, transport.Invalid(ep, "vua is not <id>@<aa>")
	}
	body := requestConsentBody{
		ProductID:            req.ProductID,
		VUA:                  req.VUA,
		PartyIdentifierType:  strings.ToUpper(req.PartyIdentifierType),
		PartyIdentifierValue: req.PartyIdentifierValue,
		AccountID:            req.AccountID,
	}
	if body.PartyIdentifierType == "" {
		body.PartyIdentifierType = "MOBILE"
	}
	switch body.PartyIdentifierType {
	case "MOBILE":
		if body.PartyIdentifierValue == "" {
			body.PartyIdentifierValue = local
		}
		if !mobile.Valid(body.PartyIdentifierValue) {
			return requestConsentBody{}, transport.Invalid(ep, "partyIdentifierValue is not 10 digits")
		}
	case "EMAIL", "PAN":
		if body.PartyIdentifierValue == "" {
			return requestConsentBody{}, transport.Invalid(ep, "partyIdentifierValue is empty")
		}
	default:
		return requestConsentBody{}, transport.Invalid(ep, "unknown partyIdentifierType")
	}
	return body, nil
}

// toHandle is the ConsentHandle of a requestconsent answer.
func (w *consentHandleWire) toHandle(ep string) (*ConsentHandle, error) {
	h := wire.ID(wire.FirstNonEmpty(w.ConsentHandleSnake, w.ConsentHandle))
	if h == "" {
		return nil, transport.Unavailable(ep, 200, "undecodable response")
	}
	st := ConsentStatus(strings.ToUpper(w.Status))
	if st == "" {
		st = ConsentPending
	}
	return &ConsentHandle{Handle: h, Status: st}, nil
}

// RevokeConsent revokes an ACTIVE or PAUSED consent by consent ID (/revokeconsent).
// Never retried. Revoking a consent in another state is ErrConsentInactive.
func (c *Client) RevokeConsent(ctx context.Context, consentID string) error {
	if err := check.ID(paths.RevokeConsent, "consentID", consentID); err != nil {
		return err
	}
	_, err := call[struct{}](ctx, c, paths.RevokeConsent, "", consentIDRequest{ConsentID: consentID})
	return err
}

type fiRequestBody struct {
	ConsentID string `json:"consentId"`
	From      string `json:"fiDataRangeFrom,omitempty"`
	To        string `json:"fiDataRangeTo,omitempty"`
}

// fiTimeLayout is FinPro's ISO-8601 UTC with milliseconds, e.g.
// 2021-05-01T16:49:48.297Z.
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

func fiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(fiTimeLayout)
}

// Wire structs of the consent list and the consent flow.

type consentWire struct {
	ConsentID          wire.String                `json:"consentID"`
	ConsentHandle      wire.String                `json:"consentHandle"`
	ConsentHandleSnake wire.String                `json:"consent_handle"`
	Status             string                     `json:"status"`
	ProductID          string                     `json:"productID"`
	AccountID          string                     `json:"accountID"`
	AAID               string                     `json:"aaId"`
	VUA                string                     `json:"vua"`
	FetchType          string                     `json:"fetchType"`
	CreationData       wire.Time                  `json:"consentCreationData"`
	CreationDate       wire.Time                  `json:"consentCreationDate"`
	CreatedOn          wire.Time                  `json:"createdOn"`
	ExpirySnake        wire.Time                  `json:"consent_expiry"`
	Expiry             wire.Time                  `json:"consentExpiry"`
	Accounts           wire.OneOrMany[linkedWire] `json:"accounts"`
}

func (w *consentWire) toConsent() Consent {
	c := Consent{
		ConsentID:     wire.ID(w.ConsentID),
		ConsentHandle: wire.ID(wire.FirstNonEmpty(w.ConsentHandle, w.ConsentHandleSnake)),
		Status:        ConsentStatus(strings.ToUpper(strings.TrimSpace(w.Status))),
		ProductID:     w.ProductID,
		AccountID:     w.AccountID,
		AAID:          w.AAID,
		VUA:           w.VUA,
		FetchType:     strings.ToUpper(strings.TrimSpace(w.FetchType)),
		CreatedAt:     wire.FirstTime(w.CreationData, w.CreationDate, w.CreatedOn),
		ExpiresAt:     wire.FirstTime(w.ExpirySnake, w.Expiry),
	}
	if len(w.Accounts) > 0 {
		c.Accounts = make([]LinkedAccount, len(w.Accounts))
		for i := range w.Accounts {
			c.Accounts[i] = w.Accounts[i].toLinkedAccount()
		}
	}
	return c
}

type linkedWire struct {
	AccountID           string                 `json:"accountId"`
	FIPID               string                 `json:"fipId"`
	FIPName             string                 `json:"fipName"`
	MaskedAccountNumber string                 `json:"maskedAccountNumber"`
	AccountType         string                 `json:"accountType"`
	FITypes             wire.OneOrMany[string] `json:"fiTypes"`
	FIType              string                 `json:"fiType"`
	LinkRefNumber       string                 `json:"linkRefNumber"`
	LinkReferenceNumber string                 `json:"linkReferenceNumber"`
}

func (w *linkedWire) toLinkedAccount() LinkedAccount {
	ft := w.FIType
	if ft == "" && len(w.FITypes) > 0 {
		ft = w.FITypes[0]
	}
	return LinkedAccount{
		LinkReferenceNumber: wire.FirstNonEmpty(w.LinkRefNumber, w.LinkReferenceNumber),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              NormFIType(ft),
		FIPID:               w.FIPID,
		FIPName:             w.FIPName,
		AccountType:         w.AccountType,
	}
}

type consentHandleWire struct {
	Status             string      `json:"status"`
	ConsentHandleSnake wire.String `json:"consent_handle"`
	ConsentHandle      wire.String `json:"consentHandle"`
}

type fiSessionWire struct {
	ConsentID wire.String `json:"consentId"`
	SessionID wire.String `json:"sessionId"`
}
