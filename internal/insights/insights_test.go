package insights_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/insights"
)

// tx is a FinPro transaction at an IST time ("2026-01-01 09:00").
func tx(at, typ, amount, balance, narration, mode string) finpro.Transaction {
	t, err := time.ParseInLocation("2006-01-02 15:04", at, finpro.IST)
	if err != nil {
		panic(err)
	}
	return finpro.Transaction{TxnID: at, Type: typ, Amount: finpro.Decimal(amount), CurrentBalance: finpro.Decimal(balance),
		TransactionTimestamp: t, Narration: narration, Mode: mode}
}

func ledger(t *testing.T, rows []finpro.Transaction, from, to, today string) *insights.Ledger {
	t.Helper()
	txns, err := insights.FromFinpro(rows)
	if err != nil {
		t.Fatal(err)
	}
	r, err := insights.NewRange(from, to)
	if err != nil {
		t.Fatal(err)
	}
	now, err := time.ParseInLocation(time.DateOnly, today, finpro.IST)
	if err != nil {
		t.Fatal(err)
	}
	return insights.NewLedger(txns, r, now)
}

// flat is a Period in strings, for comparing.
type flat struct {
	Start, End                                     string
	Inflow, Outflow, Net                           string
	Credits, Debits                                int
	Opening, Closing, Computed, MinDaily, AvgDaily string
	Days                                           int
	Status                                         insights.Status
	MismatchTxn                                    int
}

func flatten(p insights.Period) flat {
	s := func(d *apd.Decimal) string {
		if d == nil {
			return "nil"
		}
		return d.Text('f')
	}
	f := flat{
		Start: p.Start.Format(time.DateOnly), End: p.End.Format(time.DateOnly),
		Inflow: p.Inflow.Text('f'), Outflow: p.Outflow.Text('f'), Net: p.Net.Text('f'),
		Credits: p.Credits, Debits: p.Debits, Opening: s(p.Opening), Closing: s(p.Closing), Computed: s(p.Computed),
		MinDaily: s(p.MinDaily), AvgDaily: s(p.AvgDaily), Days: p.Days, Status: p.Status, MismatchTxn: -1,
	}
	if p.Mismatch.Ledger >= 0 {
		f.MismatchTxn = p.Mismatch.Txn
	}
	return f
}

// twoMonths is January and February 2026 with a transaction either side.
func twoMonths() []finpro.Transaction {
	return []finpro.Transaction{
		tx("2025-12-31 10:00", "CREDIT", "100.00", "1100.00", "UPI/REFUND", "UPI"),
		tx("2026-01-01 09:00", "CREDIT", "5000.00", "6100.00", "NEFT/N1/SALARY JAN 2026/ACME", "NEFT"),
		tx("2026-01-01 18:00", "DEBIT", "100.50", "5999.50", "UPI/SWIGGY", "UPI"),
		tx("2026-01-15 12:00", "DEBIT", "2000.00", "3999.50", "ATM WDL", "ATM"),
		tx("2026-02-02 10:00", "CREDIT", "5000.00", "8999.50", "NEFT/N2/SALARY FEB 2026/ACME", "NEFT"),
		tx("2026-02-10 08:00", "DEBIT", "0.10", "8999.40", "UPI/CHARGE", "UPI"),
		tx("2026-03-01 08:00", "CREDIT", "1.00", "9000.40", "UPI/IN", "UPI"),
	}
}

