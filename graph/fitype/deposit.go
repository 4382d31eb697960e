package fitype

import (
	"context"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Deposit is the plugin of FI type DEPOSIT (savings and current accounts).
type Deposit struct{}

// FIType returns DEPOSIT.
func (Deposit) FIType() finpro.FIType { return finpro.FITypeDeposit }

// Account returns a DepositAccount.
func (Deposit) Account(base AccountBase) Account { return &DepositAccount{AccountBase: base} }

// DepositAccount is the GraphQL DepositAccount type.
type DepositAccount struct {
	AccountBase
}

// DepositSummary is the GraphQL DepositSummary type.
type DepositSummary struct {
	CurrentBalance  model.Decimal
	Currency        string
	BalanceDateTime *time.Time
	Type            *model.DepositAccountType
	Branch          *string
	IfscCode        *string
	Facility        *model.DepositFacility
	OpeningDate     *model.Date
	Status          *model.AccountStatus
}

// Summary resolves DepositAccount.summary from the consent's getallfidata (one
// call per consent serves every account's summary).
func (a *DepositAccount) Summary(ctx context.Context) (*DepositSummary, error) {
	acc, err := a.fiAccount(ctx)
	if err != nil || acc == nil || acc.Summary == nil {
		return nil, err
	}
	s := acc.Summary
	var extra struct {
		Facility text `json:"facility"`
	}
	decodeSummary(s.Raw, &extra)
	return &DepositSummary{
		CurrentBalance:  model.DecimalFrom(s.CurrentBalance),
		Currency:        s.Currency, // finpro guarantees one (INR when FinPro sent none)
		BalanceDateTime: model.TimePtr(s.BalanceDateTime),
		Type:            model.EnumPtr(s.Type, model.DepositAccountTypeUnknown),
		Branch:          model.StringPtr(s.Branch),
		IfscCode:        model.StringPtr(s.IFSC),
		Facility:        model.EnumPtr(string(extra.Facility), model.DepositFacilityUnknown),
		OpeningDate:     model.DatePtr(s.OpeningDate),
		Status:          model.EnumPtr(s.Status, model.AccountStatusUnknown),
	}, nil
}
