package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// The insights tests recompute every figure from the account's own pages
// (transactions, first: 100 and after) with apd, following the definitions
// of the schema and docs/insights.md, independently of internal/insights.

var istZone = time.FixedZone("IST", 19800)

// pageRow is one transaction as the pages show it.
type pageRow struct {
	id, typ, narration string
	amount, balance    *apd.Decimal
	day                string // YYYY-MM-DD in IST
}

// creditTypes add to the running balance (docs/upstream-decisions.md).
var creditTypes = map[string]bool{"CREDIT": true, "OPENING": true, "INTEREST": true, "INSTALLMENT": true, "BUY": true}

func dec(t testing.TB, s string) *apd.Decimal {
	t.Helper()
	d, _, err := apd.NewFromString(s)
	if err != nil {
		t.Fatalf("decimal %q: %v", s, err)
	}
	return d
}

var exactCtx = apd.BaseContext.WithPrecision(80)

func sum(x, y *apd.Decimal) *apd.Decimal {
	var d apd.Decimal
	exactCtx.Add(&d, x, y)
	return &d
}

func minus(x, y *apd.Decimal) *apd.Decimal {
	var d apd.Decimal
	exactCtx.Sub(&d, x, y)
	return &d
}

// signedAmount is r's amount, negative for a debit type.
func (r pageRow) signedAmount() *apd.Decimal {
	if creditTypes[r.typ] {
		return r.amount
	}
	var d apd.Decimal
	d.Neg(r.amount)
	return &d
}

// allPages reads an account's transactions page by page (first: 100).
func (e *env) allPages(t *testing.T, mobile, product, id string) []pageRow {
	t.Helper()
	const q = `query($m: String!, $p: ID!, $id: ID!, $after: String) { customer(mobileNumber: $m, productID: $p) { account(id: $id) {
		transactions(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { txnId type amount currentBalance narration transactionTimestamp } } } } } }`
	var out []pageRow
	vars := map[string]any{"m": mobile, "p": product, "id": id}
	for {
		var got struct {
			Customer struct {
				Account struct {
					Transactions struct {
						PageInfo pageInfoJSON `json:"pageInfo"`
						Edges    []struct {
							Node struct {
								TxnID, Type, Amount, Narration string
								CurrentBalance                 *string
								TransactionTimestamp           time.Time
							} `json:"node"`
						} `json:"edges"`
					} `json:"transactions"`
				} `json:"account"`
			} `json:"customer"`
		}
		mustData(t, e.post(t, q, vars), &got)
		c := got.Customer.Account.Transactions
		for _, ed := range c.Edges {
			n := ed.Node
			if n.CurrentBalance == nil {
				t.Fatalf("transaction %s has no running balance", n.TxnID)
			}
			out = append(out, pageRow{id: n.TxnID, typ: n.Type, narration: n.Narration, amount: dec(t, n.Amount), balance: dec(t, *n.CurrentBalance),
				day: n.TransactionTimestamp.In(istZone).Format(time.DateOnly)})
		}
		if !c.PageInfo.HasNextPage {
			return out
		}
		vars["after"] = *c.PageInfo.EndCursor
	}
}

// period is a cash-flow period as the API shows it (and as recomputed).
type period struct {
	Start, End                     string
	Inflow, Outflow, Net           string
	CreditCount, DebitCount        int
	OpeningBalance, ClosingBalance *string
	ComputedClosingBalance         *string
	Reconciliation                 string
	Days                           int
	MinimumDailyBalance            *string
	AverageDailyBalance            *string
}

