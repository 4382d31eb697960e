package events

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
)

// Values of Event.Type: FinPro's eventType (finpro-upstream.md §2c). Its
// Status is one of the finpro.Event* statuses of that type.
const (
	TypeConsent = finpro.EventTypeConsent
	TypeData    = finpro.EventTypeData
)

// UnknownCustomer is the CustomerKey of an event whose customer cannot be told:
// a Type 2 payload masks the mobile in its VUA (XXXXXX9999@onemoney), and a
// CONSENT_REJECTED may carry no VUA at all. Unless the consent handle was
// remembered (the broker's RememberConsent), such an event reaches only
// subscribers that filter by consent handle.
const UnknownCustomer = "unknown"

// Sources of an event.
const (
	SourceWebhook = "webhook" // FinPro's webhook
	SourcePoller  = "poller"  // the fallback consent-list poller
)

// Event is one FinPro event as stored in the stream and delivered to
// subscribers. It carries no PII: the customer is known only by CustomerKey, a
// keyed hash of the mobile number, and the VUA is dropped.
type Event struct {
	// Seq is the event's stream sequence. Pass the last Seq a subscriber saw as
	// Filter.ResumeAfter to resume after a reconnect.
	Seq uint64 `json:"-"`
	// Type is CONSENT or DATA.
	Type string `json:"type"`
	// Status is FinPro's eventStatus, e.g. CONSENT_APPROVED or DATA_READY.
	Status string `json:"status"`
	// ConsentStatus is the consent's status after a CONSENT event (APPROVED and
	// RESUMED give ACTIVE); empty for DATA events.
	ConsentStatus finpro.ConsentStatus `json:"consentStatus,omitempty"`
	ConsentHandle string               `json:"consentHandle"`
	// ConsentID is empty when FinPro sent none, "" or "<NULL>" (rejections).
	ConsentID string `json:"consentId,omitempty"`
	// OccurredAt is FinPro's timestamp, or the time the BFF received the event
	// when FinPro's was missing or unreadable.
	OccurredAt time.Time `json:"occurredAt"`
	// CustomerKey identifies the customer without naming them; UnknownCustomer
	// when the payload did not reveal the mobile.
	CustomerKey string `json:"customerKey"`
	// ProductID is the consent's product: from a Type 2 payload or the
	// poller, else from the broker's handle index (what requestConsent or an
	// earlier event told it); empty when no one said.
	ProductID string `json:"productId,omitempty"`
	// AccountID, FetchType, ConsentExpiry: Type 2 payloads only.
	AccountID     string    `json:"accountId,omitempty"`
	FetchType     string    `json:"fetchType,omitempty"`
	ConsentExpiry time.Time `json:"consentExpiry,omitzero"`
	// SessionID, DataExpiry, FirstTimeFetch and Accounts: DATA events only.
	SessionID      string          `json:"sessionId,omitempty"`
	DataExpiry     time.Time       `json:"dataExpiry,omitzero"`
	FirstTimeFetch bool            `json:"firstTimeFetch,omitempty"`
	Accounts       []AccountStatus `json:"accounts,omitempty"`
	// Source is SourceWebhook or SourcePoller.
	Source string `json:"source"`
}

// AccountStatus is one linked account's state in a DATA event.
type AccountStatus struct {
	LinkReferenceNumber string `json:"linkRefNumber"`
	FIStatus            string `json:"fiStatus,omitempty"` // READY, DENIED, TIMEOUT
	FIPID               string `json:"fipId,omitempty"`
	FIPName             string `json:"fipName,omitempty"`
	MaskedAccountNumber string `json:"maskedAccountNumber,omitempty"`
}

// FromWebhook normalises a decoded webhook into an Event without CustomerKey:
// the VUA, the mobile and FinPro's eventMessage are dropped, times are in UTC.
// A missing or unreadable timestamp becomes received.
func FromWebhook(w webhookpayload.Event, received time.Time) Event {
	ev := Event{
		Type:           w.Type,
		Status:         w.Status,
		ConsentStatus:  w.ConsentStatus,
		ConsentHandle:  w.ConsentHandle,
		ConsentID:      w.ConsentID,
		OccurredAt:     w.Timestamp.UTC(),
		ProductID:      w.ProductID,
		AccountID:      w.AccountID,
		FetchType:      w.FetchType,
		ConsentExpiry:  utcOrZero(w.ConsentExpiry),
		SessionID:      w.SessionID,
		DataExpiry:     utcOrZero(w.DataExpiry),
		FirstTimeFetch: w.FirstTimeFetch,
		Source:         SourceWebhook,
	}
	if w.Timestamp.IsZero() {
		ev.OccurredAt = received.UTC()
	}
	for _, a := range w.Accounts {
		ev.Accounts = append(ev.Accounts, AccountStatus(a))
	}
	return ev
}

// utcOrZero stores times in UTC, so stored events do not depend on the zone
// FinPro wrote.
func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// WebhookID is the Nats-Msg-Id of a webhook event: what identifies one event
// across FinPro's retries (type, status, handle, consent id, timestamp as
// sent, session).
func WebhookID(w webhookpayload.Event) string {
	return DedupeID(w.Type, w.Status, w.ConsentHandle, w.ConsentID, w.RawTimestamp, w.SessionID)
}

// DedupeID hashes the fields that identify one event into a Nats-Msg-Id. It
// hashes fields rather than raw bytes, so a retry that re-serialises the same
// event is still recognised; lengths keep ("ab","c") and ("a","bc") apart.
func DedupeID(fields ...string) string {
	h := sha256.New()
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
