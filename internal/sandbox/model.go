package sandbox

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Consent statuses (the consent list's enum).
const (
	statusPending  = "PENDING"
	statusActive   = "ACTIVE"
	statusRejected = "REJECTED"
	statusRevoked  = "REVOKED"
	statusExpired  = "EXPIRED"
	statusPaused   = "PAUSED"
)

// FI types the sandbox seeds.
const (
	fiDeposit          = "DEPOSIT"
	fiTermDeposit      = "TERM_DEPOSIT"
	fiRecurringDeposit = "RECURRING_DEPOSIT"
	fiMutualFunds      = "MUTUAL_FUNDS"
)

// ist is Indian Standard Time, the zone of FinPro's naive timestamps.
var ist = time.FixedZone("IST", 5*3600+1800)

// creditTypes are the transaction types that add to the running balance; every
// other type (DEBIT, TDS, CLOSING, SELL) subtracts.
var creditTypes = map[string]bool{"CREDIT": true, "OPENING": true, "INTEREST": true, "INSTALLMENT": true, "BUY": true}

// txnTypesByFI lists the transaction types each FI type uses (ReBIT enums).
var txnTypesByFI = map[string][]string{
	fiDeposit:          {"CREDIT", "DEBIT"},
	fiTermDeposit:      {"OPENING", "INTEREST", "TDS", "INSTALLMENT", "CLOSING", "OTHERS"},
	fiRecurringDeposit: {"OPENING", "INTEREST", "TDS", "INSTALLMENT", "CLOSING", "OTHERS"},
	fiMutualFunds:      {"BUY", "SELL"},
}

// txnModes are the modes an appended transaction may carry (ReBIT deposit enum
// plus the term-deposit spelling).
var txnModes = map[string]bool{"CASH": true, "ATM": true, "CARD": true, "UPI": true, "FT": true, "OTHERS": true, "CARD_PAYMENT": true}

// txn is one transaction in FinPro's JSON (getfidata's fiData element and the
// ReBIT Transaction element share it). Every value is a string.
type txn struct {
	TxnID                string `json:"txnId"`
	Type                 string `json:"type"`
	Mode                 string `json:"mode"`
	Amount               string `json:"amount"`
	CurrentBalance       string `json:"currentBalance"`
	TransactionTimestamp string `json:"transactionTimestamp"`
	ValueDate            string `json:"valueDate"`
	Narration            string `json:"narration"`
	Reference            string `json:"reference"`
	// Mutual-fund extras.
	ISIN  string `json:"isin,omitempty"`
	Units string `json:"units,omitempty"`
	NAV   string `json:"nav,omitempty"`

	at time.Time
}

// holder is one account holder (all PII is fake but well formed).
type holder struct {
	Name           string `json:"name"`
	DOB            string `json:"dob"`
	Mobile         string `json:"mobile"`
	Nominee        string `json:"nominee"`
	Landline       string `json:"landline"`
	Address        string `json:"address"`
	Email          string `json:"email"`
	PAN            string `json:"pan"`
	CKYCCompliance string `json:"ckycCompliance"`
	// Schema-specific holder attributes (securities, NPS, insurance); empty
	// for the deposit family, where they are omitted.
	DematID string `json:"dematId,omitempty"`
	PranID  string `json:"pranId,omitempty"`
	Rank    string `json:"rank,omitempty"`
}

// summary is an FI-type specific Summary; setBalance updates it after an append.
type summary interface {
	setBalance(balance, asOf string)
}

// depositSummary is the ReBIT deposit Summary.
type depositSummary struct {
	CurrentBalance  string `json:"currentBalance"`
	Currency        string `json:"currency"`
	ExchgeRate      string `json:"exchgeRate"`
	BalanceDateTime string `json:"balanceDateTime"`
	Type            string `json:"type"`
	Branch          string `json:"branch"`
	Facility        string `json:"facility"`
	IFSCCode        string `json:"ifscCode"`
	MICRCode        string `json:"micrCode"`
	OpeningDate     string `json:"openingDate"`
	CurrentODLimit  string `json:"currentODLimit"`
	DrawingLimit    string `json:"drawingLimit"`
	Status          string `json:"status"`
}

func (s *depositSummary) setBalance(b, at string) { s.CurrentBalance, s.BalanceDateTime = b, at }

// termSummary is the ReBIT term/recurring deposit Summary (currentValue is the
// ReBIT name; currentBalance repeats it for FinPro's common field).
type termSummary struct {
	CurrentBalance       string `json:"currentBalance"`
	CurrentValue         string `json:"currentValue"`
	Currency             string `json:"currency"`
	BalanceDateTime      string `json:"balanceDateTime"`
	AccountType          string `json:"accountType"`
	Branch               string `json:"branch"`
	IFSC                 string `json:"ifsc"`
	OpeningDate          string `json:"openingDate"`
	MaturityDate         string `json:"maturityDate"`
	MaturityAmount       string `json:"maturityAmount"`
	PrincipalAmount      string `json:"principalAmount"`
	InterestRate         string `json:"interestRate"`
	InterestPayout       string `json:"interestPayout"`
	InterestComputation  string `json:"interestComputation"`
	CompoundingFrequency string `json:"compoundingFrequency"`
	TenureDays           string `json:"tenureDays"`
	TenureMonths         string `json:"tenureMonths"`
	TenureYears          string `json:"tenureYears"`
	RecurringAmount      string `json:"recurringAmount,omitempty"`
	RecurringDepositDay  string `json:"recurringDepositDay,omitempty"`
	Description          string `json:"description"`
	Status               string `json:"status"`
}

func (s *termSummary) setBalance(b, at string) {
	s.CurrentBalance, s.CurrentValue, s.BalanceDateTime = b, b, at
}

// mfSummary is the ReBIT mutual-funds Summary: the account's "balance" is its
// currentValue.
type mfSummary struct {
	CurrentBalance  string       `json:"currentBalance"`
	CurrentValue    string       `json:"currentValue"`
	CostValue       string       `json:"costValue"`
	Currency        string       `json:"currency"`
	BalanceDateTime string       `json:"balanceDateTime"`
	Investment      mfInvestment `json:"Investment"`
}

func (s *mfSummary) setBalance(b, at string) {
	s.CurrentBalance, s.CurrentValue, s.BalanceDateTime = b, b, at
}

type mfInvestment struct {
	Holdings struct {
		Holding []mfHolding `json:"Holding"`
	} `json:"Holdings"`
}

type mfHolding struct {
	AMC            string `json:"amc"`
	Registrar      string `json:"registrar"`
	SchemeCode     string `json:"schemeCode"`
	SchemeName     string `json:"schemeName"`
	SchemeOption   string `json:"schemeOption"`
	SchemeCategory string `json:"schemeCategory"`
	ISIN           string `json:"isin"`
	FolioNo        string `json:"folioNo"`
	Units          string `json:"units"`
	NAV            string `json:"nav"`
	NAVDate        string `json:"navDate"`
	CostValue      string `json:"costValue"`
	CurrentValue   string `json:"currentValue"`
}

// account is one FIP account. Its mutable parts (txns, balance, summary, the
// JSON caches) change only under Sandbox.mu held for writing.
type account struct {
	linkRef     string
	fipAccID    string
	masked      string
	fiType      string // canonical spelling
	fipID       string
	fipName     string
	accountType string // SAVINGS, CURRENT, FIXED, RECURRING, MUTUAL_FUND
	holdersType string
	holders     []holder
	mobile      string // owner

	summary summary
	txns    []txn
	balance *apd.Decimal
	nextID  int64
	txnPre  string
	floor   *apd.Decimal // lowest balance a DEBIT may reach (nil: none)

	// renderTxn, when set, renders txns[i] in the account's ReBIT schema
	// instead of the deposit shape; rebitTxns, when set, writes the whole
	// Transactions element's content (after startDate and endDate) for schemas
	// without a single Transaction list (NPS). See fi_wealth.go.
	renderTxn func(i int) []byte
	rebitTxns func(b *bytes.Buffer, from, to int)

	// JSON caches, rebuilt on append.
	txnJSON     [][]byte
	profileJSON []byte
	summaryJSON []byte
}

// consent is one consent request and, once approved, its grant.
type consent struct {
	handle    string
	id        string // empty until approved
	status    string
	productID string
	accountID string
	vua       string
	mobile    string
	fetchType string // ONETIME or PERIODIC
	created   time.Time
	expiry    time.Time
	accounts  []*account

	ready     bool      // data fetched (DATA_READY)
	readyAt   time.Time // when ready is false and this is set: ready from then on
	sessionID string
	fetchedAt time.Time
	pulled    bool           // getalllatestfidata has served this consent
	delivered map[string]int // PERIODIC: transactions served per link reference

	// Data fetch sessions (fetch.go). got is nil for consents fetched before
	// sessions (seeded ones: every account's data is held).
	fetch   *fetchSession   // the latest
	fetches int             // sessions started
	got     map[string]bool // link references whose data the FIU holds

	// The v3 journey (journey.go): the FIPs the request named and the
	// accounts the user picked at the AA page (nil: every eligible one).
	fipIDs []string
	picked map[string]bool
}

// dataReady reports whether the consent's data has been fetched by now.
func (c *consent) dataReady(now time.Time) bool {
	return c.ready || (!c.readyAt.IsZero() && !now.Before(c.readyAt))
}

// customer is one AA user.
type customer struct {
	mobile   string
	name     string
	accounts []*account
	consents []*consent
}

// product is a consent template.
type product struct {
	id        string
	fetchType string
	fiTypes   map[string]bool
}

var products = map[string]product{
	"PFM_DASHBOARD":     {"PFM_DASHBOARD", "PERIODIC", map[string]bool{fiDeposit: true, fiTermDeposit: true, fiRecurringDeposit: true, fiMutualFunds: true}},
	"LOAN_UNDERWRITING": {"LOAN_UNDERWRITING", "ONETIME", map[string]bool{fiDeposit: true}},
	"WEALTH_TRACKER":    {"WEALTH_TRACKER", "PERIODIC", map[string]bool{fiTermDeposit: true, fiRecurringDeposit: true, fiMutualFunds: true}},
	WealthProductID:     {WealthProductID, "PERIODIC", wealthFITypes()},
}

// encodeJSON marshals v without HTML escaping; v is always a sandbox-built value.
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		panic("sandbox: encode: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// quote is a JSON string literal.
func quote(s string) []byte { return encodeJSON(s) }

// fiTypeOut is the spelling of an FI type on the wire under the quirks.
func (s *Sandbox) fiTypeOut(t string) string {
	if t == fiTermDeposit && s.cfg.Quirks.TermDepositHyphen {
		return "TERM-DEPOSIT"
	}
	return t
}

// rebuild refreshes a's JSON caches from index from of its transactions on.
func (s *Sandbox) rebuild(a *account, from int) {
	a.txnJSON = a.txnJSON[:min(from, len(a.txnJSON))]
	for i := len(a.txnJSON); i < len(a.txns); i++ {
		if a.renderTxn != nil {
			a.txnJSON = append(a.txnJSON, a.renderTxn(i))
			continue
		}
		a.txnJSON = append(a.txnJSON, encodeJSON(&a.txns[i]))
	}
	a.summaryJSON = encodeJSON(a.summary)
	if a.profileJSON == nil {
		var h any = a.holders
		if len(a.holders) == 1 && s.cfg.Quirks.HolderAsObject {
			h = a.holders[0]
		}
		type holders struct {
			Type   string `json:"type"`
			Holder any    `json:"Holder"`
		}
		a.profileJSON = encodeJSON(struct {
			Holders holders `json:"Holders"`
		}{holders{a.holdersType, h}})
	}
}

// rebitSize is about the length of appendRebit's output, to size buffers once.
func rebitSize(a *account, from, to int) int {
	n := 512 + len(a.profileJSON) + len(a.summaryJSON)
	for i := from; i < to; i++ {
		n += len(a.txnJSON[i]) + 1
	}
	return n
}

// appendRebit writes a's ReBIT element (getallfidata shape) with txns[from:to].
func (s *Sandbox) appendRebit(b *bytes.Buffer, a *account, from, to int) {
	b.WriteString(`{"linkReferenceNumber":`)
	b.Write(quote(a.linkRef))
	b.WriteString(`,"maskedAccountNumber":`)
	b.Write(quote(a.masked))
	b.WriteString(`,"fiType":`)
	b.Write(quote(s.fiTypeOut(a.fiType)))
	b.WriteString(`,"bank":`)
	b.Write(quote(a.fipName))
	b.WriteString(`,"fipId":`)
	b.Write(quote(a.fipID))
	b.WriteString(`,"Profile":`)
	b.Write(a.profileJSON)
	b.WriteString(`,"Summary":`)
	b.Write(a.summaryJSON)
	b.WriteString(`,"Transactions":{"startDate":`)
	start, end := "", ""
	if from < to {
		start, end = a.txns[from].ValueDate, a.txns[to-1].ValueDate
	}
	b.Write(quote(start))
	b.WriteString(`,"endDate":`)
	b.Write(quote(end))
	if a.rebitTxns != nil {
		a.rebitTxns(b, from, to)
		b.WriteString("}}")
		return
	}
	b.WriteString(`,"Transaction":[`)
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		b.Write(a.txnJSON[i])
	}
	b.WriteString("]}}")
}
