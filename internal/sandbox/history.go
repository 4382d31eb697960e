package sandbox

import (
	"slices"
	"strings"
	"time"
)

// Seeded DEPOSIT histories (savings and current accounts).
//
// Every DEPOSIT account gets historyMonths calendar months of history ending
// on dataEnd: what a statement of a real salaried customer or small business
// holds, so that analytics have something to find. A profile says which
// payments recur every month:
//
//   - a salary (or a salary-like payout whose narration does not say SALARY)
//     on the first working day of the month (Monday to Friday, not a
//     national holiday), raised from April;
//   - other recurring credits (rent received);
//   - recurring debits: loan EMIs and SIPs by NACH mandate, rent by IMPS,
//     subscriptions by card or UPI autopay, a utility bill of varying
//     amount;
//   - interest credited at the end of each quarter;
//   - optionally a returned EMI (the mandate is returned unpaid for want of
//     funds: the bank posts its return charge and GST, the customer tops the
//     account up and the EMI is presented again a few days later) and
//     returned cheques (one deposited that bounced, its reversal and charge;
//     one issued that bounced, its charge).
//
// Day-to-day spending and receipts fill the rest (acctOpts.txns of them, or
// more to reach Config.TxnsPerAccount), sized from the profile's income so
// balances stay plausible. Every amount goes through the ledger, so running
// balances reconcile whatever the knobs.

// historyMonths is how many calendar months a seeded DEPOSIT history covers.
const historyMonths = 13

// historyStart is the first instant of the seeded DEPOSIT histories.
var historyStart = time.Date(dataEnd.Year(), dataEnd.Month()-historyMonths+1, 1, 0, 0, 0, 0, ist)

// bankHolidays are the national holidays (month, day) on which banks credit
// no salary, besides Saturdays and Sundays.
var bankHolidays = map[[2]int]bool{{1, 26}: true, {8, 15}: true, {10, 2}: true}

// workingDay reports whether banks work on t's date.
func workingDay(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !bankHolidays[[2]int{int(t.Month()), t.Day()}]
}

