package fitype

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/statement"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"
	"github.com/moneyone-bff/finpro-bff/internal/insights"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// MaxInsightsSpan is how far apart an insights range's first and last days
// may be.
const MaxInsightsSpan = 2 // years

// InsightsRange resolves an insights field's from and to against today:
// to defaults to today (IST), from to the first day of the month eleven
// months before to's (twelve calendar months).
func InsightsRange(from, to *model.Date, now time.Time) (insights.Range, error) {
	today := insights.Day(now)
	var r insights.Range
	r.To = today
	if to != nil {
		t, err := time.ParseInLocation(time.DateOnly, string(*to), finpro.IST)
		if err != nil {
			return r, apierr.BadInput("to is not a YYYY-MM-DD date")
		}
		r.To = t
	}
	r.From = time.Date(r.To.Year(), r.To.Month()-11, 1, 0, 0, 0, 0, finpro.IST)
	if from != nil {
		f, err := time.ParseInLocation(time.DateOnly, string(*from), finpro.IST)
		if err != nil {
			return r, apierr.BadInput("from is not a YYYY-MM-DD date")
		}
		r.From = f
	}
	switch {
	case r.To.Before(r.From):
		return r, apierr.BadInput("to must not be before from")
	case !r.To.Before(r.From.AddDate(MaxInsightsSpan, 0, 0)):
		return r, apierr.BadInput("from and to must be less than %d years apart", MaxInsightsSpan)
	}
	return r, nil
}

// Insights resolves Account.insights: the account's analytics over a range,
// from one getallfidata with the range per consent and operation
// (loaders.AccountHistory).
func (a *AccountBase) Insights(ctx context.Context, from, to *model.Date) (*AccountInsights, error) {
	r, err := InsightsRange(from, to, time.Now())
	if err != nil {
		return nil, err
	}
	p, currency, err := a.InsightsPart(ctx, r)
	if err != nil {
		return nil, err
	}
	return &AccountInsights{newInsightSet(r, currency, []InsightsPart{p})}, nil
}

// InsightsPart is one account's analysed range.
type InsightsPart struct {
	account Account
	ledger  *insights.Ledger
	rows    []finpro.Transaction // the history's rows (insights.Txn.Ref indexes them)
}

// InsightsPart reads and analyses the account's range r and reports its
// currency.
func (a *AccountBase) InsightsPart(ctx context.Context, r insights.Range) (InsightsPart, string, error) {
	acc, err := loaders.AccountHistory(ctx, a.ConsentRef(), a.linked.LinkReferenceNumber, r.From, r.To)
	if err != nil {
		return InsightsPart{}, "", err
	}
	// The range's own rows only (the history may hold more, read for other
	// fields of the operation): the figures never depend on what else was
	// asked. A range without transactions takes its balance from the last
	// transaction before it, located with a few getfidata reads.
	var rows []finpro.Transaction
	for _, x := range acc.Transactions {
		if r.Contains(x.TransactionTimestamp) {
			rows = append(rows, x)
		}
	}
	if len(rows) == 0 {
		before, err := statement.LastBefore(ctx, a.reader(), r.From)
		if err != nil {
			return InsightsPart{}, "", err
		}
		if before != nil {
			rows = append(rows, *before)
		}
	}
	txns, err := insights.FromFinpro(rows)
	if err != nil {
		return InsightsPart{}, "", err
	}
	currency := wire.DefaultCurrency // an account FinPro sends without a summary
	if acc.Summary != nil {
		currency = strings.ToUpper(acc.Summary.Currency) // never empty (finpro.Summary)
	}
	self := a.self
	if self == nil {
		self = &OtherAccount{AccountBase: *a}
	}
	return InsightsPart{account: self, ledger: insights.NewLedger(txns, r, time.Now()), rows: rows}, currency, nil
}

// AccountInsights is the GraphQL AccountInsights type.
type AccountInsights struct{ *insightSet }

// CustomerInsights is the GraphQL CustomerInsights type: the analytics of
// several accounts in one currency.
type CustomerInsights struct{ *insightSet }

// NewCustomerInsights returns the insights of parts, analysed over r, in
// currency.
func NewCustomerInsights(r insights.Range, currency string, parts []InsightsPart) *CustomerInsights {
	return &CustomerInsights{newInsightSet(r, currency, parts)}
}

// Accounts resolves CustomerInsights.accounts.
func (c *CustomerInsights) Accounts() []Account {
	out := make([]Account, len(c.parts))
	for i, p := range c.parts {
		out[i] = p.account
	}
	return out
}

