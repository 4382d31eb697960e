package sandbox_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// historyTxn is a getallfidata transaction as the history tests read it.
type historyTxn struct {
	TxnID, Type, Mode, Amount, CurrentBalance, Narration string
	TransactionTimestamp                                 time.Time
}

// depositHistories reads every DEPOSIT account under an ACTIVE consent of
// the customer with mobile through getallfidata.
func depositHistories(t *testing.T, sb *sandbox.Sandbox, post func(path, body string) reply, mobile string) map[string][]historyTxn {
	t.Helper()
	out := map[string][]historyTxn{}
	for _, c := range sb.Customers() {
		if c.Mobile != mobile {
			continue
		}
		for _, k := range c.Consents {
			if k.Status != "ACTIVE" {
				continue
			}
			r := post("/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID}))
			var env struct {
				Data []struct {
					LinkReferenceNumber string `json:"linkReferenceNumber"`
					FIType              string `json:"fiType"`
					Transactions        struct {
						Transaction []historyTxn `json:"Transaction"`
					} `json:"Transactions"`
				} `json:"data"`
			}
			if err := json.Unmarshal(r.body, &env); err != nil {
				t.Fatalf("getallfidata: %v", err)
			}
			for _, a := range env.Data {
				if a.FIType == "DEPOSIT" {
					out[a.LinkReferenceNumber] = a.Transactions.Transaction
				}
			}
		}
	}
	return out
}

// firstWorkingDay is the first weekday of the month that is not a national
// bank holiday (26 January, 15 August, 2 October), written independently of
// the sandbox's own.
func firstWorkingDay(y int, m time.Month) string {
	ist := time.FixedZone("IST", 19800)
	for d := 1; ; d++ {
		t := time.Date(y, m, d, 0, 0, 0, 0, ist)
		md := t.Format("01-02")
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday && md != "01-26" && md != "08-15" && md != "10-02" {
			return t.Format(time.DateOnly)
		}
	}
}

// linkOf returns the demo customer's account at FIP fipID.
func linkOf(t *testing.T, sb *sandbox.Sandbox, fipID string) string {
	t.Helper()
	for _, a := range demo(t, sb).Accounts {
		if a.FIPID == fipID && a.FIType == "DEPOSIT" {
			return a.LinkReferenceNumber
		}
	}
	t.Fatalf("demo customer has no DEPOSIT account at %s", fipID)
	return ""
}

func day(x historyTxn) string {
	return x.TransactionTimestamp.In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
}

// months are the 13 months every seeded DEPOSIT history covers.
var months = func() []time.Time {
	var out []time.Time
	for m := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC); !m.After(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}()

func TestDepositHistories(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	hs := depositHistories(t, sb, func(path, body string) reply { return post(t, srv, path, body) }, sandbox.DemoMobile)
	for _, mobile := range []string{"9123456780"} {
		for k, v := range depositHistories(t, sb, func(path, body string) reply { return post(t, srv, path, body) }, mobile) {
			hs[k] = v
		}
	}
	if len(hs) < 3 {
		t.Fatalf("%d DEPOSIT accounts under ACTIVE consents, want >= 3", len(hs))
	}
	t.Run("13 months each", func(t *testing.T) {
		for link, h := range hs {
			seen := map[string]bool{}
			for _, x := range h {
				seen[day(x)[:7]] = true
			}
			for _, m := range months {
				if !seen[m.Format("2006-01")] {
					t.Errorf("account %s: no transaction in %s", link, m.Format("2006-01"))
				}
			}
		}
	})

	savings := hs[linkOf(t, sb, "HDFC-FIP")]
	t.Run("salary on the first working day", func(t *testing.T) {
		got := map[string]string{}
		for _, x := range savings {
			if x.Type == "CREDIT" && strings.Contains(x.Narration, "/SALARY ") {
				if prev, dup := got[day(x)[:7]]; dup {
					t.Errorf("two salaries in %s: %s and %s", day(x)[:7], prev, day(x))
				}
				got[day(x)[:7]] = day(x)
			}
		}
		for _, m := range months {
			if want := firstWorkingDay(m.Year(), m.Month()); got[m.Format("2006-01")] != want {
				t.Errorf("salary of %s on %q, want %s", m.Format("2006-01"), got[m.Format("2006-01")], want)
			}
		}
	})
	t.Run("EMI, SIPs and subscriptions every month", func(t *testing.T) {
		for _, tc := range []struct {
			narration string
			perMonth  int
		}{{"HDFC LTD EMI", 1}, {" SIP ", 1}, {"/SIP/", 1}, {"NETFLIX", 1}, {"SPOTIFY", 1}, {"/RENT/", 1}} {
			count := map[string]int{}
			amounts := map[string]bool{}
			for _, x := range savings {
				if x.Type == "DEBIT" && strings.Contains(x.Narration, tc.narration) && !strings.Contains(x.Narration, "RTN") {
					count[day(x)[:7]]++
					amounts[x.Amount] = true
				}
			}
			for _, m := range months {
				if n := count[m.Format("2006-01")]; n != tc.perMonth {
					t.Errorf("%q debits in %s: %d, want %d", tc.narration, m.Format("2006-01"), n, tc.perMonth)
				}
			}
			if len(amounts) != 1 {
				t.Errorf("%q amounts %v, want one fixed amount", tc.narration, amounts)
			}
		}
	})
	t.Run("a returned EMI with its charge, then paid", func(t *testing.T) {
		var charges []historyTxn
		for _, x := range savings {
			if strings.Contains(x.Narration, "RTN CHGS") {
				charges = append(charges, x)
			}
		}
		if len(charges) != 2 || charges[0].Amount != "500.00" || charges[1].Amount != "90.00" || day(charges[0]) != day(charges[1]) {
			t.Fatalf("return charges %+v, want 500.00 and GST 90.00 on one day", charges)
		}
		if !strings.Contains(charges[0].Narration, "HDFC LTD EMI") || !strings.Contains(charges[0].Narration, "INSUFFICIENT") {
			t.Errorf("charge narration %q does not name the EMI and the reason", charges[0].Narration)
		}
		month := day(charges[0])[:7]
		for _, x := range savings {
			if strings.Contains(x.Narration, "HDFC LTD EMI") && x.Type == "DEBIT" && day(x)[:7] == month && !strings.Contains(x.Narration, "RTN") {
				if day(x) <= day(charges[0]) {
					t.Errorf("EMI of %s paid on %s, not after its return on %s", month, day(x), day(charges[0]))
				}
			}
		}
	})

	current := hs[linkOf(t, sb, "AXIS-FIP")]
	t.Run("returned cheques", func(t *testing.T) {
		var deposit, reversal *historyTxn
		charges := 0
		for i, x := range current {
			switch {
			case strings.HasPrefix(x.Narration, "CHQ DEP RTN CHGS") || strings.HasPrefix(x.Narration, "I/W CHQ RTN CHGS"):
				charges++
			case strings.HasPrefix(x.Narration, "CHQ DEP RTN"):
				reversal = &current[i]
			case strings.HasPrefix(x.Narration, "CHQ DEP"):
				deposit = &current[i]
			}
		}
		if deposit == nil || reversal == nil || deposit.Amount != reversal.Amount || deposit.Type != "CREDIT" || reversal.Type != "DEBIT" {
			t.Fatalf("cheque deposit %+v and reversal %+v, want a credit and a debit of one amount", deposit, reversal)
		}
		if charges != 2 {
			t.Errorf("%d cheque return charges, want 2", charges)
		}
	})

	kotak := hs[linkOf(t, sb, "KOTAK-FIP")]
	t.Run("a salary-like payout that does not say so", func(t *testing.T) {
		n := 0
		for _, x := range kotak {
			if strings.Contains(x.Narration, "GLOBEX") {
				n++
				if strings.Contains(x.Narration, "SAL") {
					t.Errorf("payout narration %q names a salary", x.Narration)
				}
				if want := firstWorkingDay(x.TransactionTimestamp.Year(), x.TransactionTimestamp.Month()); day(x) != want {
					t.Errorf("payout on %s, want the first working day %s", day(x), want)
				}
			}
		}
		if n != len(months) {
			t.Errorf("%d payouts, want %d", n, len(months))
		}
	})
}

func TestTxnsPerAccount(t *testing.T) {
	const per = 10_000
	sb, srv := newSandbox(t, sandbox.Config{TxnsPerAccount: per})
	deposits := 0
	for _, c := range sb.Customers() {
		for _, a := range c.Accounts {
			if a.FIType != "DEPOSIT" {
				continue
			}
			deposits++
			if a.Transactions < per {
				t.Errorf("account %s: %d transactions, want >= %d", a.LinkReferenceNumber, a.Transactions, per)
			}
		}
	}
	if deposits == 0 {
		t.Fatal("no DEPOSIT accounts")
	}
	// The scaled demo consent still reconciles to the paisa.
	k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	body := jsonBody(t, map[string]string{"consentID": k.ConsentID})
	var env struct {
		Data []struct{ LinkReferenceNumber, Balance string }
	}
	if err := json.Unmarshal(post(t, srv, "/getfibalance", body).body, &env); err != nil {
		t.Fatal(err)
	}
	balances := map[string]string{}
	for _, b := range env.Data {
		balances[b.LinkReferenceNumber] = b.Balance
	}
	for _, a := range allFIData(t, post(t, srv, "/getallfidata", body)) {
		reconcile(t, a, balances[a.LinkReferenceNumber])
	}
}
