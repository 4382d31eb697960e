package events

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Event types (FinPro's eventType) the broker stores.
const (
	TypeConsent = "CONSENT"
	TypeData    = "DATA"
)

// FinPro's eventStatus values (finpro-upstream.md §2c) that the broker stores.
const (
	StatusConsentApproved = "CONSENT_APPROVED"
	StatusConsentRejected = "CONSENT_REJECTED"
	StatusConsentPaused   = "CONSENT_PAUSED"
	StatusConsentResumed  = "CONSENT_RESUMED"
	StatusConsentRevoked  = "CONSENT_REVOKED"
	StatusConsentExpired  = "CONSENT_EXPIRED"

	StatusDataReady      = "DATA_READY"
	StatusDataDenied     = "DATA_DENIED"
	StatusSessionFailed  = "SESSION_FAILED"
	StatusSessionExpired = "SESSION_EXPIRED"
)

// UnknownCustomer is the CustomerKey of an event whose customer cannot be told:
// a Type 2 payload masks the mobile in its VUA (XXXXXX9999@onemoney), and a
// CONSENT_REJECTED may carry no VUA at all. Unless the consent handle was
// registered with [Broker.RememberConsent], such an event reaches only
// subscribers that filter by consent handle.
const UnknownCustomer = "unknown"

// Sources of an event.
const (
	SourceWebhook = "webhook" // FinPro's webhook
	SourcePoller  = "poller"  // the fallback consent-list poller
)

// consentStatusOf maps a CONSENT eventStatus to the consent list's status.
var consentStatusOf = map[string]finpro.ConsentStatus{
	StatusConsentApproved: finpro.ConsentActive,
	StatusConsentRejected: finpro.ConsentRejected,
	StatusConsentPaused:   finpro.ConsentPaused,
	StatusConsentResumed:  finpro.ConsentActive,
	StatusConsentRevoked:  finpro.ConsentRevoked,
	StatusConsentExpired:  finpro.ConsentExpired,
}

var dataStatuses = map[string]bool{
	StatusDataReady:      true,
	StatusDataDenied:     true,
	StatusSessionFailed:  true,
	StatusSessionExpired: true,
}

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
	// ProductID, AccountID, FetchType, ConsentExpiry: Type 2 payloads only.
	ProductID     string    `json:"productId,omitempty"`
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

// webhookPayload is FinPro's webhook body (Type 1 and Type 2). encoding/json
// matches names case-insensitively, so consentID/consentId, fipID/fipId and
// productId/productID all land here.
type webhookPayload struct {
	Timestamp      string    `json:"timestamp"`
	ConsentHandle  string    `json:"consentHandle"`
	EventType      string    `json:"eventType"`
	EventStatus    string    `json:"eventStatus"`
	ConsentID      nullable  `json:"consentId"`
	VUA            string    `json:"vua"`
	ProductID      string    `json:"productID"`
	AccountID      string    `json:"accountID"`
	FetchType      string    `json:"fetchType"`
	ConsentExpiry  string    `json:"consentExpiry"`
	DataExpiry     string    `json:"dataExpiry"`
	SessionID      string    `json:"sessionId"`
	FirstTimeFetch flexBool  `json:"firstTimeFetch"`
	LinkRefNumbers []linkRef `json:"linkRefNumbers"`
}

type linkRef struct {
	LinkRefNumber       string `json:"linkRefNumber"`
	FIStatus            string `json:"fiStatus"`
	FIPName             string `json:"fipName"`
	FIPID               string `json:"fipId"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
}

// nullable is an identifier FinPro may send as null, "" or the literal "<NULL>".
type nullable string

func (n *nullable) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*n = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "<NULL>") || strings.EqualFold(s, "null") {
		s = ""
	}
	*n = nullable(s)
	return nil
}

// flexBool decodes true, "true", "TRUE", "yes", "1" as true; anything else
// (false, "false", null, "") as false. The field is informational, so an odd
// value never rejects an event.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.ToLower(strings.Trim(string(b), `" `))
	*f = s == "true" || s == "yes" || s == "y" || s == "1"
	return nil
}

// Errors of webhook decoding.
var (
	// errMalformed marks a body that is not a FinPro event (400).
	errMalformed = errors.New("malformed event")
	// errUnsupported marks a well-formed event of a type or status the broker
	// does not store (202, dropped).
	errUnsupported = errors.New("unsupported event")
)

// parseWebhook decodes a webhook body into an Event without CustomerKey and
// returns the mobile taken from the VUA ("" when masked or absent) and the
// event's deduplication id. Errors wrap errMalformed or errUnsupported and
// never quote the body.
func parseWebhook(body []byte, received time.Time) (ev Event, mobile, msgID string, err error) {
	var p webhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return Event{}, "", "", fmt.Errorf("%w: invalid json at offset %d", errMalformed, se.Offset)
		case errors.As(err, &te):
			return Event{}, "", "", fmt.Errorf("%w: field %s has the wrong type", errMalformed, te.Field)
		default:
			return Event{}, "", "", fmt.Errorf("%w: invalid json", errMalformed)
		}
	}
	typ := strings.ToUpper(strings.TrimSpace(p.EventType))
	status := strings.ToUpper(strings.TrimSpace(p.EventStatus))
	handle := strings.TrimSpace(p.ConsentHandle)
	switch {
	case typ == "":
		return Event{}, "", "", fmt.Errorf("%w: missing eventType", errMalformed)
	case status == "":
		return Event{}, "", "", fmt.Errorf("%w: missing eventStatus", errMalformed)
	case handle == "":
		return Event{}, "", "", fmt.Errorf("%w: missing consentHandle", errMalformed)
	}
	ev = Event{
		Type:          typ,
		Status:        status,
		ConsentHandle: handle,
		ConsentID:     string(p.ConsentID),
		ProductID:     strings.TrimSpace(p.ProductID),
		AccountID:     strings.TrimSpace(p.AccountID),
		FetchType:     strings.ToUpper(strings.TrimSpace(p.FetchType)),
		Source:        SourceWebhook,
	}
	switch typ {
	case TypeConsent:
		cs, ok := consentStatusOf[status]
		if !ok {
			return Event{}, "", "", fmt.Errorf("%w: %s status %.40q", errUnsupported, typ, status)
		}
		ev.ConsentStatus = cs
	case TypeData:
		if !dataStatuses[status] {
			return Event{}, "", "", fmt.Errorf("%w: %s status %.40q", errUnsupported, typ, status)
		}
		ev.SessionID = strings.TrimSpace(p.SessionID)
		ev.FirstTimeFetch = bool(p.FirstTimeFetch)
		ev.DataExpiry, _ = parseTime(p.DataExpiry)
		for _, l := range p.LinkRefNumbers {
			ev.Accounts = append(ev.Accounts, AccountStatus{
				LinkReferenceNumber: l.LinkRefNumber,
				FIStatus:            strings.ToUpper(l.FIStatus),
				FIPID:               l.FIPID,
				FIPName:             l.FIPName,
				MaskedAccountNumber: l.MaskedAccountNumber,
			})
		}
	default:
		return Event{}, "", "", fmt.Errorf("%w: event type %.40q", errUnsupported, typ)
	}
	ev.ConsentExpiry, _ = parseTime(p.ConsentExpiry)
	if t, ok := parseTime(p.Timestamp); ok {
		ev.OccurredAt = t
	} else {
		ev.OccurredAt = received.UTC()
	}
	mobile, _ = mobileFromVUA(p.VUA)
	return ev, mobile, dedupeID(typ, status, handle, ev.ConsentID, strings.TrimSpace(p.Timestamp), ev.SessionID), nil
}

