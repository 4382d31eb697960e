package sandbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// FIP outcomes of a data fetch, per account (Config.FetchOutcomes,
// SetFetchOutcome, POST /_sandbox/fetch/outcomes).
const (
	OutcomeDelivered = "DELIVERED" // the FIP sent the data
	OutcomeDenied    = "DENIED"    // the FIP refused
	OutcomeTimeout   = "TIMEOUT"   // the FIP did not answer before the session ended
)

var validOutcome = map[string]bool{OutcomeDelivered: true, OutcomeDenied: true, OutcomeTimeout: true}

// fetchSession is one data fetch of a consent: the automatic first fetch of an
// approval or a /fi/request. It is pending until its delay passes (or the admin
// API completes or expires it); then each account's FIP outcome is fixed, the
// delivered accounts' data becomes readable and one DATA webhook fires.
type fetchSession struct {
	id        string
	k         *consent
	requested time.Time
	firstTime bool // the consent's first fetch

	done      bool
	expired   bool              // SESSION_EXPIRED: no FIP answered in time
	outcomes  map[string]string // link reference -> DELIVERED, DENIED or TIMEOUT, once done
	completed time.Time
}

// eventStatus is the session's DATA webhook eventStatus (and, but for
// SESSION_FAILED, which the status API calls TIMEOUT, its eventStatus there):
// DATA_READY when any account was delivered (the others' fiStatus says why
// not), else DATA_DENIED when any FIP denied, else SESSION_FAILED; an expired
// session is SESSION_EXPIRED. Callers hold mu.
func (f *fetchSession) eventStatus() string {
	if !f.done {
		return "PENDING"
	}
	if f.expired {
		return "SESSION_EXPIRED"
	}
	denied := false
	for _, o := range f.outcomes {
		switch o {
		case OutcomeDelivered:
			return "DATA_READY"
		case OutcomeDenied:
			denied = true
		}
	}
	if denied {
		return "DATA_DENIED"
	}
	return "SESSION_FAILED"
}

// has reports whether the FIU holds a's data under k: every account of a
// consent fetched before sessions existed (the seeded ones), else those a
// completed session delivered.
func (k *consent) has(a *account) bool {
	return k.got == nil || k.got[a.linkRef]
}

// startFetchLocked starts a data fetch of k that completes after delay (at
// once when delay <= 0). Callers hold mu for writing.
func (s *Sandbox) startFetchLocked(k *consent, id string, delay time.Duration) *fetchSession {
	if k.got == nil && k.ready {
		// The data fetched before this session stays readable.
		k.got = map[string]bool{}
		for _, a := range k.accounts {
			k.got[a.linkRef] = true
		}
	}
	if k.got == nil {
		k.got = map[string]bool{}
	}
	f := &fetchSession{id: id, k: k, requested: s.now(), firstTime: k.fetches == 0}
	k.fetches++
	k.fetch = f
	k.sessionID = id
	k.readyAt = time.Time{}
	s.bySession[id] = k
	s.sessions[id] = f
	if delay <= 0 {
		s.completeFetchLocked(f)
		return f
	}
	time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.ctx.Err() != nil || f.done || k.fetch != f {
			return
		}
		if k.status != statusActive {
			// Paused, revoked or expired while the FIPs were asked: the
			// session ends without data.
			s.expireFetchLocked(f)
			return
		}
		s.completeFetchLocked(f)
	})
	return f
}

// outcomeLocked is the configured FIP outcome of a: by link reference, else by
// FIP id, else DELIVERED. Callers hold mu.
func (s *Sandbox) outcomeLocked(a *account) string {
	if o, ok := s.outcomes[a.linkRef]; ok {
		return o
	}
	if o, ok := s.outcomes[a.fipID]; ok {
		return o
	}
	return OutcomeDelivered
}

