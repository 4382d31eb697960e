// Package consents is the answers of FinPro's consent endpoints as package
// finpro exports them (ConsentStatus, Consent, LinkedAccount, ConsentHandle:
// finpro's names are aliases of these), and the wire structs that decode
// the consent lists (/v1 and /v3 getconsentslist) and requestconsent's answer
// into them. Package finpro's methods check the request and make the call.
package consents

import (
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fidata"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// ConsentStatus is the status of a consent as the consent list reports it.
type ConsentStatus string

// Consent statuses accepted by the consent list's status filter.
const (
	ConsentPending  ConsentStatus = "PENDING"
	ConsentActive   ConsentStatus = "ACTIVE"
	ConsentRejected ConsentStatus = "REJECTED"
	ConsentRevoked  ConsentStatus = "REVOKED"
	ConsentExpired  ConsentStatus = "EXPIRED"
	ConsentPaused   ConsentStatus = "PAUSED"
)

// Consent is one row of the consent list.
type Consent struct {
	ConsentID     string // empty while PENDING, or when rejected before approval
	ConsentHandle string
	Status        ConsentStatus
	ProductID     string
	AccountID     string
	AAID          string
	VUA           string
	FetchType     string // ONETIME or PERIODIC; empty when FinPro sent none
	CreatedAt     time.Time
	ExpiresAt     time.Time
	Accounts      []LinkedAccount
}

// LinkedAccount is an account linked under a consent, as the consent list shows it.
type LinkedAccount struct {
	LinkReferenceNumber string
	MaskedAccountNumber string
	FIType              fidata.FIType
	FIPID               string
	FIPName             string
	AccountType         string
}

// ConsentHandle is requestconsent's answer.
type ConsentHandle struct {
	Handle string
	Status ConsentStatus // PENDING
}

// Wire structs of the consent list and the consent flow.

// Wire is a consent as the consent lists (/v1 and /v3 getconsentslist) send it.
type Wire struct {
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

// Consent converts the row.
func (w *Wire) Consent() Consent {
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
		FIType:              fidata.NormFIType(ft),
		FIPID:               w.FIPID,
		FIPName:             w.FIPName,
		AccountType:         w.AccountType,
	}
}

// HandleWire is the data of requestconsent's answer (/v2 and /v3).
type HandleWire struct {
	Status             string      `json:"status"`
	ConsentHandleSnake wire.String `json:"consent_handle"`
	ConsentHandle      wire.String `json:"consentHandle"`
}

// Handle is the ConsentHandle of a requestconsent answer to ep.
func (w *HandleWire) Handle(ep string) (*ConsentHandle, error) {
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
