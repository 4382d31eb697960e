package resilience_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/resilience"
)

var t0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

// TestRetryAfter: RFC 9110 §10.2.3 allows delay-seconds or an HTTP-date;
// X-RateLimit-Reset is Unix seconds. Expected durations are worked out from
// t0 by hand.
func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{"spaces", http.Header{"Retry-After": {" 2 "}}, 2 * time.Second},
		{"zero", http.Header{"Retry-After": {"0"}}, 0},
		{"negative", http.Header{"Retry-After": {"-5"}}, 0},
		{"huge is capped", http.Header{"Retry-After": {"99999999999"}}, (1 << 20) * time.Second},
		{"http date", http.Header{"Retry-After": {"Fri, 02 Jan 2026 10:00:30 GMT"}}, 30 * time.Second},
		{"http date in the past", http.Header{"Retry-After": {"Fri, 02 Jan 2026 09:00:00 GMT"}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"reset", http.Header{"X-Ratelimit-Reset": {"1767348010"}}, 10 * time.Second},
		{"nothing", http.Header{}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := resilience.RetryAfter(tc.h, t0); got != tc.want {
				t.Errorf("RetryAfter() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHoldFor(t *testing.T) {
	reset := http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1767348020"}} // t0 + 20s
	tests := []struct {
		name   string
		status int
		h      http.Header
		want   time.Duration
	}{
		{"429 with Retry-After", 429, http.Header{"Retry-After": {"5"}}, 5 * time.Second},
		{"429 is capped", 429, http.Header{"Retry-After": {"600"}}, time.Minute},
		{"200 with nothing left", 200, reset, 20 * time.Second},
		{"200 with calls left", 200, http.Header{"X-Ratelimit-Remaining": {"3"}, "X-Ratelimit-Reset": {"1767348020"}}, 0},
		{"503 with Retry-After is no hold", 503, http.Header{"Retry-After": {"5"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := resilience.HoldFor(tc.status, tc.h, t0, time.Minute); got != tc.want {
				t.Errorf("HoldFor() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHold(t *testing.T) {
	spent := func(retryAfter string) http.Header {
		return http.Header{"Retry-After": {retryAfter}, "X-Ratelimit-Remaining": {"0"}}
	}
	lone := http.Header{"Retry-After": {"10"}}
	ok := http.Header{"X-Ratelimit-Remaining": {"7"}}
	type answer struct {
		status int
		h      http.Header
	}
	tests := []struct {
		name    string
		answers []answer
		want    time.Duration // Left one second after t0
	}{
		{"nothing yet", nil, 0},
		{"a 429 saying the quota is spent", []answer{{429, spent("10")}}, 9 * time.Second},
		{"a shorter hold never shortens it", []answer{{429, spent("10")}, {429, spent("5")}}, 9 * time.Second},
		{"a lone 429 fails only its call", []answer{{429, lone}}, 0},
		{"two in a row", []answer{{429, lone}, {429, lone}}, 0},
		{"three in a row hold", []answer{{429, lone}, {429, lone}, {429, lone}}, 9 * time.Second},
		{"an answer between ends the run", []answer{{429, lone}, {429, lone}, {200, ok}, {429, lone}, {429, lone}}, 0},
		{"a 503 between ends the run", []answer{{429, lone}, {429, lone}, {503, lone}, {429, lone}}, 0},
		{"a 429 without a time holds nothing", []answer{{429, http.Header{}}, {429, http.Header{}}, {429, http.Header{}}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h resilience.Hold
			for _, a := range tc.answers {
				h.Note(a.status, a.h, t0, time.Minute)
			}
			if got := h.Left(t0.Add(time.Second)); got != tc.want {
				t.Errorf("Left() = %v, want %v", got, tc.want)
			}
			if got := h.Left(t0.Add(time.Hour)); got != 0 {
				t.Errorf("Left() after the hold = %v, want 0", got)
			}
		})
	}
}

// TestBreaker walks the states: closed, open after the threshold, half-open
// with one probe, closed again on the probe's success.
func TestBreaker(t *testing.T) {
	b := resilience.NewBreaker(2, 10*time.Second)
	step := func(now time.Time, wantProbe, wantOK bool) bool {
		t.Helper()
		probe, ok := b.Allow(now)
		if probe != wantProbe || ok != wantOK {
			t.Fatalf("Allow(%v) = %v, %v, want %v, %v", now.Sub(t0), probe, ok, wantProbe, wantOK)
		}
		return probe
	}
	step(t0, false, true)
	if b.Record(resilience.Failure, false, t0) {
		t.Fatal("one failure opened the breaker")
	}
	b.Record(resilience.Neutral, false, t0) // counts for nothing
	if !b.Record(resilience.Failure, false, t0) {
		t.Fatal("the threshold's failure did not open the breaker")
	}
	step(t0.Add(5*time.Second), false, false)
	probe := step(t0.Add(10*time.Second), true, true)
	step(t0.Add(10*time.Second), false, false) // one probe at a time
	if b.Record(resilience.Failure, probe, t0.Add(11*time.Second)) {
		t.Fatal("a failed probe reported a breaker already open as opening")
	}
	step(t0.Add(15*time.Second), false, false) // the cooldown restarted at 11s
	probe = step(t0.Add(21*time.Second), true, true)
	b.Record(resilience.Success, probe, t0.Add(21*time.Second))
	step(t0.Add(21*time.Second), false, true)
}

// TestRetryBudget: 10% of calls with a reserve of 2 allows 2 retries at
// once, then one per 10 calls.
func TestRetryBudget(t *testing.T) {
	b := resilience.NewRetryBudget(10, 2)
	for i := range 2 {
		if !b.Withdraw() {
			t.Fatalf("retry %d of the reserve of 2 refused", i+1)
		}
	}
	if b.Withdraw() {
		t.Fatal("a third retry passed an empty budget")
	}
	for range 9 {
		b.Deposit()
	}
	if b.Withdraw() {
		t.Fatal("9 calls earned a whole retry at 10%")
	}
	b.Deposit()
	if !b.Withdraw() {
		t.Fatal("10 calls did not earn a retry at 10%")
	}
}

func TestCallBudget(t *testing.T) {
	if err := resilience.Spend(context.Background(), "/x"); err != nil {
		t.Fatalf("Spend() without a budget = %v", err)
	}
	b := &resilience.CallBudget{Limit: 2}
	ctx := resilience.WithCallBudget(context.Background(), b)
	for i := range 2 {
		if err := resilience.Spend(ctx, "/x"); err != nil {
			t.Fatalf("Spend() #%d = %v", i+1, err)
		}
	}
	err := resilience.Spend(ctx, "/getfidata")
	if !errors.Is(err, resilience.ErrCallBudget) || err.Error() != "finpro /getfidata: call budget of the operation spent" {
		t.Errorf("Spend() past the limit = %v", err)
	}
	if got, ok := resilience.CallBudgetFrom(ctx); !ok || got != b || b.Used() != 2 {
		t.Errorf("CallBudgetFrom() = %v, %v; Used() = %d, want 2", got, ok, b.Used())
	}
}

func TestRetryDeadline(t *testing.T) {
	if _, ok := resilience.RetryDeadline(context.Background()); ok {
		t.Fatal("RetryDeadline() set on a bare context")
	}
	ctx := resilience.WithRetryDeadline(context.Background(), t0)
	if got, ok := resilience.RetryDeadline(ctx); !ok || !got.Equal(t0) {
		t.Errorf("RetryDeadline() = %v, %v, want %v", got, ok, t0)
	}
}
