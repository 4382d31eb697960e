package securities

import "github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"

// GovtSecurities is a GOVT_SECURITIES account, schema
// government_securities/govt_securities.xsd: attribute for attribute the
// bonds schema (the holder adds holdingType).
type GovtSecurities struct {
	Profile      *rebit.Profile                           `fi:"Profile"`
	Summary      *BondsSummary                            `fi:"Summary"`
	Transactions *rebit.Transactions[SecurityTransaction] `fi:"Transactions"`
}

// Valuation is the current value (else Σ units × last traded rate).
func (a *GovtSecurities) Valuation() rebit.Valuation { return bondsValuation(a.Summary) }
