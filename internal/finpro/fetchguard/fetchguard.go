// Package fetchguard keeps storms of data-fetch requests (/fi/request) for
// one consent from reaching FinPro (Guard), over a *finpro.Client.
package fetchguard

import (
	"context"
	"sync"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/check"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// DefaultCooldown is Guard's cooldown when none is configured. A
// FinPro fetch usually completes within a minute (integrators poll every 3 s
// for about 60 s, finpro-upstream.md §4.17), so a repeat inside it would only
// start a second session for the same data.
const DefaultCooldown = time.Minute

// maxGuarded bounds Guard's memory: past it, sweeping makes room, and if
// every entry is still live a new fetch goes through unguarded.
const maxGuarded = 100_000

// Guard keeps a storm of data-fetch requests (/fi/request) for one consent
// from reaching FinPro: each upstream request creates a session at the AA, and
// for a PERIODIC consent each one counts against the consent's frequency (an
// AA refuses fetches beyond it), so five taps on "refresh" must not spend five.
//
// Within the cooldown after a session was created for a consent, and while a
// request for it is in flight, a request for the same range gets that session
// back (finpro.FISession.Reused) and FinPro gets no call: the app can follow
// the session it already knows (its status, its DATA webhook) exactly as it
// would a new one, which is what a screen saying "fetching your data…" wants.
// A request for a different range inside the window is finpro.ErrRateLimited
// with the time left in RetryAfter: answering it with a session for another
// range would be wrong, and starting one would spend the consent's fetches.
//
// Failed requests are not remembered. Concurrent callers share one upstream
// call, which runs to completion even if the caller that started it goes away,
// so the session FinPro created is known to the next caller. The guard is in
// memory, per replica: N replicas may each let one request through.
type Guard struct {
	c        *finpro.Client
	cooldown time.Duration

	mu        sync.Mutex
	recent    map[string]*guardedFetch // by consent ID
	lastSweep time.Time
}

// guardedFetch is the latest fetch request of one consent.
type guardedFetch struct {
	from, to    time.Time
	minInterval time.Duration
	done        chan struct{} // closed when the upstream call ended

	// Set before done is closed.
	session *finpro.FISession
	err     error
	at      time.Time // when the session was created
}

// New returns a guard in front of c's RequestFI. cooldown 0 takes
// DefaultCooldown; a negative cooldown turns the guard off (every request
// goes to FinPro).
func New(c *finpro.Client, cooldown time.Duration) *Guard {
	if cooldown == 0 {
		cooldown = DefaultCooldown
	}
	return &Guard{c: c, cooldown: cooldown, recent: map[string]*guardedFetch{}}
}

// RequestFI starts a data fetch for req.ConsentID unless one was started within
// the cooldown or is in flight; see Guard. minInterval is the consent's
// own minimum time between fetches when the caller knows it, such as
// journey.Frequency.Interval of a PERIODIC consent's product; the guard keeps
// the longer of it and its cooldown. 0 leaves the cooldown alone.
func (g *Guard) RequestFI(ctx context.Context, req finpro.FIRequest, minInterval time.Duration) (*finpro.FISession, error) {
	if g.cooldown < 0 {
		return g.c.RequestFI(ctx, req)
	}
	if err := check.ID(paths.FIRequest, "consentId", req.ConsentID); err != nil {
		return nil, err
	}
	now := g.c.Transport().Now()
	g.mu.Lock()
	g.sweep(now)
	e := g.recent[req.ConsentID]
	if e != nil {
		select {
		case <-e.done:
			if left := e.at.Add(max(g.cooldown, e.minInterval, minInterval)).Sub(now); left <= 0 {
				e = nil // past its window: fetch again
			}
		default: // in flight
		}
	}
	if e != nil {
		g.mu.Unlock()
		if !e.sameRange(req) {
			left := g.cooldown
			select {
			case <-e.done:
				left = e.at.Add(max(g.cooldown, e.minInterval, minInterval)).Sub(now)
			default:
			}
			return nil, transport.NewError(paths.FIRequest, 0, finpro.ErrRateLimited, left,
				"a data fetch for this consent was requested moments ago")
		}
		return g.wait(ctx, e)
	}
	e = &guardedFetch{from: req.From, to: req.To, minInterval: minInterval, done: make(chan struct{})}
	if len(g.recent) < maxGuarded {
		g.recent[req.ConsentID] = e
	}
	g.mu.Unlock()

	// The request runs detached from ctx: /fi/request is a write, and the
	// session it creates should be known to whoever asks next even if this
	// caller gave up. The client's attempt timeout still bounds it.
	go func() {
		s, err := g.c.RequestFI(context.WithoutCancel(ctx), req)
		g.mu.Lock()
		e.at = g.c.Transport().Now()
		if err != nil {
			e.err = err
			if g.recent[req.ConsentID] == e {
				delete(g.recent, req.ConsentID)
			}
		} else {
			s.RequestedAt = e.at
			e.session = s
		}
		close(e.done)
		g.mu.Unlock()
	}()
	s, err := g.wait(ctx, e)
	if s != nil {
		s.Reused = false // the caller that started it
	}
	return s, err
}

// wait returns e's outcome once known, or ctx's error first.
func (g *Guard) wait(ctx context.Context, e *guardedFetch) (*finpro.FISession, error) {
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, transport.CtxError(paths.FIRequest, ctx)
	}
	if e.err != nil {
		return nil, e.err
	}
	s := *e.session
	s.Reused = true
	return &s, nil
}

func (e *guardedFetch) sameRange(req finpro.FIRequest) bool {
	return e.from.Equal(req.From) && e.to.Equal(req.To)
}

// sweep drops entries past their window, at most once per cooldown unless the
// map is full. Callers hold g.mu.
func (g *Guard) sweep(now time.Time) {
	if now.Sub(g.lastSweep) < g.cooldown && len(g.recent) < maxGuarded {
		return
	}
	g.lastSweep = now
	for id, e := range g.recent {
		select {
		case <-e.done:
			if !now.Before(e.at.Add(max(g.cooldown, e.minInterval))) {
				delete(g.recent, id)
			}
		default:
		}
	}
}
