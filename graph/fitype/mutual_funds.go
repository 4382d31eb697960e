package fitype

import (
	"context"
	"encoding/json"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// MutualFunds is the plugin of FI type MUTUAL_FUNDS.
type MutualFunds struct{}

// FIType returns MUTUAL_FUNDS.
func (MutualFunds) FIType() finpro.FIType { return finpro.FITypeMutualFunds }

// Account returns a MutualFundAccount.
func (MutualFunds) Account(base AccountBase) Account { return &MutualFundAccount{AccountBase: base} }

// MutualFundAccount is the GraphQL MutualFundAccount type.
type MutualFundAccount struct {
	AccountBase
}

// MutualFundSummary is the GraphQL MutualFundSummary type.
type MutualFundSummary struct {
	CurrentValue *model.Decimal
	CostValue    *model.Decimal
	Holdings     []*MutualFundHolding
}

// MutualFundHolding is the GraphQL MutualFundHolding type.
type MutualFundHolding struct {
	Amc        *string
	SchemeName *string
	SchemeCode *string
	Isin       *string
	FolioNo    *string
	Units      *model.Decimal
	Nav        *model.Decimal
	NavDate    *model.Date
}

// mutualFundSummary is the ReBIT mutual_funds Summary as FinPro sends it;
// Holding is an object or an array.
type mutualFundSummary struct {
	CurrentValue text `json:"currentValue"`
	CostValue    text `json:"costValue"`
	Investment   struct {
		Holdings struct {
			Holding json.RawMessage `json:"Holding"`
		} `json:"Holdings"`
	} `json:"Investment"`
}

type mutualFundHolding struct {
	Amc        text `json:"amc"`
	SchemeName text `json:"schemeName"`
	SchemeCode text `json:"schemeCode"`
	Isin       text `json:"isin"`
	FolioNo    text `json:"folioNo"`
	Units      text `json:"closingUnits"`
	UnitsAlt   text `json:"units"`
	Nav        text `json:"nav"`
	NavDate    text `json:"navDate"`
}

// Summary resolves MutualFundAccount.summary from the consent's getallfidata.
func (a *MutualFundAccount) Summary(ctx context.Context) (*MutualFundSummary, error) {
	acc, err := a.fiAccount(ctx)
	if err != nil || acc == nil || acc.Summary == nil {
		return nil, err
	}
	var s mutualFundSummary
	if !decodeSummary(acc.Summary.Raw, &s) {
		return nil, nil
	}
	var hs []mutualFundHolding
	if raw := s.Investment.Holdings.Holding; len(raw) > 0 && raw[0] == '{' {
		var h mutualFundHolding
		if json.Unmarshal(raw, &h) == nil {
			hs = append(hs, h)
		}
	} else if len(raw) > 0 {
		_ = json.Unmarshal(raw, &hs) // a malformed list is an empty list
	}
	out := &MutualFundSummary{
		CurrentValue: s.CurrentValue.decimal(),
		CostValue:    s.CostValue.decimal(),
		Holdings:     make([]*MutualFundHolding, len(hs)),
	}
	for i, h := range hs {
		units := h.Units
		if units == "" {
			units = h.UnitsAlt
		}
		out.Holdings[i] = &MutualFundHolding{
			Amc:        h.Amc.str(),
			SchemeName: h.SchemeName.str(),
			SchemeCode: h.SchemeCode.str(),
			Isin:       h.Isin.str(),
			FolioNo:    h.FolioNo.str(),
			Units:      units.decimal(),
			Nav:        h.Nav.decimal(),
			NavDate:    h.NavDate.date(),
		}
	}
	return out, nil
}