// completeFetchLocked fixes f's outcomes, makes the delivered data readable and
// fires the DATA webhook. Callers hold mu for writing.
func (s *Sandbox) completeFetchLocked(f *fetchSession) {
	k := f.k
	f.done, f.completed = true, s.now()
	f.outcomes = map[string]string{}
	ev := hookEvent{
		ConsentHandle: k.handle, EventType: "DATA", ConsentID: k.id, VUA: k.vua,
		SessionID: f.id, LinkRefNumbers: []fiStatusLink{},
	}
	delivered := false
	for _, a := range k.accounts {
		o := s.outcomeLocked(a)
		f.outcomes[a.linkRef] = o
		st := o
		if o == OutcomeDelivered {
			k.got[a.linkRef] = true
			delivered = true
			st = "READY" // the webhooks' word for it
		}
		ev.LinkRefNumbers = append(ev.LinkRefNumbers, fiStatusLink{a.linkRef, st, a.fipName, a.fipID, a.masked})
	}
	if delivered || len(k.accounts) == 0 {
		k.ready, k.fetchedAt = true, f.completed
	}
	ev.EventStatus = f.eventStatus()
	ev.EventMessage = eventMessage(ev.EventStatus, k.id)
	s.hooks.send(ev)
}

// expireFetchLocked ends f with SESSION_EXPIRED: nothing delivered, a webhook
// without linkRefNumbers. Callers hold mu for writing.
func (s *Sandbox) expireFetchLocked(f *fetchSession) {
	f.done, f.expired, f.completed = true, true, s.now()
	f.outcomes = map[string]string{}
	k := f.k
	s.hooks.send(hookEvent{
		ConsentHandle: k.handle, EventType: "DATA", EventStatus: "SESSION_EXPIRED", ConsentID: k.id, VUA: k.vua,
		EventMessage: eventMessage("SESSION_EXPIRED", k.id), SessionID: f.id,
	})
}

func eventMessage(status, consentID string) string {
	switch status {
	case "DATA_READY":
		return "Data ready for consent id " + consentID
	case "DATA_DENIED":
		return "Data denied by FIP for consent id " + consentID
	case "SESSION_FAILED", "TIMEOUT":
		return "FI session failed for consent id " + consentID
	case "SESSION_EXPIRED":
		return "FI session expired for consent id " + consentID
	}
	return "Data fetch pending for consent id " + consentID
}

// FetchInfo describes a consent's latest data fetch (ConsentInfo.Fetch).
type FetchInfo struct {
	SessionID string `json:"sessionId"`
	// EventStatus is PENDING, DATA_READY, DATA_DENIED, SESSION_FAILED or
	// SESSION_EXPIRED.
	EventStatus string `json:"eventStatus"`
	// Accounts maps link references to DELIVERED, DENIED or TIMEOUT once the
	// fetch is done (empty while pending and when expired).
	Accounts map[string]string `json:"accounts"`
}

func fetchInfo(f *fetchSession) *FetchInfo {
	if f == nil {
		return nil
	}
	fi := &FetchInfo{SessionID: f.id, EventStatus: f.eventStatus(), Accounts: map[string]string{}}
	for lr, o := range f.outcomes {
		fi.Accounts[lr] = o
	}
	return fi
}

// StartFetch starts a data fetch of the ACTIVE consent with handle, as
// /fi/request does but without its rate limit or call count, completing after
// delay (at once when 0). It returns the session ID.
func (s *Sandbox) StartFetch(ctx context.Context, handle string, delay time.Duration) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.byHandle[handle]
	switch {
	case k == nil:
		return "", fmt.Errorf("consent handle %q: %w", handle, ErrNotFound)
	case k.status != statusActive:
		return "", fmt.Errorf("fetch for a %s consent: %w", k.status, ErrIllegalTransition)
	}
	s.created++
	id := uuid.NewSHA1(idSpace, []byte(k.id+"/session/admin/"+fmt.Sprint(s.created))).String()
	s.startFetchLocked(k, id, delay)
	return id, nil
}

// CompleteFetch completes the pending data fetch of the consent with handle
// now, with the configured FIP outcomes; ExpireFetch ends it with
// SESSION_EXPIRED. Both fire the DATA webhook; a consent with no pending fetch
// is ErrIllegalTransition.
func (s *Sandbox) CompleteFetch(ctx context.Context, handle string) error {
	return s.endFetch(ctx, handle, false)
}

