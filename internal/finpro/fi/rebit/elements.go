package rebit

// Profile is the ReBIT Profile element: the account's holders. Every Holder
// attribute except Nominee, CKYCCompliance and the holding/rank fields is PII.
type Profile struct {
	Holders Holders `fi:"Holders"`
}

// Holders is the ReBIT Holders element.
type Holders struct {
	// Type is SINGLE or JOINT (deposit, term and recurring deposit, SIP,
	// insurance), SOLE or JOINT (REIT); the other schemas have no type.
	Type string `fi:"type,enum=HoldersType"`
	// Holder is every holder, one or more.
	Holder []Holder `fi:"Holder"`
}

// Holder is one ReBIT Holder: the union of the attributes the schemas give it.
type Holder struct {
	Name     string `fi:"name"`
	DOB      Date   `fi:"dob"`
	Mobile   string `fi:"mobile"`
	Landline string `fi:"landline"`
	Address  string `fi:"address"`
	Email    string `fi:"email"`
	PAN      string `fi:"pan"`
	// Nominee is REGISTERED or NOT_REGISTERED.
	Nominee string `fi:"nominee,enum=Nominee"`
	// CKYCCompliance is whether the holder's central KYC is complete.
	CKYCCompliance *bool `fi:"ckycCompliance|ckycCompliant"`
	// DematID is the demat account (securities, mutual funds, SIP, ETF, IDR,
	// CIS, AIF, InvIT, REIT, CP, government securities, bonds, debentures).
	DematID string `fi:"dematId"`
	// PranID is the NPS Permanent Retirement Account Number.
	PranID string `fi:"pranId"`
	// Rank orders insurance policy holders: 1 primary, 2 secondary.
	Rank *int `fi:"rank"`
	// HoldingType is SOLE or OTHERS (government securities).
	HoldingType string `fi:"holdingType,enum=HoldingType"`
}

// Transactions is the ReBIT Transactions element of most schemas: the
// statement period and its Transaction elements of type T.
type Transactions[T any] struct {
	StartDate   Date `fi:"startDate"`
	EndDate     Date `fi:"endDate"`
	Transaction []T  `fi:"Transaction"`
}