// insightSet resolves the fields AccountInsights and CustomerInsights
// share. Its series and returns are found once, whichever fields ask.
type insightSet struct {
	From, To, Through model.Date
	Currency          string

	parts   []InsightsPart
	ledgers []*insights.Ledger

	once            sync.Once
	credits, debits []*RecurringSeries
	bounces         []*Bounce
}

func newInsightSet(r insights.Range, currency string, parts []InsightsPart) *insightSet {
	s := &insightSet{
		From: model.Date(r.From.Format(time.DateOnly)), To: model.Date(r.To.Format(time.DateOnly)), Currency: currency, parts: parts,
		Through: model.Date(r.To.Format(time.DateOnly)),
	}
	for _, p := range parts {
		s.ledgers = append(s.ledgers, p.ledger)
		s.Through = model.Date(p.ledger.Through.Format(time.DateOnly))
	}
	return s
}

// CashFlow resolves cashFlow(interval).
func (s *insightSet) CashFlow(interval *model.CashFlowInterval) ([]*model.CashFlowPeriod, error) {
	iv := insights.Month
	if interval != nil && *interval == model.CashFlowIntervalWeek {
		iv = insights.Week
	}
	ps, err := insights.CashFlow(iv, s.ledgers...)
	if err != nil {
		return nil, err
	}
	out := make([]*model.CashFlowPeriod, len(ps))
	for i := range ps {
		out[i] = s.period(&ps[i])
	}
	return out, nil
}

// Total resolves total.
func (s *insightSet) Total() (*model.CashFlowPeriod, error) {
	p, err := insights.Total(s.ledgers...)
	if err != nil {
		return nil, err
	}
	return s.period(&p), nil
}

var statuses = map[insights.Status]model.ReconciliationStatus{
	insights.Reconciled:  model.ReconciliationStatusReconciled,
	insights.Unavailable: model.ReconciliationStatusUnavailable,
	insights.Mismatch:    model.ReconciliationStatusMismatch,
}

func (s *insightSet) period(p *insights.Period) *model.CashFlowPeriod {
	out := &model.CashFlowPeriod{
		Start: model.Date(p.Start.Format(time.DateOnly)), End: model.Date(p.End.Format(time.DateOnly)),
		Inflow: money(&p.Inflow), Outflow: money(&p.Outflow), Net: money(&p.Net),
		CreditCount: p.Credits, DebitCount: p.Debits,
		OpeningBalance: moneyPtr(p.Opening), ClosingBalance: moneyPtr(p.Closing), ComputedClosingBalance: moneyPtr(p.Computed),
		Reconciliation: statuses[p.Status], Days: p.Days,
		MinimumDailyBalance: moneyPtr(p.MinDaily), AverageDailyBalance: moneyPtr(p.AvgDaily),
	}
	if m := p.Mismatch; m.Ledger >= 0 {
		out.FirstMismatch = s.parts[m.Ledger].txn(m.Txn)
	}
	return out
}

// RecurringCredits resolves recurringCredits.
func (s *insightSet) RecurringCredits() []*RecurringSeries { s.find(); return s.credits }

// RecurringDebits resolves recurringDebits.
func (s *insightSet) RecurringDebits() []*RecurringSeries { s.find(); return s.debits }

// Bounces resolves bounces.
func (s *insightSet) Bounces() []*Bounce { s.find(); return s.bounces }

var kinds = map[insights.Kind]model.RecurringKind{
	insights.Salary: model.RecurringKindSalary, insights.Rent: model.RecurringKindRent, insights.Interest: model.RecurringKindInterest,
	insights.EMI: model.RecurringKindEmi, insights.SIP: model.RecurringKindSip, insights.Subscription: model.RecurringKindSubscription,
	insights.Insurance: model.RecurringKindInsurance, insights.Utility: model.RecurringKindUtility, insights.Other: model.RecurringKindOther,
}

