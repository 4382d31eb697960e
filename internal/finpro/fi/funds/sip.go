package funds

import (
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/calc"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
)

// SIP is a SIP account (systematic investment plans of a folio), schema
// systematic_investment_plan/sip.xsd. A SIP's units usually also appear in the
// MUTUAL_FUNDS statement of the same folio; see NetWorth.
type SIP struct {
	Profile      *rebit.Profile                      `fi:"Profile"`
	Summary      *SIPSummary                         `fi:"Summary"`
	Transactions *rebit.Transactions[SIPTransaction] `fi:"Transactions"`
}

// SIPSummary is the sip Summary element.
type SIPSummary struct {
	FolioNo         string        `fi:"folioNo"`
	InvestmentValue rebit.Decimal `fi:"investmentValue"`
	CurrentValue    rebit.Decimal `fi:"currentValue"`
	Holdings        []SIPHolding  `fi:"Holdings/Holding|Investment/Holdings/Holding"`
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
	Nominee string        `fi:"nominee,enum=SIPNominee"`
	Email   string        `fi:"email"`
	Units   rebit.Decimal `fi:"units"`
	NAV     rebit.Decimal `fi:"nav"`
	// Value is the plan's current value (units × NAV).
	Value rebit.Decimal `fi:"value"`
	// DividendType is free text (interim, final, special); the XSD spells it
	// devidentType.
	DividendType string `fi:"devidentType|dividendType"`
	// Amount is the instalment.
	Amount rebit.Decimal `fi:"amount"`
	// Frequency is the instalment frequency (an integer code in the XSD).
	Frequency *int `fi:"frequency"`
	// InstalmentDay is the day of the month instalments are debited.
	InstalmentDay       *int       `fi:"instalmentDay"`
	PendingInstalments  *int       `fi:"pendingInstalments"`
	CompleteInstalments *int       `fi:"completeInstalments"`
	LastInstalmentDate  rebit.Date `fi:"lastInstalmentDate"`
	NextInstalmentDate  rebit.Date `fi:"nextInstalmentDate"`
	CreationDate        rebit.Date `fi:"creationDate"`
	ModificationDate    rebit.Date `fi:"modificationDate"`
	CeasedDate          rebit.Date `fi:"ceasedDate"`
}

// SIPInvestments is the sip Investments element.
type SIPInvestments struct {
	Type         string          `fi:"type"`
	IssueDate    rebit.Date      `fi:"issueDate"`
	MaturityDate rebit.Date      `fi:"maturityDate"`
	Investment   []SIPInvestment `fi:"Investment"`
}

// SIPInvestment is one sip Investment period.
type SIPInvestment struct {
	Type      string     `fi:"type"`
	StartDate rebit.Date `fi:"startDate"`
	EndDate   rebit.Date `fi:"endDate"`
}

// SIPTransaction is one sip Transaction.
type SIPTransaction struct {
	TxnID    string     `fi:"txnId"`
	TxnDate  rebit.Date `fi:"txnDate"`
	AMC      string     `fi:"amc"`
	Scheme   string     `fi:"scheme"`
	ISIN     string     `fi:"isin"`
	UCC      string     `fi:"ucc"`
	AMFICode string     `fi:"amfiCode"`
	FolioNo  string     `fi:"folioNo"`
	// Type is BUY, SELL or OTHERS.
	Type      string        `fi:"type,enum=BuySell"`
	Narration string        `fi:"narration"`
	Units     rebit.Decimal `fi:"units"`
	NAV       rebit.Decimal `fi:"nav"`
	// Cost is the transaction fee.
	Cost rebit.Decimal `fi:"cost"`
	// STT is the securities transaction tax.
	STT    rebit.Decimal `fi:"stt"`
	Amount rebit.Decimal `fi:"amount"`
}

// Valuation is the current value (else Σ plan values, else units × NAV).
func (a *SIP) Valuation() rebit.Valuation {
	s := a.Summary
	if s == nil {
		return calc.NoSummary(rebit.AssetMutualFunds)
	}
	return calc.Valued(rebit.AssetMutualFunds, s.CurrentValue, s.InvestmentValue, len(s.Holdings), func(i int) (rebit.Decimal, bool) {
		h := s.Holdings[i]
		if h.Value != "" {
			return h.Value, true
		}
		return calc.Product(h.Units, h.NAV)
	})
}

// Common implements Txn.
func (t *SIPTransaction) Common() rebit.Common {
	return rebit.Common{TxnID: t.TxnID, Type: t.Type, Amount: t.Amount, Narration: t.Narration, At: calc.Midnight(t.TxnDate)}
}
