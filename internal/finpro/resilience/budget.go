package resilience

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrCallBudget is returned for a call that would pass its context's
// CallBudget: the operation it belongs to has made as many FinPro calls as
// it may. It matches no other sentinel.
var ErrCallBudget = errors.New("finpro: call budget of the operation spent")

// CallBudget counts the FinPro calls (attempts, retries included) made under
// one context, e.g. one GraphQL operation, and refuses those past Limit. The
// graph's cost analysis refuses an operation whose estimate passes the limit
// before it runs; the budget is the backstop for what an estimate cannot see.
type CallBudget struct {
	// Limit is the most calls allowed; 0 or less only counts.
	Limit int64
	used  atomic.Int64
}

// Used returns the calls made so far.
func (b *CallBudget) Used() int64 { return b.used.Load() }

type budgetKey struct{}

// WithCallBudget returns ctx whose FinPro calls b counts and limits.
func WithCallBudget(ctx context.Context, b *CallBudget) context.Context {
	return context.WithValue(ctx, budgetKey{}, b)
}

// Spend takes one call from ctx's budget, if it has one.
func Spend(ctx context.Context, ep string) error {
	b, ok := ctx.Value(budgetKey{}).(*CallBudget)
	if !ok {
		return nil
	}
	if n := b.used.Add(1); b.Limit > 0 && n > b.Limit {
		b.used.Add(-1)
		return &callBudgetError{ep: ep}
	}
	return nil
}

type callBudgetError struct{ ep string }

func (e *callBudgetError) Error() string {
	return "finpro " + e.ep + ": call budget of the operation spent"
}
func (e *callBudgetError) Unwrap() error { return ErrCallBudget }

// CallBudgetFrom returns ctx's CallBudget.
func CallBudgetFrom(ctx context.Context) (*CallBudget, bool) {
	b, ok := ctx.Value(budgetKey{}).(*CallBudget)
	return b, ok
}