// dedupeID is the Nats-Msg-Id of a webhook event. It hashes the fields that
// identify one FinPro event rather than the raw bytes, so a retry that
// re-serialises the same event is still recognised.
func dedupeID(fields ...string) string {
	h := sha256.New()
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// istZone is Indian Standard Time, the zone of FinPro's naive timestamps.
var istZone = time.FixedZone("IST", 5*3600+1800)

// parseTime reads FinPro's timestamps: RFC 3339 (with or without fraction) or
// the naive "YYYY-MM-DD HH:mm:ss" (also with a T or a fraction) taken as IST.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, istZone); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// mobileFromVUA returns the 10-digit mobile of a VUA such as
// 9876543210@onemoney; false for masked (XXXXXX9999@onemoney) or other VUAs.
func mobileFromVUA(vua string) (string, bool) {
	local, _, _ := strings.Cut(strings.TrimSpace(vua), "@")
	return normalizeMobile(local)
}

// normalizeMobile accepts a 10-digit Indian mobile, optionally prefixed by +91
// or 91, and returns its 10 digits.
func normalizeMobile(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 13 && strings.HasPrefix(s, "+91") {
		s = s[3:]
	} else if len(s) == 12 && strings.HasPrefix(s, "91") {
		s = s[2:]
	}
	if len(s) != 10 {
		return "", false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	return s, true
}

// customerKey is the keyed hash naming a customer in subjects and events.
func customerKey(salt []byte, mobile string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte("mobile:"))
	m.Write([]byte(mobile))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

var plainToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// handleToken turns a consent handle into one subject token. UUIDs pass
// unchanged; anything holding characters a NATS token cannot (., *, >, space)
// is hashed.
func handleToken(handle string) string {
	if plainToken.MatchString(handle) {
		return handle
	}
	sum := sha256.Sum256([]byte(handle))
	return "h" + hex.EncodeToString(sum[:16])
}

// Subject layout: finpro.<kind>.<customerKey>.<handleToken>.
const (
	subjectPrefix = "finpro"
	kindConsent   = "consent"
	kindData      = "data"
)

// subjectOf is the subject an event is stored under.
func subjectOf(ev Event) string {
	kind := kindConsent
	if ev.Type == TypeData {
		kind = kindData
	}
	return subjectPrefix + "." + kind + "." + ev.CustomerKey + "." + handleToken(ev.ConsentHandle)
}

// eventStatusOf maps a consent-list status to the CONSENT eventStatus the
// poller publishes; prev distinguishes a resume from a first approval.
func eventStatusOf(prev, now finpro.ConsentStatus) (string, bool) {
	switch now {
	case finpro.ConsentActive:
		if prev == finpro.ConsentPaused {
			return StatusConsentResumed, true
		}
		return StatusConsentApproved, true
	case finpro.ConsentRejected:
		return StatusConsentRejected, true
	case finpro.ConsentPaused:
		return StatusConsentPaused, true
	case finpro.ConsentRevoked:
		return StatusConsentRevoked, true
	case finpro.ConsentExpired:
		return StatusConsentExpired, true
	}
	return "", false
}
