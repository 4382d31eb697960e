// Package webhookpayload decodes the body of FinPro's webhooks
// (finpro-upstream.md §2b-§2d): CONSENT and DATA events, Type 1 (basic) or
// Type 2 (extended), tolerantly, into an Event (Decode). It knows nothing of
// HTTP: the intake (signature, freshness, storing) is internal/events/webhook.
// The event vocabulary (eventType, eventStatus and the consent statuses they
// stand for) is internal/finpro's, the DATA events' linkRefNumbers are decoded
// as the FI status's (internal/finpro/internal/fistatus).
package webhookpayload

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fistatus"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// dataStatuses are the DATA eventStatus values an Event may have.
var dataStatuses = map[string]bool{
	finpro.EventDataReady:      true,
	finpro.EventDataDenied:     true,
	finpro.EventSessionFailed:  true,
	finpro.EventSessionExpired: true,
}

// Errors of [Decode]. They never quote the body.
var (
	// ErrMalformed: the body is not a FinPro event (bad JSON, a field
	// of the wrong type, no eventType, eventStatus or consentHandle). A retry
	// cannot fix it.
	ErrMalformed = errors.New("finpro: malformed webhook event")
	// ErrUnsupported: a well-formed event of a type or status this
	// package does not know (DATA_EXT, a status FinPro adds later).
	ErrUnsupported = errors.New("finpro: unsupported webhook event")
)

// Event is one of FinPro's webhook events, Type 1 (basic) or Type 2
// (extended), CONSENT or DATA (finpro-upstream.md §2b-§2d), decoded
// tolerantly by [Decode].
//
// It holds personal data: Mobile, and EventMessage (FinPro's free text, which
// may quote anything). Neither is ever logged.
type Event struct {
	// Type is finpro.EventTypeConsent or finpro.EventTypeData; Status one of
	// finpro's Event* statuses of that type. Both upper case.
	Type   string
	Status string
	// ConsentStatus is the consent's status after a CONSENT event; empty for
	// DATA events.
	ConsentStatus finpro.ConsentStatus
	ConsentHandle string
	// ConsentID is "" when FinPro sent none, null, "" or "<NULL>"
	// (rejections).
	ConsentID string
	// Timestamp is FinPro's, zero when absent or unreadable. RawTimestamp is
	// the text as sent (trimmed): with type, status, handle, consent id and
	// session it identifies one event across FinPro's retries.
	Timestamp    time.Time
	RawTimestamp string
	// Mobile is the 10-digit mobile of the VUA; "" when FinPro masked it
	// (Type 2: XXXXXX9999@onemoney), sent none (rejections) or sent one that
	// is not a plain 10-digit mobile.
	Mobile string
	// EventMessage is FinPro's eventMessage: never show or log it.
	EventMessage string

	// ProductID, AccountID, FetchType (ONETIME or PERIODIC) and
	// ConsentExpiry: Type 2 payloads only.
	ProductID     string
	AccountID     string
	FetchType     string
	ConsentExpiry time.Time

	// SessionID, DataExpiry, FirstTimeFetch and Accounts: DATA events only.
	// Accounts is the payload's linkRefNumbers: per account a fiStatus of
	// READY, DENIED or TIMEOUT (Type 2 adds the FIP and masked number);
	// SESSION_EXPIRED may list none.
	SessionID      string
	DataExpiry     time.Time
	FirstTimeFetch bool
	Accounts       []finpro.FIAccountStatus
}

