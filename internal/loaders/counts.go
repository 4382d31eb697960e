package loaders

import (
	"sync"
	"time"
)

// Counts remembers accounts' transaction counts across operations, so that the
// latest transactions (`last: N`) can be read with one small getfidata window
// (limit N at offset count−N) instead of a probe first. A count is only ever a
// guess: getfidata reports the account's count with every page, so the caller
// checks the window it read against that and reads again when the guess was
// stale (new transactions since). A count never serves data, only picks an
// offset, so sharing it across callers leaks nothing they could not read.
//
// A Counts is safe for concurrent use. The zero value is not usable; use
// NewCounts.
type Counts struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu sync.Mutex
	m  map[countKey]countEntry
}

type countKey struct{ consentID, linkRef string }

type countEntry struct {
	n       int
	expires time.Time
}

// Count defaults.
const (
	DefaultCountTTL = 10 * time.Minute
	DefaultMaxCount = 50_000
)

// CountsOptions configure NewCounts.
type CountsOptions struct {
	// TTL is how long a count is used (default DefaultCountTTL).
	TTL time.Duration
	// Max bounds the number of accounts remembered (default DefaultMaxCount).
	Max int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// NewCounts returns an empty count store.
func NewCounts(o CountsOptions) *Counts {
	if o.TTL <= 0 {
		o.TTL = DefaultCountTTL
	}
	if o.Max <= 0 {
		o.Max = DefaultMaxCount
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Counts{ttl: o.TTL, max: o.Max, now: o.Now, m: make(map[countKey]countEntry)}
}

// Get returns the last count seen for an account under a consent, if it is
// younger than the TTL.
func (c *Counts) Get(consentID, linkRef string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[countKey{consentID, linkRef}]
	if !ok || !c.now().Before(e.expires) {
		return 0, false
	}
	return e.n, true
}

// Put records an account's count. When the store is full it first forgets
// expired counts, then arbitrary ones, down to nine tenths of Max.
func (c *Counts) Put(consentID, linkRef string, n int) {
	if n < 0 {
		return
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	k := countKey{consentID, linkRef}
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		for k, e := range c.m {
			if !now.Before(e.expires) {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.max*9/10 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[k] = countEntry{n: n, expires: now.Add(c.ttl)}
}

// Len returns the number of counts held, expired ones included.
func (c *Counts) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
