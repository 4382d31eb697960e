package model

import "time"

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
