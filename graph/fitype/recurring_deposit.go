package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// RecurringDeposit is the plugin of FI type RECURRING_DEPOSIT.
type RecurringDeposit struct{}

// FIType returns RECURRING_DEPOSIT.
func (RecurringDeposit) FIType() finpro.FIType { return finpro.FITypeRecurringDeposit }

// Account returns a RecurringDepositAccount.
func (RecurringDeposit) Account(base AccountBase) Account {
	return &RecurringDepositAccount{AccountBase: base}
}

// RecurringDepositAccount is the GraphQL RecurringDepositAccount type.
type RecurringDepositAccount struct {
	AccountBase
}

// RecurringDepositSummary is the GraphQL RecurringDepositSummary type.
type RecurringDepositSummary struct {
	CurrentValue    *model.Decimal
	RecurringAmount *model.Decimal
	MaturityAmount  *model.Decimal
	MaturityDate    *model.Date
	InterestRate    *model.Decimal
	OpeningDate     *model.Date
	Currency        *string
	Status          *string
}

// recurringDepositSummary is the ReBIT recurring_deposit Summary as FinPro
// sends it.
type recurringDepositSummary struct {
	CurrentValue    text `json:"currentValue"`
	CurrentBalance  text `json:"currentBalance"`
	RecurringAmount text `json:"recurringAmount"`
	MaturityAmount  text `json:"maturityAmount"`
	MaturityDate    text `json:"maturityDate"`
	InterestRate    text `json:"interestRate"`
	OpeningDate     text `json:"openingDate"`
	Currency        text `json:"currency"`
	Status          text `json:"status"`
}

// Summary resolves RecurringDepositAccount.summary from the consent's
// getallfidata.
func (a *RecurringDepositAccount) Summary(ctx context.Context) (*RecurringDepositSummary, error) {
	acc, err := a.fiAccount(ctx)
	if err != nil || acc == nil || acc.Summary == nil {
		return nil, err
	}
	var s recurringDepositSummary
	if !decodeSummary(acc.Summary.Raw, &s) {
		return nil, nil
	}
	cv := s.CurrentValue
	if cv == "" {
		cv = s.CurrentBalance
	}
	return &RecurringDepositSummary{
		CurrentValue:    cv.decimal(),
		RecurringAmount: s.RecurringAmount.decimal(),
		MaturityAmount:  s.MaturityAmount.decimal(),
		MaturityDate:    s.MaturityDate.date(),
		InterestRate:    s.InterestRate.decimal(),
		OpeningDate:     s.OpeningDate.date(),
		Currency:        s.Currency.str(),
		Status:          s.Status.str(),
	}, nil
}
