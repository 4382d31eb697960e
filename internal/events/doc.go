// Package events takes FinPro's webhooks in, stores them in NATS JetStream
// and streams them to subscribers on every replica.
//
// # Broker
//
// [Start] connects to the NATS cluster at Options.URL or, when it is empty,
// starts an embedded nats-server in-process (no client port; the connection
// is in-process) so `go run .` needs nothing; after connecting both run the
// same code. Start creates or updates:
//
//   - the stream FINPRO_EVENTS, subjects finpro.consent.<customerKey>.<handle>
//     and finpro.data.<customerKey>.<handle>, bounded by Options.StreamMaxAge
//     (24h) and deduplicating by Nats-Msg-Id over Options.DuplicateWindow (1h);
//   - the KV bucket SYNC_REPLAY behind [ReplayStore] (memory, with a TTL);
//   - the KV bucket FINPRO_HANDLES behind [Broker.RememberConsent];
//   - the KV bucket FINPRO_META holding the deployment's customer-key salt.
//
// The embedded server keeps memory storage and a temporary directory unless
// Options.StoreDir is set (then events survive a restart).
//
// # No PII in NATS
//
// A customer appears only as a customer key: the first 128 bits, in hex, of
// HMAC-SHA256 keyed by a per-deployment salt over the 10-digit mobile taken
// from the VUA (9876543210@onemoney). The salt is random, created once and
// shared through FINPRO_META, so every replica derives the same key; it can be
// pinned with Options.CustomerKeySalt. Stored events are the normalised
// [Event], without the VUA or FinPro's eventMessage.
//
// A Type 2 payload masks the VUA (XXXXXX9999@onemoney) and a rejection may
// carry none; such an event is stored under the customer key of its consent
// handle when one was recorded (by RememberConsent, or by an earlier webhook
// of the same consent that showed the mobile), else under [UnknownCustomer],
// where only subscribers filtering by consent handle receive it.
//
// # Webhooks
//
// [Broker.WebhookHandler] verifies the HMAC-SHA256 of the raw body, decodes
// every CONSENT and DATA event of FinPro's catalogue with
// [finpro.DecodeWebhook] (FinPro's wire quirks live there) and answers 200
// only after JetStream acknowledged the write. A FinPro retry of an event is
// recognised by an id hashed from (eventType, eventStatus, consentHandle,
// consentId, timestamp, sessionId), dropped by JetStream, and answered 200.
// Its documentation lists every status code. A retry arriving after the
// duplicate window is stored again; subscribers then see the same status
// twice, which is harmless for a status notification, so no longer-lived
// deduplication store is kept.
//
// # Subscriptions
//
// Each Broker runs one ordered consumer over the whole stream and fans events
// out in memory to its subscribers ([Broker.Subscribe]), indexed by customer
// key and by handle, instead of one JetStream consumer per subscriber: an
// open subscription costs one goroutine and a small queue, and nothing on the
// NATS server. Every event carries its stream sequence as Event.Seq; a client
// that reconnects passes the last one as Filter.ResumeAfter and the
// subscription replays the stored events after it (reading the stream by
// subject with direct gets) before going live, with no gap and no duplicate.
// A subscriber whose queue overflows falls back to the same stream read.
// Channels close when the subscriber's context ends or the broker closes.
//
// # Fallback poller and replay store
//
// [Poller] serves deployments that FinPro's webhooks cannot reach: it polls
// the consent list of customers with subscribers and publishes status changes
// (see its documentation for how replicas avoid double publishing).
// [ReplayStore] keeps syncIncrementalData results for a retry on any replica.
package events
