package loaders

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/ttlcache"
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
	now func() time.Time
	c   *ttlcache.Cache[countKey, int]
}

type countKey struct{ consentID, linkRef string }

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
	return &Counts{ttl: o.TTL, now: o.Now, c: ttlcache.New[countKey, int](o.Max, o.Now)}
}

// Get returns the last count seen for an account under a consent, if it is
// younger than the TTL.
func (c *Counts) Get(consentID, linkRef string) (int, bool) {
	return c.c.Get(countKey{consentID, linkRef})
}

// Put records an account's count (a negative count, unknown, is ignored).
func (c *Counts) Put(consentID, linkRef string, n int) {
	if n >= 0 {
		c.c.Put(countKey{consentID, linkRef}, n, c.now().Add(c.ttl))
	}
}

// Len returns the number of counts held, expired ones included.
func (c *Counts) Len() int { return c.c.Len() }
