package deposits

import (
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// RecurringDeposit is a RECURRING_DEPOSIT account, schema recurring_deposit.xsd.
type RecurringDeposit struct {
	Profile      *rebit.Profile                       `fi:"Profile"`
	Summary      *RecurringDepositSummary             `fi:"Summary"`
	Transactions *rebit.Transactions[TermTransaction] `fi:"Transactions"`
}

// RecurringDepositSummary is the recurring_deposit Summary element: the term
// deposit's attributes (AccountType there is FIXED, RECURRING, SWEEP or
// FLEXIBLE) plus the instalment.
type RecurringDepositSummary struct {
	TermDepositSummary
	// RecurringAmount is the monthly instalment.
	RecurringAmount rebit.Decimal `fi:"recurringAmount"`
	// RecurringDepositDay is the day of the month the instalment is due.
	RecurringDepositDay *int `fi:"recurringDepositDay"`
}

// Valuation is the current value. The principal is every instalment of the
// tenure, not what has been paid so far, so Invested stays empty.
func (a *RecurringDeposit) Valuation() rebit.Valuation {
	if a.Summary == nil {
		return calc.NoSummary(rebit.AssetDeposits)
	}
	return calc.Valued(rebit.AssetDeposits, a.Summary.CurrentValue, "", 0, nil)
}
