// Package replay keeps results that cannot be fetched twice (FinPro's
// getalllatestfidata hands out each increment once, for syncIncrementalData)
// so that a repeated request with the same idempotency key gets the identical
// result.
//
// [Store] is the seam: [Memory] keeps results in this process (one replica,
// tests); [KV] keeps them in a NATS JetStream key-value bucket shared by every
// replica, so a retry that lands on another replica replays the stored result
// instead of consuming a new increment upstream. The server injects the one
// it runs with.
package replay

import (
	"context"
	"sync"
	"time"
)

// Store keeps opaque results by key for a while. Implementations are safe for
// concurrent use. Values may hold personal data: a Store must keep them in
// memory or a broker, never in plain files.
type Store interface {
	// Get returns the value kept under key, if any and not expired.
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	// Put keeps value under key for ttl.
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
}

// Memory is an in-process Store. Expired entries are dropped lazily.
type Memory struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]entry
	puts    int
}

type entry struct {
	value   []byte
	expires time.Time
}

// NewMemory returns an empty in-process store.
func NewMemory() *Memory {
	return &Memory{now: time.Now, entries: make(map[string]entry)}
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return nil, false, nil
	}
	if !m.now().Before(e.expires) {
		delete(m.entries, key)
		return nil, false, nil
	}
	return e.value, true, nil
}

// Put implements Store.
func (m *Memory) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.entries[key] = entry{value: append([]byte(nil), value...), expires: now.Add(ttl)}
	m.puts++
	if m.puts%1024 == 0 { // sweep now and then so abandoned keys do not pile up
		for k, e := range m.entries {
			if !now.Before(e.expires) {
				delete(m.entries, k)
			}
		}
	}
	return nil
}
