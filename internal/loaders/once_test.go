package loaders

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestOnceLoader(t *testing.T) {
	errDown := errors.New("finpro down")
	for _, tc := range []struct {
		name      string
		fetch     func(k string) (string, error)
		keys      []string // loaded concurrently
		wantCalls int32    // fetch calls
		wantErr   map[string]error
		again     bool // a later Load of keys[0] calls fetch again
	}{
		{
			name:      "one call per key",
			fetch:     func(k string) (string, error) { return "v" + k, nil },
			keys:      []string{"a", "a", "b", "a", "b", "c"},
			wantCalls: 3,
		},
		{
			name: "errors per key, shared by the key's loads",
			fetch: func(k string) (string, error) {
				if k == "bad" {
					return "", errDown
				}
				return "v" + k, nil
			},
			keys:      []string{"bad", "ok", "bad"},
			wantCalls: 2,
			wantErr:   map[string]error{"bad": errDown},
		},
		{
			name:      "a panic is an error and the key is read again",
			fetch:     func(k string) (string, error) { panic("boom") },
			keys:      []string{"p"},
			wantCalls: 1,
			wantErr:   map[string]error{"p": errPanic},
			again:     true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			var mu sync.Mutex
			observed := map[bool]int{}
			l := newOnceLoader("test", func(_ context.Context, k string) (string, error) {
				calls.Add(1)
				return tc.fetch(k)
			}, Options{OnLoad: func(loader string, shared bool) {
				mu.Lock()
				observed[shared]++
				mu.Unlock()
			}})
			var wg sync.WaitGroup
			for _, k := range tc.keys {
				wg.Go(func() {
					v, err := l.Load(context.Background(), k)
					want := tc.wantErr[k]
					switch {
					case want == errPanic:
						if err == nil || v != "" {
							t.Errorf("Load(%s) = %q, %v, want the panic as an error", k, v, err)
						}
					case !errors.Is(err, want):
						t.Errorf("Load(%s) error = %v, want %v", k, err, want)
					case want == nil && v != "v"+k:
						t.Errorf("Load(%s) = %q, want %q", k, v, "v"+k)
					}
				})
			}
			wg.Wait()
			if got := calls.Load(); got != tc.wantCalls {
				t.Errorf("fetch calls = %d, want %d", got, tc.wantCalls)
			}
			if observed[false] != int(tc.wantCalls) || observed[true] != len(tc.keys)-int(tc.wantCalls) {
				t.Errorf("OnLoad saw %d calls and %d shared loads, want %d and %d", observed[false], observed[true], tc.wantCalls, len(tc.keys)-int(tc.wantCalls))
			}
			_, _ = l.Load(context.Background(), tc.keys[0])
			wantAfter := tc.wantCalls
			if tc.again {
				wantAfter++
			}
			if got := calls.Load(); got != wantAfter {
				t.Errorf("after one more Load of %s: fetch calls = %d, want %d", tc.keys[0], got, wantAfter)
			}
		})
	}
}

// errPanic marks an expected panic error in TestOnceLoader's table.
var errPanic = fmt.Errorf("panic")
