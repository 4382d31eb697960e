package events

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Webhook defaults.
const (
	DefaultSignatureHeader = "X-Signature"
	DefaultMaxWebhookBody  = 64 << 10
)

// publishTimeout bounds the wait for JetStream's acknowledgement of a webhook.
const publishTimeout = 10 * time.Second

// WebhookHandler returns the handler of POST /webhooks/finpro.
//
// It reads the raw body through a limit of maxBody bytes (0: 64 KiB; larger
// bodies get 413), checks the lowercase-hex HMAC-SHA256 of the exact bytes
// under secret in the header named header ("" means X-Signature; an optional
// "sha256=" prefix is accepted) with a constant-time compare (401 when missing
// or wrong), decodes the event tolerantly, stores it in JetStream and answers
// 200 only once JetStream has acknowledged it.
//
// Other answers: 405 for a method other than POST; 400 for a signed body that
// is not a FinPro event (bad JSON, missing eventType, eventStatus or
// consentHandle), since a retry cannot fix it; 202 for a well-formed event of
// a type or status the broker does not store (DATA_EXT, statuses FinPro may
// add later), which is dropped rather than refused so FinPro stops retrying;
// 503 when NATS cannot store the event (FinPro retries) or no secret is
// configured. A retry of an event already stored (same type, status, handle,
// consent id, timestamp and session) answers 200 and is not delivered again.
// The body, VUA and mobile are never logged.
func (b *Broker) WebhookHandler(secret []byte, header string, maxBody int64) http.Handler {
	if header == "" {
		header = DefaultSignatureHeader
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxWebhookBody
	}
	if len(secret) == 0 {
		b.logger.Error("finpro webhook secret is empty: every webhook will be refused")
	}
	key := append([]byte(nil), secret...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if len(key) == 0 {
			http.Error(w, "webhook secret not configured", http.StatusServiceUnavailable)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				b.logger.WarnContext(r.Context(), "webhook body too large", "limit", maxBody)
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if !validSignature(key, body, r.Header.Get(header)) {
			b.logger.WarnContext(r.Context(), "webhook signature rejected")
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		we, err := finpro.DecodeWebhook(body)
		switch {
		case errors.Is(err, finpro.ErrWebhookUnsupported):
			b.logger.InfoContext(r.Context(), "webhook event ignored", "reason", err.Error())
			w.WriteHeader(http.StatusAccepted)
			return
		case err != nil:
			b.logger.WarnContext(r.Context(), "webhook event rejected", "reason", err.Error())
			http.Error(w, "malformed event", http.StatusBadRequest)
			return
		}
		ev, mobile, msgID := eventOf(we, time.Now()), we.Mobile, webhookID(we)
		ctx, cancel := context.WithTimeout(r.Context(), publishTimeout)
		defer cancel()
		seq, dup, err := b.publishWebhook(ctx, ev, mobile, msgID)
		if err != nil {
			b.logger.ErrorContext(r.Context(), "webhook event not stored", "type", ev.Type, "status", ev.Status, "err", err)
			http.Error(w, "event not stored, retry later", http.StatusServiceUnavailable)
			return
		}
		b.logger.InfoContext(r.Context(), "webhook event stored", "type", ev.Type, "status", ev.Status, "seq", seq, "duplicate", dup)
		w.WriteHeader(http.StatusOK)
		if mobile != "" {
			// Later events about this consent may hide the mobile.
			if err := b.RememberConsent(ctx, mobile, ev.ConsentHandle); err != nil {
				b.logger.DebugContext(r.Context(), "consent handle not indexed", "err", err)
			}
		}
	})
}

// publishWebhook sets the event's customer key (from the VUA's mobile, else
// from the handle index) and stores it.
func (b *Broker) publishWebhook(ctx context.Context, ev Event, mobile, msgID string) (uint64, bool, error) {
	if mobile != "" {
		ev.CustomerKey = customerKey(b.salt, mobile)
	} else {
		ev.CustomerKey = UnknownCustomer
		key, ok, err := b.lookupHandle(ctx, ev.ConsentHandle)
		if err != nil {
			return 0, false, err
		}
		if ok {
			ev.CustomerKey = key
		}
	}
	return b.publish(ctx, ev, msgID)
}

// validSignature reports whether sig is the hex HMAC-SHA256 of body under key.
func validSignature(key, body []byte, sig string) bool {
	sig = strings.TrimSpace(sig)
	if len(sig) > 7 && strings.EqualFold(sig[:7], "sha256=") {
		sig = sig[7:]
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
