package fistatus

import (
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// RequestStatus is /consent/firequest/status's data (finpro-upstream.md
// §1c). Its timestamps are strings parsed leniently: an odd date must not cost
// the caller the fetch's state.
type RequestStatus struct {
	ConsentID      wire.String             `json:"consentId"`
	ConsentHandle  wire.String             `json:"consentHandle"`
	SessionID      wire.String             `json:"sessionId"`
	EventType      string                  `json:"eventType"`
	EventStatus    string                  `json:"eventStatus"`
	FirstTimeFetch wire.Bool               `json:"firstTimeFetch"`
	LinkRefNumbers wire.OneOrMany[Account] `json:"linkRefNumbers"`
	Timestamp      string                  `json:"timestamp"`
	VUA            string                  `json:"vua"`
	EventMessage   string                  `json:"eventMessage"`
	DataFetchDate  string                  `json:"datafetchDate"`
	ProductID      string                  `json:"productID"`
	AccountID      string                  `json:"accountID"`
	FetchType      string                  `json:"fetchType"`
	ConsentExpiry  string                  `json:"consentExpiry"`
	DataExpiry     string                  `json:"dataExpiry"`
}

// Status converts the decoded data.
func (w *RequestStatus) Status() *FIStatus {
	return &FIStatus{
		ConsentID:      wire.ID(w.ConsentID),
		ConsentHandle:  wire.ID(w.ConsentHandle),
		SessionID:      wire.ID(w.SessionID),
		EventType:      strings.ToUpper(strings.TrimSpace(w.EventType)),
		EventStatus:    strings.ToUpper(strings.TrimSpace(w.EventStatus)),
		EventMessage:   w.EventMessage,
		VUA:            w.VUA,
		ProductID:      w.ProductID,
		AccountID:      w.AccountID,
		FetchType:      strings.ToUpper(strings.TrimSpace(w.FetchType)),
		FirstTimeFetch: bool(w.FirstTimeFetch),
		Timestamp:      wire.LenientTime(w.Timestamp),
		FetchedAt:      wire.LenientTime(w.DataFetchDate),
		ConsentExpiry:  wire.LenientTime(w.ConsentExpiry),
		DataExpiry:     wire.LenientTime(w.DataExpiry),
		Accounts:       Accounts(w.LinkRefNumbers),
	}
}

// Account is one of linkRefNumbers, in the FI status and in DATA webhooks
// (Type 2 adds the FIP and masked number).
type Account struct {
	LinkRefNumber       string `json:"linkRefNumber"`
	LinkReferenceNumber string `json:"linkReferenceNumber"`
	FIStatus            string `json:"fiStatus"`
	FIPID               string `json:"fipId"`
	FIPName             string `json:"fipName"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
}

// Accounts converts linkRefNumbers; nil when there are none.
func Accounts(ws []Account) []FIAccountStatus {
	if len(ws) == 0 {
		return nil
	}
	out := make([]FIAccountStatus, len(ws))
	for i, a := range ws {
		out[i] = FIAccountStatus{
			LinkReferenceNumber: wire.FirstNonEmpty(a.LinkRefNumber, a.LinkReferenceNumber),
			FIStatus:            strings.ToUpper(strings.TrimSpace(a.FIStatus)),
			FIPID:               a.FIPID,
			FIPName:             a.FIPName,
			MaskedAccountNumber: a.MaskedAccountNumber,
		}
	}
	return out
}
