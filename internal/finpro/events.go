package finpro

// FinPro's event vocabulary: the eventType and eventStatus values of its
// webhooks and of the FI status, and how CONSENT statuses map to the consent
// list's. The webhook body itself is decoded by internal/finpro/webhookpayload.

// Webhook event types (FinPro's eventType) of finpro-upstream.md §2c.
const (
	EventTypeConsent = "CONSENT"
	EventTypeData    = "DATA"
	// EventTypeDataExt (DATA_PUSH, raw FI data inline) has no public payload
	// shape; webhookpayload.Decode reports it as unsupported.
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
