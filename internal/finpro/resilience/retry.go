package resilience

import (
	"context"
	"sync"
	"time"
)

// RetryBudget is a token bucket shared by every endpoint of a Client: each call
// of an idempotent read adds percent hundredths of a retry, each retry takes a
// whole one, and the bucket holds at most reserve retries. Over any stretch of
// calls, retries stay below reserve + percent% of the calls, so a FinPro outage
// does not multiply the load the BFF puts on it. Amounts are in hundredths of a
// retry, integers only.
type RetryBudget struct {
	mu      sync.Mutex
	tokens  int // hundredths of a retry
	max     int
	perCall int
}

func NewRetryBudget(percent, reserve int) *RetryBudget {
	return &RetryBudget{tokens: reserve * 100, max: reserve * 100, perCall: percent}
}

// Deposit records one call.
func (b *RetryBudget) Deposit() {
	b.mu.Lock()
	b.tokens = min(b.tokens+b.perCall, b.max)
	b.mu.Unlock()
}

// Withdraw takes one retry from the budget, reporting whether there was one.
func (b *RetryBudget) Withdraw() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < 100 {
		return false
	}
	b.tokens -= 100
	return true
}

// retryDeadlineKey carries a caller's retry deadline in a context.
type retryDeadlineKey struct{}

// WithRetryDeadline returns a context under which FinPro calls start no retry
// whose wait would end after deadline: the per-request retry budget of an
// interactive request (set it once, at the request's start, so every call of
// the request shares it). Without it each call gets Options.RetryWindow from
// its own start. A call that cannot wait answers at once with the error it has,
// RetryAfter included, so the client can come back later instead of waiting.
func WithRetryDeadline(ctx context.Context, deadline time.Time) context.Context {
	return context.WithValue(ctx, retryDeadlineKey{}, deadline)
}

// RetryDeadline is the retry deadline ctx carries, if any.
func RetryDeadline(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(retryDeadlineKey{}).(time.Time)
	return t, ok
}