// TestCashFlow checks figures worked out by hand (see the comments).
func TestCashFlow(t *testing.T) {
	l := ledger(t, twoMonths(), "2026-01-01", "2026-02-28", "2026-12-01")
	got, err := insights.CashFlow(insights.Month, l)
	if err != nil {
		t.Fatal(err)
	}
	want := []flat{
		// Opening 6100.00 - 5000.00. End-of-day balances: 1 Jan to 14 Jan
		// 5999.50 (14 days), 15 to 31 Jan 3999.50 (17 days): 151984.50 / 31
		// = 4902.7258... -> 4902.73.
		{Start: "2026-01-01", End: "2026-01-31", Inflow: "5000.00", Outflow: "2100.50", Net: "2899.50", Credits: 1, Debits: 2,
			Opening: "1100.00", Closing: "3999.50", Computed: "3999.50", MinDaily: "3999.50", AvgDaily: "4902.73", Days: 31, MismatchTxn: -1},
		// 1 Feb 3999.50, 2 to 9 Feb 8999.50 (8 days), 10 to 28 Feb 8999.40
		// (19 days): 246984.10 / 28 = 8820.8607... -> 8820.86.
		{Start: "2026-02-01", End: "2026-02-28", Inflow: "5000.00", Outflow: "0.10", Net: "4999.90", Credits: 1, Debits: 1,
			Opening: "3999.50", Closing: "8999.40", Computed: "8999.40", MinDaily: "3999.50", AvgDaily: "8820.86", Days: 28, MismatchTxn: -1},
	}
	var flats []flat
	for _, p := range got {
		flats = append(flats, flatten(p))
	}
	if diff := cmp.Diff(want, flats); diff != "" {
		t.Errorf("CashFlow (-want +got):\n%s", diff)
	}
	total, _ := insights.Total(l)
	// 398968.60 / 59 = 6762.1796... -> 6762.18.
	wantTotal := flat{Start: "2026-01-01", End: "2026-02-28", Inflow: "10000.00", Outflow: "2100.60", Net: "7899.40", Credits: 2, Debits: 3,
		Opening: "1100.00", Closing: "8999.40", Computed: "8999.40", MinDaily: "3999.50", AvgDaily: "6762.18", Days: 59, MismatchTxn: -1}
	if diff := cmp.Diff(wantTotal, flatten(total)); diff != "" {
		t.Errorf("Total (-want +got):\n%s", diff)
	}
}