// periodsOf splits from..to into calendar months or ISO weeks, clipped.
func periodsOf(from, to string, weekly bool) [][2]string {
	f, _ := time.Parse(time.DateOnly, from)
	l, _ := time.Parse(time.DateOnly, to)
	var out [][2]string
	for s := f; !s.After(l); {
		var next time.Time
		if weekly {
			next = s.AddDate(0, 0, 7-(int(s.Weekday())+6)%7)
		} else {
			next = time.Date(s.Year(), s.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		}
		e := next.AddDate(0, 0, -1)
		if e.After(l) {
			e = l
		}
		out = append(out, [2]string{s.Format(time.DateOnly), e.Format(time.DateOnly)})
		s = next
	}
	return out
}

// eodSeries is an account's end-of-day balances from from to through.
type eodSeries map[string]*apd.Decimal

// recompute works out the periods of rows over from..to (balances counted
// through), and the account's end-of-day balances, and checks that every
// period reconciles: opening + inflow - outflow = closing.
func recompute(t *testing.T, rows []pageRow, from, to, through string, weekly bool) ([]period, period, eodSeries) {
	t.Helper()
	// The opening balance: the first transaction of the range minus its
	// own amount, else the last one before it, else the first after it.
	var opening *apd.Decimal
	for i, r := range rows {
		if r.day >= from {
			if r.day <= to || i == 0 {
				opening = minus(r.balance, r.signedAmount())
			} else {
				opening = rows[i-1].balance
			}
			break
		}
	}
	if opening == nil && len(rows) > 0 {
		opening = rows[len(rows)-1].balance
	}
	str := func(d *apd.Decimal) *string { s := money2(d); return &s }
	eod := eodSeries{}
	bal := opening
	k := 0
	for d, _ := time.Parse(time.DateOnly, from); d.Format(time.DateOnly) <= through; d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		for k < len(rows) && rows[k].day <= day {
			if rows[k].day >= from {
				bal = rows[k].balance
			}
			k++
		}
		eod[day] = bal
	}
	one := func(s, e string, open *apd.Decimal) (period, *apd.Decimal) {
		p := period{Start: s, End: e, Reconciliation: "RECONCILED"}
		in, out := apd.New(0, -2), apd.New(0, -2)
		closing := open
		for _, r := range rows {
			if r.day < s || r.day > e {
				continue
			}
			if creditTypes[r.typ] {
				in = sum(in, r.amount)
				p.CreditCount++
			} else {
				out = sum(out, r.amount)
				p.DebitCount++
			}
			closing = r.balance
		}
		p.Inflow, p.Outflow, p.Net = money2(in), money2(out), money2(minus(in, out))
		p.OpeningBalance, p.ClosingBalance = str(open), str(closing)
		computed := sum(open, minus(in, out))
		p.ComputedClosingBalance = str(computed)
		if computed.Cmp(closing) != 0 {
			t.Errorf("%s..%s does not reconcile: opening %s + inflow %s - outflow %s = %s, closing %s", s, e, money2(open), p.Inflow, p.Outflow, money2(computed), money2(closing))
		}
		last := min(e, through)
		if last >= s {
			var lo, total *apd.Decimal
			n := 0
			for d, _ := time.Parse(time.DateOnly, s); d.Format(time.DateOnly) <= last; d = d.AddDate(0, 0, 1) {
				b := eod[d.Format(time.DateOnly)]
				if lo == nil || b.Cmp(lo) < 0 {
					lo = b
				}
				if total == nil {
					total = b
				} else {
					total = sum(total, b)
				}
				n++
			}
			p.Days, p.MinimumDailyBalance, p.AverageDailyBalance = n, str(lo), str(mean(total, n))
		}
		return p, closing
	}
	var out []period
	cur := opening
	for _, b := range periodsOf(from, to, weekly) {
		var p period
		p, cur = one(b[0], b[1], cur)
		out = append(out, p)
	}
	total, _ := one(from, to, opening)
	return out, total, eod
}

// mean is total/n rounded to the paisa, halves away from zero.
func mean(total *apd.Decimal, n int) *apd.Decimal {
	c := apd.BaseContext.WithPrecision(80)
	c.Rounding = apd.RoundHalfUp
	var q, r apd.Decimal
	c.Quo(&q, total, apd.New(int64(n), 0))
	c.Quantize(&r, &q, -2)
	return &r
}

// money2 writes d with two decimals (the sandbox's scale).
func money2(d *apd.Decimal) string {
	var q apd.Decimal
	exactCtx.Quantize(&q, d, -2)
	return q.Text('f')
}

// series and bounce as the API shows them.
type seriesJSON struct {
	Kind, Type, TypicalAmount, MinimumAmount, MaximumAmount, TotalAmount string
	Counterparty                                                         *string
	Count, DayOfMonth                                                    int
	Account                                                              struct{ ID string }
	Occurrences                                                          []struct{ TxnID, Amount, Narration string }
}

type bounceJSON struct {
	Kind, ChargesTotal string
	Amount             *string
	Payment, Reversal  *struct{ TxnID, Amount string }
	Charges            []struct{ TxnID, Amount string }
	Account            struct{ ID string }
}

type insightsJSON struct {
	From, To, Through, Currency string
	CashFlow                    []period `json:"cashFlow"`
	Weekly                      []period `json:"weekly"`
	Total                       period   `json:"total"`
	RecurringCredits            []seriesJSON
	RecurringDebits             []seriesJSON
	Bounces                     []bounceJSON
	Accounts                    []struct{ ID string }
}

