package ttlcache_test

import (
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/ttlcache"
)

func TestCache(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := ttlcache.New[string, int](4, func() time.Time { return now })
	c.Put("a", 1, now.Add(time.Minute))
	c.Put("b", 2, now.Add(2*time.Minute))
	c.Put("c", 3, now) // expires at once

	for _, tc := range []struct {
		key     string
		advance time.Duration
		want    int
		ok      bool
	}{
		{"a", 0, 1, true},
		{"b", 0, 2, true},
		{"c", 0, 0, false}, // expiry is exclusive
		{"z", 0, 0, false},
		{"a", 59 * time.Second, 1, true},
		{"a", time.Second, 0, false},
		{"b", 0, 2, true},
	} {
		now = now.Add(tc.advance)
		if got, ok := c.Get(tc.key); got != tc.want || ok != tc.ok {
			t.Errorf("Get(%q) at +%v = %d, %v; want %d, %v", tc.key, tc.advance, got, ok, tc.want, tc.ok)
		}
	}

	// Full (a and c expired, b live, d live): a new key drops the expired two.
	c.Put("d", 4, now.Add(time.Hour))
	c.Put("e", 5, now.Add(time.Hour))
	if n := c.Len(); n != 3 {
		t.Errorf("Len = %d, want 3 (b, d, e: the expired a and c dropped)", n)
	}
	// Updating a held key never evicts.
	c.Put("f", 6, now.Add(time.Hour))
	c.Put("f", 7, now.Add(time.Hour))
	if n := c.Len(); n != 4 {
		t.Errorf("Len = %d after filling, want 4", n)
	}
	// Full of live entries: arbitrary ones go, down to 9/10 of Max, and the
	// new key is kept.
	c.Put("g", 8, now.Add(time.Hour))
	if n := c.Len(); n < 1 || n > 4 {
		t.Errorf("Len = %d after overflow, want 1..4", n)
	}
	if v, ok := c.Get("g"); !ok || v != 8 {
		t.Errorf("Get(g) = %d, %v after overflow, want 8, true", v, ok)
	}
}

// TestCacheConcurrent exercises the cache from many goroutines (run with -race).
func TestCacheConcurrent(t *testing.T) {
	c := ttlcache.New[int, int](100, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				c.Put(g*1000+i, i, time.Now().Add(time.Minute))
				c.Get(i)
			}
		})
	}
	wg.Wait()
	if n := c.Len(); n > 100 {
		t.Errorf("Len = %d, want at most 100", n)
	}
}
