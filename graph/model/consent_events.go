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