const insightsFields = `from to through currency
	cashFlow { ...P } weekly: cashFlow(interval: WEEK) { ...P } total { ...P }
	recurringCredits { ...S } recurringDebits { ...S }
	bounces { kind chargesTotal amount payment { txnId amount } reversal { txnId amount } charges { txnId amount } account { id } }`

const insightsFragments = `
fragment P on CashFlowPeriod { start end inflow outflow net creditCount debitCount openingBalance closingBalance computedClosingBalance reconciliation days minimumDailyBalance averageDailyBalance }
fragment S on RecurringSeries { kind type counterparty typicalAmount minimumAmount maximumAmount totalAmount count dayOfMonth account { id } occurrences { txnId amount narration } }`

// TestInsights checks every seeded account's insights, and every
// customer's, against a recomputation from the accounts' own pages, over
// twelve months and over a range that runs past today.
func TestInsights(t *testing.T) {
	e := newEnv(t, envOptions{})
	today := time.Now().In(istZone).Format(time.DateOnly)
	ranges := [][2]string{{"2025-11-01", "2026-10-31"}, {"2026-09-15", "2027-01-10"}}
	checked := 0
	for _, c := range e.sb.Customers() {
		products := map[string]bool{}
		for _, k := range c.Consents {
			if k.Status == "ACTIVE" && k.ProductID != sandbox.WealthProductID {
				products[k.ProductID] = true
			}
		}
		for product := range products {
			for _, rg := range ranges {
				t.Run(fmt.Sprintf("%s/%s/%s..%s", c.Mobile, product, rg[0], rg[1]), func(t *testing.T) {
					checked += e.checkInsights(t, c.Mobile, product, rg[0], rg[1], today)
				})
			}
		}
	}
	if checked < 8 {
		t.Errorf("checked %d accounts' insights, want >= 8", checked)
	}
}

// TestInsightsAtScale checks the demo customer's insights when each
// DEPOSIT account holds 10,000 transactions.
func TestInsightsAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("pages 10,000-transaction accounts")
	}
	e := newEnv(t, envOptions{sandbox: sandbox.Config{TxnsPerAccount: 10_000}})
	today := time.Now().In(istZone).Format(time.DateOnly)
	if n := e.checkInsights(t, sandbox.DemoMobile, sandbox.DemoProductID, "2025-11-01", "2026-10-31", today); n < 4 {
		t.Errorf("checked %d accounts, want >= 4", n)
	}
}

