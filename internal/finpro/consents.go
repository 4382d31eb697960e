package finpro

import (
	"context"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/consents"
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
	env, err := call[wire.OneOrMany[consents.Wire]](ctx, c, paths.Consents, "", consentListRequest(req))
	if err != nil {
		return nil, err
	}
	page := &ConsentPage{Consents: make([]Consent, 0, len(env.Data))}
	for i := range env.Data {
		con := env.Data[i].Consent()
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
	env, err := call[consents.HandleWire](ctx, c, ep, "", body)
	if err != nil {
		return nil, err
	}
	return env.Data.Handle(ep)
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

// RevokeConsent revokes an ACTIVE or PAUSED consent by consent ID (/revokeconsent).
// Never retried. Revoking a consent in another state is ErrConsentInactive.
func (c *Client) RevokeConsent(ctx context.Context, consentID string) error {
	if err := check.ID(paths.RevokeConsent, "consentID", consentID); err != nil {
		return err
	}
	_, err := call[struct{}](ctx, c, paths.RevokeConsent, "", consentIDRequest{ConsentID: consentID})
	return err
}
