package guard_test

import (
	"slices"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/guard"
)

// TestRetryWindowPerOperation checks that RetryWindow bounds the retries of
// a query's calls made one after another: the consent list's retry waits
// out its Retry-After (1 s), so a balance failing after it has no time left
// to wait for its own and fails at once, where each call's own window
// alone would have waited twice.
func TestRetryWindowPerOperation(t *testing.T) {
	const q = customerArgs + `{ accounts { linkReferenceNumber balance { amount } } } }`
	client := &finpro.Options{RetryWindow: 1500 * time.Millisecond, BackoffBase: time.Millisecond}
	tests := []struct {
		name      string
		window    time.Duration
		wantCodes []string // of the errors, sorted
		wantCalls map[string]int64
	}{
		{"each call its own window", 0, nil, map[string]int64{"/v1/accounts/getconsentslist": 2, "/getfibalance": 3}},
		{"one window for the query", 1500 * time.Millisecond, []string{"UPSTREAM_UNAVAILABLE"}, map[string]int64{"/v1/accounts/getconsentslist": 2, "/getfibalance": 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOptions{limits: guard.Limits{RetryWindow: tc.window}, finpro: client})
			for path, code := range map[string]string{"/v1/accounts/getconsentslist": "html503", "/getfibalance": "html503"} {
				if err := e.sb.InjectFault(path, code, 1); err != nil {
					t.Fatal(err)
				}
			}
			r := e.post(t, q, demoVars())
			codes := slices.Compact(slices.Sorted(slices.Values(r.body.codes())))
			if !slices.Equal(codes, tc.wantCodes) {
				t.Fatalf("error codes = %q, want %q (%s)", codes, tc.wantCodes, r.raw)
			}
			for _, er := range r.body.Errors {
				if s, _ := er.Extensions["retryAfterSeconds"].(float64); s != 1 {
					t.Errorf("error %q: retryAfterSeconds = %v, want 1 (the Retry-After not waited for)", er.Message, er.Extensions["retryAfterSeconds"])
				}
			}
			stats := e.sb.Stats()
			for path, want := range tc.wantCalls {
				if stats[path] != want {
					t.Errorf("%s calls = %d, want %d (all: %v)", path, stats[path], want, stats)
				}
			}
		})
	}
}