// webhookWire is FinPro's webhook body. encoding/json matches names
// case-insensitively, so consentID/consentId, fipID/fipId and
// productId/productID all land here.
type webhookWire struct {
	Timestamp      string                           `json:"timestamp"`
	ConsentHandle  string                           `json:"consentHandle"`
	EventType      string                           `json:"eventType"`
	EventStatus    string                           `json:"eventStatus"`
	ConsentID      wire.String                      `json:"consentId"`
	VUA            string                           `json:"vua"`
	EventMessage   string                           `json:"eventMessage"`
	ProductID      string                           `json:"productID"`
	AccountID      string                           `json:"accountID"`
	FetchType      string                           `json:"fetchType"`
	ConsentExpiry  string                           `json:"consentExpiry"`
	DataExpiry     string                           `json:"dataExpiry"`
	SessionID      wire.String                      `json:"sessionId"`
	FirstTimeFetch wire.Bool                        `json:"firstTimeFetch"`
	LinkRefNumbers wire.OneOrMany[fistatus.Account] `json:"linkRefNumbers"`
}

// Decode decodes a webhook body (verify its signature first). Errors
// wrap [ErrMalformed] or [ErrUnsupported].
//
// Tolerated: keys in any case, "<NULL>", "", null (and "NULL", "NONE") as an
// absent consent id; firstTimeFetch as a boolean or a string ("false");
// timestamps in any of [wire.ParseTime]'s forms, an unreadable one being zero
// rather than an error (the event still happened); a masked or missing VUA
// (Mobile is then ""); type, status and fiStatus in any case; unknown keys.
func Decode(body []byte) (Event, error) {
	var w webhookWire
	if err := json.Unmarshal(body, &w); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return Event{}, fmt.Errorf("%w: invalid json at offset %d", ErrMalformed, se.Offset)
		case errors.As(err, &te):
			return Event{}, fmt.Errorf("%w: field %s has the wrong type", ErrMalformed, te.Field)
		default:
			return Event{}, fmt.Errorf("%w: invalid json", ErrMalformed)
		}
	}
	ev := Event{
		Type:          strings.ToUpper(strings.TrimSpace(w.EventType)),
		Status:        strings.ToUpper(strings.TrimSpace(w.EventStatus)),
		ConsentHandle: strings.TrimSpace(w.ConsentHandle),
		ConsentID:     wire.ID(w.ConsentID),
		RawTimestamp:  strings.TrimSpace(w.Timestamp),
		EventMessage:  w.EventMessage,
		ProductID:     strings.TrimSpace(w.ProductID),
		AccountID:     strings.TrimSpace(w.AccountID),
		FetchType:     strings.ToUpper(strings.TrimSpace(w.FetchType)),
		ConsentExpiry: wire.LenientTime(w.ConsentExpiry),
	}
	switch {
	case ev.Type == "":
		return Event{}, fmt.Errorf("%w: missing eventType", ErrMalformed)
	case ev.Status == "":
		return Event{}, fmt.Errorf("%w: missing eventStatus", ErrMalformed)
	case ev.ConsentHandle == "":
		return Event{}, fmt.Errorf("%w: missing consentHandle", ErrMalformed)
	}
	switch ev.Type {
	case finpro.EventTypeConsent:
		cs, ok := finpro.ConsentStatusOfEvent(ev.Status)
		if !ok {
			return Event{}, fmt.Errorf("%w: %s status %.40q", ErrUnsupported, ev.Type, ev.Status)
		}
		ev.ConsentStatus = cs
	case finpro.EventTypeData:
		if !dataStatuses[ev.Status] {
			return Event{}, fmt.Errorf("%w: %s status %.40q", ErrUnsupported, ev.Type, ev.Status)
		}
		ev.SessionID = wire.ID(w.SessionID)
		ev.FirstTimeFetch = bool(w.FirstTimeFetch)
		ev.DataExpiry = wire.LenientTime(w.DataExpiry)
		ev.Accounts = fistatus.Accounts(w.LinkRefNumbers)
	default:
		return Event{}, fmt.Errorf("%w: event type %.40q", ErrUnsupported, ev.Type)
	}
	ev.Timestamp = wire.LenientTime(ev.RawTimestamp)
	ev.Mobile, _ = mobile.FromVUA(w.VUA)
	return ev, nil
}
