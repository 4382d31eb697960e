package fi

// SIP is a SIP account (systematic investment plans of a folio), schema
// systematic_investment_plan/sip.xsd. A SIP's units usually also appear in the
// MUTUAL_FUNDS statement of the same folio; see NetWorth.
type SIP struct {
	Profile      *Profile                      `fi:"Profile"`
	Summary      *SIPSummary                   `fi:"Summary"`
	Transactions *Transactions[SIPTransaction] `fi:"Transactions"`
}

// SIPSummary is the sip Summary element.
type SIPSummary struct {
	FolioNo         string       `fi:"folioNo"`
	InvestmentValue Decimal      `fi:"investmentValue"`
	CurrentValue    Decimal      `fi:"currentValue"`
	Holdings        []SIPHolding `fi:"Holdings/Holding|Investment/Holdings/Holding"`
	// Investments is the plan's period (type, issue and maturity dates).
	Investments *SIPInvestments `fi:"Investments"`
}

// SIPHolding is one sip Holding: one registered plan. Holder1Name,
// Holder2Name and Email are PII.
type SIPHolding struct {
	AMC       string `fi:"amc"`
	Registrar string `fi:"registrar"`
	// Scheme is the scheme name (direct, regular, growth, ...).
	Scheme   string `fi:"scheme"`
	ISIN     string `fi:"isin"`
	UCC      string `fi:"ucc"`
	AMFICode string `fi:"amfiCode"`
	FolioNo  string `fi:"folioNo"`
	// HoldingType is SOLE or JOINT.
	HoldingType string `fi:"holdingType,enum=HoldingType"`
	Holder1Name string `fi:"holder1Name"`
	Holder2Name string `fi:"holder2Name"`
	// Nominee is SOLE or OTHERS in this schema.
	Nominee string  `fi:"nominee,enum=SIPNominee"`
	Email   string  `fi:"email"`
	Units   Decimal `fi:"units"`
	NAV     Decimal `fi:"nav"`
	// Value is the plan's current value (units × NAV).
	Value Decimal `fi:"value"`
	// DividendType is free text (interim, final, special); the XSD spells it
	// devidentType.
	DividendType string `fi:"devidentType|dividendType"`
	// Amount is the instalment.
	Amount Decimal `fi:"amount"`
	// Frequency is the instalment frequency (an integer code in the XSD).
	Frequency *int `fi:"frequency"`
	// InstalmentDay is the day of the month instalments are debited.
	InstalmentDay       *int `fi:"instalmentDay"`
	PendingInstalments  *int `fi:"pendingInstalments"`
	CompleteInstalments *int `fi:"completeInstalments"`
	LastInstalmentDate  Date `fi:"lastInstalmentDate"`
	NextInstalmentDate  Date `fi:"nextInstalmentDate"`
	CreationDate        Date `fi:"creationDate"`
	ModificationDate    Date `fi:"modificationDate"`
	CeasedDate          Date `fi:"ceasedDate"`
}

// SIPInvestments is the sip Investments element.
type SIPInvestments struct {
	Type         string          `fi:"type"`
	IssueDate    Date            `fi:"issueDate"`
	MaturityDate Date            `fi:"maturityDate"`
	Investment   []SIPInvestment `fi:"Investment"`
}

// SIPInvestment is one sip Investment period.
type SIPInvestment struct {
	Type      string `fi:"type"`
	StartDate Date   `fi:"startDate"`
	EndDate   Date   `fi:"endDate"`
}

// SIPTransaction is one sip Transaction.
type SIPTransaction struct {
	TxnID    string `fi:"txnId"`
	TxnDate  Date   `fi:"txnDate"`
	AMC      string `fi:"amc"`
	Scheme   string `fi:"scheme"`
	ISIN     string `fi:"isin"`
	UCC      string `fi:"ucc"`
	AMFICode string `fi:"amfiCode"`
	FolioNo  string `fi:"folioNo"`
	// Type is BUY, SELL or OTHERS.
	Type      string  `fi:"type,enum=BuySell"`
	Narration string  `fi:"narration"`
	Units     Decimal `fi:"units"`
	NAV       Decimal `fi:"nav"`
	// Cost is the transaction fee.
	Cost Decimal `fi:"cost"`
	// STT is the securities transaction tax.
	STT    Decimal `fi:"stt"`
	Amount Decimal `fi:"amount"`
}

// Valuation is the current value (else Σ plan values, else units × NAV).
func (a *SIP) Valuation() Valuation {
	s := a.Summary
	if s == nil {
		return noSummary(AssetMutualFunds)
	}
	return valued(AssetMutualFunds, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (Decimal, bool) {
		h := s.Holdings[i]
		if h.Value != "" {
			return h.Value, true
		}
		return product(h.Units, h.NAV)
	})
}

// Common implements Txn.
func (t *SIPTransaction) Common() Common {
	return Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: midnight(t.TxnDate)}
}
