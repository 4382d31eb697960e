package finpro

import (
	"context"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/resilience"
)

// The per-operation call budget and the retry deadline are
// internal/finpro/resilience's; these names let callers of the client set
// them with the one import.

// ErrCallBudget is returned for a call that would pass its context's
// CallBudget (see [resilience.ErrCallBudget]).
var ErrCallBudget = resilience.ErrCallBudget

// CallBudget counts and limits the FinPro calls made under one context (see
// [resilience.CallBudget]).
type CallBudget = resilience.CallBudget

// WithCallBudget returns ctx whose FinPro calls b counts and limits.
func WithCallBudget(ctx context.Context, b *CallBudget) context.Context {
	return resilience.WithCallBudget(ctx, b)
}

// CallBudgetFrom returns ctx's CallBudget.
func CallBudgetFrom(ctx context.Context) (*CallBudget, bool) {
	return resilience.CallBudgetFrom(ctx)
}

// WithRetryDeadline returns ctx whose FinPro calls retry only while a retry's
// wait ends before deadline (see [resilience.WithRetryDeadline]).
func WithRetryDeadline(ctx context.Context, deadline time.Time) context.Context {
	return resilience.WithRetryDeadline(ctx, deadline)
}
