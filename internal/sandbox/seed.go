package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/uuid"
)

// dataEnd anchors the seeded data: the last seeded transaction is on this day, so
// the data never depends on the wall clock.
var dataEnd = time.Date(2026, 10, 31, 18, 30, 0, 0, ist)

// idSpace namespaces the sandbox's name-based UUIDs.
var idSpace = uuid.MustParse("6f1c8a52-3d7e-4b0a-9c55-2e8f41a7d903")

// The second fixed customer (isolation tests: customer A cannot see B).
const otherMobile = "9123456780"

// fip is a Financial Information Provider.
type fip struct {
	id, name, ifsc, micr, branch string
}

var (
	fipHDFC  = fip{"HDFC-FIP", "HDFC Bank", "HDFC0001234", "400240015", "Andheri West"}
	fipICICI = fip{"ICICI-FIP", "ICICI Bank", "ICIC0000456", "400229012", "Powai"}
	fipSBI   = fip{"SBI-FIP", "State Bank of India", "SBIN0004321", "400002107", "Fort Mumbai"}
	fipAxis  = fip{"AXIS-FIP", "Axis Bank", "UTIB0000789", "400211003", "Bandra Kurla Complex"}
	fipKotak = fip{"KOTAK-FIP", "Kotak Mahindra Bank", "KKBK0000321", "400485009", "Lower Parel"}
	fipCAMS  = fip{"CAMS-FIP", "CAMS", "", "", "Chennai"}
	bankFIPs = []fip{fipHDFC, fipICICI, fipSBI, fipAxis, fipKotak}
)

var (
	merchants = []string{"SWIGGY", "ZOMATO", "BIGBASKET", "AMAZON PAY", "FLIPKART", "IRCTC", "UBER INDIA", "BESCOM", "AIRTEL", "JIO PREPAID", "DMART", "APOLLO PHARMACY", "BOOKMYSHOW", "MAKEMYTRIP", "TATA PLAY"}
	people    = []string{"RAVI KUMAR", "PRIYA NAIR", "ARJUN MEHTA", "SNEHA IYER", "VIKRAM SINGH", "KAVYA REDDY", "ROHAN GUPTA"}
	cities    = []string{"MUMBAI", "BENGALURU", "PUNE", "CHENNAI", "HYDERABAD", "DELHI"}
	firsts    = []string{"Ishaan", "Meera", "Kabir", "Tara", "Neel", "Riya", "Dev", "Anika", "Yash", "Zoya"}
	lasts     = []string{"Verma", "Pillai", "Joshi", "Menon", "Bose", "Kulkarni", "Chatterjee", "Das"}
	schemes   = []struct{ amc, code, name, isin, category string }{
		{"HDFC Mutual Fund", "HDFC-FLX-DG", "HDFC Flexi Cap Fund - Direct Growth", "INF179K01UT0", "EQUITY"},
		{"ICICI Prudential Mutual Fund", "ICICI-BLU-DG", "ICICI Prudential Bluechip Fund - Direct Growth", "INF109K016L0", "EQUITY"},
		{"SBI Mutual Fund", "SBI-LIQ-DG", "SBI Liquid Fund - Direct Growth", "INF200K01RA0", "DEBT"},
	}
)

// gen builds deterministic data from one PRNG.
type gen struct {
	r    *rand.Rand
	seed int64
	// minTxns is the least number of transactions of a DEPOSIT account's
	// history (Config.TxnsPerAccount).
	minTxns int
}

func newGen(seed int64, stream uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(uint64(seed), stream)), seed: seed}
}