// firstWorkingDay returns the first working day of month m of year y, at
// midnight IST.
func firstWorkingDay(y int, m time.Month) time.Time {
	d := time.Date(y, m, 1, 0, 0, 0, 0, ist)
	for !workingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// monthStart returns the first day of the i-th month of the history.
func monthStart(i int) time.Time { return historyStart.AddDate(0, i, 0) }

// dayOf returns day d of month i of the history at h:m IST, clamped to the
// month's last day.
func dayOf(i, d, h, m int) time.Time {
	s := monthStart(i)
	last := s.AddDate(0, 1, -1).Day()
	return time.Date(s.Year(), s.Month(), min(d, last), h, m, 0, 0, ist)
}

// monthly is one payment an account makes or receives every month.
type monthly struct {
	credit bool
	day    int // day of the month
	hour   int
	amount int64 // paise
	mode   string
	// narration of the payment made on t.
	narration func(t time.Time) string
}

// salary is a monthly salary on the first working day.
type salary struct {
	amount int64 // paise, before the April raise
	raise  int64 // percent, from April on
	mode   string
	// narration of the salary of t's month (the one credited on t).
	narration func(g *gen, t time.Time) string
}

// profile is what recurs in an account's history.
type profile struct {
	salary  *salary
	credits []monthly // other recurring credits
	debits  []monthly // recurring debits; debits[0] is the EMI that bounceMonth returns
	// utility, when set, is a monthly bill whose amount varies (paise range).
	utility              *monthly
	utilityLo, utilityHi int64
	// bounceMonth is the month index whose EMI (debits[0]) is returned
	// unpaid; 0 means none (the first month never bounces).
	bounceMonth int
	// chequeReturns adds a deposited cheque that bounced (month 5) and an
	// issued cheque that bounced (month 10).
	chequeReturns bool
	// income is the monthly inflow besides the salary that day-to-day
	// spending is sized from (paise); business receipts of current accounts.
	income int64
	// interest credits savings interest at the end of each quarter.
	interest bool
	// owner names the account holder in own-account transfers.
	owner string
}

// event is one scheduled posting.
type event struct {
	at   time.Time
	post func(l ledger, at time.Time)
}

// upper is the narration's month stamp, e.g. "OCT 2026".
func upper(t time.Time) string { return strings.ToUpper(t.Format("Jan 2006")) }

// demoSavingsProfile is the demo customer's salary account: everything a
// lender looks for, and one returned EMI.
func (g *gen) demoSavingsProfile(owner string) *profile {
	loan := "LN" + g.digits(8)
	card := "4" + g.digits(3) + "XXXXXXXX" + g.digits(4)
	landlord := g.pick(people)
	return &profile{
		owner: owner,
		salary: &salary{
			amount: g.between(95_000, 160_000) * 100, raise: 8, mode: "NEFT",
			narration: func(g *gen, t time.Time) string {
				return "NEFT/N" + g.digits(12) + "/SALARY " + upper(t) + "/ACME TECHNOLOGIES PVT LTD"
			},
		},
		debits: []monthly{
			{day: 5, hour: 6, amount: g.between(2_500, 4_500) * 1000, mode: "NACH", narration: func(time.Time) string { return "ACH D- HDFC LTD EMI " + loan }},
			{day: 3, hour: 20, amount: g.between(18, 35) * 100_000, mode: "IMPS", narration: func(time.Time) string { return "IMPS/P2A/" + g.digits(12) + "/RENT/" + landlord }},
			{day: 7, hour: 6, amount: 1_000_000, mode: "NACH", narration: func(time.Time) string { return "ACH D- BSE LTD SIP HDFC FLEXI CAP" }},
			{day: 15, hour: 6, amount: 500_000, mode: "NACH", narration: func(time.Time) string { return "NACH/ICICI PRUDENTIAL MF/SIP/BLUECHIP" }},
			{day: 12, hour: 4, amount: 64_900, mode: "CARD", narration: func(time.Time) string { return "POS " + card + " NETFLIX.COM" }},
			{day: 18, hour: 9, amount: 11_900, mode: "UPI", narration: func(time.Time) string { return "UPI/" + g.digits(12) + "/SPOTIFY INDIA/spotify.autopay@hdfcbank" }},
			{day: 22, hour: 11, amount: 12_900, mode: "CARD", narration: func(time.Time) string { return "POS " + card + " GOOGLE*YOUTUBEPREMIUM" }},
		},
		utility:   &monthly{day: 20, hour: 19, mode: "UPI", narration: func(time.Time) string { return "UPI/" + g.digits(12) + "/BESCOM/bescom.billdesk@hdfcbank" }},
		utilityLo: 90_000, utilityHi: 380_000,
		bounceMonth: 8,
		interest:    true,
	}
}

// demoCurrentProfile is the demo customer's joint current account: rent
// received, a car loan, business receipts, and two returned cheques.
func (g *gen) demoCurrentProfile(owner string) *profile {
	tenant := g.pick(people)
	loan := g.digits(10)
	return &profile{
		owner: owner,
		credits: []monthly{
			{credit: true, day: 2, hour: 10, amount: g.between(25, 40) * 100_000, mode: "NEFT", narration: func(t time.Time) string {
				return "NEFT/N" + g.digits(12) + "/RENT " + upper(t) + "/" + tenant
			}},
		},
		debits: []monthly{
			{day: 10, hour: 6, amount: g.between(1_200, 2_200) * 1000, mode: "NACH", narration: func(time.Time) string { return "NACH DR AXIS BANK AUTO LOAN " + loan }},
			{day: 11, hour: 16, amount: 299_900, mode: "CARD", narration: func(time.Time) string {
				return "POS 5" + loan[:3] + "XXXXXXXX" + loan[6:] + " ZOHO CORPORATION SUBSCRIPTION"
			}},
		},
		income:        g.between(60_000, 120_000) * 100,
		chequeReturns: true,
	}
}

// demoKotakProfile is a salary-like payout whose narration never says
// SALARY: analytics must recognise it by day, amount and payer.
func (g *gen) demoKotakProfile(owner string) *profile {
	return &profile{
		owner: owner,
		salary: &salary{
			amount: g.between(40_000, 70_000) * 100, raise: 5, mode: "NEFT",
			narration: func(g *gen, t time.Time) string {
				return "NEFT/N" + g.digits(12) + "/GLOBEX CONSULTING LLP/PAYOUT"
			},
		},
		debits: []monthly{
			{day: 7, hour: 6, amount: 300_000, mode: "NACH", narration: func(time.Time) string { return "NACH/AXIS MUTUAL FUND/SIP/MIDCAP" }},
		},
		interest: true,
	}
}

// randomProfile is a profile for the seed-dependent customers and the
// sandbox's other accounts: some of everything.
func (g *gen) randomProfile(kind, owner string) *profile {
	p := &profile{owner: owner, interest: kind == "savings"}
	employers := []string{"INFOSYS LIMITED", "TATA CONSULTANCY SERVICES", "WIPRO LIMITED", "HCL TECHNOLOGIES", "RELIANCE RETAIL LTD"}
	if kind == "savings" {
		employer := g.pick(employers)
		code := strings.ReplaceAll(employer, " ", "")[:4] + g.digits(7)
		p.salary = &salary{
			amount: g.between(30_000, 200_000) * 100, raise: g.between(0, 12), mode: "NEFT",
			narration: func(g *gen, t time.Time) string {
				return "BY TRANSFER-NEFT*" + code + "*N" + g.digits(12) + "*SAL " + strings.ToUpper(t.Format("Jan06")) + "*" + employer
			},
		}
	} else {
		p.income = g.between(50_000, 300_000) * 100
	}
	var base int64
	if p.salary != nil {
		base = p.salary.amount
	} else {
		base = p.income
	}
	if g.r.IntN(2) == 0 {
		lender := g.pick([]string{"BAJAJ FINANCE LTD", "HDFC LTD", "ICICI BANK LTD", "TATA CAPITAL"})
		loan := g.digits(9)
		p.debits = append(p.debits, monthly{day: int(g.between(2, 10)), hour: 6, amount: base * g.between(15, 35) / 100, mode: "NACH",
			narration: func(time.Time) string { return "NACH DR " + lender + " EMI " + loan }})
	}
	if g.r.IntN(2) == 0 {
		p.debits = append(p.debits, monthly{day: 5 + g.r.IntN(20), hour: 6, amount: g.between(5, 50) * 100_000, mode: "NACH",
			narration: func(time.Time) string {
				return "ACH D- BSE LTD SIP " + g.pick([]string{"SBI SMALL CAP", "PARAG PARIKH FLEXI", "NIFTY 50 INDEX"})
			}})
	}
	if kind == "savings" && g.r.IntN(2) == 0 {
		landlord := g.pick(people)
		p.debits = append(p.debits, monthly{day: 1 + g.r.IntN(5), hour: 21, amount: base * g.between(15, 30) / 100, mode: "IMPS",
			narration: func(time.Time) string { return "IMPS/P2A/" + g.digits(12) + "/RENT/" + landlord }})
	}
	for _, sub := range []struct {
		name   string
		amount int64
	}{{"NETFLIX.COM", 49_900}, {"SPOTIFY INDIA", 11_900}, {"AMAZON PRIME", 29_900}, {"DISNEY HOTSTAR", 29_900}} {
		if g.r.IntN(3) == 0 {
			p.debits = append(p.debits, monthly{day: 1 + g.r.IntN(28), hour: 8, amount: sub.amount, mode: "UPI",
				narration: func(time.Time) string { return "UPI/" + g.digits(12) + "/" + sub.name + "/autopay@ybl" }})
		}
	}
	if g.r.IntN(2) == 0 {
		p.utility = &monthly{day: 15 + g.r.IntN(10), hour: 19, mode: "UPI", narration: func(time.Time) string { return "UPI/" + g.digits(12) + "/TATA POWER/tatapower@okicici" }}
		p.utilityLo, p.utilityHi = 60_000, 300_000
	}
	return p
}

// history posts a's seeded history under profile p (nil: a random one):
// the scheduled payments, n day-to-day transactions (o.specials forced among
// them) and, with o.finalBal, a last transaction that closes on it.
func (g *gen) history(a *account, o acctOpts, p *profile) {
	if p == nil {
		p = g.randomProfile(o.kind, a.holders[0].Name)
	}
	var evs []event
	add := func(at time.Time, post func(l ledger, at time.Time)) { evs = append(evs, event{at, post}) }

	// An opening transfer so the history starts from a plausible balance.
	income := p.income
	if p.salary != nil {
		income += p.salary.amount
	}
	for _, c := range p.credits {
		income += c.amount
	}
	open := income*2 + g.between(10_000, 90_000)*100
	add(historyStart.Add(9*time.Hour+time.Duration(g.between(0, 3599))*time.Second), func(l ledger, at time.Time) {
		l.post(at, "CREDIT", "NEFT", paise(open), "NEFT/N"+g.digits(12)+"/OPENING BALANCE TRANSFER/"+g.pick(people), "N"+g.digits(12))
	})

	var bills int64
	for _, d := range p.debits {
		bills += d.amount
	}
	for m := range historyMonths {
		ms := monthStart(m)
		if s := p.salary; s != nil {
			amt := s.amount
			if ms.Month() >= time.April && ms.Year() == dataEnd.Year() {
				amt += amt * s.raise / 100
			}
			at := firstWorkingDay(ms.Year(), ms.Month()).Add(time.Duration(g.between(9*3600, 12*3600)) * time.Second)
			add(at, func(l ledger, at time.Time) {
				l.post(at, "CREDIT", s.mode, paise(amt), s.narration(g, at), "N"+g.digits(12))
			})
		}
		for _, c := range p.credits {
			add(jitter(g, dayOf(m, c.day, c.hour, 0)), func(l ledger, at time.Time) {
				l.post(at, "CREDIT", c.mode, paise(c.amount), c.narration(at), g.digits(12))
			})
		}
		for i, d := range p.debits {
			if i == 0 && m == p.bounceMonth && p.bounceMonth > 0 {
				g.bounceEMI(add, p, d, m)
				continue
			}
			add(jitter(g, dayOf(m, d.day, d.hour, 0)), func(l ledger, at time.Time) { l.postDebit(g, p, at, d) })
		}
		if u := p.utility; u != nil {
			amt := g.between(p.utilityLo, p.utilityHi)
			add(jitter(g, dayOf(m, u.day, u.hour, 0)), func(l ledger, at time.Time) {
				l.postDebit(g, p, at, monthly{amount: amt, mode: u.mode, narration: u.narration})
			})
		}
		if p.interest && ms.Month()%3 == 0 {
			end := ms.AddDate(0, 1, -1)
			add(end.Add(23*time.Hour), func(l ledger, at time.Time) {
				// About 2.7% a year on the balance, paid quarterly.
				if amt := mulRound(l.a.balance, dec("0.0068")); amt.Sign() > 0 {
					l.post(at, "CREDIT", "INTEREST_CREDIT", amt, "INT.PD:"+end.AddDate(0, -3, 1).Format("02-01-2006")+" TO "+end.Format("02-01-2006"), "")
				}
			})
		}
	}
	if p.chequeReturns {
		g.chequeReturns(add)
	}

	// Day-to-day transactions: enough to reach the scale knob (a few
	// scheduled events may post nothing: interest on a balance of zero, the
	// bounce's transfer from an empty account).
	n := max(o.txns, g.minTxns-len(evs)+5, 2)
	// Sized so that a month's day-to-day debits spend about what the bills
	// leave of the month's income, and its small receipts make the balance
	// creep up. A business (no salary) lives on its receipts: two in five of
	// its transactions.
	spendable := max(income-bills, income/4)
	total := int64(n) * 10_000 / historyMonths // day-to-day transactions a month, in 1/10000
	var avgReceipt int64
	debitShare := int64(74) // percent of them that are debits
	if p.salary == nil {
		avgReceipt = max(p.income*10_000*100/max(total*40, 1), 10_000)
		debitShare = 60 * 74 / 100
	}
	avgDebit := max(spendable*10_000*100/max(total*debitShare, 1), 5_000)
	avgCredit := max(avgDebit/4, 2_000)
	ts := g.times(n, historyStart.Add(12*time.Hour), dataEnd.Add(-time.Hour))
	var prevSpecial time.Time
	for i, t := range ts {
		if sp, ok := o.specials[i]; ok {
			if _, pair := o.specials[i-1]; pair {
				t = prevSpecial.Add(time.Second) // a pair posts back to back
			}
			prevSpecial = t
			add(t, func(l ledger, at time.Time) { l.post(at, sp.typ, sp.mode, dec(sp.amount), sp.narration, g.digits(12)) })
			continue
		}
		add(t, func(l ledger, at time.Time) { g.spend(l, at, avgDebit, avgCredit, avgReceipt) })
	}

	slices.SortStableFunc(evs, func(x, y event) int { return x.at.Compare(y.at) })
	l := ledger{a}
	for _, e := range evs {
		at := e.at
		if n := len(a.txns); n > 0 && !at.After(a.txns[n-1].at) {
			at = a.txns[n-1].at.Add(time.Second)
		}
		e.post(l, at)
	}
	if o.finalBal != "" {
		last := a.txns[len(a.txns)-1].at.Add(time.Minute)
		diff := sub(a.balance, dec(o.finalBal))
		switch diff.Sign() {
		case 1:
			narr := "OD INTEREST AND CHARGES/" + last.Format("Jan2006")
			if diff.Cmp(dec("5000")) > 0 {
				narr = "IMPS/P2A/" + g.digits(12) + "/TRANSFER TO OWN ACCOUNT/" + strings.ToUpper(p.owner)
			}
			l.post(last, "DEBIT", "OTHERS", diff, narr, "CHG"+g.digits(9))
		case -1:
			diff.Neg(diff)
			l.post(last, "CREDIT", "NEFT", diff, "NEFT/N"+g.digits(12)+"/FUNDS TRANSFER/"+g.pick(people), "N"+g.digits(12))
		}
	}
}

// jitter moves a scheduled time by up to an hour.
func jitter(g *gen, t time.Time) time.Time {
	return t.Add(time.Duration(g.between(0, 3599)) * time.Second)
}

// postDebit posts a scheduled debit, topping the account up from the
// owner's other account first when the debit would pass its floor (a
// scheduled payment never bounces unless the profile says so).
func (l ledger) postDebit(g *gen, p *profile, at time.Time, d monthly) {
	amt := paise(d.amount)
	if l.a.floor != nil && sub(l.a.balance, amt).Cmp(l.a.floor) < 0 {
		l.post(at.Add(-time.Minute), "CREDIT", "NEFT", paise(d.amount+g.between(5_000, 20_000)*100), "NEFT/N"+g.digits(12)+"/OWN ACCOUNT TRANSFER/"+strings.ToUpper(p.owner), "N"+g.digits(12))
	}
	l.post(at, "DEBIT", d.mode, amt, d.narration(at), g.digits(12))
}

// bounceEMI schedules month m's returned EMI: a large transfer the evening
// before leaves too little for it, the mandate is returned unpaid (the bank
// posts only its return charge and the GST on it), the owner tops up, and the
// EMI is presented again four days later.
func (g *gen) bounceEMI(add func(time.Time, func(ledger, time.Time)), p *profile, emi monthly, m int) {
	due := dayOf(m, emi.day, emi.hour, 0)
	add(due.Add(-10*time.Hour), func(l ledger, at time.Time) {
		leftover := g.between(2_500, 6_000) * 100
		if drain := sub(l.a.balance, paise(leftover+emi.amount/2)); drain.Sign() > 0 {
			l.post(at, "DEBIT", "IMPS", drain, "IMPS/P2A/"+g.digits(12)+"/"+g.pick(people)+"/PROPERTY TOKEN ADVANCE", g.digits(12))
		}
	})
	mandate := emi.narration(due)
	add(due.Add(5*time.Minute), func(l ledger, at time.Time) {
		l.post(at, "DEBIT", "OTHERS", paise(50_000), "ACH D- RTN CHGS "+strings.TrimPrefix(mandate, "ACH D- ")+" FUNDS INSUFFICIENT", g.digits(12))
	})
	add(due.Add(6*time.Minute), func(l ledger, at time.Time) {
		l.post(at, "DEBIT", "OTHERS", paise(9_000), "GST ON ACH RTN CHGS", g.digits(12))
	})
	add(due.AddDate(0, 0, 3).Add(4*time.Hour), func(l ledger, at time.Time) {
		l.post(at, "CREDIT", "NEFT", paise(emi.amount+g.between(5_000, 20_000)*100), "NEFT/N"+g.digits(12)+"/OWN ACCOUNT TRANSFER/"+strings.ToUpper(p.owner), "N"+g.digits(12))
	})
	add(due.AddDate(0, 0, 4), func(l ledger, at time.Time) {
		l.post(at, "DEBIT", emi.mode, paise(emi.amount), mandate, g.digits(12))
	})
}

// chequeReturns schedules a deposited cheque that bounced (credited, then
// reversed two days later with a charge) and an issued cheque that bounced
// (only the charge posts: the cheque never paid).
func (g *gen) chequeReturns(add func(time.Time, func(ledger, time.Time))) {
	chq, drawer := g.digits(6), g.pick(people)
	amt := g.between(20_000, 80_000) * 100
	dep := dayOf(5, 12, 11, 0)
	add(dep, func(l ledger, at time.Time) {
		l.post(at, "CREDIT", "CHEQUE", paise(amt), "CHQ DEP "+chq+" "+drawer+" CTS CLG", chq)
	})
	add(dep.AddDate(0, 0, 2), func(l ledger, at time.Time) {
		l.post(at, "DEBIT", "CHEQUE", paise(amt), "CHQ DEP RTN "+chq+" "+drawer+" FUNDS INSUFFICIENT", chq)
	})
	add(dep.AddDate(0, 0, 2).Add(time.Minute), func(l ledger, at time.Time) {
		l.post(at, "DEBIT", "OTHERS", paise(15_000), "CHQ DEP RTN CHGS "+chq, chq)
	})
	issued := g.digits(6)
	iss := dayOf(10, 20, 13, 0)
	add(iss, func(l ledger, at time.Time) {
		l.post(at, "DEBIT", "OTHERS", paise(35_000), "I/W CHQ RTN CHGS "+issued+" REFER TO DRAWER", issued)
	})
	add(iss.Add(time.Minute), func(l ledger, at time.Time) {
		l.post(at, "DEBIT", "OTHERS", paise(6_300), "GST ON I/W CHQ RTN CHGS", issued)
	})
}

// spend posts one day-to-day transaction at t: debits average avgDebit,
// credits avgCredit (paise). With avgReceipt, two in five are business
// receipts of about that much.
func (g *gen) spend(l ledger, t time.Time, avgDebit, avgCredit, avgReceipt int64) {
	ref := g.digits(12)
	around := func(avg int64) int64 { return max(avg*g.between(20, 180)/100, 100) }
	var typ, mode, narr string
	var amt int64
	if avgReceipt > 0 && g.r.IntN(100) < 40 {
		l.post(t, "CREDIT", "NEFT", paise(around(avgReceipt)), "NEFT/N"+ref+"/"+g.pick(people)+" ENTERPRISES/INV "+g.digits(4), ref)
		return
	}
	switch k := g.r.IntN(100); {
	case k < 45:
		typ, mode, amt = "DEBIT", "UPI", around(avgDebit)
		narr = "UPI/" + ref + "/" + g.pick(merchants) + "/pay" + g.digits(4) + "@okaxis"
	case k < 60:
		typ, mode, amt = "DEBIT", "CARD", around(avgDebit)
		narr = "POS " + g.digits(4) + "XXXXXX" + g.digits(4) + " " + g.pick(merchants)
	case k < 66:
		typ, mode, amt = "DEBIT", "ATM", max(around(avgDebit)/10_000, 1)*10_000
		narr = "ATM WDL/" + g.pick(cities) + "/S1AN" + g.digits(6)
	case k < 74:
		typ, mode, amt = "DEBIT", "IMPS", around(avgDebit)
		narr = "IMPS/P2A/" + ref + "/" + g.pick(people)
	case k < 88:
		typ, mode, amt = "CREDIT", "UPI", around(avgCredit)
		narr = "UPI/" + ref + "/" + g.pick(people) + "/SPLIT"
	case k < 93:
		typ, mode, amt = "CREDIT", "UPI", around(avgCredit)
		narr = "UPI/" + ref + "/" + g.pick(merchants) + "/REFUND"
	case k < 97:
		typ, mode, amt = "CREDIT", "NEFT", around(avgCredit)
		narr = "NEFT/N" + ref + "/" + g.pick(people) + "/FUNDS TRANSFER"
	default:
		typ, mode, amt = "CREDIT", "CASH", around(avgCredit)
		narr = "CASH DEPOSIT/" + g.pick(cities) + " BRANCH"
	}
	amount := paise(amt)
	if typ == "DEBIT" && l.a.floor != nil && sub(l.a.balance, amount).Cmp(l.a.floor) < 0 {
		typ, mode = "CREDIT", "NEFT"
		narr = "NEFT/N" + ref + "/" + g.pick(people) + "/FUNDS TRANSFER"
	}
	l.post(t, typ, mode, amount, narr, ref)
}
