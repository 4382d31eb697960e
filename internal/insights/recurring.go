package insights

import (
	"cmp"
	"slices"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Kind is what a recurring series pays for or receives.
type Kind string

// Kinds of recurring series.
const (
	Salary       Kind = "SALARY"       // a credit: salary, by keyword or by shape (see Recurring)
	Rent         Kind = "RENT"         // rent paid, or received
	Interest     Kind = "INTEREST"     // interest credited monthly
	EMI          Kind = "EMI"          // a loan instalment
	SIP          Kind = "SIP"          // a systematic investment plan
	Subscription Kind = "SUBSCRIPTION" // a streaming, software or other subscription
	Insurance    Kind = "INSURANCE"    // an insurance premium
	Utility      Kind = "UTILITY"      // electricity, telecom, gas, water
	Other        Kind = "OTHER"        // any other monthly payment
)

// Signals say why a series was classified as it was.
const (
	SignalKeyword    = "KEYWORD"      // the narration names the kind (e.g. SALARY, EMI, SIP)
	SignalMonthly    = "MONTHLY"      // once a month, at most one month in four missed
	SignalDay        = "DAY_OF_MONTH" // on about the same day of the month
	SignalAmount     = "AMOUNT_BAND"  // amounts within the kind's band of the typical amount
	SignalPayer      = "PAYER"        // one payer or payee named by the narration
	SignalTransfer   = "BANK_TRANSFER"
	SignalCategoryOf = "MERCHANT" // a known merchant of the kind (NETFLIX, BESCOM, ...)
)

// keywords of each kind, as narration words, and word prefixes.
var kindWords = []struct {
	kind     Kind
	dir      Direction
	words    map[string]bool
	prefixes []string
}{
	{Salary, In, set("SALARY", "SAL", "PAYROLL", "WAGES", "STIPEND", "SALARIES"), nil},
	{Rent, 0, set("RENT", "RENTAL"), nil},
	{Interest, In, set("INTEREST", "INT.PD", "INT"), nil},
	{EMI, Out, set("EMI", "LOAN", "EMIS", "INSTALMENT", "INSTALLMENT"), []string{"LN"}},
	{SIP, Out, set("SIP", "MF", "MUTUAL", "BSE", "NSE", "CAMS", "KFINTECH", "KFIN", "ICCL", "AMC"), nil},
	{Insurance, Out, set("LIC", "INSURANCE", "PREMIUM", "ASSURANCE", "POLICY"), nil},
	{Subscription, Out, set("SUBSCRIPTION", "NETFLIX", "NETFLIX.COM", "SPOTIFY", "PRIME", "HOTSTAR", "YOUTUBEPREMIUM", "YOUTUBE",
		"APPLE.COM", "ICLOUD", "ZOHO", "ADOBE", "MICROSOFT", "ZEE5", "SONYLIV", "JIOCINEMA", "AUDIBLE", "LINKEDIN"), nil},
	{Utility, Out, set("BESCOM", "ELECTRICITY", "POWER", "MSEDCL", "TNEB", "BSES", "AIRTEL", "JIO", "VODAFONE", "VI", "BSNL",
		"BROADBAND", "GAS", "WATER", "MAHANAGAR", "ADANI"), nil},
}

// categoryWord are the words that name what a payment is for, not whom
// (left out of counterparties: "NEFT/.../SALARY OCT 2026/ACME" is ACME's).
var categoryWord = set("SALARY", "SAL", "SALARIES", "PAYROLL", "WAGES", "STIPEND", "PAYOUT", "MONTHLY",
	"RENT", "RENTAL", "EMI", "EMIS", "INSTALMENT", "INSTALLMENT", "SIP", "INT.PD")

// bands are how far an occurrence's amount may be from the series' typical
// (median) amount, in percent: fixed instalments barely move, bills do.
var bands = map[Kind]int64{Salary: 25, Rent: 10, Interest: 100, EMI: 10, SIP: 10, Subscription: 20, Insurance: 10, Utility: 60, Other: 15}

// transferModes are the channels of salaries (never card, cash or ATM).
var transferModes = set("NEFT", "RTGS", "IMPS", "FT", "OTHERS", "REMITTANCE", "")

// Series is a recurring payment: a payer's or payee's transactions of one
// direction, once a month.
type Series struct {
	Kind         Kind
	Dir          Direction
	Counterparty string
	// Occurrences are indexes into the ledger's Txns, oldest first.
	Occurrences []int
	// Typical is the median amount; Min, Max and Total are over the
	// occurrences.
	Typical, Min, Max, Total apd.Decimal
	// DayOfMonth is the median day of the month of the occurrences.
	DayOfMonth int
	Signals    []string
}

// Recurring finds the ledger's recurring credits and debits, skipping the
// transactions of returned payments (bounces: the returned payment, its
// reversal and charges).
//
// A series is the transactions of one direction whose narrations have one
// key (the narration without references, dates and month names), in at
// least three calendar months, in at least three of every four months from
// its first to its last, at most one and a half a month on average (daily
// spending at one merchant is not a series), three in four of them within
// the kind's band of the median amount. Its kind comes from the narration's
// words (SALARY, EMI, SIP, RENT, NETFLIX, BESCOM, ...); a series without
// such a word must also fall within a five-day window of the month three
// times in four (OTHER), and a credit one is salary-like, and classified
// SALARY, when it arrives by bank transfer from one named payer and its
// amounts stay within 25% of the median.
// Series are ordered by kind, then by total, largest first.
func (l *Ledger) Recurring() (credits, debits []Series) {
	skip := map[int]bool{}
	for _, b := range l.Bounces() {
		for _, i := range b.all() {
			skip[i] = true
		}
	}
	type group struct {
		dir Direction
		key string
	}
	groups := map[group][]int{}
	var order []group
	for i := range l.Txns {
		x := &l.Txns[i]
		k := key(x.Narration)
		if skip[i] || k == "" {
			continue
		}
		g := group{x.Dir, k}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], i)
	}
	for _, g := range order {
		s, ok := l.series(g.dir, g.key, groups[g])
		if !ok {
			continue
		}
		if g.dir == In {
			credits = append(credits, s)
		} else {
			debits = append(debits, s)
		}
	}
	byKind := func(a, b Series) int {
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return b.Total.Cmp(&a.Total)
	}
	slices.SortStableFunc(credits, byKind)
	slices.SortStableFunc(debits, byKind)
	return credits, debits
}

