package model

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// ConsentStatusEvent is the GraphQL ConsentStatusEvent type. Its consent field
// is resolved from the consent list of MobileNumber and ProductID.
type ConsentStatusEvent struct {
	ConsentHandle string
	ConsentID     *string
	Status        ConsentStatus
	EventStatus   ConsentEventStatus
	OccurredAt    time.Time
	Cursor        string

	// MobileNumber and ProductID are the subscription's customer and product,
	// used to look the consent up; not part of the schema. MobileNumber is
	// empty for a subscription by consent handle alone. It is personal data:
	// never log it.
	MobileNumber string
	ProductID    string
}

// IsConsentEvent marks ConsentStatusEvent as a ConsentEvent.
func (ConsentStatusEvent) IsConsentEvent() {}

// DataStatusEvent is the GraphQL DataStatusEvent type: the end of a data
// fetch. Its consent field is resolved as ConsentStatusEvent's is.
type DataStatusEvent struct {
	ConsentHandle   string
	ConsentID       *string
	SessionID       *string
	DataEventStatus DataEventStatus
	State           DataState
	OccurredAt      time.Time
	DataExpiresAt   *time.Time
	FirstFetch      bool
	Accounts        []*AccountDataStatus
	Cursor          string

	// MobileNumber and ProductID are as in ConsentStatusEvent: the
	// subscription's, not part of the schema. MobileNumber is personal data.
	MobileNumber string
	ProductID    string
}

// IsConsentEvent marks DataStatusEvent as a ConsentEvent.
func (DataStatusEvent) IsConsentEvent() {}

// AccountDataStatus is the GraphQL AccountDataStatus type. Its account field
// is resolved from its consent.
type AccountDataStatus struct {
	LinkReferenceNumber string
	MaskedAccountNumber *string
	FipID               *string
	FipName             *string
	State               AccountDataState

	// Consent is the consent the status belongs to; nil for a live event's,
	// whose consent is placed by ConsentHandle under ProductID on demand.
	Consent       *Consent
	ConsentHandle string
	ProductID     string
}

// ConsentStatusEventFrom converts a CONSENT event; other events, and events
// without a known consent status, are skipped.
func ConsentStatusEventFrom(ev events.Event, mobile, productID string) (*ConsentStatusEvent, bool) {
	status := ConsentStatus(ev.ConsentStatus)
	if ev.Type != events.TypeConsent || !status.IsValid() {
		return nil, false
	}
	return &ConsentStatusEvent{
		ConsentHandle: ev.ConsentHandle,
		ConsentID:     StringPtr(ev.ConsentID),
		Status:        status,
		EventStatus:   eventStatus(ev.Status),
		OccurredAt:    ev.OccurredAt,
		Cursor:        ev.Cursor(),
		MobileNumber:  mobile,
		ProductID:     productID,
	}, true
}

// ConsentEventFrom converts a CONSENT or DATA event for consentEvents.
func ConsentEventFrom(ev events.Event, mobile, productID string) (ConsentEvent, bool) {
	if ev.Type == events.TypeData {
		return DataStatusEventFrom(ev, mobile, productID)
	}
	return ConsentStatusEventFrom(ev, mobile, productID)
}

// DataStatusEventFrom converts a DATA event (the end of a fetch); one whose
// status this version does not know is sent as UNKNOWN.
func DataStatusEventFrom(ev events.Event, mobile, productID string) (ConsentEvent, bool) {
	if ev.Type != events.TypeData || ev.ConsentHandle == "" {
		return nil, false
	}
	status, _ := EnumOf(ev.Status, DataEventStatusUnknown)
	m := &DataStatusEvent{
		ConsentHandle:   ev.ConsentHandle,
		ConsentID:       StringPtr(ev.ConsentID),
		SessionID:       StringPtr(ev.SessionID),
		DataEventStatus: status,
		State:           dataStateOf(status),
		OccurredAt:      ev.OccurredAt,
		DataExpiresAt:   TimePtr(ev.DataExpiry),
		FirstFetch:      ev.FirstTimeFetch,
		Accounts:        []*AccountDataStatus{},
		Cursor:          ev.Cursor(),
		MobileNumber:    mobile,
		ProductID:       productID,
	}
	for _, a := range ev.Accounts {
		st := accountDataStatus(finpro.FIAccountStatus(a))
		st.ConsentHandle, st.ProductID = ev.ConsentHandle, productID
		m.Accounts = append(m.Accounts, st)
	}
	return m, true
}

// dataStateOf is where a fetch stands after a DATA event.
func dataStateOf(s DataEventStatus) DataState {
	switch s {
	case DataEventStatusDataReady:
		return DataStateReady
	case DataEventStatusDataDenied:
		return DataStateDenied
	case DataEventStatusSessionFailed:
		return DataStateTimedOut
	case DataEventStatusSessionExpired:
		return DataStateExpired
	}
	return DataStateUnknown
}

// eventStatus converts FinPro's eventStatus (UNKNOWN for one this version
// does not know).
func eventStatus(s string) ConsentEventStatus {
	v, _ := EnumOf(s, ConsentEventStatusUnknown)
	return v
}
