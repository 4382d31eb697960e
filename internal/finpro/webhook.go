package finpro

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fistatus"
)

// Webhook event types (FinPro's eventType) of finpro-upstream.md §2c.
const (
	EventTypeConsent = "CONSENT"
	EventTypeData    = "DATA"
	// EventTypeDataExt (DATA_PUSH, raw FI data inline) has no public payload
	// shape; [DecodeWebhook] reports it as unsupported.
	EventTypeDataExt = "DATA_EXT"
)

// Webhook event statuses (FinPro's eventStatus) of finpro-upstream.md §2c.
const (
	EventConsentApproved = "CONSENT_APPROVED"
	EventConsentRejected = "CONSENT_REJECTED"
	EventConsentPaused   = "CONSENT_PAUSED"
	EventConsentResumed  = "CONSENT_RESUMED"
	EventConsentRevoked  = "CONSENT_REVOKED"
	EventConsentExpired  = "CONSENT_EXPIRED"

	EventDataReady      = "DATA_READY"
	EventDataDenied     = "DATA_DENIED"
	EventSessionFailed  = "SESSION_FAILED"
	EventSessionExpired = "SESSION_EXPIRED"
)

// consentStatusOf maps a CONSENT eventStatus to the consent list's status.
var consentStatusOf = map[string]ConsentStatus{
	EventConsentApproved: ConsentActive,
	EventConsentRejected: ConsentRejected,
	EventConsentPaused:   ConsentPaused,
	EventConsentResumed:  ConsentActive,
	EventConsentRevoked:  ConsentRevoked,
	EventConsentExpired:  ConsentExpired,
}

var dataStatuses = map[string]bool{
	EventDataReady:      true,
	EventDataDenied:     true,
	EventSessionFailed:  true,
	EventSessionExpired: true,
}

// ConsentStatusOfEvent is the consent's status after a CONSENT event of this
// eventStatus (APPROVED and RESUMED give ACTIVE); false for other statuses.
func ConsentStatusOfEvent(eventStatus string) (ConsentStatus, bool) {
	s, ok := consentStatusOf[eventStatus]
	return s, ok
}

// EventStatusOf is the CONSENT eventStatus that moves a consent from prev to
// now, as FinPro would have sent it: ACTIVE after PAUSED is a resume, ACTIVE
// otherwise an approval. PENDING (or an unknown status) is no event.
func EventStatusOf(prev, now ConsentStatus) (string, bool) {
	switch now {
	case ConsentActive:
		if prev == ConsentPaused {
			return EventConsentResumed, true
		}
		return EventConsentApproved, true
	case ConsentRejected:
		return EventConsentRejected, true
	case ConsentPaused:
		return EventConsentPaused, true
	case ConsentRevoked:
		return EventConsentRevoked, true
	case ConsentExpired:
		return EventConsentExpired, true
	}
	return "", false
}

// Errors of [DecodeWebhook]. They never quote the body.
var (
	// ErrWebhookMalformed: the body is not a FinPro event (bad JSON, a field
	// of the wrong type, no eventType, eventStatus or consentHandle). A retry
	// cannot fix it.
	ErrWebhookMalformed = errors.New("finpro: malformed webhook event")
	// ErrWebhookUnsupported: a well-formed event of a type or status this
	// package does not know (DATA_EXT, a status FinPro adds later).
	ErrWebhookUnsupported = errors.New("finpro: unsupported webhook event")
)

// WebhookEvent is one of FinPro's webhook events, Type 1 (basic) or Type 2
// (extended), CONSENT or DATA (finpro-upstream.md §2b-§2d), decoded
// tolerantly by [DecodeWebhook].
//
// It holds personal data: Mobile, and EventMessage (FinPro's free text, which
// may quote anything). Neither is ever logged.
type WebhookEvent struct {
	// Type is EventTypeConsent or EventTypeData; Status one of the Event*
	// statuses of that type. Both upper case.
	Type   string
	Status string
	// ConsentStatus is the consent's status after a CONSENT event; empty for
	// DATA events.
	ConsentStatus ConsentStatus
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
	Accounts       []FIAccountStatus
}