// series tests one group of transactions and classifies it.
func (l *Ledger) series(dir Direction, k string, idx []int) (Series, bool) {
	s := Series{Dir: dir, Counterparty: counterparty(k), Occurrences: idx}
	months := map[[2]int]bool{}
	for _, i := range idx {
		t := l.Txns[i].At.In(finpro.IST)
		months[[2]int{t.Year(), int(t.Month())}] = true
	}
	first, last := l.Txns[idx[0]].At.In(finpro.IST), l.Txns[idx[len(idx)-1]].At.In(finpro.IST)
	span := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
	if len(months) < 3 || len(months)*4 < span*3 || len(idx)*2 > len(months)*3 {
		return s, false
	}
	s.Signals = append(s.Signals, SignalMonthly)

	ws := words(l.Txns[idx[0]].Narration)
	s.Kind = Other
	keyword := false
	for _, kw := range kindWords {
		if (kw.dir == 0 || kw.dir == dir) && anyWord(ws, kw.words, kw.prefixes...) {
			s.Kind, keyword = kw.kind, true
			break
		}
	}
	if keyword {
		if s.Kind == Subscription || s.Kind == Utility || s.Kind == Insurance {
			s.Signals = append(s.Signals, SignalCategoryOf)
		} else {
			s.Signals = append(s.Signals, SignalKeyword)
		}
	}

	amounts := make([]*apd.Decimal, len(idx))
	for j, i := range idx {
		amounts[j] = &l.Txns[i].Amount
		add(&s.Total, &s.Total, amounts[j])
	}
	sorted := slices.Clone(amounts)
	slices.SortFunc(sorted, func(a, b *apd.Decimal) int { return a.Cmp(b) })
	s.Min.Set(sorted[0])
	s.Max.Set(sorted[len(sorted)-1])
	s.Typical.Set(sorted[(len(sorted)-1)/2]) // the lower median: an amount that occurred
	inBand := func(band int64) int {
		n := 0
		var lim, diff apd.Decimal
		exact(ctx.Mul(&lim, &s.Typical, apd.New(band, -2)))
		for _, a := range amounts {
			sub(&diff, a, &s.Typical)
			diff.Abs(&diff)
			if diff.Cmp(&lim) <= 0 {
				n++
			}
		}
		return n
	}
	if inBand(bands[s.Kind])*4 < len(idx)*3 {
		return s, false
	}
	s.Signals = append(s.Signals, SignalAmount)

	days := make([]int, len(idx))
	for j, i := range idx {
		days[j] = l.Txns[i].At.In(finpro.IST).Day()
	}
	var clustered bool
	s.DayOfMonth, clustered = dayCluster(days)
	if clustered {
		s.Signals = append(s.Signals, SignalDay)
	} else if !keyword {
		return s, false // without a keyword, only a payment on a day of the month recurs
	}
	if s.Counterparty != "" {
		s.Signals = append(s.Signals, SignalPayer)
	}
	if dir == In && s.Kind == Other {
		transfer := true
		for _, i := range idx {
			transfer = transfer && transferModes[l.Txns[i].Mode]
		}
		if transfer && clustered && s.Counterparty != "" && inBand(bands[Salary])*4 >= len(idx)*3 {
			s.Kind = Salary
			s.Signals = append(s.Signals, SignalTransfer)
		}
	}
	return s, true
}

// dayCluster returns the days' median day of the month and whether three
// in four of them fall within a five-day window around it (days wrap at the
// month's end: the 30th and the 2nd are three days apart).
func dayCluster(days []int) (median int, clustered bool) {
	best, bestN := days[0], -1
	for _, c := range days {
		n := 0
		for _, d := range days {
			if dist(c, d) <= 2 {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	sorted := slices.Clone(days)
	slices.Sort(sorted)
	median = sorted[(len(sorted)-1)/2]
	if bestN*4 >= len(days)*3 {
		median = best
	}
	return median, bestN*4 >= len(days)*3
}

// dist is the distance between two days of the month on a 31-day circle.
func dist(a, b int) int {
	d := a - b
	if d < 0 {
		d = -d
	}
	return min(d, 31-d)
}