// ExpireFetch: see CompleteFetch.
func (s *Sandbox) ExpireFetch(ctx context.Context, handle string) error {
	return s.endFetch(ctx, handle, true)
}

func (s *Sandbox) endFetch(ctx context.Context, handle string, expire bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.byHandle[handle]
	switch {
	case k == nil:
		return fmt.Errorf("consent handle %q: %w", handle, ErrNotFound)
	case k.fetch == nil || k.fetch.done:
		return fmt.Errorf("consent has no pending fetch: %w", ErrIllegalTransition)
	}
	if expire {
		s.expireFetchLocked(k.fetch)
	} else {
		s.completeFetchLocked(k.fetch)
	}
	return nil
}

// SetFetchOutcome makes the FIP of key (a link reference number or a FIP id;
// a link reference wins) answer later fetches with outcome (DELIVERED, DENIED
// or TIMEOUT). Outcomes apply when a fetch completes.
func (s *Sandbox) SetFetchOutcome(key, outcome string) error {
	key, outcome = strings.TrimSpace(key), strings.ToUpper(strings.TrimSpace(outcome))
	if key == "" || len(key) > 128 {
		return fmt.Errorf("fetch outcome key %q: %w", key, ErrInvalid)
	}
	if !validOutcome[outcome] {
		return fmt.Errorf("fetch outcome %q: want DELIVERED, DENIED or TIMEOUT: %w", outcome, ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.outcomes) >= 10_000 {
		return fmt.Errorf("too many fetch outcomes: %w", ErrInvalid)
	}
	s.outcomes[key] = outcome
	return nil
}

// FetchOutcomes returns the configured FIP outcomes by key.
func (s *Sandbox) FetchOutcomes() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]string, len(s.outcomes))
	for k, v := range s.outcomes {
		out[k] = v
	}
	return out
}

// ClearFetchOutcomes makes every FIP deliver again.
func (s *Sandbox) ClearFetchOutcomes() {
	s.mu.Lock()
	clear(s.outcomes)
	s.mu.Unlock()
}

// ParseFetchOutcomes reads SANDBOX_FETCH_OUTCOMES: comma-separated key=outcome
// pairs ("HDFC-FIP=TIMEOUT,<linkRef>=DENIED").
func ParseFetchOutcomes(v string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(v, ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		key, o, ok := strings.Cut(pair, "=")
		key, o = strings.TrimSpace(key), strings.ToUpper(strings.TrimSpace(o))
		if !ok || key == "" || !validOutcome[o] {
			return nil, fmt.Errorf("fetch outcome %q: want <fipId or linkRef>=DELIVERED|DENIED|TIMEOUT", pair)
		}
		out[key] = o
	}
	return out, nil
}

// sessionStatus fills /consent/firequest/status's data from f: its state,
// each account's fiStatus (PENDING, then DELIVERED, DENIED or TIMEOUT; none
// when expired), firstTimeFetch. eventStatus is PENDING, DATA_READY,
// DATA_DENIED, TIMEOUT (the webhook's SESSION_FAILED, in the status API's
// documented word) or SESSION_EXPIRED. Callers hold mu.
func (s *Sandbox) sessionStatus(d *fiStatusJSON, f *fetchSession) {
	d.SessionID = f.id
	d.FirstTimeFetch = f.firstTime
	d.EventStatus = f.eventStatus()
	if d.EventStatus == "SESSION_FAILED" {
		d.EventStatus = "TIMEOUT"
	}
	d.EventMessage = eventMessage(d.EventStatus, f.k.id)
	d.LinkRefNumbers = []fiStatusLink{}
	if f.expired {
		return
	}
	for _, a := range f.k.accounts {
		st := "PENDING"
		if f.done {
			st = f.outcomes[a.linkRef]
		}
		d.LinkRefNumbers = append(d.LinkRefNumbers, fiStatusLink{a.linkRef, st, a.fipName, a.fipID, a.masked})
	}
}
