package deposits

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// TermDeposit is a TERM_DEPOSIT account (fixed deposit), schema term_deposit.xsd.
type TermDeposit struct {
	Profile      *rebit.Profile                       `fi:"Profile"`
	Summary      *TermDepositSummary                  `fi:"Summary"`
	Transactions *rebit.Transactions[TermTransaction] `fi:"Transactions"`
}

// TermDepositSummary is the term_deposit Summary element; recurring_deposit's
// extends it.
type TermDepositSummary struct {
	// Branch is the branch where the deposit is held.
	Branch string `fi:"branch"`
	// OpeningDate is when the deposit was opened.
	OpeningDate rebit.Date `fi:"openingDate"`
	// IFSC is the branch's IFSC (optional).
	IFSC string `fi:"ifsc|ifscCode"`
	// AccountType is FIXED, RECURRING, SWEEP, FLEXIBLE, TAX_SAVING, FCNR or
	// OTHERS.
	AccountType string `fi:"accountType,enum=TermDepositAccountType"`
	// MaturityAmount is what the depositor receives at maturity.
	MaturityAmount rebit.Decimal `fi:"maturityAmount"`
	MaturityDate   rebit.Date    `fi:"maturityDate"`
	// Description describes the deposit.
	Description string `fi:"description"`
	// InterestPayout is how interest is paid: MONTHLY, QUARTERLY, HALF_YEARLY,
	// YEARLY or ON_MATURITY.
	InterestPayout string `fi:"interestPayout,enum=InterestPayout"`
	// InterestRate is the annual rate in percent ("7.10").
	InterestRate rebit.Decimal `fi:"interestRate"`
	// PrincipalAmount is the amount deposited.
	PrincipalAmount rebit.Decimal `fi:"principalAmount"`
	// TenureDays, TenureMonths and TenureYears are the deposit's term.
	TenureDays   *int `fi:"tenureDays"`
	TenureMonths *int `fi:"tenureMonths"`
	TenureYears  *int `fi:"tenureYears"`
	// InterestComputation is SIMPLE or COMPOUND.
	InterestComputation string `fi:"interestComputation,enum=InterestComputation"`
	// CompoundingFrequency is MONTHLY, QUARTERLY, HALF_YEARLY or YEARLY.
	CompoundingFrequency string `fi:"compoundingFrequency,enum=CompoundingFrequency"`
	// InterestPeriodicPayoutAmount is the interest paid out each period.
	InterestPeriodicPayoutAmount rebit.Decimal `fi:"interestPeriodicPayoutAmount"`
	// InterestOnMaturity is the interest received at maturity.
	InterestOnMaturity rebit.Decimal `fi:"interestOnMaturity"`
	// CurrentValue is the deposit's value today.
	CurrentValue rebit.Decimal `fi:"currentValue"`
}

// TermTransaction is one Transaction of term_deposit, recurring_deposit.
type TermTransaction struct {
	TxnID  string        `fi:"txnId"`
	Amount rebit.Decimal `fi:"amount"`
	// Narration describes the transaction.
	Narration string `fi:"narration"`
	// Type is OPENING, INTEREST, TDS, INSTALLMENT, CLOSING or OTHERS.
	Type string `fi:"type,enum=TermTransactionType"`
	// Mode is CASH, ATM, CARD_PAYMENT, UPI, FT or OTHERS.
	Mode string `fi:"mode,enum=TermTransactionMode"`
	// Balance is the deposit's value after the transaction.
	Balance             rebit.Decimal `fi:"balance|currentBalance"`
	TransactionDateTime time.Time     `fi:"transactionDateTime|transactionTimestamp"`
	ValueDate           rebit.Date    `fi:"valueDate"`
	// Reference is the cheque or reference number.
	Reference string `fi:"reference"`
}

// Valuation is the current value, invested the principal.
func (a *TermDeposit) Valuation() rebit.Valuation {
	if a.Summary == nil {
		return calc.NoSummary(rebit.AssetDeposits)
	}
	return calc.Valued(rebit.AssetDeposits, a.Summary.CurrentValue, a.Summary.PrincipalAmount, 0, nil)
}

// Common implements Txn.
func (t *TermTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Balance: t.Balance, Mode: t.Mode,
		At: t.TransactionDateTime, ValueDate: t.ValueDate, Narration: t.Narration, Reference: t.Reference,
	}
}