// id is a name-based UUID: stable for the demo data whatever the seed (the name
// omits the seed), seed-dependent for everything else.
func (g *gen) id(name string, seeded bool) string {
	if seeded {
		name = "seed/" + strconv.FormatInt(g.seed, 10) + "/" + name
	}
	return uuid.NewSHA1(idSpace, []byte(name)).String()
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// between returns a random int64 in [lo, hi].
func (g *gen) between(lo, hi int64) int64 { return lo + g.r.Int64N(hi-lo+1) }

func (g *gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// times returns n strictly increasing instants in (start, end], the last one end.
func (g *gen) times(n int, start, end time.Time) []time.Time {
	gaps := make([]int64, n)
	var total int64
	for i := range gaps {
		gaps[i] = g.between(1, 1000)
		total += gaps[i]
	}
	span := int64(end.Sub(start) / time.Second)
	out := make([]time.Time, n)
	var acc int64
	prev := start
	for i, gp := range gaps {
		acc += gp
		t := start.Add(time.Duration(span*acc/total) * time.Second)
		if !t.After(prev) {
			t = prev.Add(time.Second)
		}
		out[i], prev = t, t
	}
	return out
}

// ledger appends reconciling transactions to an account.
type ledger struct {
	a *account
}

func (l ledger) post(at time.Time, typ, mode string, amount *apd.Decimal, narration, ref string) *txn {
	a := l.a
	if creditTypes[typ] {
		a.balance = add(a.balance, amount)
	} else {
		a.balance = sub(a.balance, amount)
	}
	a.nextID++
	a.txns = append(a.txns, txn{
		TxnID:                a.txnPre + strconv.FormatInt(a.nextID, 10),
		Type:                 typ,
		Mode:                 mode,
		Amount:               money(amount),
		CurrentBalance:       money(a.balance),
		TransactionTimestamp: at.In(ist).Format(time.RFC3339),
		ValueDate:            at.In(ist).Format(time.DateOnly),
		Narration:            narration,
		Reference:            ref,
		at:                   at,
	})
	return &a.txns[len(a.txns)-1]
}

// fakeHolder is a clearly fake but well-formed holder.
func (g *gen) fakeHolder(name, mobile string) holder {
	parts := strings.Fields(name)
	first, last := strings.ToLower(parts[0]), strings.ToLower(parts[len(parts)-1])
	pan := strings.ToUpper(fmt.Sprintf("%cSBX%c%s%c", 'A'+rune(g.r.IntN(26)), last[0], g.digits(4), 'A'+rune(g.r.IntN(26))))
	return holder{
		Name:           name,
		DOB:            fmt.Sprintf("19%02d-%02d-%02d", 70+g.r.IntN(30), 1+g.r.IntN(12), 1+g.r.IntN(28)),
		Mobile:         mobile,
		Nominee:        "REGISTERED",
		Landline:       "",
		Address:        fmt.Sprintf("Flat %d, Example Residency, Test Nagar, %s 4000%02d", 1+g.r.IntN(900), "Mumbai", 1+g.r.IntN(99)),
		Email:          first + "." + last + "@example.com",
		PAN:            pan,
		CKYCCompliance: "true",
	}
}

// acctOpts describes one account to build.
type acctOpts struct {
	name     string // id name (seeded or not, see gen.id)
	seeded   bool
	kind     string // savings, current, td, rd, mf
	fip      fip
	txns     int
	holders  []holder
	mobile   string
	finalBal string // optional exact final balance (fixed up with one last transaction)
	specials map[int]special
	// profile says what recurs in a DEPOSIT account's history (nil: a
	// random one; see history.go).
	profile *profile
}

// special forces the i-th day-to-day transaction of a DEPOSIT history.
type special struct {
	typ, mode, amount, narration string
}

func (g *gen) account(o acctOpts) *account {
	a := &account{
		linkRef:  g.id("link/"+o.name, o.seeded),
		fipID:    o.fip.id,
		fipName:  o.fip.name,
		holders:  o.holders,
		mobile:   o.mobile,
		balance:  paise(0),
		fipAccID: g.digits(14),
		txnPre:   strings.ToUpper(o.fip.id[:1]) + g.digits(3),
	}
	a.masked = "XXXXXXXX" + a.fipAccID[len(a.fipAccID)-4:]
	a.holdersType = "SINGLE"
	if len(o.holders) > 1 {
		a.holdersType = "JOINT"
	}
	opening := dataEnd.AddDate(-1-g.r.IntN(3), -g.r.IntN(12), 0)
	switch o.kind {
	case "savings", "current":
		g.deposit(a, o, opening)
	case "td":
		g.termDeposit(a, o, false)
	case "rd":
		g.termDeposit(a, o, true)
	case "mf":
		g.mutualFund(a, o)
	default:
		panic("sandbox: unknown account kind " + o.kind)
	}
	return a
}

func (g *gen) deposit(a *account, o acctOpts, opening time.Time) {
	a.fiType = fiDeposit
	a.accountType = "SAVINGS"
	facility, odLimit := "", "0"
	if o.kind == "current" {
		a.accountType, facility, odLimit = "CURRENT", "OD", "50000.00"
		a.floor = dec("-50000.00")
	} else {
		a.floor = paise(0)
	}
	// The account is older than its seeded history.
	if lim := historyStart.AddDate(0, -1, 0); opening.After(lim) {
		opening = lim
	}
	g.history(a, o, o.profile)
	at := a.txns[len(a.txns)-1].TransactionTimestamp
	a.summary = &depositSummary{
		CurrentBalance: money(a.balance), Currency: "INR", ExchgeRate: "", BalanceDateTime: at,
		Type: a.accountType, Branch: o.fip.branch, Facility: facility, IFSCCode: o.fip.ifsc, MICRCode: o.fip.micr,
		OpeningDate: opening.Format(time.DateOnly), CurrentODLimit: odLimit, DrawingLimit: odLimit, Status: "ACTIVE",
	}
}

// depositTxn posts one day-to-day savings/current transaction at t (scale
// data: no salary, EMI or other recurring payment).
func (g *gen) depositTxn(l ledger, t time.Time) {
	g.spend(l, t, 150_000, 40_000, 0)
}

func (g *gen) termDeposit(a *account, o acctOpts, recurring bool) {
	l := ledger{a}
	rateBP := g.between(600, 775)            // basis points
	rate := apd.New(rateBP, -2)              // e.g. 7.10 (percent)
	quarter := quoRound(rate, dec("400"), 8) // per-quarter fraction
	years := 1 + g.r.IntN(4)
	opening := dataEnd.AddDate(-1, -g.r.IntN(10), -g.r.IntN(28))
	maturity := opening.AddDate(years, 0, 0)
	s := &termSummary{
		Currency: "INR", Branch: o.fip.branch, IFSC: o.fip.ifsc,
		OpeningDate: opening.Format(time.DateOnly), MaturityDate: maturity.Format(time.DateOnly),
		InterestRate: money(rate), InterestComputation: "COMPOUND", CompoundingFrequency: "QUARTERLY",
		TenureDays:   strconv.Itoa(int(maturity.Sub(opening).Hours() / 24)),
		TenureMonths: strconv.Itoa(years * 12), TenureYears: strconv.Itoa(years), Status: "ACTIVE",
	}
	var principal, inst *apd.Decimal
	if recurring {
		a.fiType, a.accountType = fiRecurringDeposit, "RECURRING"
		s.AccountType, s.InterestPayout, s.Description = "RECURRING", "ON_MATURITY", "Recurring deposit"
		inst = paise(g.between(20, 100) * 10_000)
		day := opening.Day()
		s.RecurringAmount, s.RecurringDepositDay = money(inst), strconv.Itoa(day)
		principal = mulRound(inst, apd.New(int64(years*12), 0))
	} else {
		a.fiType, a.accountType = fiTermDeposit, "FIXED"
		s.AccountType, s.InterestPayout, s.Description = "FIXED", "REINVEST", "Fixed deposit"
		principal = paise(g.between(100, 1000) * 100_000)
	}
	s.PrincipalAmount = money(principal)
	// Maturity: installments or principal compounding quarterly.
	proj := paise(0)
	for m := 1; m <= years*12; m++ {
		if recurring || m == 1 {
			if recurring {
				proj = add(proj, inst)
			} else {
				proj = add(proj, principal)
			}
		}
		if m%3 == 0 {
			proj = add(proj, mulRound(proj, quarter))
		}
	}
	s.MaturityAmount = money(proj)
	// History: opening (or installments) and quarterly interest, TDS over 40000.
	ref := "TD" + g.digits(10)
	t := opening.Add(11 * time.Hour)
	if recurring {
		l.post(t, "OPENING", "FT", inst, "RD OPENING INSTALMENT "+ref, ref)
	} else {
		l.post(t, "OPENING", "FT", principal, "FD OPENING BY TRANSFER FROM XXXXXXXX"+g.digits(4), ref)
	}
	for m := 1; ; m++ {
		t = opening.AddDate(0, m, 0).Add(11 * time.Hour)
		if t.After(dataEnd) {
			break
		}
		if recurring {
			l.post(t, "INSTALLMENT", "FT", inst, "RD INSTALMENT "+t.Format("Jan 2006")+" "+ref, ref)
		}
		if m%3 == 0 {
			interest := mulRound(a.balance, quarter)
			l.post(t.Add(time.Hour), "INTEREST", "OTHERS", interest, "INTEREST CREDIT Q"+strconv.Itoa(m/3)+" "+ref, ref)
			if interest.Cmp(dec("4000.00")) > 0 {
				l.post(t.Add(2*time.Hour), "TDS", "OTHERS", mulRound(interest, dec("0.10")), "TDS DEDUCTED ON INTEREST "+ref, ref)
			}
		}
	}
	s.setBalance(money(a.balance), a.txns[len(a.txns)-1].TransactionTimestamp)
	a.summary = s
}

func (g *gen) mutualFund(a *account, o acctOpts) {
	a.fiType, a.accountType = fiMutualFunds, "MUTUAL_FUND"
	l := ledger{a}
	n := max(o.txns, 6)
	ts := g.times(n, dataEnd.AddDate(-2, 0, 0), dataEnd)
	held := make([]*apd.Decimal, len(schemes))
	for i := range held {
		held[i] = paise(0)
	}
	folio := g.digits(10) + "/" + g.digits(2)
	for i, t := range ts {
		k := i % len(schemes)
		sc := schemes[k]
		nav := paise(g.between(2_000, 150_000)) // 20.00 .. 1500.00
		amt := paise(g.between(10, 100) * 50_000)
		typ, narr := "BUY", "SIP PURCHASE "+sc.name
		if i > len(schemes) && g.r.IntN(6) == 0 && held[k].Cmp(amt) > 0 {
			typ, narr = "SELL", "REDEMPTION "+sc.name
			held[k] = sub(held[k], amt)
		} else {
			held[k] = add(held[k], amt)
		}
		x := l.post(t, typ, "OTHERS", amt, narr, "FOLIO "+folio)
		x.ISIN, x.NAV, x.Units = sc.isin, money(nav), quoRound(amt, nav, 3).Text('f')
	}
	s := &mfSummary{Currency: "INR"}
	var cost *apd.Decimal = paise(0)
	for k, sc := range schemes {
		nav := paise(g.between(2_000, 150_000))
		c := mulRound(held[k], dec("0.92"))
		cost = add(cost, c)
		s.Investment.Holdings.Holding = append(s.Investment.Holdings.Holding, mfHolding{
			AMC: sc.amc, Registrar: "CAMS", SchemeCode: sc.code, SchemeName: sc.name, SchemeOption: "GROWTH",
			SchemeCategory: sc.category, ISIN: sc.isin, FolioNo: folio, Units: quoRound(held[k], nav, 3).Text('f'),
			NAV: money(nav), NAVDate: dataEnd.Format(time.DateOnly), CostValue: money(c), CurrentValue: money(held[k]),
		})
	}
	s.CostValue = money(cost)
	s.setBalance(money(a.balance), a.txns[len(a.txns)-1].TransactionTimestamp)
	a.summary = s
}

// consentOpts describes one consent to build.
type consentOpts struct {
	name     string
	seeded   bool
	product  string
	status   string
	fetch    string // default: the product's
	accounts []*account
	daysAgo  int
}

func (g *gen) consent(c *customer, o consentOpts) *consent {
	p := products[o.product]
	k := &consent{
		handle:    g.id("handle/"+o.name, o.seeded),
		status:    o.status,
		productID: o.product,
		accountID: "ACC" + strings.ToUpper(strings.ReplaceAll(o.name, "/", "-")),
		vua:       c.mobile + "@onemoney",
		mobile:    c.mobile,
		fetchType: p.fetchType,
		created:   dataEnd.AddDate(0, 0, -o.daysAgo).Add(-time.Duration(g.between(0, 36000)) * time.Second),
	}
	if o.fetch != "" {
		k.fetchType = o.fetch
	}
	k.expiry = k.created.AddDate(1, 0, 0)
	switch o.status {
	case statusPending:
	case statusRejected:
	default:
		k.id = g.id("consent/"+o.name, o.seeded)
		k.accounts = o.accounts
		k.ready = true
		k.sessionID = g.id("session/"+o.name, o.seeded)
		k.fetchedAt = k.created.Add(2 * time.Minute)
	}
	if o.status == statusExpired {
		k.expiry = dataEnd.AddDate(0, -1, 0)
		k.created = k.expiry.AddDate(-1, 0, 0)
	}
	c.consents = append(c.consents, k)
	return k
}

// seedData builds every customer. Every DEPOSIT account's history holds at
// least perAccount transactions; scale extra transactions are spread over the
// DEPOSIT accounts after it.
func seedData(seed int64, scale, perAccount int) []*customer {
	fixed := newGen(seed, 1)
	fixed.minTxns = perAccount
	// The demo customer: structure and IDs fixed, amounts from the seed.
	demo := &customer{mobile: DemoMobile, name: "Aarav Sharma"}
	me := fixed.fakeHolder(demo.name, DemoMobile)
	spouse := fixed.fakeHolder("Diya Sharma", "9000000001")
	bigSav := fixed.account(acctOpts{name: "demo/savings", kind: "savings", fip: fipHDFC, txns: 300, holders: []holder{me}, mobile: DemoMobile,
		profile:  fixed.demoSavingsProfile(demo.name),
		specials: map[int]special{5: {"CREDIT", "UPI", "0.10", "UPI/CASHBACK/REWARDS/AMAZON PAY"}}})
	joint := fixed.account(acctOpts{name: "demo/joint-current", kind: "current", fip: fipAxis, txns: 160, holders: []holder{me, spouse}, mobile: DemoMobile, finalBal: "-5.50",
		profile: fixed.demoCurrentProfile(demo.name),
		specials: map[int]special{
			10: {"CREDIT", "FT", "100000000000.01", "RTGS/UTIBR" + "52026091500001/ESCROW RECEIPT/ACME HOLDINGS"},
			11: {"DEBIT", "FT", "100000000000.01", "RTGS/UTIBR" + "52026091500002/ESCROW RELEASE/ACME HOLDINGS"},
		}})
	td := fixed.account(acctOpts{name: "demo/fd", kind: "td", fip: fipICICI, holders: []holder{me}, mobile: DemoMobile})
	rd := fixed.account(acctOpts{name: "demo/rd", kind: "rd", fip: fipSBI, holders: []holder{me}, mobile: DemoMobile})
	mf := fixed.account(acctOpts{name: "demo/mf", kind: "mf", fip: fipCAMS, txns: 24, holders: []holder{me}, mobile: DemoMobile})
	kotak := fixed.account(acctOpts{name: "demo/kotak-savings", kind: "savings", fip: fipKotak, txns: 60, holders: []holder{me}, mobile: DemoMobile,
		profile: fixed.demoKotakProfile(demo.name)})
	demo.accounts = []*account{bigSav, joint, td, rd, mf, kotak}
	for _, o := range []consentOpts{
		{name: "demo/pfm-periodic", product: DemoProductID, status: statusActive, accounts: []*account{bigSav, joint, td, rd}, daysAgo: 200},
		{name: "demo/pfm-onetime", product: DemoProductID, status: statusActive, fetch: "ONETIME", accounts: []*account{bigSav, mf}, daysAgo: 90},
		{name: "demo/pfm-pending", product: DemoProductID, status: statusPending, daysAgo: 2},
		{name: "demo/pfm-revoked", product: DemoProductID, status: statusRevoked, accounts: []*account{kotak}, daysAgo: 300},
		{name: "demo/pfm-paused", product: DemoProductID, status: statusPaused, accounts: []*account{kotak, td}, daysAgo: 150},
		{name: "demo/pfm-rejected", product: DemoProductID, status: statusRejected, daysAgo: 120},
		{name: "demo/pfm-expired", product: DemoProductID, status: statusExpired, accounts: []*account{bigSav}},
		{name: "demo/loan-active", product: "LOAN_UNDERWRITING", status: statusActive, accounts: []*account{bigSav, kotak}, daysAgo: 45},
		{name: "demo/loan-pending", product: "LOAN_UNDERWRITING", status: statusPending, daysAgo: 1},
	} {
		fixed.consent(demo, o)
	}

	other := &customer{mobile: otherMobile, name: "Ananya Rao"}
	oh := fixed.fakeHolder(other.name, otherMobile)
	oSav := fixed.account(acctOpts{name: "other/savings", kind: "savings", fip: fipICICI, txns: 80, holders: []holder{oh}, mobile: otherMobile})
	oTD := fixed.account(acctOpts{name: "other/fd", kind: "td", fip: fipHDFC, holders: []holder{oh}, mobile: otherMobile})
	other.accounts = []*account{oSav, oTD}
	fixed.consent(other, consentOpts{name: "other/pfm-periodic", product: DemoProductID, status: statusActive, accounts: []*account{oSav, oTD}, daysAgo: 60})
	fixed.consent(other, consentOpts{name: "other/pfm-pending", product: DemoProductID, status: statusPending, daysAgo: 3})
	fixed.consent(other, consentOpts{name: "other/loan-rejected", product: "LOAN_UNDERWRITING", status: statusRejected, daysAgo: 20})

	customers := []*customer{demo, other}

	// Seed-dependent customers.
	g := newGen(seed, 2)
	g.minTxns = perAccount
	statuses := []string{statusActive, statusPending, statusRejected, statusRevoked, statusExpired, statusPaused}
	prods := []string{DemoProductID, "LOAN_UNDERWRITING", "WEALTH_TRACKER"}
	seen := map[string]bool{DemoMobile: true, otherMobile: true}
	for i := range 4 {
		mobile := strconv.Itoa(6+g.r.IntN(4)) + g.digits(9)
		if seen[mobile] {
			continue
		}
		seen[mobile] = true
		c := &customer{mobile: mobile, name: g.pick(firsts) + " " + g.pick(lasts)}
		h := g.fakeHolder(c.name, mobile)
		kinds := []string{"savings", "current", "td", "rd", "mf"}
		for j := range 1 + g.r.IntN(3) {
			kind := kinds[g.r.IntN(len(kinds))]
			f := bankFIPs[g.r.IntN(len(bankFIPs))]
			if kind == "mf" {
				f = fipCAMS
			}
			c.accounts = append(c.accounts, g.account(acctOpts{
				name: fmt.Sprintf("cust%d/acct%d", i, j), seeded: true, kind: kind, fip: f,
				txns: 20 + g.r.IntN(120), holders: []holder{h}, mobile: mobile,
			}))
		}
		for j := range 2 + g.r.IntN(3) {
			st := statuses[(i+j)%len(statuses)]
			pid := prods[g.r.IntN(len(prods))]
			var linked []*account
			for _, a := range c.accounts {
				if products[pid].fiTypes[a.fiType] {
					linked = append(linked, a)
				}
			}
			g.consent(c, consentOpts{name: fmt.Sprintf("cust%d/consent%d", i, j), seeded: true, product: pid, status: st, accounts: linked, daysAgo: 5 + g.r.IntN(300)})
		}
		customers = append(customers, c)
	}
	if scale > 0 {
		spreadScale(newGen(seed, 3), customers, scale)
	}
	// After everything else, from a generator of its own, so the data above
	// stays exactly as it was.
	wg := newGen(seed, 4)
	wg.minTxns = perAccount
	seedWealth(wg, demo)
	return customers
}

// spreadScale appends scale extra reconciling transactions over the DEPOSIT
// accounts, after their seeded history.
func spreadScale(g *gen, customers []*customer, scale int) {
	var deps []*account
	for _, c := range customers {
		for _, a := range c.accounts {
			if a.fiType == fiDeposit {
				deps = append(deps, a)
			}
		}
	}
	for i, a := range deps {
		n := scale / len(deps)
		if i < scale%len(deps) {
			n++
		}
		if n == 0 {
			continue
		}
		// Keep the summary's fixed final balance semantics simple: scale data is
		// ordinary history placed after the seeded transactions.
		last := a.txns[len(a.txns)-1].at
		ts := g.times(n, last, last.Add(time.Duration(n)*time.Minute))
		l := ledger{a}
		for _, t := range ts {
			g.depositTxn(l, t)
		}
		a.summary.setBalance(money(a.balance), a.txns[len(a.txns)-1].TransactionTimestamp)
	}
}
