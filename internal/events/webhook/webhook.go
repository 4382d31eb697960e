// Package webhook is the intake of FinPro's webhooks: POST /webhooks/finpro.
//
// [Handler] verifies the HMAC-SHA256 of the raw body (with the current
// secret, or a previous one until its end during a rotation), decodes the
// event with webhookpayload.Decode (FinPro's wire quirks live there), refuses
// an event whose timestamp is outside the freshness window (a replayed
// capture), hands it to a [Store] (the broker, which writes it to JetStream)
// and answers 200 only once it is stored. A FinPro retry of an event already
// stored is recognised by the store (JetStream's Nats-Msg-Id dedupe) and
// answered 200.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
)

// Defaults of Options.
const (
	DefaultSignatureHeader = "X-Signature"
	DefaultMaxBody         = 64 << 10
	// DefaultStoreTimeout is below the 5 s a webhook sender commonly waits
	// for an answer (the sandbox's does), so the sender sees our 503 rather
	// than its own timeout, and above a typical NATS stream-leader
	// election's first seconds.
	DefaultStoreTimeout = 4 * time.Second
	// DefaultMaxAge is the freshness window: the stream's duplicate window
	// (1 h), so an event old enough to be stored again as new is refused
	// instead.
	DefaultMaxAge = time.Hour
	// FutureSkew is how far ahead of this server's clock an event's
	// timestamp may be (FinPro's clock, or its zone, differing from ours).
	FutureSkew = 5 * time.Minute
)

// Store keeps verified events. *broker.Broker satisfies it.
type Store interface {
	// StoreWebhook stores the event received at received and returns its
	// stream sequence; dup reports an event already stored (a retry).
	StoreWebhook(ctx context.Context, ev webhookpayload.Event, received time.Time) (seq uint64, dup bool, err error)
}

// Options configure Handler.
type Options struct {
	// Secret is the HMAC key shared with FinPro (FINPRO_WEBHOOK_SECRET). Empty
	// refuses every webhook with 503 (and logs an error once).
	Secret []byte
	// PreviousSecret is accepted too until PreviousUntil, so the secret can
	// be rotated without refusing FinPro's events: deploy the new Secret with
	// the old one here, then change it in FinPro's Admin Portal
	// (FINPRO_WEBHOOK_PREVIOUS_SECRET, FINPRO_WEBHOOK_PREVIOUS_SECRET_UNTIL).
	// Ignored when PreviousUntil is zero or past.
	PreviousSecret []byte
	PreviousUntil  time.Time
	// MaxAge is the freshness window [DefaultMaxAge]: an event whose
	// timestamp is older than this, or more than FutureSkew ahead, is
	// refused with 422 (a replayed capture of a validly signed event), and
	// one without a readable timestamp with 400 (FINPRO_WEBHOOK_MAX_AGE).
	MaxAge time.Duration
	// Now is the clock for the freshness window and the previous secret's
	// end [time.Now].
	Now func() time.Time
	// Header names the signature header [DefaultSignatureHeader].
	Header string
	// MaxBody bounds the body in bytes [DefaultMaxBody]; larger bodies get 413.
	MaxBody int64
	// StoreTimeout is how long the handler keeps trying to store an event
	// (through a NATS reconnect or a stream-leader election) before it
	// answers 503 [DefaultStoreTimeout]. Keep it below the sender's own
	// timeout (FINPRO_WEBHOOK_STORE_TIMEOUT).
	StoreTimeout time.Duration
	// Logger receives one line per request, never the body, VUA or mobile;
	// nil discards.
	Logger *slog.Logger
}

