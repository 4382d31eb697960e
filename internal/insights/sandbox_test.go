package insights_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/finprotest"
	"github.com/moneyone-bff/finpro-bff/internal/insights"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// TestSandboxHistories runs the analytics over the sandbox's seeded
// histories (over HTTP, through the client) at the seeded density and at
// 10,000 transactions per account, and checks that they find exactly what
// the sandbox's profiles put there (internal/sandbox/history.go), and that
// every month of every account reconciles.
func TestSandboxHistories(t *testing.T) {
	r, _ := insights.NewRange("2025-11-01", "2026-10-31")
	// The demo customer's accounts by FIP: the series "kind counterparty"
	// (* for a payee the seed picks) and the returns "kind charges reason".
	want := map[string]struct{ credits, debits, bounces []string }{
		"HDFC-FIP": {
			credits: []string{"SALARY ACME TECHNOLOGIES PVT LTD"},
			debits: []string{"EMI HDFC LTD", "RENT *", "SIP BSE LTD HDFC FLEXI CAP", "SIP ICICI PRUDENTIAL MF BLUECHIP",
				"SUBSCRIPTION NETFLIX.COM", "SUBSCRIPTION GOOGLE YOUTUBEPREMIUM", "SUBSCRIPTION SPOTIFY INDIA", "UTILITY BESCOM"},
			bounces: []string{"OUTGOING 590.00 FUNDS INSUFFICIENT paid again"},
		},
		"AXIS-FIP": {
			credits: []string{"RENT *"},
			debits:  []string{"EMI AXIS BANK AUTO LOAN", "SUBSCRIPTION ZOHO CORPORATION SUBSCRIPTION"},
			bounces: []string{"INCOMING 150.00 FUNDS INSUFFICIENT reversed", "OUTGOING 413.00 REFER TO DRAWER"},
		},
		"KOTAK-FIP": {
			credits: []string{"SALARY GLOBEX CONSULTING LLP"},
			debits:  []string{"SIP AXIS MUTUAL FUND MIDCAP"},
		},
	}
	for _, per := range []int{0, 10_000} {
		t.Run(fmt.Sprintf("TxnsPerAccount=%d", per), func(t *testing.T) {
			fe := finprotest.New(t, sandbox.Config{TxnsPerAccount: per}, finpro.Options{})
			seen := map[string]bool{}
			for _, c := range fe.Sandbox.Customers() {
				for _, k := range c.Consents {
					if k.Status != "ACTIVE" {
						continue
					}
					accs, err := fe.Client.AllFIData(t.Context(), k.ConsentID)
					if err != nil {
						t.Fatal(err)
					}
					for _, a := range accs {
						if a.FIType != finpro.FITypeDeposit || seen[a.LinkReferenceNumber] {
							continue
						}
						seen[a.LinkReferenceNumber] = true
						txns, err := insights.FromFinpro(a.Transactions)
						if err != nil {
							t.Fatal(err)
						}
						l := insights.NewLedger(txns, r, time.Date(2026, 12, 1, 0, 0, 0, 0, finpro.IST))
						months, _ := insights.CashFlow(insights.Month, l)
						total, _ := insights.Total(l)
						for _, p := range append(months, total) {
							if p.Status != insights.Reconciled {
								t.Errorf("account %s %s..%s: status %v", a.LinkReferenceNumber, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), p.Status)
							}
						}
						if len(months) != 12 {
							t.Errorf("account %s: %d months, want 12", a.LinkReferenceNumber, len(months))
						}
						w, ok := want[a.FIPID]
						if c.Mobile != sandbox.DemoMobile || !ok {
							continue
						}
						credits, debits := l.Recurring()
						if diff := cmp.Diff(w.credits, series(credits)); diff != "" {
							t.Errorf("%s credits (-want +got):\n%s", a.FIPID, diff)
						}
						if diff := cmp.Diff(w.debits, series(debits)); diff != "" {
							t.Errorf("%s debits (-want +got):\n%s", a.FIPID, diff)
						}
						for _, s := range append(credits, debits...) {
							if len(s.Occurrences) != 12 {
								t.Errorf("%s %s %s: %d occurrences, want 12 (one a month)", a.FIPID, s.Kind, s.Counterparty, len(s.Occurrences))
							}
						}
						var bounces []string
						for _, b := range l.Bounces() {
							s := fmt.Sprintf("%s %s %s", b.Kind, b.ChargesTotal.Text('f'), b.Reason)
							if b.PaidBy >= 0 {
								s += " paid again"
							}
							if b.Reversal >= 0 && b.Payment >= 0 {
								s += " reversed"
							}
							bounces = append(bounces, s)
						}
						if diff := cmp.Diff(w.bounces, bounces); diff != "" {
							t.Errorf("%s bounces (-want +got):\n%s", a.FIPID, diff)
						}
					}
				}
			}
			if len(seen) < 5 {
				t.Errorf("%d DEPOSIT accounts analysed, want >= 5", len(seen))
			}
		})
	}
}

// series lists "kind counterparty", with * for the payees the sandbox picks
// by seed (rent's).
func series(ss []insights.Series) []string {
	var out []string
	for _, s := range ss {
		name := s.Counterparty
		if s.Kind == insights.Rent {
			name = "*"
		}
		out = append(out, string(s.Kind)+" "+name)
	}
	return slices.Clip(out)
}
