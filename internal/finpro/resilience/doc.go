// Package resilience holds the mechanisms that keep the FinPro client fast and
// polite when FinPro is not: a per-endpoint circuit breaker ([Breaker]), a
// rate-limit hold that honours Retry-After and X-RateLimit-Reset ([Hold],
// [HoldFor], [RetryAfter]), a token bucket that caps retries at a share of
// calls ([RetryBudget]), and the context values an operation sets once for
// all its calls: a call budget ([CallBudget]) and a retry deadline
// ([WithRetryDeadline]).
//
// It knows nothing of FinPro's endpoints or errors: internal/finpro decides
// what an answer means ([Outcome]) and which error a refused call gets. Every
// type is safe for concurrent use; times are passed in, so callers and tests
// own the clock.
package resilience
