package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
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

// webhooks delivers events one at a time, in the order sent, so each consent's
// events arrive in order.
type webhooks struct {
	s      *Sandbox
	q      chan []byte
	done   chan struct{}
	client *http.Client
	once   sync.Once
}

// Webhook delivery retries: attempts and the first backoff (doubling).
const (
	hookAttempts = 4
	hookBackoff  = 100 * time.Millisecond
)

func newWebhooks(s *Sandbox) *webhooks {
	h := &webhooks{s: s, done: make(chan struct{})}
	if s.cfg.WebhookURL == "" {
		close(h.done)
		return h
	}
	h.q = make(chan []byte, s.cfg.WebhookQueue)
	h.client = &http.Client{
		Timeout:       5 * time.Second,
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
	body := encodeJSON(ev)
	select {
	case h.q <- body:
	default:
		h.s.cfg.Logger.Warn("sandbox: webhook queue full, event dropped", "event", ev.EventStatus)
	}
}

func (h *webhooks) run() {
	defer close(h.done)
	ctx := h.s.ctx
	for {
		select {
		case <-ctx.Done():
			return
		case body := <-h.q:
			h.deliver(body)
		}
	}
}

// deliver POSTs body, retrying with backoff on connection errors and non-2xx.
func (h *webhooks) deliver(body []byte) {
	ctx := h.s.ctx
	mac := hmac.New(sha256.New, []byte(h.s.cfg.WebhookSecret))
	mac.Write(body)
	sig := hex.EncodeToString(mac.Sum(nil))
	wait := hookBackoff
	for attempt := 1; ; attempt++ {
		err := h.post(body, sig)
		if err == nil {
			return
		}
		if attempt == hookAttempts {
			h.s.cfg.Logger.Warn("sandbox: webhook not delivered", "attempts", attempt, "err", err)
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait *= 2
	}
}

var errHookStatus = errors.New("webhook receiver answered non-2xx")

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
		return errHookStatus
	}
	return nil
}

// close waits for the delivery goroutine, which stops once the sandbox's
// context is cancelled.
func (h *webhooks) close() {
	h.once.Do(func() { <-h.done })
}
