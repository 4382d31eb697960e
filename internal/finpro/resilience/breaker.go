package resilience

import (
	"sync"
	"time"
)

// Breaker is one endpoint's circuit breaker. Closed, it lets calls through and
// counts consecutive failures (5xx, connection errors, attempt timeouts); at
// threshold it opens and refuses calls (ErrUnavailable, no request) for cooldown;
// then it is half-open and lets a single probe through: the probe's success closes
// it, its failure opens it for another cooldown. Answers that prove FinPro is up
// (2xx, its own 4xx) reset the count; rate limiting and the caller giving up
// count for nothing.
type Breaker struct {
	threshold int
	cooldown  time.Duration

	mu       sync.Mutex
	failures int
	open     bool
	openedAt time.Time
	probing  bool // a half-open probe is in flight
}

// Allow reports whether a call may go out now, and whether it is the half-open
// probe.
func (b *Breaker) Allow(now time.Time) (probe, ok bool) {
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

// Record notes an attempt's outcome and reports whether it opened the circuit.
func (b *Breaker) Record(oc Outcome, probe bool, now time.Time) (opened bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if probe {
		b.probing = false
	}
	switch oc {
	case Success:
		b.failures = 0
		b.open = false
	case Failure:
		b.failures++
		if probe || (!b.open && b.failures >= b.threshold) {
			opened = !b.open
			b.open = true
			b.openedAt = now
		}
	}
	return opened
}

// NewBreaker returns a closed breaker that opens after threshold consecutive
// failures and stays open for cooldown.
func NewBreaker(threshold int, cooldown time.Duration) *Breaker {
	return &Breaker{threshold: threshold, cooldown: cooldown}
}

// Outcome is what an attempt tells a [Breaker].
type Outcome int

const (
	Success Outcome = iota // the upstream answered (2xx or a 4xx of its own)
	Failure                // 5xx, connection error, attempt timeout
	Neutral                // the caller gave up, rate limited, an odd 2xx body
)