func (e *env) checkInsights(t *testing.T, mobile, product, from, to, today string) int {
	q := `query($m: String!, $p: ID!, $from: Date, $to: Date) { customer(mobileNumber: $m, productID: $p) {
		insights(from: $from, to: $to) { accounts { id } ` + insightsFields + ` }
		accounts { id fiType insights(from: $from, to: $to) { ` + insightsFields + ` } } } }` + insightsFragments
	e.sb.ResetStats()
	var got struct {
		Customer struct {
			Insights []insightsJSON
			Accounts []struct {
				ID, FIType string
				Insights   insightsJSON
			}
		}
	}
	mustData(t, e.post(t, q, map[string]any{"m": mobile, "p": product, "from": from, "to": to}), &got)
	through := min(to, today)
	if now := time.Now().In(istZone).Format(time.DateOnly); now != today {
		t.Skip("the day changed during the test")
	}
	stats := e.sb.Stats()
	var deposits []string
	eods := map[string]eodSeries{}
	byID := map[string]map[string]pageRow{}
	for _, a := range got.Customer.Accounts {
		if a.FIType == "DEPOSIT" {
			deposits = append(deposits, a.ID)
		}
	}
	// One getallfidata per ACTIVE consent at most, however many insights.
	if n := stats["/getallfidata"]; (n < 1 || n > 2) && len(got.Customer.Accounts) > 0 || n > 0 && len(got.Customer.Accounts) == 0 {
		t.Errorf("getallfidata calls = %d for %d accounts, want one per ACTIVE consent (1 or 2)", n, len(got.Customer.Accounts))
	}
	for _, a := range got.Customer.Accounts {
		rows := e.allPages(t, mobile, product, a.ID)
		t.Logf("%s %s: %d transactions", a.FIType, a.ID, len(rows))
		byID[a.ID] = map[string]pageRow{}
		for _, r := range rows {
			byID[a.ID][r.id] = r
		}
		monthly, total, eod := recompute(t, rows, from, to, through, false)
		weekly, _, _ := recompute(t, rows, from, to, through, true)
		eods[a.ID] = eod
		in := a.Insights
		if in.From != from || in.To != to || in.Through != through || in.Currency != "INR" {
			t.Errorf("%s: range %s..%s through %s %s, want %s..%s through %s INR", a.ID, in.From, in.To, in.Through, in.Currency, from, to, through)
		}
		if diff := cmp.Diff(monthly, in.CashFlow); diff != "" {
			t.Errorf("%s %s monthly cash flow (-recomputed +API):\n%s", a.FIType, a.ID, diff)
		}
		if diff := cmp.Diff(weekly, in.Weekly); diff != "" {
			t.Errorf("%s %s weekly cash flow (-recomputed +API):\n%s", a.FIType, a.ID, diff)
		}
		if diff := cmp.Diff(total, in.Total); diff != "" {
			t.Errorf("%s %s total (-recomputed +API):\n%s", a.FIType, a.ID, diff)
		}
		checkSeries(t, a.ID, from, to, byID[a.ID], append(in.RecurringCredits, in.RecurringDebits...))
		checkBounces(t, a.ID, byID[a.ID], in.Bounces)
	}
	// The customer: its DEPOSIT accounts summed, one currency.
	if len(deposits) == 0 {
		if len(got.Customer.Insights) != 0 {
			t.Errorf("insights of a customer without DEPOSIT accounts: %+v", got.Customer.Insights)
		}
		return len(got.Customer.Accounts)
	}
	if len(got.Customer.Insights) != 1 {
		t.Fatalf("%d currencies of customer insights, want 1 (INR)", len(got.Customer.Insights))
	}
	ci := got.Customer.Insights[0]
	var ids []string
	for _, a := range ci.Accounts {
		ids = append(ids, a.ID)
	}
	if diff := cmp.Diff(deposits, ids); diff != "" {
		t.Errorf("customer insights' accounts (-DEPOSIT accounts +API):\n%s", diff)
	}
	want := sumPeriods(t, deposits, got.Customer.Accounts, eods, through)
	if diff := cmp.Diff(want, ci.CashFlow); diff != "" {
		t.Errorf("customer monthly cash flow (-recomputed +API):\n%s", diff)
	}
	var series []seriesJSON
	var bounces []bounceJSON
	for _, a := range got.Customer.Accounts {
		if a.FIType == "DEPOSIT" {
			series = append(series, a.Insights.RecurringCredits...)
			series = append(series, a.Insights.RecurringDebits...)
			bounces = append(bounces, a.Insights.Bounces...)
		}
	}
	if n := len(ci.RecurringCredits) + len(ci.RecurringDebits); n != len(series) {
		t.Errorf("customer has %d recurring series, its DEPOSIT accounts %d", n, len(series))
	}
	if len(ci.Bounces) != len(bounces) {
		t.Errorf("customer has %d returned payments, its DEPOSIT accounts %d", len(ci.Bounces), len(bounces))
	}
	for _, s := range append(ci.RecurringCredits, ci.RecurringDebits...) {
		checkSeries(t, s.Account.ID, from, to, byID[s.Account.ID], []seriesJSON{s})
	}
	return len(got.Customer.Accounts)
}