// Handler returns the handler of POST /webhooks/finpro.
//
// It reads the raw body through a limit of Options.MaxBody bytes (413 when
// larger), checks the lowercase-hex HMAC-SHA256 of the exact bytes under the
// secret in Options.Header (an optional "sha256=" prefix is accepted) with a
// constant-time compare (401 when missing or wrong), decodes the event
// tolerantly, stores it and answers 200 only once the store has acknowledged
// it.
//
// Other answers: 405 for a method other than POST; 400 for a signed body that
// is not a FinPro event (bad JSON, missing eventType, eventStatus or
// consentHandle), since a retry cannot fix it; 202 for a well-formed event of
// a type or status the BFF does not store (DATA_EXT, statuses FinPro may add
// later), which is dropped rather than refused so FinPro stops retrying; 503
// when the event could not be stored within Options.StoreTimeout (FinPro
// retries) or no secret is configured. Never a 2xx for an event not stored.
// A retry of an event already stored (same type, status, handle,
// consent id, timestamp and session) answers 200 and is not delivered again.
// 422 refuses an event outside the freshness window (Options.MaxAge).
func Handler(store Store, opts Options) http.Handler {
	header := opts.Header
	if header == "" {
		header = DefaultSignatureHeader
	}
	maxBody := opts.MaxBody
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	storeTimeout := opts.StoreTimeout
	if storeTimeout <= 0 {
		storeTimeout = DefaultStoreTimeout
	}
	maxAge := opts.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	key := append([]byte(nil), opts.Secret...)
	if len(key) == 0 {
		logger.Error("finpro webhook secret is empty: every webhook will be refused")
	}
	prevKey, prevUntil := append([]byte(nil), opts.PreviousSecret...), opts.PreviousUntil
	if len(prevKey) == 0 || prevUntil.IsZero() {
		prevKey = nil
	}
	// verify reports whether sig signs body, and with which secret.
	verify := func(body []byte, sig string) (ok, previous bool) {
		if validSignature(key, body, sig) {
			return true, false
		}
		if prevKey != nil && now().Before(prevUntil) && validSignature(prevKey, body, sig) {
			return true, true
		}
		return false, false
	}
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
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				logger.WarnContext(r.Context(), "webhook body too large", "limit", maxBody)
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		ok, previous := verify(body, r.Header.Get(header))
		if !ok {
			logger.WarnContext(r.Context(), "webhook signature rejected")
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if previous {
			// FinPro still signs with the old secret: the rotation is not
			// finished in its Admin Portal.
			logger.WarnContext(r.Context(), "webhook signed with the previous secret", "previous_secret_until", prevUntil.UTC().Format(time.RFC3339))
		}
		ev, err := webhookpayload.Decode(body)
		switch {
		case errors.Is(err, webhookpayload.ErrUnsupported):
			logger.InfoContext(r.Context(), "webhook event ignored", "reason", err.Error())
			w.WriteHeader(http.StatusAccepted)
			return
		case err != nil:
			logger.WarnContext(r.Context(), "webhook event rejected", "reason", err.Error())
			http.Error(w, "malformed event", http.StatusBadRequest)
			return
		}
		switch t := ev.Timestamp; {
		case t.IsZero():
			logger.WarnContext(r.Context(), "webhook event rejected", "reason", "no readable timestamp: its freshness cannot be checked")
			http.Error(w, "malformed event: timestamp required", http.StatusBadRequest)
			return
		case now().Sub(t) > maxAge || t.Sub(now()) > FutureSkew:
			logger.WarnContext(r.Context(), "webhook event refused: outside the freshness window",
				"type", ev.Type, "status", ev.Status, "age", now().Sub(t).Round(time.Second).String(), "max_age", maxAge.String())
			http.Error(w, "stale event", http.StatusUnprocessableEntity)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), storeTimeout)
		defer cancel()
		seq, dup, err := store.StoreWebhook(ctx, ev, time.Now())
		if err != nil {
			logger.ErrorContext(r.Context(), "webhook event not stored", "type", ev.Type, "status", ev.Status, "err", err)
			http.Error(w, "event not stored, retry later", http.StatusServiceUnavailable)
			return
		}
		logger.InfoContext(r.Context(), "webhook event stored", "type", ev.Type, "status", ev.Status, "seq", seq, "duplicate", dup)
		w.WriteHeader(http.StatusOK)
	})
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
