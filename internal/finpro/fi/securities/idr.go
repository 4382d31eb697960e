package securities

import (
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// IDR is an IDR account (Indian Depository Receipts), schema
// indian_depository_receipts/idr.xsd. Its holdings have the equities' shape.
type IDR struct {
	Profile      *rebit.Profile                      `fi:"Profile"`
	Summary      *IDRSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[IDRTransaction] `fi:"Transactions"`
}

// IDRSummary is the idr Summary element.
type IDRSummary struct {
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	// HoldingsType is DEMAT or PHYSICAL.
	HoldingsType string          `fi:"Investment/Holdings/type|Holdings/type,enum=HoldingMode"`
	Holdings     []EquityHolding `fi:"Investment/Holdings/Holding|Holdings/Holding"`
}

// IDRTransaction is one idr Transaction.
type IDRTransaction struct {
	TxnID               string    `fi:"txnId"`
	TransactionDateTime time.Time `fi:"transactionDateTime"`
	OrderID             string    `fi:"orderId"`
	TradeID             string    `fi:"tradeId"`
	ISIN                string    `fi:"isin"`
	CompanyName         string    `fi:"companyName"`
	Symbol              string    `fi:"symbol"`
	// Exchange is BSE, NSE or OTHERS (free text in the XSD).
	Exchange   string        `fi:"exchange,enum=Exchange"`
	Rate       rebit.Decimal `fi:"rate"`
	TradeValue rebit.Decimal `fi:"tradeValue"`
	// ShareHolderEquityType is COMMON_STOCK, ... (the XSD spells it
	// shareHolerEquityType).
	ShareHolderEquityType string `fi:"shareHolerEquityType|shareHolderEquityType,enum=ShareHolderEquityType"`
	// Type is BUY, SELL or OTHERS.
	Type         string        `fi:"type,enum=BuySell"`
	Units        rebit.Decimal `fi:"units"`
	OtherCharges rebit.Decimal `fi:"otherCharges"`
	TotalCharge  rebit.Decimal `fi:"totalCharge"`
	Narration    string        `fi:"narration"`
}

// Valuation is the current value (else Σ units × last traded price).
func (a *IDR) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetEquity)
	}
	return calc.Valued(rebit.AssetEquity, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		return calc.Product(s.Holdings[i].Units, s.Holdings[i].LastTradedPrice)
	})
}

// Common implements Txn.
func (t *IDRTransaction) Common() rebit.Common {
	return rebit.Common{
		TxnID: t.TxnID, Type: t.Type, Amount: t.TradeValue, Narration: t.Narration,
		At: t.TransactionDateTime, Reference: calc.FirstString(t.TradeID, t.OrderID),
	}
}
