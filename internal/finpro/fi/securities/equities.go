// Package securities holds the FI types of securities held directly in a demat
// account: EQUITIES and IDR (equity), BONDS, DEBENTURES, GOVT_SECURITIES
// and CP (fixed income), after their ReBIT XSDs.
//
// Each type is declared with `fi` tags and decoded by package fi; its
// Valuation method says what the account is worth and its transactions' Common
// method maps a row to the statement fields.
package securities

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// Equities is an EQUITIES account (a demat statement of shares), schema
// equity_shares/equities.xsd.
type Equities struct {
	Profile      *rebit.Profile                         `fi:"Profile"`
	Summary      *EquitiesSummary                       `fi:"Summary"`
	Transactions *rebit.Transactions[EquityTransaction] `fi:"Transactions"`
}

// EquitiesSummary is the equities Summary element.
type EquitiesSummary struct {
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	// HoldingsType is DEMAT or PHYSICAL (the Holdings element's type).
	HoldingsType string          `fi:"Investment/Holdings/type|Holdings/type,enum=HoldingMode"`
	Holdings     []EquityHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// EquityHolding is one equities Holding.
type EquityHolding struct {
	IssuerName string `fi:"issuerName"`
	ISIN       string `fi:"isin"`
	// Units are the shares held.
	Units              rebit.Decimal `fi:"units"`
	InvestmentDateTime time.Time     `fi:"investmentDateTime"`
	// Rate is the (average) purchase price per share.
	Rate rebit.Decimal `fi:"rate"`
	// LastTradedPrice is the last traded or closing price per share.
	LastTradedPrice rebit.Decimal `fi:"lastTradedPrice"`
	Description     string        `fi:"description"`
}

// EquityTransaction is one equities Transaction.
type EquityTransaction struct {
	TxnID               string    `fi:"txnId"`
	OrderID             string    `fi:"orderId"`
	TradeID             string    `fi:"tradeId"`
	CompanyName         string    `fi:"companyName"`
	Symbol              string    `fi:"symbol"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	// Exchange is BSE, NSE or OTHERS.
	Exchange string `fi:"exchange,enum=Exchange"`
	ISIN     string `fi:"isin"`
	// EquityCategory is EQUITY, EQUITY_DERIVATIVES or CURRENCY_DERIVATIVES.
	EquityCategory string `fi:"equityCategory,enum=EquityCategory"`
	// InstrumentType is OPTIONS or FUTURES (derivatives).
	InstrumentType string `fi:"instrumentType,enum=InstrumentType"`
	// OptionType is CALL or PUT (options).
	OptionType string `fi:"optionType,enum=OptionType"`
	// StrikePrice is the option's strike price.
	StrikePrice rebit.Decimal `fi:"strikePrice"`
	Narration   string        `fi:"narration"`
	// Rate is the net price per share.
	Rate rebit.Decimal `fi:"rate"`
	// TotalCharge is brokerage, STT and other charges.
	TotalCharge rebit.Decimal `fi:"totalCharge"`
	TradeValue  rebit.Decimal `fi:"tradeValue"`
	// Type is BUY, SELL, BONUS, SPLIT, DIVIDEND, RIGHTS or OTHERS.
	Type string `fi:"type,enum=EquityTransactionType"`
	// ShareHolderEquityType is COMMON_STOCK, PREFERRED_STOCK, ....
	ShareHolderEquityType string        `fi:"shareHolderEquityType|shareHolerEquityType,enum=ShareHolderEquityType"`
	Units                 rebit.Decimal `fi:"units"`
	OtherCharges          rebit.Decimal `fi:"otherCharges"`
}

// Valuation is the current value (else Σ units × last traded price).
func (a *Equities) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetEquity)
	}
	return calc.Valued(rebit.AssetEquity, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].Units, s.Holdings[i].LastTradedPrice)
	})
}

// Common implements Txn: the money of a trade is its trade value.
func (t *EquityTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration,
		At: t.TransactionDateTime, Reference: calc.FirstString(t.TradeID, t.OrderID),
	}
}
