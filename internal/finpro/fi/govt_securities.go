package fi

// GovtSecurities is a GOVT_SECURITIES account, schema
// government_securities/govt_securities.xsd: attribute for attribute the
// bonds schema (the holder adds holdingType).
type GovtSecurities struct {
	Profile      *Profile                           `fi:"Profile"`
	Summary      *BondsSummary                      `fi:"Summary"`
	Transactions *Transactions[SecurityTransaction] `fi:"Transactions"`
}

// Valuation is the current value (else Σ units × last traded rate).
func (a *GovtSecurities) Valuation() Valuation { return bondsValuation(a.Summary) }
