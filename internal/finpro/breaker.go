package finpro

import (
	"sync"
	"time"
)

// breaker is one endpoint's circuit breaker. Closed, it lets calls through and
// counts consecutive failures (5xx, connection errors, attempt timeouts); at
// threshold it opens and refuses calls (ErrUnavailable, no request) for cooldown;
// then it is half-open and lets a single probe through: the probe's success closes
// it, its failure opens it for another cooldown. Answers that prove FinPro is up
// (2xx, its own 4xx) reset the count; rate limiting and the caller giving up
// count for nothing.
type breaker struct {
	threshold int
	cooldown  time.Duration

	mu       sync.Mutex
	failures int
	open     bool
	openedAt time.Time
	probing  bool // a half-open probe is in flight
}

// allow reports whether a call may go out now, and whether it is the half-open
// probe.
func (b *breaker) allow(now time.Time) (probe, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return false, true
	}
	if b.probing || now.Sub(b.openedAt) < b.cooldown {
		return false, false
	}
	b.probing = true
	return true, true
}

// record notes an attempt's outcome and reports whether it opened the circuit.
func (b *breaker) record(oc outcome, probe bool, now time.Time) (opened bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
	}
	switch oc {
	case outcomeSuccess:
		b.failures = 0
		b.open = false
	case outcomeFailure:
		b.failures++
		if probe || (!b.open && b.failures >= b.threshold) {
			opened = !b.open
			b.open = true
			b.openedAt = now
		}
	}
	return opened
}
