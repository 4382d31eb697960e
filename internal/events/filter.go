package events

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Filter selects the events a subscription receives.
//
// At least one of Mobile, CustomerKey and ConsentHandle is required. With a
// customer (Mobile or CustomerKey) alone, the subscriber gets that customer's
// events; with ConsentHandle alone, that consent's events whoever the customer
// (this is how events with an UnknownCustomer key are reached); with both, the
// consent's events whose customer is the given one or unknown.
type Filter struct {
	// Mobile is the customer's 10-digit mobile (internal/mobile); it is hashed
	// at once and never stored in NATS.
	Mobile string
	// CustomerKey may replace Mobile (see the broker's CustomerKey).
	CustomerKey string
	// ConsentHandle narrows the subscription to one consent.
	ConsentHandle string
	// ProductID, when set, drops events that name another product and tells
	// the fallback poller which consent list to read for this customer.
	// Events that name no product pass: the subscriber places them (the
	// GraphQL subscription looks the consent up by handle).
	ProductID string
	// IncludeData adds DATA events to the CONSENT events a subscriber gets.
	IncludeData bool
	// ResumeAfter is the Seq of the last event the subscriber saw: the
	// subscription replays every matching event stored after it, then goes
	// live, with no gap and no duplicate. Zero means only events that arrive
	// from now on. Events older than the stream's max age are gone.
	ResumeAfter uint64
	// Since, without ResumeAfter, is when the subscription's request was
	// read: events that reached this replica's feed from then on are
	// delivered even if they came before the subscription was registered,
	// so a client that subscribes and at once causes an event gets it.
	// Zero: from registration on.
	Since time.Time
}

// cursorPrefix versions the opaque cursor format.
const cursorPrefix = "ev1:"

// Cursor is an opaque resume token for this event: a client hands it back
// (ParseCursor gives Filter.ResumeAfter) to resume after it.
func (e Event) Cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatUint(e.Seq, 10)))
}

// ErrInvalidCursor is ParseCursor's error.
var ErrInvalidCursor = errors.New("events: invalid cursor")

// ParseCursor reads a cursor made by Event.Cursor; "" gives 0 (only new
// events).
func ParseCursor(cursor string) (uint64, error) {
	if cursor == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) {
		return 0, ErrInvalidCursor
	}
	seq, err := strconv.ParseUint(string(raw[len(cursorPrefix):]), 10, 64)
	if err != nil {
		return 0, ErrInvalidCursor
	}
	return seq, nil
}