// find runs the series and returns analyses of every part once.
func (s *insightSet) find() {
	s.once.Do(func() {
		for _, p := range s.parts {
			credits, debits := p.ledger.Recurring()
			for i := range credits {
				s.credits = append(s.credits, p.series(&credits[i]))
			}
			for i := range debits {
				s.debits = append(s.debits, p.series(&debits[i]))
			}
			for _, b := range p.ledger.Bounces() {
				s.bounces = append(s.bounces, p.bounce(&b))
			}
		}
		if len(s.parts) > 1 { // several accounts: one order across them
			order := func(a, b *RecurringSeries) int {
				if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
					return c
				}
				return cmpDecimal(b.TotalAmount, a.TotalAmount)
			}
			slices.SortStableFunc(s.credits, order)
			slices.SortStableFunc(s.debits, order)
			slices.SortStableFunc(s.bounces, func(a, b *Bounce) int { return a.ReturnedAt.Compare(b.ReturnedAt) })
		}
		if s.credits == nil {
			s.credits = []*RecurringSeries{}
		}
		if s.debits == nil {
			s.debits = []*RecurringSeries{}
		}
		if s.bounces == nil {
			s.bounces = []*Bounce{}
		}
	})
}

func cmpDecimal(a, b model.Decimal) int {
	x, _, _ := apd.NewFromString(string(a))
	y, _, _ := apd.NewFromString(string(b))
	return x.Cmp(y)
}

// txn returns the ledger's transaction i as a GraphQL Transaction.
func (p *InsightsPart) txn(i int) *model.Transaction {
	if i < 0 {
		return nil
	}
	ref := p.ledger.Txns[i].Ref
	b := p.account.Base()
	t := model.TransactionsFromFinpro(b.consent.Ref, b.linked.LinkReferenceNumber, b.linked.FIType, p.rows[ref:ref+1])
	return &t[0]
}

// RecurringSeries is the GraphQL RecurringSeries type.
type RecurringSeries struct {
	Kind                                                     model.RecurringKind
	Type                                                     model.TransactionType
	Counterparty                                             *string
	TypicalAmount, MinimumAmount, MaximumAmount, TotalAmount model.Decimal
	DayOfMonth, Count                                        int
	Signals                                                  []model.RecurringSignal
	Account                                                  Account
	Occurrences                                              []*model.Transaction
}

func (p *InsightsPart) series(s *insights.Series) *RecurringSeries {
	out := &RecurringSeries{
		Kind: kinds[s.Kind], Type: model.TransactionTypeDebit, Counterparty: model.StringPtr(s.Counterparty),
		TypicalAmount: money(&s.Typical), MinimumAmount: money(&s.Min), MaximumAmount: money(&s.Max), TotalAmount: money(&s.Total),
		DayOfMonth: s.DayOfMonth, Count: len(s.Occurrences), Account: p.account,
		Signals: make([]model.RecurringSignal, len(s.Signals)), Occurrences: make([]*model.Transaction, len(s.Occurrences)),
	}
	if s.Dir == insights.In {
		out.Type = model.TransactionTypeCredit
	}
	for i, sig := range s.Signals {
		out.Signals[i] = model.RecurringSignal(sig)
	}
	for i, k := range s.Occurrences {
		out.Occurrences[i] = p.txn(k)
	}
	return out
}

// Bounce is the GraphQL Bounce type.
type Bounce struct {
	Kind                           model.BounceKind
	ReturnedAt                     time.Time
	Amount                         *model.Decimal
	Counterparty, Reason           *string
	Payment, Reversal, PaidAgainBy *model.Transaction
	Charges                        []*model.Transaction
	ChargesTotal                   model.Decimal
	Account                        Account
}

func (p *InsightsPart) bounce(b *insights.Bounce) *Bounce {
	out := &Bounce{
		Kind: model.BounceKind(b.Kind), ReturnedAt: b.At, Counterparty: model.StringPtr(b.Counterparty), Reason: model.StringPtr(b.Reason),
		Payment: p.txn(b.Payment), Reversal: p.txn(b.Reversal), PaidAgainBy: p.txn(b.PaidBy),
		ChargesTotal: money(&b.ChargesTotal), Account: p.account, Charges: make([]*model.Transaction, len(b.Charges)),
	}
	if b.Amount != nil {
		out.Amount = moneyPtr(b.Amount)
	}
	for i, k := range b.Charges {
		out.Charges[i] = p.txn(k)
	}
	return out
}

// money is d as a Decimal with at least two decimals ("0" as "0.00"): sums of
// two-decimal amounts keep their scale, an empty sum has none.
func money(d *apd.Decimal) model.Decimal {
	if d.Exponent > -2 {
		var q apd.Decimal
		if _, err := apd.BaseContext.WithPrecision(60).Quantize(&q, d, -2); err == nil {
			return model.Decimal(q.Text('f'))
		}
	}
	return model.Decimal(d.Text('f'))
}

func moneyPtr(d *apd.Decimal) *model.Decimal {
	if d == nil {
		return nil
	}
	m := money(d)
	return &m
}