func TestCashFlowEdges(t *testing.T) {
	t.Run("a running balance that does not follow", func(t *testing.T) {
		rows := twoMonths()
		rows[5].CurrentBalance = "8999.30" // 0.10 missing
		l := ledger(t, rows, "2026-01-01", "2026-02-28", "2026-12-01")
		got, _ := insights.CashFlow(insights.Month, l)
		if got[0].Status != insights.Reconciled || got[1].Status != insights.Mismatch || got[1].Mismatch.Txn != 4 {
			t.Errorf("statuses %v, %v (mismatch at %d), want Reconciled, Mismatch at 4", got[0].Status, got[1].Status, got[1].Mismatch.Txn)
		}
		if got[1].Closing.Text('f') != "8999.30" || got[1].Computed.Text('f') != "8999.40" {
			t.Errorf("closing %s computed %s, want FinPro's 8999.30 and 8999.40", got[1].Closing.Text('f'), got[1].Computed.Text('f'))
		}
	})
	t.Run("running balances missing", func(t *testing.T) {
		rows := twoMonths()
		rows[3].CurrentBalance = ""
		l := ledger(t, rows, "2026-01-01", "2026-02-28", "2026-12-01")
		got, _ := insights.CashFlow(insights.Month, l)
		if got[0].Status != insights.Unavailable || got[0].Closing.Text('f') != "3999.50" {
			t.Errorf("January %v closing %s, want Unavailable and the computed 3999.50", got[0].Status, got[0].Closing.Text('f'))
		}
	})
	t.Run("no opening balance", func(t *testing.T) {
		rows := twoMonths()[1:]
		rows[0].CurrentBalance = ""
		l := ledger(t, rows, "2026-01-01", "2026-02-28", "2026-12-01")
		got, _ := insights.CashFlow(insights.Month, l)
		if got[0].Opening != nil || got[0].MinDaily != nil || got[0].Status != insights.Unavailable || got[0].Inflow.Text('f') != "5000.00" {
			t.Errorf("January %+v, want flows without balances", flatten(got[0]))
		}
	})
	t.Run("days after today have no balance", func(t *testing.T) {
		l := ledger(t, twoMonths(), "2026-01-01", "2026-02-28", "2026-02-05")
		got, _ := insights.CashFlow(insights.Month, l)
		// 1 Feb 3999.50, 2 to 5 Feb 8999.50: 39997.50 / 5 = 7999.50.
		if got[1].Days != 5 || got[1].AvgDaily.Text('f') != "7999.50" {
			t.Errorf("February days %d avg %v, want 5 and 7999.50", got[1].Days, got[1].AvgDaily)
		}
	})
	t.Run("a range without transactions", func(t *testing.T) {
		l := ledger(t, twoMonths(), "2026-01-02", "2026-01-10", "2026-12-01")
		p, _ := insights.Total(l)
		if f := flatten(p); f.Opening != "5999.50" || f.Closing != "5999.50" || f.AvgDaily != "5999.50" || f.Credits+f.Debits != 0 || f.Status != insights.Reconciled {
			t.Errorf("quiet range %+v, want the balance before it throughout", f)
		}
	})
	t.Run("ISO weeks clipped to the range", func(t *testing.T) {
		l := ledger(t, twoMonths(), "2026-01-01", "2026-01-14", "2026-12-01")
		got, _ := insights.CashFlow(insights.Week, l)
		var spans []string
		for _, p := range got {
			spans = append(spans, p.Start.Format("01-02")+".."+p.End.Format("01-02")+" "+p.Start.Weekday().String()[:3])
		}
		want := []string{"01-01..01-04 Thu", "01-05..01-11 Mon", "01-12..01-14 Mon"}
		if diff := cmp.Diff(want, spans); diff != "" {
			t.Errorf("weeks (-want +got):\n%s", diff)
		}
	})
	t.Run("two accounts add up, daily balances summed", func(t *testing.T) {
		a := ledger(t, twoMonths(), "2026-01-01", "2026-01-31", "2026-12-01")
		b := ledger(t, []finpro.Transaction{
			tx("2026-01-10 09:00", "CREDIT", "0.05", "10.05", "X", "UPI"),
			tx("2026-01-20 09:00", "DEBIT", "10.05", "0.00", "Y", "UPI"),
		}, "2026-01-01", "2026-01-31", "2026-12-01")
		got, err := insights.Total(a, b)
		if err != nil {
			t.Fatal(err)
		}
		// a: as above. b: 1-9 Jan 10.00, 10-19 Jan 10.05, 20-31 Jan 0.00.
		// Minimum of the sums: 15-19 Jan 3999.50 + 10.05 = 4009.55 vs
		// 20-31 Jan 3999.50 + 0 = 3999.50. Sum: 151984.50 + 90.00 +
		// 100.50 = 152175.00 / 31 = 4908.870... -> 4908.87.
		want := flat{Start: "2026-01-01", End: "2026-01-31", Inflow: "5000.05", Outflow: "2110.55", Net: "2889.50", Credits: 2, Debits: 3,
			Opening: "1110.00", Closing: "3999.50", Computed: "3999.50", MinDaily: "3999.50", AvgDaily: "4908.87", Days: 31, MismatchTxn: -1}
		if diff := cmp.Diff(want, flatten(got)); diff != "" {
			t.Errorf("Total (-want +got):\n%s", diff)
		}
		c := ledger(t, twoMonths(), "2026-01-01", "2026-01-30", "2026-12-01")
		if _, err := insights.Total(a, c); err == nil {
			t.Error("ledgers of different ranges combined")
		}
	})
}