// sumPeriods adds the accounts' recomputed monthly periods, the daily
// balances from the sum of their end-of-day balances.
func sumPeriods(t *testing.T, ids []string, accounts []struct {
	ID, FIType string
	Insights   insightsJSON
}, eods map[string]eodSeries, through string) []period {
	var out []period
	per := map[string][]period{}
	for _, a := range accounts {
		per[a.ID] = a.Insights.CashFlow // already checked against the recomputation
	}
	for i := range per[ids[0]] {
		p := period{Start: per[ids[0]][i].Start, End: per[ids[0]][i].End, Reconciliation: "RECONCILED"}
		in, outf, open, closing := apd.New(0, -2), apd.New(0, -2), apd.New(0, -2), apd.New(0, -2)
		for _, id := range ids {
			q := per[id][i]
			in, outf = sum(in, dec(t, q.Inflow)), sum(outf, dec(t, q.Outflow))
			open, closing = sum(open, dec(t, *q.OpeningBalance)), sum(closing, dec(t, *q.ClosingBalance))
			p.CreditCount += q.CreditCount
			p.DebitCount += q.DebitCount
		}
		p.Inflow, p.Outflow, p.Net = money2(in), money2(outf), money2(minus(in, outf))
		o, c, cc := money2(open), money2(closing), money2(sum(open, minus(in, outf)))
		p.OpeningBalance, p.ClosingBalance, p.ComputedClosingBalance = &o, &c, &cc
		if last := min(p.End, through); last >= p.Start {
			var lo, total *apd.Decimal
			for d, _ := time.Parse(time.DateOnly, p.Start); d.Format(time.DateOnly) <= last; d = d.AddDate(0, 0, 1) {
				day := apd.New(0, -2)
				for _, id := range ids {
					day = sum(day, eods[id][d.Format(time.DateOnly)])
				}
				if lo == nil || day.Cmp(lo) < 0 {
					lo = day
				}
				if total == nil {
					total = day
				} else {
					total = sum(total, day)
				}
				p.Days++
			}
			m, a := money2(lo), money2(mean(total, p.Days))
			p.MinimumDailyBalance, p.AverageDailyBalance = &m, &a
		}
		out = append(out, p)
	}
	return out
}

// checkSeries checks a series' figures against its occurrences as the
// pages show them: each occurrence is one of the account's transactions of
// the range, once, and the count, total, least, largest and typical (lower
// median) amounts follow from them.
func checkSeries(t *testing.T, id, from, to string, rows map[string]pageRow, ss []seriesJSON) {
	t.Helper()
	for _, s := range ss {
		if len(s.Occurrences) < 3 || s.Count != len(s.Occurrences) {
			t.Errorf("%s %s series: count %d, %d occurrences, want >= 3 and equal", id, s.Kind, s.Count, len(s.Occurrences))
			continue
		}
		var amounts []*apd.Decimal
		total := apd.New(0, -2)
		seen := map[string]bool{}
		for _, o := range s.Occurrences {
			r, ok := rows[o.TxnID]
			if !ok || seen[o.TxnID] || r.day < from || r.day > to || r.amount.Cmp(dec(t, o.Amount)) != 0 || creditTypes[r.typ] != (s.Type == "CREDIT") {
				t.Errorf("%s %s series: occurrence %s (%s) is not one of the range's %s transactions, once", id, s.Kind, o.TxnID, o.Amount, s.Type)
			}
			seen[o.TxnID] = true
			amounts = append(amounts, r.amount)
			total = sum(total, r.amount)
		}
		slices.SortFunc(amounts, func(a, b *apd.Decimal) int { return a.Cmp(b) })
		got := []string{s.TotalAmount, s.MinimumAmount, s.MaximumAmount, s.TypicalAmount}
		want := []string{money2(total), money2(amounts[0]), money2(amounts[len(amounts)-1]), money2(amounts[(len(amounts)-1)/2])}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s %s %v total, min, max, typical (-recomputed +API):\n%s", id, s.Kind, s.Counterparty, diff)
		}
		if s.Kind == "SALARY" && s.Counterparty != nil && strings.Contains(*s.Counterparty, "ACME") {
			for _, o := range s.Occurrences {
				if !strings.Contains(o.Narration, "SALARY") {
					t.Errorf("ACME salary occurrence %q does not say SALARY", o.Narration)
				}
			}
		}
	}
}

// checkBounces checks each return's charges total and amount against its
// transactions as the pages show them.
func checkBounces(t *testing.T, id string, rows map[string]pageRow, bs []bounceJSON) {
	t.Helper()
	for _, b := range bs {
		total := apd.New(0, -2)
		for _, c := range b.Charges {
			r, ok := rows[c.TxnID]
			if !ok || creditTypes[r.typ] {
				t.Errorf("%s: charge %s is not a debit of the account", id, c.TxnID)
				continue
			}
			total = sum(total, r.amount)
		}
		if money2(total) != b.ChargesTotal {
			t.Errorf("%s: chargesTotal %s, charges add up to %s", id, b.ChargesTotal, money2(total))
		}
		switch {
		case b.Payment != nil:
			if b.Amount == nil || *b.Amount != rows[b.Payment.TxnID].amount.Text('f') {
				t.Errorf("%s: returned amount %v, payment %s", id, b.Amount, b.Payment.Amount)
			}
		case b.Reversal == nil && b.Amount != nil:
			t.Errorf("%s: a return with only charges has amount %s", id, *b.Amount)
		}
	}
}

