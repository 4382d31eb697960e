// Package ttlcache is a small bounded map whose entries expire: for values that
// are cheap to recompute and must not grow without bound (transaction counts,
// verified tokens).
package ttlcache

import (
	"sync"
	"time"
)

// Cache maps keys to values until each entry's expiry. It holds at most Max
// entries: when full, adding a new key first drops the expired entries, then
// arbitrary ones, down to nine tenths of Max. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	max int
	now func() time.Time

	mu sync.Mutex
	m  map[K]entry[V]
}

type entry[V any] struct {
	v       V
	expires time.Time
}

// New returns an empty cache of at most size entries (at least 1) on the clock
// now (time.Now when nil).
func New[K comparable, V any](size int, now func() time.Time) *Cache[K, V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[K, V]{max: max(size, 1), now: now, m: make(map[K]entry[V])}
}

// Get returns the value of k if it has not expired.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if !ok || !c.now().Before(e.expires) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put sets k to v until expires.
func (c *Cache[K, V]) Put(k K, v V, expires time.Time) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
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
	c.m[k] = entry[V]{v: v, expires: expires}
}

// Len returns the number of entries held, expired ones included.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