// webhookWire is FinPro's webhook body. encoding/json matches names
// case-insensitively, so consentID/consentId, fipID/fipId and
// productId/productID all land here.
type webhookWire struct {
	Timestamp      string                     `json:"timestamp"`
	ConsentHandle  string                     `json:"consentHandle"`
	EventType      string                     `json:"eventType"`
	EventStatus    string                     `json:"eventStatus"`
	ConsentID      wire.String                `json:"consentId"`
	VUA            string                     `json:"vua"`
	EventMessage   string                     `json:"eventMessage"`
	ProductID      string                     `json:"productID"`
	AccountID      string                     `json:"accountID"`
	FetchType      string                     `json:"fetchType"`
	ConsentExpiry  string                     `json:"consentExpiry"`
	DataExpiry     string                     `json:"dataExpiry"`
	SessionID      wire.String                `json:"sessionId"`
	FirstTimeFetch wire.Bool                  `json:"firstTimeFetch"`
	LinkRefNumbers wire.OneOrMany[fistatus.Account] `json:"linkRefNumbers"`
}

// DecodeWebhook decodes a webhook body (verify its signature first). Errors
// wrap [ErrWebhookMalformed] or [ErrWebhookUnsupported].
//
// Tolerated: keys in any case, "<NULL>", "", null (and "NULL", "NONE") as an
// absent consent id; firstTimeFetch as a boolean or a string ("false");
// timestamps in any of [wire.ParseTime]'s forms, an unreadable one being zero
// rather than an error (the event still happened); a masked or missing VUA
// (Mobile is then ""); type, status and fiStatus in any case; unknown keys.
func DecodeWebhook(body []byte) (WebhookEvent, error) {
	var w webhookWire
	if err := json.Unmarshal(body, &w); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return WebhookEvent{}, fmt.Errorf("%w: invalid json at offset %d", ErrWebhookMalformed, se.Offset)
		case errors.As(err, &te):
			return WebhookEvent{}, fmt.Errorf("%w: field %s has the wrong type", ErrWebhookMalformed, te.Field)
		default:
			return WebhookEvent{}, fmt.Errorf("%w: invalid json", ErrWebhookMalformed)
		}
	}
	ev := WebhookEvent{
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
		return WebhookEvent{}, fmt.Errorf("%w: missing eventType", ErrWebhookMalformed)
	case ev.Status == "":
		return WebhookEvent{}, fmt.Errorf("%w: missing eventStatus", ErrWebhookMalformed)
	case ev.ConsentHandle == "":
		return WebhookEvent{}, fmt.Errorf("%w: missing consentHandle", ErrWebhookMalformed)
	}
	switch ev.Type {
	case EventTypeConsent:
		cs, ok := consentStatusOf[ev.Status]
		if !ok {
			return WebhookEvent{}, fmt.Errorf("%w: %s status %.40q", ErrWebhookUnsupported, ev.Type, ev.Status)
		}
		ev.ConsentStatus = cs
	case EventTypeData:
		if !dataStatuses[ev.Status] {
			return WebhookEvent{}, fmt.Errorf("%w: %s status %.40q", ErrWebhookUnsupported, ev.Type, ev.Status)
		}
		ev.SessionID = wire.ID(w.SessionID)
		ev.FirstTimeFetch = bool(w.FirstTimeFetch)
		ev.DataExpiry = wire.LenientTime(w.DataExpiry)
		ev.Accounts = fistatus.Accounts(w.LinkRefNumbers)
	default:
		return WebhookEvent{}, fmt.Errorf("%w: event type %.40q", ErrWebhookUnsupported, ev.Type)
	}
	ev.Timestamp = wire.LenientTime(ev.RawTimestamp)
	ev.Mobile, _ = mobile.FromVUA(w.VUA)
	return ev, nil
}