// TestInsightsOneHistoryPerConsent asks for insights over several ranges at
// several levels of one operation and checks that each consent's history is
// read once (one getallfidata per consent the accounts are read through),
// and that the figures are those of the same range asked alone.
func TestInsightsOneHistoryPerConsent(t *testing.T) {
	e := newEnv(t, envOptions{})
	const q = `query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) {
		year: insights(from: "2025-11-01", to: "2026-10-31") { total { inflow outflow } }
		accounts { id
			june: insights(from: "2026-06-01", to: "2026-06-30") { total { inflow outflow closingBalance } }
			spring: insights(from: "2026-03-01", to: "2026-05-31") { recurringDebits { kind } bounces { kind } }
			wide: insights(from: "2025-10-15", to: "2026-07-31") { cashFlow { net } }
			consent { consentID }
		} } }`
	e.sb.ResetStats()
	var got struct {
		Customer struct {
			Accounts []struct {
				ID      string
				June    struct{ Total map[string]string }
				Consent struct{ ConsentID string }
			}
		}
	}
	mustData(t, e.post(t, q, demoVars()), &got)
	consents := map[string]bool{}
	for _, a := range got.Customer.Accounts {
		consents[a.Consent.ConsentID] = true
	}
	if n := e.sb.Stats()["/getallfidata"]; n != int64(len(consents)) {
		t.Errorf("getallfidata calls = %d, want %d (one per consent)", n, len(consents))
	}
	for _, a := range got.Customer.Accounts {
		var alone struct {
			Customer struct {
				Account struct {
					Insights struct{ Total map[string]string }
				}
			}
		}
		mustData(t, e.post(t, `query($m: String!, $p: ID!, $id: ID!) { customer(mobileNumber: $m, productID: $p) { account(id: $id) {
			insights(from: "2026-06-01", to: "2026-06-30") { total { inflow outflow closingBalance } } } } }`,
			map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID, "id": a.ID}), &alone)
		if diff := cmp.Diff(alone.Customer.Account.Insights.Total, a.June.Total); diff != "" {
			t.Errorf("%s June alone vs in the big operation (-alone +shared):\n%s", a.ID, diff)
		}
	}
}

// TestInsightsErrors checks bad ranges are BAD_USER_INPUT before any FinPro
// data call, and that a customer's insights are never partial.
func TestInsightsErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	for name, rg := range map[string][2]string{
		"to before from":    {"2026-06-02", "2026-06-01"},
		"two years or more": {"2024-06-01", "2026-06-01"},
		"not a date":        {"2026-02-30", "2026-03-01"},
	} {
		t.Run(name, func(t *testing.T) {
			e.sb.ResetStats()
			r := e.post(t, `query($m: String!, $p: ID!, $f: Date, $t: Date) { customer(mobileNumber: $m, productID: $p) { insights(from: $f, to: $t) { currency } accounts { insights(from: $f, to: $t) { currency } } } }`,
				map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID, "f": rg[0], "t": rg[1]})
			if len(r.Errors) == 0 {
				t.Fatal("no error")
			}
			for _, err := range r.Errors {
				if err.code() != "BAD_USER_INPUT" {
					t.Errorf("error %+v, want BAD_USER_INPUT", err)
				}
			}
			if n := e.sb.Stats()["/getallfidata"]; n != 0 {
				t.Errorf("getallfidata calls = %d, want 0", n)
			}
		})
	}
	t.Run("an upstream failure", func(t *testing.T) {
		if err := e.sb.InjectFault("/getallfidata", "InternalError", 5); err != nil {
			t.Fatal(err)
		}
		defer e.sb.ClearFaults()
		r := e.post(t, `query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { insights(from: "2026-01-01", to: "2026-01-31") { currency } totalBalance { amount } } }`, demoVars())
		var data struct {
			Customer struct {
				Insights     []any
				TotalBalance []any
			}
		}
		if err := json.Unmarshal(r.Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.Customer.Insights != nil || len(data.Customer.TotalBalance) == 0 {
			t.Errorf("insights %v totalBalance %v, want null insights beside a total", data.Customer.Insights, data.Customer.TotalBalance)
		}
		if len(r.Errors) != 1 || r.Errors[0].code() != "UPSTREAM_UNAVAILABLE" || r.Errors[0].Extensions["missingAccounts"] == nil {
			t.Errorf("errors %+v, want one UPSTREAM_UNAVAILABLE with missingAccounts", r.Errors)
		}
	})
}
