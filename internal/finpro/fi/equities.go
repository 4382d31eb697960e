package fi

import "time"

// Equities is an EQUITIES account (a demat statement of shares), schema
// equity_shares/equities.xsd.
type Equities struct {
	Profile      *Profile                         `fi:"Profile"`
	Summary      *EquitiesSummary                 `fi:"Summary"`
	Transactions *Transactions[EquityTransaction] `fi:"Transactions"`
}

// EquitiesSummary is the equities Summary element.
type EquitiesSummary struct {
	InvestmentValue Decimal `fi:"investmentValue"`
	CurrentValue    Decimal `fi:"currentValue"`
	// HoldingsType is DEMAT or PHYSICAL (the Holdings element's type).
	HoldingsType string          `fi:"Investment/Holdings/type|Holdings/type,enum=HoldingMode"`
	Holdings     []EquityHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// EquityHolding is one equities Holding.
type EquityHolding struct {
	IssuerName string `fi:"issuerName"`
	ISIN       string `fi:"isin"`
	// Units are the shares held.
	Units              Decimal   `fi:"units"`
	InvestmentDateTime time.Time `fi:"investmentDateTime"`
	// Rate is the (average) purchase price per share.
	Rate Decimal `fi:"rate"`
	// LastTradedPrice is the last traded or closing price per share.
	LastTradedPrice Decimal `fi:"lastTradedPrice"`
	Description     string  `fi:"description"`
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
	StrikePrice Decimal `fi:"strikePrice"`
	Narration   string  `fi:"narration"`
	// Rate is the net price per share.
	Rate Decimal `fi:"rate"`
	// TotalCharge is brokerage, STT and other charges.
	TotalCharge Decimal `fi:"totalCharge"`
	TradeValue  Decimal `fi:"tradeValue"`
	// Type is BUY, SELL, BONUS, SPLIT, DIVIDEND, RIGHTS or OTHERS.
	Type string `fi:"type,enum=EquityTransactionType"`
	// ShareHolderEquityType is COMMON_STOCK, PREFERRED_STOCK, ....
	ShareHolderEquityType string  `fi:"shareHolderEquityType|shareHolerEquityType,enum=ShareHolderEquityType"`
	Units                 Decimal `fi:"units"`
	OtherCharges          Decimal `fi:"otherCharges"`
}

// Valuation is the current value (else Σ units × last traded price).
func (a *Equities) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetEquity)
	}
	return valued(AssetEquity, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		return product(s.Holdings[i].Units, s.Holdings[i].LastTradedPrice)
	})
}

// Common implements Txn: the money of a trade is its trade value.
func (t *EquityTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration,
		At: t.TransactionDateTime, Reference: firstString(t.TradeID, t.OrderID)}
}