// salaried is six months of a salaried customer's statement with recurring
// payments, day-to-day noise, one EMI returned unpaid and a cheque deposit
// returned.
func salaried() []finpro.Transaction {
	var rows []finpro.Transaction
	bal, _, _ := apd.NewFromString("50000.00")
	c := apd.BaseContext.WithPrecision(40)
	post := func(at, typ, amount, narration, mode string) {
		a, _, _ := apd.NewFromString(amount)
		if typ == "CREDIT" {
			c.Add(bal, bal, a)
		} else {
			c.Sub(bal, bal, a)
		}
		rows = append(rows, tx(at, typ, amount, bal.Text('f'), narration, mode))
	}
	salaryDays := []string{"2026-01-01", "2026-02-02", "2026-03-02", "2026-04-01", "2026-05-01", "2026-06-01"}
	payoutDays := []string{"2026-01-02", "2026-02-02", "2026-03-03", "2026-04-01", "2026-05-04", "2026-06-01"}
	for m := range 6 {
		mm := fmt.Sprintf("2026-%02d", m+1)
		amount := "100000.00"
		if m >= 3 {
			amount = "108000.00" // a raise in April
		}
		post(salaryDays[m]+" 10:00", "CREDIT", amount, fmt.Sprintf("NEFT/N%012d/SALARY %s 2026/ACME TECHNOLOGIES PVT LTD", m, time.Month(m + 1).String()[:3]), "NEFT")
		post(payoutDays[m]+" 11:00", "CREDIT", "40000.00", fmt.Sprintf("NEFT/N%012d/GLOBEX CONSULTING LLP/PAYOUT", 100+m), "NEFT")
		if m == 4 { // May's EMI is returned unpaid, then paid on the 9th
			post(mm+"-05 06:05", "DEBIT", "500.00", "ACH D- RTN CHGS HDFC LTD EMI LN71379150 FUNDS INSUFFICIENT", "OTHERS")
			post(mm+"-05 06:06", "DEBIT", "90.00", "GST ON ACH RTN CHGS", "OTHERS")
			post(mm+"-09 06:00", "DEBIT", "29240.00", "ACH D- HDFC LTD EMI LN71379150", "NACH")
		} else {
			post(mm+"-05 06:00", "DEBIT", "29240.00", "ACH D- HDFC LTD EMI LN71379150", "NACH")
		}
		post(mm+"-07 06:00", "DEBIT", "10000.00", "ACH D- BSE LTD SIP HDFC FLEXI CAP", "NACH")
		post(mm+"-12 04:00", "DEBIT", "649.00", "POS 4111XXXXXXXX1234 NETFLIX.COM", "CARD")
		for d := 13; d <= 27; d += 2 { // the same merchant most days: not a series
			post(fmt.Sprintf("%s-%02d 20:00", mm, d), "DEBIT", fmt.Sprintf("%d.00", 100+d*7), fmt.Sprintf("UPI/%012d/SWIGGY/pay@okaxis", d), "UPI")
		}
		if m == 2 { // a deposited cheque bounces
			post(mm+"-20 11:00", "CREDIT", "45000.00", "CHQ DEP 115357 KAVYA REDDY CTS CLG", "CHEQUE")
			post(mm+"-22 11:00", "DEBIT", "45000.00", "CHQ DEP RTN 115357 KAVYA REDDY FUNDS INSUFFICIENT", "CHEQUE")
			post(mm+"-22 11:01", "DEBIT", "150.00", "CHQ DEP RTN CHGS 115357", "OTHERS")
		}
	}
	post("2026-02-14 12:00", "CREDIT", "2500.00", "UPI/555/PRIYA NAIR/SPLIT", "UPI") // one-offs
	return sortRows(rows)
}

func sortRows(rows []finpro.Transaction) []finpro.Transaction {
	// Rows were posted month by month, so only the one-off is out of order:
	// rebuild running balances in time order.
	out := make([]finpro.Transaction, 0, len(rows))
	for _, r := range rows {
		i := len(out)
		for i > 0 && out[i-1].TransactionTimestamp.After(r.TransactionTimestamp) {
			i--
		}
		out = append(out[:i], append([]finpro.Transaction{r}, out[i:]...)...)
	}
	bal, _, _ := apd.NewFromString("50000.00")
	c := apd.BaseContext.WithPrecision(40)
	for i := range out {
		a, _, _ := apd.NewFromString(string(out[i].Amount))
		if out[i].Type == "CREDIT" {
			c.Add(bal, bal, a)
		} else {
			c.Sub(bal, bal, a)
		}
		out[i].CurrentBalance = finpro.Decimal(bal.Text('f'))
	}
	return out
}

type seriesFlat struct {
	Kind         insights.Kind
	Counterparty string
	Count        int
	Typical      string
	Day          int
	Signals      []string
}

