// Package deposits holds the bank-deposit FI types (RBI-regulated deposit takers): DEPOSIT
// (savings and current accounts), TERM_DEPOSIT and RECURRING_DEPOSIT, after
// ReBIT's deposit.xsd, term_deposit.xsd and recurring_deposit.xsd.
//
// Each type is declared with `fi` tags and decoded by package fi; its
// Valuation method says what the account is worth and its transactions' Common
// method maps a row to the statement fields.
package deposits

import (
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
)

// Deposit is a DEPOSIT account (savings or current), schema deposit.xsd.
type Deposit struct {
	Profile      *rebit.Profile                          `fi:"Profile"`
	Summary      *DepositSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[DepositTransaction] `fi:"Transactions"`
}

// DepositSummary is the deposit Summary element.
type DepositSummary struct {
	// CurrentBalance is the available balance (negative when overdrawn).
	CurrentBalance rebit.Decimal `fi:"currentBalance"`
	// Currency is ISO 4217 as sent; INR when the element has none (the
	// schema's currency is optional).
	Currency string `fi:"currency,default=INR"`
	// ExchangeRate is the day's conversion rate for a foreign-currency account
	// (the XSD spells it exchgeRate).
	ExchangeRate rebit.Decimal `fi:"exchgeRate|exchangeRate"`
	// BalanceDateTime is when CurrentBalance was recorded.
	BalanceDateTime time.Time `fi:"balanceDateTime"`
	// Type is SAVINGS or CURRENT.
	Type string `fi:"type,enum=DepositAccountType"`
	// Branch is the branch where the account is held.
	Branch string `fi:"branch"`
	// Facility is OD or CC, when the account has one.
	Facility string `fi:"facility,enum=DepositFacility"`
	// IFSCCode is the branch's IFSC.
	IFSCCode string `fi:"ifscCode|ifsc"`
	// MICRCode is the branch's MICR code.
	MICRCode string `fi:"micrCode"`
	// OpeningDate is when the account was opened.
	OpeningDate rebit.Date `fi:"openingDate"`
	// CurrentODLimit is the part of the sanctioned limit available now.
	CurrentODLimit rebit.Decimal `fi:"currentODLimit"`
	// DrawingLimit is the sanctioned OD/CC limit.
	DrawingLimit rebit.Decimal `fi:"drawingLimit"`
	// Status is ACTIVE or INACTIVE (dormant and closed accounts are INACTIVE).
	Status string `fi:"status,enum=AccountStatus"`
	// Pending is the pending (uncleared) amount; the XSD allows one, FinPro
	// renderings send an array.
	Pending []DepositPending `fi:"Pending"`
}

// DepositPending is the deposit Pending element.
type DepositPending struct {
	// TransactionType is CREDIT or DEBIT.
	TransactionType string        `fi:"transactionType,enum=CreditDebit"`
	Amount          rebit.Decimal `fi:"amount"`
}

// DepositTransaction is one deposit Transaction.
type DepositTransaction struct {
	TxnID string `fi:"txnId"`
	// Type is CREDIT or DEBIT.
	Type string `fi:"type,enum=CreditDebit"`
	// Mode is CASH, ATM, CARD, UPI, FT or OTHERS.
	Mode   string        `fi:"mode,enum=DepositTransactionMode"`
	Amount rebit.Decimal `fi:"amount"`
	// CurrentBalance is the balance after the transaction.
	CurrentBalance       rebit.Decimal `fi:"currentBalance"`
	TransactionTimestamp time.Time     `fi:"transactionTimestamp"`
	ValueDate            rebit.Date    `fi:"valueDate"`
	Narration            string        `fi:"narration"`
	// Reference is the cheque or reference number.
	Reference string `fi:"reference"`
}

// Valuation is the current balance in the account's currency.
func (a *Deposit) Valuation() rebit.Valuation {
	if a.Summary == nil {
		return calc.NoSummary(rebit.AssetCash)
	}
	v := rebit.Valuation{Class: rebit.AssetCash, Currency: strings.ToUpper(a.Summary.Currency), Value: a.Summary.CurrentBalance}
	if v.Currency == "" {
		v.Currency = wire.DefaultCurrency
	}
	if v.Value == "" {
		v.Missing = "no current balance"
	}
	return v
}

// Common implements Txn.
func (t *DepositTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Balance: t.CurrentBalance, Mode: t.Mode,
		At: t.TransactionTimestamp, ValueDate: t.ValueDate, Narration: t.Narration, Reference: t.Reference,
	}
}
