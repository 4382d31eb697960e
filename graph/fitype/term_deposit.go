package fitype

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// TermDeposit is the plugin of FI type TERM_DEPOSIT (fixed deposits; the
// finpro client normalises TERM-DEPOSIT to it).
type TermDeposit struct{}

// FIType returns TERM_DEPOSIT.
func (TermDeposit) FIType() finpro.FIType { return finpro.FITypeTermDeposit }

// Account returns a TermDepositAccount.
func (TermDeposit) Account(base AccountBase) Account { return &TermDepositAccount{AccountBase: base} }

// TermDepositAccount is the GraphQL TermDepositAccount type.
type TermDepositAccount struct {
	AccountBase
}

// TermDepositSummary is the GraphQL TermDepositSummary type.
type TermDepositSummary struct {
	CurrentValue    *model.Decimal
	PrincipalAmount *model.Decimal
	MaturityAmount  *model.Decimal
	MaturityDate    *model.Date
	InterestRate    *model.Decimal
	OpeningDate     *model.Date
	AccountType     *string
	Currency        *string
	Status          *string
}

// termDepositSummary is the ReBIT term_deposit Summary as FinPro sends it.
type termDepositSummary struct {
	CurrentValue    text `json:"currentValue"`
	CurrentBalance  text `json:"currentBalance"`
	PrincipalAmount text `json:"principalAmount"`
	MaturityAmount  text `json:"maturityAmount"`
	MaturityDate    text `json:"maturityDate"`
	InterestRate    text `json:"interestRate"`
	OpeningDate     text `json:"openingDate"`
	AccountType     text `json:"accountType"`
	Currency        text `json:"currency"`
	Status          text `json:"status"`
}

// Summary resolves TermDepositAccount.summary from the consent's getallfidata.
func (a *TermDepositAccount) Summary(ctx context.Context) (*TermDepositSummary, error) {
	acc, err := a.fiAccount(ctx)
	if err != nil || acc == nil || acc.Summary == nil {
		return nil, err
	}
	var s termDepositSummary
	if !decodeSummary(acc.Summary.Raw, &s) {
		return nil, nil
	}
	cv := s.CurrentValue
	if cv == "" {
		cv = s.CurrentBalance
	}
	return &TermDepositSummary{
		CurrentValue:    cv.decimal(),
		PrincipalAmount: s.PrincipalAmount.decimal(),
		MaturityAmount:  s.MaturityAmount.decimal(),
		MaturityDate:    s.MaturityDate.date(),
		InterestRate:    s.InterestRate.decimal(),
		OpeningDate:     s.OpeningDate.date(),
		AccountType:     s.AccountType.str(),
		Currency:        s.Currency.str(),
		Status:          s.Status.str(),
	}, nil
}