func TestRecurring(t *testing.T) {
	l := ledger(t, salaried(), "2026-01-01", "2026-06-30", "2026-12-01")
	credits, debits := l.Recurring()
	flatten := func(ss []insights.Series) []seriesFlat {
		var out []seriesFlat
		for _, s := range ss {
			out = append(out, seriesFlat{s.Kind, s.Counterparty, len(s.Occurrences), s.Typical.Text('f'), s.DayOfMonth, s.Signals})
		}
		return out
	}
	wantCredits := []seriesFlat{
		// Sorted by kind, then total: ACME's 6 salaries (median of 100000 x3
		// and 108000 x3 is the lower, 100000.00) before GLOBEX's payouts,
		// salary-like by shape: no keyword, NEFT from one payer, days 1-4.
		{insights.Salary, "ACME TECHNOLOGIES PVT LTD", 6, "100000.00", 1, []string{"MONTHLY", "KEYWORD", "AMOUNT_BAND", "DAY_OF_MONTH", "PAYER"}},
		{insights.Salary, "GLOBEX CONSULTING LLP", 6, "40000.00", 2, []string{"MONTHLY", "AMOUNT_BAND", "DAY_OF_MONTH", "PAYER", "BANK_TRANSFER"}},
	}
	wantDebits := []seriesFlat{
		// The EMI's six payments include May's, made on the 9th after the
		// return; its charges are not part of it.
		{insights.EMI, "HDFC LTD", 6, "29240.00", 5, []string{"MONTHLY", "KEYWORD", "AMOUNT_BAND", "DAY_OF_MONTH", "PAYER"}},
		{insights.SIP, "BSE LTD HDFC FLEXI CAP", 6, "10000.00", 7, []string{"MONTHLY", "KEYWORD", "AMOUNT_BAND", "DAY_OF_MONTH", "PAYER"}},
		{insights.Subscription, "NETFLIX.COM", 6, "649.00", 12, []string{"MONTHLY", "MERCHANT", "AMOUNT_BAND", "DAY_OF_MONTH", "PAYER"}},
	}
	if diff := cmp.Diff(wantCredits, flatten(credits)); diff != "" {
		t.Errorf("credits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDebits, flatten(debits)); diff != "" {
		t.Errorf("debits (-want +got):\n%s", diff)
	}
}

func TestBounces(t *testing.T) {
	l := ledger(t, salaried(), "2026-01-01", "2026-06-30", "2026-12-01")
	type bounceFlat struct {
		Kind                 insights.BounceKind
		Day                  string
		Payment, Reversal    string // narrations
		Charges              int
		ChargesTotal         string
		Amount               string
		Counterparty, Reason string
		PaidBy               string
	}
	narr := func(i int) string {
		if i < 0 {
			return ""
		}
		return l.Txns[i].Narration + " @" + l.Txns[i].At.Format("01-02")
	}
	var got []bounceFlat
	for _, b := range l.Bounces() {
		amount := ""
		if b.Amount != nil {
			amount = b.Amount.Text('f')
		}
		got = append(got, bounceFlat{b.Kind, b.At.In(finpro.IST).Format(time.DateOnly), narr(b.Payment), narr(b.Reversal), len(b.Charges),
			b.ChargesTotal.Text('f'), amount, b.Counterparty, b.Reason, narr(b.PaidBy)})
	}
	want := []bounceFlat{
		{insights.Incoming, "2026-03-22", "CHQ DEP 115357 KAVYA REDDY CTS CLG @03-20", "CHQ DEP RTN 115357 KAVYA REDDY FUNDS INSUFFICIENT @03-22", 1,
			"150.00", "45000.00", "KAVYA REDDY", "FUNDS INSUFFICIENT", ""},
		{insights.Outgoing, "2026-05-05", "", "", 2, "590.00", "", "HDFC LTD", "FUNDS INSUFFICIENT", "ACH D- HDFC LTD EMI LN71379150 @05-09"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Bounces (-want +got):\n%s", diff)
	}
}

func TestFromFinproRefusesBadAmounts(t *testing.T) {
	if _, err := insights.FromFinpro([]finpro.Transaction{{Amount: "NaN"}}); err == nil {
		t.Error("NaN amount accepted")
	}
}
