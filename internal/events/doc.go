// Package events defines the FinPro events the BFF stores in NATS JetStream
// and streams to subscribers on every replica: the stored [Event], the
// subscriber's [Filter] and resume cursor, and the subject layout.
//
// The work is split along five concerns, one package each:
//
//   - broker (internal/events/broker): the NATS connection (an external
//     cluster or an embedded server), the stream FINPRO_EVENTS and the KV
//     buckets, storing events, and the one live consumer per replica.
//   - webhook (internal/events/webhook): POST /webhooks/finpro, signature
//     checks and decoding (webhookpayload.Decode), answered 200 only once
//     stored.
//   - hub (internal/events/hub): the in-memory fan-out from the live feed to
//     this replica's subscribers, with catch-up from the stream on resume.
//   - poller (internal/events/poller): the fallback that polls the consent
//     list when FinPro's webhooks cannot reach the BFF.
//   - replay (internal/replay): syncIncrementalData results kept for a retry
//     on any replica.
//
// # No PII in NATS
//
// A customer appears only as a customer key ([HashCustomer]): the first 128
// bits, in hex, of HMAC-SHA256 keyed by a per-deployment salt over the
// 10-digit mobile taken from the VUA (9876543210@onemoney). The salt is
// random, created once and shared through the FINPRO_META bucket, so every
// replica derives the same key. Stored events are the normalised [Event],
// without the VUA or FinPro's eventMessage.
//
// A Type 2 payload masks the VUA (XXXXXX9999@onemoney) and a rejection may
// carry none; such an event is stored under the customer key of its consent
// handle when one was recorded (by the broker's RememberConsent, or by an
// earlier webhook of the same consent that showed the mobile), else under
// [UnknownCustomer], where only subscribers filtering by consent handle
// receive it.
//
// # Deduplication and order
//
// A FinPro retry of an event is recognised by [WebhookID], hashed from
// (eventType, eventStatus, consentHandle, consentId, timestamp, sessionId),
// and dropped by JetStream within the stream's duplicate window. A retry
// arriving after the window is stored again; subscribers then see the same
// status twice, which is harmless for a status notification, so no
// longer-lived deduplication store is kept. Every event carries its stream
// sequence as Event.Seq; a client that reconnects passes the last one
// ([Event.Cursor], [ParseCursor]) as Filter.ResumeAfter and receives the
// stored events after it before going live, with no gap and no duplicate.
package events
