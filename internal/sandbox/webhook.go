package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// hookEvent is a Type 1 FinPro webhook payload (finpro-upstream §2d).
type hookEvent struct {
	Timestamp      string         `json:"timestamp"`
	ConsentHandle  string         `json:"consentHandle"`
	EventType      string         `json:"eventType"`
	EventStatus    string         `json:"eventStatus"`
	ConsentID      string         `json:"consentId"`
	VUA            string         `json:"vua"`
	EventMessage   string         `json:"eventMessage"`
	SessionID      string         `json:"sessionId,omitempty"`
	LinkRefNumbers []fiStatusLink `json:"linkRefNumbers,omitempty"`
}

// webhooks delivers events one at a time, in the order sent, so each
// consent's events arrive in order: a failed delivery is retried on the
// schedule (Config.WebhookRetries) before the next event goes out, as a
// provider's per-endpoint ordered queue does.
type webhooks struct {
	s       *Sandbox
	q       chan queued
	done    chan struct{}
	client  *http.Client
	retries []time.Duration
	once    sync.Once
}

// queued is one event waiting for delivery.
type queued struct {
	body   []byte
	status string // eventStatus, for the log
	handle string
}

// DefaultWebhookRetries is the sandbox's retry schedule: the waits before
// each retry of a delivery that failed (a connection error, a timeout or a
// non-2xx answer). FinPro's own schedule is not public (finpro-upstream.md
// §6); this one is shaped like the webhook providers that publish theirs
// (exponential, from tens of seconds to hours): 7 attempts over about 4 h
// 42 min.
var DefaultWebhookRetries = []time.Duration{
	30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour,
}

// ParseWebhookRetries reads SANDBOX_WEBHOOK_RETRIES: comma-separated waits
// before each retry ("30s,2m,10m"); "0" or "none" means a single attempt.
func ParseWebhookRetries(v string) ([]time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "0" || strings.EqualFold(v, "none") {
		return []time.Duration{}, nil
	}
	var out []time.Duration
	for _, part := range strings.Split(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("webhook retry %q: want positive durations such as 30s,2m,10m, or none", part)
		}
		out = append(out, d)
	}
	return out, nil
}

func newWebhooks(s *Sandbox) *webhooks {
	h := &webhooks{s: s, done: make(chan struct{}), retries: s.cfg.WebhookRetries}
	if s.cfg.WebhookURL == "" {
		close(h.done)
		return h
	}
	h.q = make(chan queued, s.cfg.WebhookQueue)
	h.client = &http.Client{
		Timeout:       s.cfg.WebhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	go h.run()
	return h
}

// send queues ev without blocking; a full queue drops it (logged).
func (h *webhooks) send(ev hookEvent) {
	if h.q == nil || h.s.ctx.Err() != nil {
		return
	}
	ev.Timestamp = h.s.timestamp()
	select {
	case h.q <- queued{body: encodeJSON(ev), status: ev.EventStatus, handle: ev.ConsentHandle}:
	default:
		h.s.cfg.Logger.Error("sandbox: webhook queue full, event dropped", "event", ev.EventStatus, "consent_handle", ev.ConsentHandle, "queue", cap(h.q))
	}
}

func (h *webhooks) run() {
	defer close(h.done)
	ctx := h.s.ctx
	for {
		select {
		case <-ctx.Done():
			if n := len(h.q); n > 0 {
				h.s.cfg.Logger.Warn("sandbox: closing with webhooks undelivered", "events", n)
			}
			return
		case ev := <-h.q:
			h.deliver(ev)
		}
	}
}

// deliver POSTs ev, retrying on the schedule on connection errors, timeouts
// and non-2xx answers. Every failure is logged; giving up is an error.
func (h *webhooks) deliver(ev queued) {
	ctx := h.s.ctx
	mac := hmac.New(sha256.New, []byte(h.s.cfg.WebhookSecret))
	mac.Write(ev.body)
	sig := hex.EncodeToString(mac.Sum(nil))
	log := h.s.cfg.Logger.With("event", ev.status, "consent_handle", ev.handle)
	for attempt := 1; ; attempt++ {
		err := h.post(ev.body, sig)
		if err == nil {
			if attempt > 1 {
				log.Info("sandbox: webhook delivered after retries", "attempts", attempt)
			}
			return
		}
		if ctx.Err() != nil {
			return
		}
		if attempt > len(h.retries) {
			log.Error("sandbox: webhook not delivered; giving up", "attempts", attempt, "err", err)
			return
		}
		wait := h.retries[attempt-1]
		log.Warn("sandbox: webhook delivery failed; will retry", "attempt", attempt, "retry_in", wait.String(), "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			log.Warn("sandbox: closing with a webhook undelivered", "attempts", attempt)
			return
		case <-t.C:
		}
	}
}

// errHookStatus is a non-2xx answer; its message carries the status code.
type errHookStatus int

func (e errHookStatus) Error() string {
	return fmt.Sprintf("webhook receiver answered %d", int(e))
}

func (h *webhooks) post(body []byte, sig string) error {
	req, err := http.NewRequestWithContext(h.s.ctx, http.MethodPost, h.s.cfg.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(h.s.cfg.WebhookHeader, sig)
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errHookStatus(resp.StatusCode)
	}
	return nil
}

// close waits for the delivery goroutine, which stops once the sandbox's
// context is cancelled.
func (h *webhooks) close() {
	h.once.Do(func() { <-h.done })
}
