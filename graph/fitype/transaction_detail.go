package fitype

import (
	"reflect"

	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// details converts each fi transaction type to its TransactionDetail model.
var details = map[reflect.Type]func(fi.Txn) model.TransactionDetail{}

// detail registers the conversion of the fi row type S to the model D.
func detail[S, D any]() struct{} {
	details[reflect.TypeFor[*S]()] = func(t fi.Txn) model.TransactionDetail {
		return any(convert.To[D](t)).(model.TransactionDetail)
	}
	return convert.Register[S, D]()
}

var (
	_ = detail[deposits.DepositTransaction, model.DepositTransaction]()
	_ = detail[deposits.TermTransaction, model.TermTransaction]()
	_ = detail[funds.MutualFundTransaction, model.MutualFundTransaction]()
	_ = detail[funds.SIPTransaction, model.SIPTransaction]()
	_ = detail[securities.EquityTransaction, model.EquityTransaction]()
	_ = detail[securities.IDRTransaction, model.IDRTransaction]()
	_ = detail[funds.ETFTransaction, model.ETFTransaction]()
	_ = detail[funds.CISTransaction, model.CISTransaction]()
	_ = detail[funds.AIFTransaction, model.AIFTransaction]()
	_ = detail[funds.InvITTransaction, model.InvITTransaction]()
	_ = detail[securities.SecurityTransaction, model.SecurityTransaction]()
	_ = detail[securities.DebentureTransaction, model.DebentureTransaction]()
	_ = detail[pension.NPSSchemeTransaction, model.NPSSchemeTransaction]()
	_ = detail[pension.NPSInvestmentTransaction, model.NPSInvestmentTransaction]()
	_ = detail[insurance.InsuranceTransaction, model.InsuranceTransaction]()
)

// DetailOf resolves Transaction.detail: the row decoded by its
// account's ReBIT schema. A deposit row (no Raw: finpro's Transaction is the
// deposit schema's row) is read from t itself. Nil for a row of another FI
// type that came without its bytes (syncIncrementalData's payloads).
func DetailOf(t *model.Transaction) model.TransactionDetail {
	if t.Raw == nil {
		if t.FIType != fi.TypeDeposit && t.FIType != "" {
			return nil
		}
		return depositDetail(t)
	}
	tx, _ := fi.DecodeTransaction(t.FIType, t.Raw)
	if g, ok := tx.(*fi.GenericTransaction); ok {
		return &model.GenericTransaction{Fields: genericFields(g.Fields), RedactedFields: g.Redacted, Truncated: g.Truncated}
	}
	if conv := details[reflect.TypeOf(tx)]; conv != nil {
		return conv(tx)
	}
	return nil
}

// depositDetail is a deposit row in the deposit schema's types: the same
// values as the Transaction's, with the schema's own enums.
func depositDetail(t *model.Transaction) *model.DepositTransaction {
	d := &model.DepositTransaction{
		TxnID:                model.StringPtr(t.TxnID),
		Type:                 &t.Type,
		Mode:                 t.Mode,
		Amount:               t.Amount,
		TransactionTimestamp: t.TransactionTimestamp(),
		CurrentBalance:       t.CurrentBalance,
		ValueDate:            t.ValueDate,
		Narration:            t.Narration,
		Reference:            t.Reference,
	}
	return d
}
