package loaders

import (
	"context"
	"fmt"
	"sync"
)

// onceLoader calls fetch once per key: the first Load of a key makes the call
// on its own goroutine, every later Load of the key waits for it and shares
// its answer (its value or its error). It is what a dataloader with a batch
// of one key and no window does (FinPro has no multi-key read to batch
// into), without the dataloader's two goroutines, timer and channels per key:
// with internal/fpcache serving the read, those cost more than the read
// (BENCHMARKS.md, "Cheaper execution"). A call that panics is an error for
// its callers, and the key's next Load calls again, as with the dataloader.
type onceLoader[K comparable, V any] struct {
	name   string
	fetch  func(context.Context, K) (V, error)
	onLoad func(loader string, shared bool)

	mu    sync.Mutex
	calls map[K]*onceCall[V]
}

type onceCall[V any] struct {
	done chan struct{} // closed once v and err are set
	v    V
	err  error
}

func newOnceLoader[K comparable, V any](name string, fetch func(context.Context, K) (V, error), o Options) *onceLoader[K, V] {
	return &onceLoader[K, V]{name: name, fetch: fetch, onLoad: o.OnLoad}
}

// Load returns the answer for k, calling fetch if no earlier Load of k did.
func (l *onceLoader[K, V]) Load(ctx context.Context, k K) (V, error) {
	l.mu.Lock()
	if c, ok := l.calls[k]; ok {
		l.mu.Unlock()
		if l.onLoad != nil {
			l.onLoad(l.name, true)
		}
		<-c.done
		return c.v, c.err
	}
	c := &onceCall[V]{done: make(chan struct{})}
	if l.calls == nil {
		l.calls = make(map[K]*onceCall[V])
	}
	l.calls[k] = c
	l.mu.Unlock()
	if l.onLoad != nil {
		l.onLoad(l.name, false)
	}
	l.call(ctx, k, c)
	return c.v, c.err
}

func (l *onceLoader[K, V]) call(ctx context.Context, k K, c *onceCall[V]) {
	defer close(c.done)
	defer func() {
		if r := recover(); r != nil {
			var zero V
			c.v, c.err = zero, fmt.Errorf("loaders: %s: panic in the FinPro read: %v", l.name, r)
			l.mu.Lock()
			delete(l.calls, k)
			l.mu.Unlock()
		}
	}()
	c.v, c.err = l.fetch(ctx, k)
}
