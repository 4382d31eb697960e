package sandbox

import (
	"bytes"
	"strconv"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// The wealth dashboard: one ACTIVE consent of the demo customer linking one
// account of every FI type of the seeds, each rendered in its ReBIT schema
// (Sahamati/account-aggregator-standards, schemas/<type>/<type>.xsd) the way
// FinPro renders the deposit schema: attributes as fields, capitalised
// elements, repeatable elements as arrays, every value a string.
//
// Values are internally consistent, exact (apd): units × price = value per
// holding, Σ holdings = summary current value, Σ purchases = investment value,
// deposits compound quarterly from principal and rate to their maturity
// amount, and transactions reconcile with the balances they report.

// WealthProductID is the consent template of the wealth dashboard.
const WealthProductID = "WEALTH_DASHBOARD"

// wealthTypes are the FI types of the seeds, in their order.
var wealthTypes = []string{"DEPOSIT", "TERM_DEPOSIT", "RECURRING_DEPOSIT", "SIP", "CP", "GOVT_SECURITIES",
	"EQUITIES", "BONDS", "DEBENTURES", "MUTUAL_FUNDS", "ETF", "IDR", "CIS", "AIF", "INSURANCE_POLICIES", "NPS",
	"INVIT", "REIT", "GSTR1_3B", "LIFE_INSURANCE", "GENERAL_INSURANCE", "OTHER"}

func wealthFITypes() map[string]bool {
	m := map[string]bool{}
	for _, t := range wealthTypes {
		m[t] = true
	}
	return m
}

var (
	fipNSDL   = fip{"NSDL-FIP", "NSDL Depository", "", "", "Mumbai"}
	fipCDSL   = fip{"CDSL-FIP", "CDSL Depository", "", "", "Mumbai"}
	fipKFin   = fip{"KFIN-FIP", "KFin Technologies", "", "", "Hyderabad"}
	fipLIC    = fip{"LIC-FIP", "Life Insurance Corporation of India", "", "", "Mumbai"}
	fipICICIL = fip{"ICICIGI-FIP", "ICICI Lombard General Insurance", "", "", "Mumbai"}
	fipNPS    = fip{"PROTEAN-FIP", "Protean CRA", "", "", "Mumbai"}
	fipGSTN   = fip{"GSTN-FIP", "GSTN", "", "", "New Delhi"}
	fipPO     = fip{"IPPB-FIP", "India Post Payments Bank", "IPOS0000001", "", "GPO Mumbai"}
)

// obj is a JSON object whose keys keep their order: key, value, key, value...
type obj []any

// MarshalJSON writes o's pairs in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i+1 < len(o); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quote(o[i].(string)))
		b.WriteByte(':')
		b.Write(encodeJSON(o[i+1]))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o obj) set(key string, v any) {
	for i := 0; i+1 < len(o); i += 2 {
		if o[i] == key {
			o[i+1] = v
			return
		}
	}
}

// rebitSummary is a Summary rendered from an obj. setBalance (after an admin
// append) updates its value attribute, when it has one.
type rebitSummary struct {
	o        obj
	valueKey string
}

// MarshalJSON renders the Summary element.
func (s *rebitSummary) MarshalJSON() ([]byte, error) { return s.o.MarshalJSON() }

func (s *rebitSummary) setBalance(b, _ string) {
	if s.valueKey != "" {
		s.o.set(s.valueKey, b)
	}
}

// wealthAcct builds one wealth account: txns carry what the sandbox's windows
// and paging need, rows the schema's rendering of each.
type wealthAcct struct {
	g    *gen
	a    *account
	rows []obj
	// tail renders a transaction appended later through the admin API.
	tail func(t *txn) obj
}

func (g *gen) wealthAccount(name, fiType, accountType string, f fip, h holder) *wealthAcct {
	a := &account{
		linkRef: g.id("link/"+name, false), fipID: f.id, fipName: f.name, holders: []holder{h},
		mobile: DemoMobile, balance: paise(0), fipAccID: g.digits(14), holdersType: "SINGLE",
		fiType: fiType, accountType: accountType,
	}
	a.masked = "XXXXXXXX" + a.fipAccID[len(a.fipAccID)-4:]
	a.txnPre = f.id[:1] + g.digits(3)
	w := &wealthAcct{g: g, a: a}
	a.renderTxn = func(i int) []byte {
		if i < len(w.rows) {
			return encodeJSON(w.rows[i])
		}
		t := &a.txns[i]
		if w.tail != nil {
			return encodeJSON(w.tail(t))
		}
		return encodeJSON(obj{"txnId", t.TxnID, "type", t.Type, "amount", t.Amount, "narration", t.Narration,
			"transactionDateTime", t.TransactionTimestamp, "valueDate", t.ValueDate})
	}
	return w
}

// add records one transaction at at; row is its rendering without txnId.
func (w *wealthAcct) add(at time.Time, typ string, amount *apd.Decimal, narration string, row obj) string {
	a := w.a
	a.nextID++
	id := a.txnPre + strconv.FormatInt(a.nextID, 10)
	a.txns = append(a.txns, txn{
		TxnID: id, Type: typ, Mode: "OTHERS", Amount: money(amount), CurrentBalance: money(a.balance),
		TransactionTimestamp: at.In(ist).Format(time.RFC3339), ValueDate: at.In(ist).Format(time.DateOnly),
		Narration: narration, at: at,
	})
	w.rows = append(w.rows, append(obj{"txnId", id}, row...))
	return id
}

// finish sets the account's summary and balance (its current value).
func (w *wealthAcct) finish(summary obj, valueKey string, value *apd.Decimal) *account {
	w.a.summary = &rebitSummary{o: summary, valueKey: valueKey}
	w.a.balance = value
	return w.a
}

// ---- arithmetic helpers (exact) ----

func mul(x, y *apd.Decimal) *apd.Decimal {
	var d apd.Decimal
	moneyCtx.Mul(&d, x, y)
	return &d
}

// round returns d rounded half-up to places decimals.
func round(d *apd.Decimal, places int32) *apd.Decimal {
	var q apd.Decimal
	moneyCtx.Quantize(&q, d, -places)
	return &q
}

func txt(d *apd.Decimal) string { return d.Text('f') }

func units(n int64) *apd.Decimal { return apd.New(n, 0) }

func date(t time.Time) string { return t.In(ist).Format(time.DateOnly) }

func stamp(t time.Time) string { return t.In(ist).Format(time.RFC3339) }

// monthsAgo is the seeded data's anchor n months back at 10:00 IST.
func monthsAgo(n int) time.Time {
	d := dataEnd.AddDate(0, -n, 0)
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, ist)
}

// seedWealth adds the wealth accounts and their consent to the demo customer.
func seedWealth(g *gen, demo *customer) {
	me := demo.accounts[0].holders[0]
	dm := me
	dm.DematID = "IN30" + g.digits(12)
	dep := g.account(acctOpts{name: "demo/wealth/savings", kind: "savings", fip: fipSBI, txns: 40, holders: []holder{me}, mobile: DemoMobile})
	accts := []*account{
		dep,
		g.wealthTermDeposit(me, false),
		g.wealthTermDeposit(me, true),
		g.wealthSIP(dm),
		g.wealthCP(dm),
		g.wealthBonds(dm, "GOVT_SECURITIES"),
		g.wealthEquities(dm, "EQUITIES"),
		g.wealthBonds(dm, "BONDS"),
		g.wealthDebentures(dm),
		g.wealthMutualFunds(dm),
		g.wealthETF(dm),
		g.wealthEquities(dm, "IDR"),
		g.wealthCIS(dm),
		g.wealthAIF(dm),
		g.wealthInsurance(me, "INSURANCE_POLICIES"),
		g.wealthNPS(me),
		g.wealthTrust(dm, "INVIT"),
		g.wealthTrust(dm, "REIT"),
		g.wealthGST(me),
		g.wealthInsurance(me, "LIFE_INSURANCE"),
		g.wealthInsurance(me, "GENERAL_INSURANCE"),
		g.wealthOther(me),
	}
	demo.accounts = append(demo.accounts, accts...)
	g.consent(demo, consentOpts{name: "demo/wealth-active", product: WealthProductID, status: statusActive, accounts: accts, daysAgo: 30})
}

// ---- deposits ----

// quarterlyRate is an annual percentage rate's quarterly fraction, exact
// (7.25% -> 0.018125).
func quarterlyRate(rate *apd.Decimal) *apd.Decimal {
	var q apd.Decimal
	moneyCtx.Quo(&q, rate, apd.New(400, 0))
	return &q
}

// depositProjection is the balance of a deposit after months months: deposit
// is added at months 0..installments-1 and, at every third month, interest
// round2(balance × quarterly rate) is credited first. A fixed deposit is one
// installment.
func depositProjection(deposit, q *apd.Decimal, installments, months int) *apd.Decimal {
	bal := paise(0)
	for m := 0; m <= months; m++ {
		if m > 0 && m%3 == 0 {
			bal = add(bal, mulRound(bal, q))
		}
		if m < installments {
			bal = add(bal, deposit)
		}
	}
	return bal
}

func (g *gen) wealthTermDeposit(h holder, recurring bool) *account {
	name, fiType, acctType := "demo/wealth/fd", "TERM_DEPOSIT", "FIXED"
	if recurring {
		name, fiType, acctType = "demo/wealth/rd", "RECURRING_DEPOSIT", "RECURRING"
	}
	w := g.wealthAccount(name, fiType, acctType, fipHDFC, h)
	rate := apd.New(g.between(650, 775), -2)
	q := quarterlyRate(rate)
	years := 2 + g.r.IntN(2)
	months := years * 12
	elapsed := 10 + g.r.IntN(6)
	opening := monthsAgo(elapsed)
	maturity := opening.AddDate(years, 0, 0)
	deposit := paise(g.between(10, 50) * 10_000) // 1,000.00 .. 5,000.00 a month, or x100 for an FD
	installments := 1
	if recurring {
		installments = months
	} else {
		deposit = mul(deposit, apd.New(100, 0))
	}
	principal := mul(deposit, units(int64(installments)))
	maturityAmount := depositProjection(deposit, q, installments, months)
	ref := "TD" + g.digits(10)
	a := w.a
	post := func(at time.Time, typ string, amt *apd.Decimal, narr string) {
		if typ == "TDS" {
			a.balance = sub(a.balance, amt)
		} else {
			a.balance = add(a.balance, amt)
		}
		w.add(at, typ, amt, narr, obj{"amount", money(amt), "narration", narr, "type", typ, "mode", "FT",
			"balance", money(a.balance), "transactionDateTime", stamp(at), "valueDate", date(at), "reference", ref})
	}
	// The same schedule as depositProjection, posted up to today.
	for m := 0; m <= elapsed; m++ {
		at := opening.AddDate(0, m, 0)
		if m > 0 && m%3 == 0 {
			post(at, "INTEREST", mulRound(a.balance, q), "INTEREST CREDIT "+ref)
			at = at.Add(time.Hour)
		}
		if m < installments {
			typ, narr := "INSTALLMENT", "RD INSTALMENT "+at.Format("Jan 2006")+" "+ref
			if m == 0 {
				typ, narr = "OPENING", "DEPOSIT OPENED BY TRANSFER "+ref
			}
			post(at, typ, deposit, narr)
		}
	}
	w.tail = func(t *txn) obj {
		return obj{"txnId", t.TxnID, "amount", t.Amount, "narration", t.Narration, "type", t.Type, "mode", t.Mode,
			"balance", t.CurrentBalance, "transactionDateTime", t.TransactionTimestamp, "valueDate", t.ValueDate, "reference", t.Reference}
	}
	s := obj{
		"branch", fipHDFC.branch, "openingDate", date(opening), "ifsc", fipHDFC.ifsc, "accountType", acctType,
		"maturityAmount", money(maturityAmount), "maturityDate", date(maturity), "description", map[bool]string{false: "Fixed deposit, cumulative", true: "Recurring deposit"}[recurring],
		"interestPayout", "OnMaturity", "interestRate", money(rate), "principalAmount", money(principal),
		"tenureDays", strconv.Itoa(int(maturity.Sub(opening).Hours() / 24)), "tenureMonths", strconv.Itoa(months), "tenureYears", strconv.Itoa(years),
	}
	if recurring {
		s = append(s, "recurringAmount", money(deposit), "recurringDepositDay", strconv.Itoa(opening.Day()))
	}
	s = append(s, "interestComputation", "COMPOUND", "compoundingFrequency", "QUARTERLY",
		"interestPeriodicPayoutAmount", "0.00", "interestOnMaturity", money(sub(maturityAmount, principal)),
		"currentValue", money(a.balance))
	return w.finish(s, "currentValue", a.balance)
}

// ---- funds ----

type scheme struct{ amc, code, name, isin, amfi, category, schemeType, fundType string }

var wealthSchemes = []scheme{
	{"Parag Parikh Mutual Fund", "PPFAS-FC-DG", "Parag Parikh Flexi Cap Fund - Direct Growth", "INF879O01027", "122639", "MULTI_CAP_FUND", "EQUITY_SCHEMES", "EQUITY"},
	{"HDFC Mutual Fund", "HDFC-CB-DG", "HDFC Corporate Bond Fund - Direct Growth", "INF179K01XQ0", "118987", "CORPORATE_BOND_FUND", "DEBT_SCHEMES", "DEBT"},
}

// navWalk returns n NAVs (places decimals) drifting from start.
func (g *gen) navWalk(start int64, n int, places int32) []*apd.Decimal {
	out := make([]*apd.Decimal, n)
	v := start
	for i := range out {
		v += v * (g.between(-30, 50)) / 1000
		out[i] = apd.New(v, -places)
	}
	return out
}

func (g *gen) wealthMutualFunds(h holder) *account {
	w := g.wealthAccount("demo/wealth/mf", "MUTUAL_FUNDS", "MUTUAL_FUND", fipKFin, h)
	folio := g.digits(8) + "/" + g.digits(2)
	ucc := "UCC" + g.digits(7)
	var holdings []obj
	invested, current := paise(0), paise(0)
	for k, sc := range wealthSchemes {
		navs := g.navWalk(g.between(250_000, 1_500_000), 7, 4) // 25.0000 .. 150.0000
		held, cost := apd.New(0, -3), paise(0)
		for i := range 6 {
			at := monthsAgo(6 - i).Add(time.Duration(k) * time.Hour)
			amt := paise(g.between(20, 100) * 10_000)
			u := quoRound(amt, navs[i], 3)
			held = add(held, u)
			cost = add(cost, amt)
			w.add(at, "BUY", amt, "SIP PURCHASE "+sc.name, obj{"amc", sc.amc, "registrar", "KFINTECH", "schemeCode", sc.code,
				"schemePlan", "DIRECT", "isin", sc.isin, "amfiCode", sc.amfi, "fundType", sc.fundType, "schemeOption", "GROWTH_TYPE",
				"schemeTypes", sc.schemeType, "schemeCategory", sc.category, "ucc", ucc, "amount", money(amt),
				"closingUnits", txt(held), "lienUnits", "0.000", "nav", txt(navs[i]), "navDate", date(at), "type", "BUY",
				"orderDate", date(at.AddDate(0, 0, -1)), "executionDate", date(at), "lock-inFlag", "N", "lock-inDays", "0",
				"mode", "DEMAT", "narration", "SIP PURCHASE " + sc.name})
		}
		nav := navs[6]
		value := mulRound(held, nav)
		invested, current = add(invested, cost), add(current, value)
		holdings = append(holdings, obj{"amc", sc.amc, "registrar", "KFINTECH", "schemeCode", sc.code, "isin", sc.isin,
			"ucc", ucc, "amfiCode", sc.amfi, "folioNo", folio, "dividendType", "NA", "mode", "DEMAT", "FatcaStatus", "YES",
			"units", txt(held), "closingUnits", txt(held), "lienUnits", "0.000", "rate", txt(quoRound(cost, held, 4)),
			"nav", txt(nav), "lockingUnits", "0.000"})
	}
	sortTxns(w)
	w.tail = func(t *txn) obj {
		return obj{"txnId", t.TxnID, "amount", t.Amount, "type", t.Type, "navDate", t.ValueDate, "mode", "DEMAT", "narration", t.Narration}
	}
	return w.finish(obj{"investmentValue", money(invested), "currentValue", money(current),
		"Investment", obj{"Holdings", obj{"Holding", holdings}}}, "currentValue", current)
}

// sortTxns orders an account's transactions (and rows) by time, as the
// sandbox's windows and paging require.
func sortTxns(w *wealthAcct) {
	a := w.a
	idx := make([]int, len(a.txns))
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(idx); i++ { // insertion sort: small, stable
		for j := i; j > 0 && a.txns[idx[j]].at.Before(a.txns[idx[j-1]].at); j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	txns, rows := make([]txn, len(idx)), make([]obj, len(idx))
	for i, k := range idx {
		txns[i], rows[i] = a.txns[k], w.rows[k]
	}
	a.txns, w.rows = txns, rows
}

func (g *gen) wealthSIP(h holder) *account {
	w := g.wealthAccount("demo/wealth/sip", "SIP", "SIP", fipKFin, h)
	sc := wealthSchemes[0]
	folio := g.digits(8) + "/" + g.digits(2)
	ucc := "UCC" + g.digits(7)
	amt := paise(g.between(10, 50) * 100_000)
	done, total := 8, 36
	navs := g.navWalk(g.between(500_000, 900_000), done+1, 4)
	held := apd.New(0, -3)
	first := monthsAgo(done)
	for i := range done {
		at := first.AddDate(0, i, 0)
		u := quoRound(amt, navs[i], 3)
		held = add(held, u)
		w.add(at, "BUY", amt, "SIP INSTALMENT", obj{"txnDate", date(at), "amc", sc.amc, "scheme", sc.name, "isin", sc.isin,
			"ucc", ucc, "amfiCode", sc.amfi, "folioNo", folio, "type", "BUY", "narration", "SIP INSTALMENT " + strconv.Itoa(i+1),
			"units", txt(u), "nav", txt(navs[i]), "cost", "0.00", "stt", "0.00", "amount", money(amt)})
	}
	nav := navs[done]
	value := mulRound(held, nav)
	invested := mul(amt, units(int64(done)))
	last := first.AddDate(0, done-1, 0)
	holding := obj{"amc", sc.amc, "registrar", "KFINTECH", "scheme", sc.name, "isin", sc.isin, "ucc", ucc, "amfiCode", sc.amfi,
		"folioNo", folio, "holdingType", "SOLE", "holder1Name", h.Name, "holder2Name", "", "nominee", "SOLE", "email", h.Email,
		"units", txt(held), "nav", txt(nav), "value", money(value), "devidentType", "NA", "amount", money(amt), "frequency", "1",
		"instalmentDay", strconv.Itoa(first.Day()), "pendingInstalments", strconv.Itoa(total - done), "completeInstalments", strconv.Itoa(done),
		"lastInstalmentDate", date(last), "nextInstalmentDate", date(last.AddDate(0, 1, 0)), "creationDate", date(first.AddDate(0, 0, -7)),
		"modificationDate", date(first.AddDate(0, 0, -7)), "ceasedDate", ""}
	return w.finish(obj{"folioNo", folio, "investmentValue", money(invested), "currentValue", money(value),
		"Holdings", obj{"Holding", []obj{holding}},
		"Investments", obj{"type", "SIP", "issueDate", date(first), "maturityDate", date(first.AddDate(0, total, 0)),
			"Investment", []obj{{"type", "MONTHLY", "startDate", date(first), "endDate", date(first.AddDate(0, total-1, 0))}}},
	}, "currentValue", value)
}

func (g *gen) wealthCIS(h holder) *account {
	w := g.wealthAccount("demo/wealth/cis", "CIS", "CIS", fipNSDL, h)
	held := apd.New(g.between(200, 900)*1000, -3)
	rate, nav := apd.New(g.between(1000, 1500), -2), apd.New(g.between(1400, 2200), -2)
	isin, ucc, code := "INE0CIS0"+g.digits(4), "UCC"+g.digits(7), "CIS-"+g.digits(4)
	at := monthsAgo(2)
	div := mulRound(held, apd.New(g.between(10, 60), -2))
	w.add(at, "DIVIDEND", div, "INTERIM DIVIDEND", obj{"transactionDateTime", stamp(at), "schemeCode", code, "isin", isin,
		"dividendType", "INTERIM-DIVIDENT", "ucc", ucc, "amount", money(div), "closingUnits", txt(held), "nav", txt(nav),
		"navDate", date(at), "type", "DIVIDEND", "orderDate", date(at), "executionDate", date(at), "mode", "DEMAT", "otherTaxes", "0.00",
		"narration", "INTERIM DIVIDEND"})
	value := mulRound(held, nav)
	return w.finish(obj{"investmentValue", money(mulRound(held, rate)), "currentValue", money(value),
		"Investment", obj{"Holdings", obj{"Holding", []obj{{"isin", isin, "ucc", ucc, "folioNo", g.digits(9), "mode", "DEMAT",
			"units", txt(held), "closingUnits", txt(held), "rate", txt(rate), "nav", txt(nav)}}}}}, "currentValue", value)
}

func (g *gen) wealthAIF(h holder) *account {
	w := g.wealthAccount("demo/wealth/aif", "AIF", "AIF", fipNSDL, h)
	invested := paise(g.between(10, 30) * 10_000_000) // 1,00,000.00 .. 3,00,000.00 x10
	at := monthsAgo(14)
	w.add(at, "INVESTMENT", invested, "CAPITAL CALL", obj{"nameofAsset", "Category II AIF units", "investmentDateTime", stamp(at),
		"investmentValue", money(invested), "redemptionDate", "", "redemptionValue", "", "fundFeesPaymentDate", "", "fundFeesPaymentAmount", "",
		"reInvestmentDate", "", "reInvestmentValue", "", "paymentInvestorDate", "", "paymentInvestorAmount", "", "taxPaidValue", "", "taxPaidDate", "",
		"narration", "CAPITAL CALL 1"})
	feeAt := monthsAgo(2)
	fee := mulRound(invested, dec("0.0050"))
	w.add(feeAt, "FEE", fee, "MANAGEMENT FEE", obj{"nameofAsset", "Category II AIF units", "investmentDateTime", "", "investmentValue", "",
		"redemptionDate", "", "redemptionValue", "", "fundFeesPaymentDate", date(feeAt), "fundFeesPaymentAmount", money(fee),
		"reInvestmentDate", "", "reInvestmentValue", "", "paymentInvestorDate", "", "paymentInvestorAmount", "", "taxPaidValue", "", "taxPaidDate", "",
		"narration", "MANAGEMENT FEE"})
	// The investor's share of the portfolio, marked to market.
	var holdings []obj
	current := paise(0)
	for _, s := range []struct{ issuer, kind, desc string }{
		{"Example Logistics Pvt Ltd", "UNLISTED-EQUITY", "Series B preference-linked equity"},
		{"Example Infra Finance Ltd", "NCDS", "Senior secured NCDs"},
	} {
		price := mulRound(invested, apd.New(g.between(40, 60), -2))
		mtm := mulRound(price, apd.New(g.between(95, 140), -2))
		current = add(current, mtm)
		holdings = append(holdings, obj{"issuerName", s.issuer, "typeOfSecurity", s.kind, "valuationMethodology", "Fair value per SEBI AIF guidelines",
			"purchaseDate", date(at), "purchasePrice", money(price), "lastValuationDate", date(monthsAgo(1)), "mtmOnLastValuation", money(mtm),
			"holdingPeriod", "14 months", "description", s.desc})
	}
	return w.finish(obj{"totalNumUnitsIssued", strconv.FormatInt(g.between(90, 110), 10), "investmentValue", money(invested),
		"currentValue", money(current), "Investment", obj{"Holdings", obj{"Holding", holdings}}}, "currentValue", current)
}

// ---- listed securities ----

type listed struct{ name, symbol, isin string }

func (g *gen) wealthEquities(h holder, fiType string) *account {
	stocks := []listed{{"Reliance Industries Ltd", "RELIANCE", "INE002A01018"}, {"Tata Consultancy Services Ltd", "TCS", "INE467B01029"}, {"HDFC Bank Ltd", "HDFCBANK", "INE040A01034"}}
	name, f := "demo/wealth/equities", fipCDSL
	if fiType == "IDR" {
		stocks, name, f = []listed{{"Standard Chartered PLC IDR", "STANCHART", "INE028L21018"}}, "demo/wealth/idr", fipNSDL
	}
	w := g.wealthAccount(name, fiType, fiType, f, h)
	var holdings []obj
	invested, current := paise(0), paise(0)
	for k, s := range stocks {
		held, cost := int64(0), paise(0)
		price := paise(g.between(50_000, 400_000))
		firstAt := monthsAgo(9 - k)
		for j := range 2 {
			at := firstAt.AddDate(0, 3*j, 0).Add(time.Duration(k) * time.Minute)
			n := g.between(5, 40)
			price = g.drift(price)
			value := mul(units(n), price)
			charge := mulRound(value, dec("0.0010"))
			other := mulRound(value, dec("0.0003"))
			held += n
			cost = add(cost, value)
			order := g.digits(16)
			row := obj{"transactionDateTime", stamp(at), "orderId", order, "tradeId", g.digits(8), "isin", s.isin,
				"companyName", s.name, "symbol", s.symbol, "exchange", "NSE", "rate", money(price)}
			if fiType == "IDR" {
				row = append(row, "tradeValue", money(value), "shareHolerEquityType", "COMMON-STOCK", "type", "BUY", "units", strconv.FormatInt(n, 10),
					"otherCharges", money(other), "totalCharge", money(charge), "narration", "BUY "+s.symbol)
			} else {
				row = append(row, "equityCategory", "EQUITY", "instrumentType", "", "narration", "BUY "+s.symbol, "totalCharge", money(charge),
					"tradeValue", money(value), "type", "BUY", "shareHolderEquityType", "COMMON-STOCK", "units", strconv.FormatInt(n, 10),
					"otherCharges", money(other))
			}
			w.add(at, "BUY", value, "BUY "+s.symbol, row)
		}
		ltp := g.drift(price)
		val := mul(units(held), ltp)
		invested, current = add(invested, cost), add(current, val)
		holdings = append(holdings, obj{"issuerName", s.name, "isin", s.isin, "units", strconv.FormatInt(held, 10),
			"investmentDateTime", stamp(firstAt), "rate", money(quoRound(cost, units(held), 2)), "lastTradedPrice", money(ltp),
			"description", s.name + " equity shares"})
	}
	sortTxns(w)
	return w.finish(obj{"investmentValue", money(invested), "currentValue", money(current),
		"Investment", obj{"Holdings", obj{"type", "DEMAT", "Holding", holdings}}}, "currentValue", current)
}

func (g *gen) wealthETF(h holder) *account {
	w := g.wealthAccount("demo/wealth/etf", "ETF", "ETF", fipCDSL, h)
	dp := "IN30" + g.digits(4)
	var holdings []obj
	invested, current := paise(0), paise(0)
	for k, s := range []listed{{"Nippon India ETF Nifty 50 BeES", "NIFTYBEES", "INF204KB14I2"}, {"Nippon India ETF Gold BeES", "GOLDBEES", "INF204KB17I5"}} {
		held, cost := int64(0), paise(0)
		price := paise(g.between(5_000, 30_000))
		for j := range 3 {
			at := monthsAgo(8 - 2*j).Add(time.Duration(k) * time.Minute)
			n := g.between(10, 100)
			price = g.drift(price)
			amt := mul(units(n), price)
			held += n
			cost = add(cost, amt)
			w.add(at, "BUY", amt, "BUY "+s.symbol, obj{"isin", s.isin, "transactionDateTime", stamp(at), "units", strconv.FormatInt(n, 10),
				"amount", money(amt), "schemeName", s.name, "dpId", dp, "schemeMinLotSize", "1", "faceValueofUnits", "10.00", "nav", money(price),
				"type", "BUY", "orderDate", date(at), "executionDate", date(at), "mode", "DEMAT", "narration", "BUY " + s.symbol, "brokerCode", "ZRD"})
		}
		nav := g.drift(price)
		val := mul(units(held), nav)
		invested, current = add(invested, cost), add(current, val)
		holdings = append(holdings, obj{"folioNo", "", "dematId", h.DematID, "schemeName", s.name, "dpId", dp, "units", strconv.FormatInt(held, 10),
			"isin", s.isin, "mode", "DEMAT", "rate", money(quoRound(cost, units(held), 2)), "nav", money(nav), "lastNavDate", date(dataEnd),
			"symbol", s.symbol, "description", s.name})
	}
	sortTxns(w)
	return w.finish(obj{"investmentValue", money(invested), "currentValue", money(current),
		"Investment", obj{"Holdings", obj{"Holding", holdings}}}, "currentValue", current)
}

func (g *gen) wealthTrust(h holder, fiType string) *account {
	s := listed{"IndiGrid Infrastructure Trust", "INDIGRID", "INE219X23014"}
	name := "demo/wealth/invit"
	if fiType == "REIT" {
		s, name = listed{"Embassy Office Parks REIT", "EMBASSY", "INE041025011"}, "demo/wealth/reit"
	}
	w := g.wealthAccount(name, fiType, fiType, fipNSDL, h)
	held, cost := int64(0), paise(0)
	price := paise(g.between(10_000, 40_000))
	first := monthsAgo(11)
	for j := range 2 {
		at := first.AddDate(0, 4*j, 0)
		n := g.between(50, 300)
		price = g.drift(price)
		value := mul(units(n), price)
		charge := mulRound(value, dec("0.0010"))
		held += n
		cost = add(cost, value)
		row := obj{"isin", s.isin, "issuerName", s.name, "symbol", s.symbol, "exchange", "NSE", "transactionDescription", "Purchase of units",
			"transactionDateTime", stamp(at), "price", money(price), "unitsType", "UNITS", "numUnitsTransacted", strconv.FormatInt(n, 10),
			"tradeValue", money(value), "totalCharge", money(charge), "otherCharges", "0.00"}
		if fiType == "REIT" {
			row = append(row, "narration", "BUY "+s.symbol)
		}
		w.add(at, "BUY", value, "BUY "+s.symbol, row)
	}
	lcr := g.drift(price)
	current := mul(units(held), lcr)
	holding := obj{"isin", s.isin, "issuerName", s.name, "investmentDateTime", stamp(first), "rate", money(quoRound(cost, units(held), 2)),
		"totalNumberUnits", strconv.FormatInt(held, 10), "lastClosingRate", money(lcr), "description", s.name + " units"}
	if fiType == "REIT" {
		holding = append(holding, "nomineeStatus", "REGISTERED")
	}
	return w.finish(obj{"investmentValue", money(cost), "currentValue", money(current),
		"Investment", obj{"Holdings", obj{"Holding", []obj{holding}}}}, "currentValue", current)
}

// drift moves a price by -10% .. +25%, to two decimals.
func (g *gen) drift(p *apd.Decimal) *apd.Decimal {
	return mulRound(p, apd.New(g.between(90, 125), -2))
}

// ---- fixed income ----

func (g *gen) wealthBonds(h holder, fiType string) *account {
	type bond struct{ issuer, symbol, isin, desc, rating string }
	bonds := []bond{{"National Highways Authority of India", "NHAI-2031", "INE906B07HH5", "7.35% NHAI tax-free bonds 2031", "AAA"},
		{"REC Ltd", "REC-2029", "INE020B08DG9", "7.55% REC Ltd bonds 2029", "AAA"}}
	name, face := "demo/wealth/bonds", paise(100_000) // 1,000.00
	if fiType == "GOVT_SECURITIES" {
		bonds = []bond{{"Government of India", "GS2033", "IN0020230044", "7.18% GS 2033", "SOVEREIGN"}}
		name, face = "demo/wealth/gsec", paise(10_000) // 100.00
	}
	w := g.wealthAccount(name, fiType, fiType, fipNSDL, h)
	var holdings []obj
	invested, current := paise(0), paise(0)
	for k, b := range bonds {
		at := monthsAgo(7 + k)
		n := g.between(10, 60)
		price := round(mul(face, apd.New(g.between(970, 1040), -3)), 2)
		value := mul(units(n), price)
		w.add(at, "BUY", value, "BUY "+b.symbol, obj{"isin", b.isin, "narration", "BUY " + b.symbol, "transactionDateTime", stamp(at),
			"rate", money(price), "type", "BUY", "units", strconv.FormatInt(n, 10), "currency", "INR", "tradeValue", money(value),
			"totalCharge", "0.00", "otherTaxes", "0.00"})
		issue := at.AddDate(-1, 0, 0)
		years := 5 + k*3
		maturity := issue.AddDate(years, 0, 0)
		ltr := round(mul(face, apd.New(g.between(980, 1050), -3)), 2)
		val := mul(units(n), ltr)
		coupon := apd.New(g.between(700, 760), -2)
		principal := mul(units(n), face)
		// Interest accrued since the last half-yearly coupon, on the face value.
		accrued := mulRound(principal, mul(coupon, dec("0.0005")))
		invested, current = add(invested, value), add(current, val)
		holdings = append(holdings, obj{"scheme", "FIXED_INTEREST_RATE", "isin", b.isin, "units", strconv.FormatInt(n, 10),
			"faceValue", money(face), "symbol", b.symbol, "issuerName", b.issuer, "description", b.desc, "creditRating", b.rating,
			"creditRatingAgency", "CRISIL", "taxable", strconv.FormatBool(k > 0), "issueRate", money(face), "issueDate", date(issue),
			"principleAmount", money(principal), "tenureYears", strconv.Itoa(years), "tenureMoths", strconv.Itoa(years * 12),
			"tenureDays", strconv.Itoa(int(maturity.Sub(issue).Hours() / 24)), "couponRate", money(coupon), "maturityDate", date(maturity),
			"coupanComputation", "SIMPLE", "coupanPaymentDate", date(issue.AddDate(1, 6, 0)), "autionDate", date(issue.AddDate(0, 0, -3)),
			"compoundingFrequency", "OTHERS", "interestPayout", "HALF_YEARLY", "accruedInterestAmount", money(accrued),
			"interestOnMaturity", money(round(mul(mul(principal, coupon), apd.New(int64(years), -2)), 2)),
			"lastTradedRate", money(ltr), "lastTradedDate", date(dataEnd)})
	}
	sortTxns(w)
	return w.finish(obj{"investmentValue", money(invested), "currentValue", money(current),
		"Holdings", obj{"Holding", holdings}}, "currentValue", current)
}

func (g *gen) wealthDebentures(h holder) *account {
	w := g.wealthAccount("demo/wealth/ncd", "DEBENTURES", "DEBENTURES", fipCDSL, h)
	isin, face := "INE721A07RT2", paise(100_000)
	at := monthsAgo(13)
	n := g.between(20, 80)
	value := mul(units(n), face)
	w.add(at, "OPENING", value, "NCD ALLOTMENT", obj{"isin", isin, "narration", "NCD ALLOTMENT", "transactionDateTime", stamp(at),
		"rate", money(face), "type", "OPENING", "units", strconv.FormatInt(n, 10), "currency", "INR", "tradeValue", money(value),
		"totalCharge", "0.00", "otherTaxes", "0.00"})
	coupon := apd.New(g.between(850, 975), -2)
	iat := at.AddDate(1, 0, 0)
	interest := mulRound(value, mul(coupon, dec("0.01")))
	w.add(iat, "INTEREST", interest, "NCD ANNUAL INTEREST", obj{"isin", isin, "narration", "NCD ANNUAL INTEREST", "transactionDateTime", stamp(iat),
		"rate", money(face), "type", "INTEREST", "units", strconv.FormatInt(n, 10), "currency", "INR", "tradeValue", money(interest),
		"totalCharge", "0.00", "otherTaxes", "0.00"})
	ltr := round(mul(face, apd.New(g.between(990, 1030), -3)), 2)
	current := mul(units(n), ltr)
	maturity := at.AddDate(3, 0, 0)
	return w.finish(obj{"investmentValue", money(value), "currentValue", money(current), "Holdings", obj{"Holding", []obj{{
		"isin", isin, "units", strconv.FormatInt(n, 10), "faceValue", money(face), "coupon", money(coupon), "fixedIncomePortfolio", "Secured NCD",
		"symbol", "SHRIRAMFIN-NCD", "issuerName", "Shriram Finance Ltd", "description", "Secured redeemable NCDs, annual interest",
		"creditRating", "AA+", "taxable", "YES", "issueDate", date(at), "principalAmount", money(value),
		"tenureDays", strconv.Itoa(int(maturity.Sub(at).Hours() / 24)), "tenureMonths", "36", "tenureYears", "3",
		"yield", money(coupon), "maturityDate", date(maturity), "lastTradedRate", money(ltr), "lastTradedDate", date(dataEnd)}}}},
		"currentValue", current)
}

func (g *gen) wealthCP(h holder) *account {
	w := g.wealthAccount("demo/wealth/cp", "CP", "CP", fipNSDL, h)
	isin, face := "INE0CP0"+g.digits(5), paise(50_000_000) // 5,00,000.00
	at := monthsAgo(2)
	price := round(mul(face, apd.New(g.between(965, 985), -3)), 2)
	n := g.between(1, 4)
	value := mul(units(n), price)
	w.add(at, "BUY", value, "CP PURCHASE", obj{"isin", isin, "narration", "CP PURCHASE", "transactionDateTime", stamp(at), "rate", money(price),
		"type", "BUY", "units", strconv.FormatInt(n, 10), "currency", "INR", "tradeValue", money(value), "totalCharge", "0.00", "otherTaxes", "0.00"})
	// Accreted towards face value: a third of the discount has accrued.
	accreted := add(price, quoRound(sub(face, price), units(3), 2))
	current := mul(units(n), accreted)
	maturity := at.AddDate(0, 6, 0)
	return w.finish(obj{"investmentValue", money(value), "currentValue", money(current), "Investment", obj{"Holdings", obj{"Holding", []obj{{
		"scheme", "OTHERS", "investmentValue", money(value), "currentValue", money(current), "isin", isin, "units", strconv.FormatInt(n, 10),
		"faceValue", money(face), "symbol", "CP-" + isin[7:], "description", "182-day commercial paper", "issuerName", "Example Capital Ltd",
		"creditRating", "A1+", "creditRatingAgency", "ICRA", "issueDate", date(at), "principalAmount", money(mul(units(n), face)),
		"tenureYears", "0", "tenureMonths", "6", "tenureDays", strconv.Itoa(int(maturity.Sub(at).Hours() / 24)), "maturityDate", date(maturity),
		"auctionDate", date(at.AddDate(0, 0, -1))}}}}}, "currentValue", current)
}

// ---- insurance ----

func (g *gen) wealthInsurance(h holder, fiType string) *account {
	type plan struct {
		name, kind, cover, freq, f string
		years                      int
		sum                        int64 // rupees
	}
	p := map[string]plan{
		"INSURANCE_POLICIES": {"Jeevan Labh Endowment", "ENDOWMENT", "SELF", "YEARLY", "lic", 16, 1_000_000},
		"LIFE_INSURANCE":     {"Tech Term Plan", "TERM", "TERM_ROP", "YEARLY", "lic", 30, 10_000_000},
		"GENERAL_INSURANCE":  {"Complete Health Insurance", "OTHERS", "HEALTH", "YEARLY", "gi", 1, 1_000_000},
	}[fiType]
	f := fipLIC
	if p.f == "gi" {
		f = fipICICIL
	}
	hh := h
	hh.Rank = "1"
	w := g.wealthAccount("demo/wealth/"+map[string]string{"INSURANCE_POLICIES": "endowment", "LIFE_INSURANCE": "term", "GENERAL_INSURANCE": "health"}[fiType], fiType, p.kind, f, hh)
	start := monthsAgo(12*(2+g.r.IntN(3)) + 2)
	premium := paise(g.between(100, 600) * 10_000)
	sum := paise(p.sum * 100)
	n := 0
	for at := start; !at.After(dataEnd); at = at.AddDate(1, 0, 0) {
		n++
		typ := "PREMIUM_PAYMENT"
		if n > 1 && p.years == 1 {
			typ = "INSURANCE_RENEWWAL" // the XSD's spelling
		}
		w.add(at, typ, premium, "PREMIUM "+at.Format("2006"), obj{"txnDate", date(at), "narration", "PREMIUM " + at.Format("2006"), "type", typ, "amount", money(premium)})
	}
	expiry := start.AddDate(p.years, 0, 0)
	if p.years == 1 { // renewed every year: the current term
		expiry = start.AddDate(n, 0, 0)
	}
	policy := obj{"policyName", p.name, "policyNumber", g.digits(9), "eiaNumber", "E" + g.digits(12), "policyDescription", p.name,
		"sumAssured", money(sum), "coverAmount", money(sum), "tenureMonths", strconv.Itoa(p.years * 12), "tenureYears", strconv.Itoa(p.years),
		"premiumAmount", money(premium), "policyStartDate", date(start), "policyExpiryDate", date(expiry), "policyType", p.kind,
		"coverType", p.cover, "premiumFrequency", p.freq, "premiumPaymentYears", strconv.Itoa(p.years), "premiumPaymentMonths", strconv.Itoa(p.years * 12),
		"nextPremiumDueDate", date(start.AddDate(n, 0, 0)), "maturityDate", date(expiry)}
	moneyBacks, clauses, riders := []obj{}, []obj{}, []obj{}
	benefit := "0.00"
	if p.kind == "ENDOWMENT" {
		benefit = money(add(sum, mulRound(sum, dec("0.40")))) // sum assured plus accrued bonus
	}
	if p.cover == "HEALTH" {
		clauses = []obj{{"title", "Room rent", "subLimit", "1% of sum insured per day", "conditions", "Pre-authorisation for planned admission",
			"exlcusions", "Cosmetic treatment", "amount", money(mulRound(sum, dec("0.01"))), "description", "Room rent sub-limit"}}
	}
	policy = append(policy, "maturityBenefit", benefit, "MoneyBacks", obj{"MoneyBack", moneyBacks}, "ContractClauses", obj{"ContractClause", clauses},
		"Covers", obj{"Cover", []obj{{"amount", money(sum), "description", p.name + " base cover"}}})
	if p.kind == "TERM" {
		riders = []obj{{"riderType", "Accidental death benefit", "sumAssured", money(sum), "tenureYears", strconv.Itoa(p.years),
			"tenureMonths", strconv.Itoa(p.years * 12), "premiumAmount", money(mulRound(premium, dec("0.10"))),
			"policyStartDate", date(start), "policyEndDate", date(expiry)}}
	}
	w.a.profileJSON = encodeJSON(obj{"Holders", obj{"type", "SINGLE", "Holder", []holder{hh}}, "Riders", obj{"Rider", riders}})
	return w.finish(policy, "", paise(0))
}

// ---- pension ----

func (g *gen) wealthNPS(h holder) *account {
	hh := h
	hh.PranID = "1100" + g.digits(8)
	w := g.wealthAccount("demo/wealth/nps", "NPS", "NPS", fipNPS, hh)
	type sch struct {
		id, name string
		pct      int64
	}
	schemes := []sch{{"SM001003", "SBI PENSION FUND SCHEME E - TIER I", 75}, {"SM001005", "SBI PENSION FUND SCHEME G - TIER I", 25}}
	opening := monthsAgo(30)
	navs := [][]*apd.Decimal{g.navWalk(g.between(400_000, 600_000), 7, 4), g.navWalk(g.between(250_000, 350_000), 7, 4)}
	cum := []*apd.Decimal{apd.New(0, -4), apd.New(0, -4)}
	amounts := []*apd.Decimal{paise(0), paise(0)}
	cost := paise(0)
	var kinds []string
	for i := range 6 {
		at := monthsAgo(6 - i)
		subscriber := paise(g.between(20, 80) * 10_000) // multiples of 100.00
		emp := paise(g.between(10, 40) * 10_000)
		total := add(subscriber, emp)
		cost = add(cost, total)
		w.add(at, "CONTRIBUTION", total, "CONTRIBUTION", obj{"txnDate", date(at), "type", "CONTRIBUTION", "narration", "By Voluntary Contributions",
			"subscriberContribution", money(subscriber), "employerContribution", money(emp), "totalContribution", money(total)})
		kinds = append(kinds, "Tier1InvestmentTransaction")
		for k, s := range schemes {
			amt := mulRound(total, apd.New(s.pct, -2))
			u := quoRound(amt, navs[k][i], 4)
			cum[k] = add(cum[k], u)
			amounts[k] = add(amounts[k], amt)
			w.add(at.Add(time.Duration(k+1)*time.Hour), "CONTRIBUTION", amt, "CONTRIBUTION", obj{"txnDate", date(at), "type", "CONTRIBUTION",
				"schemeId", s.id, "schemeName", s.name, "narration", "By Voluntary Contributions", "allocationPercent", strconv.FormatInt(s.pct, 10),
				"amount", money(amt), "nav", txt(navs[k][i]), "units", txt(u), "cumulativeUnits", txt(cum[k])})
			kinds = append(kinds, "Tier1SchemeTransaction")
		}
	}
	var holdings, choices []obj
	value, free := paise(0), apd.New(0, -4)
	parts := make([]*apd.Decimal, len(schemes))
	for k, s := range schemes {
		nav := navs[k][6]
		v := mulRound(cum[k], nav)
		parts[k] = v
		value = add(value, v)
		free = add(free, cum[k])
		holdings = append(holdings, obj{"amount", money(amounts[k]), "amountInTransition", "0.00", "blockedUnits", "0.0000",
			"freeUnits", txt(cum[k]), "nav", txt(nav), "schemeName", s.name, "schemeId", s.id, "totalUnits", txt(cum[k]), "totalValueOfScheme", money(v)})
		choices = append(choices, obj{"allocationPercent", strconv.FormatInt(s.pct, 10), "pfmId", "PFM001", "pfmName", "SBI Pension Funds Pvt Ltd",
			"schemeId", s.id, "schemeName", s.name})
	}
	w.a.rebitTxns = func(b *bytes.Buffer, from, to int) {
		for _, kind := range []string{"Tier1SchemeTransaction", "Tier2SchemeTransaction", "Tier1InvestmentTransaction", "Tier2InvestmentTransaction"} {
			b.WriteString(`,"` + kind + `s":{"` + kind + `":[`)
			n := 0
			for i := from; i < to; i++ {
				if i < len(kinds) && kinds[i] == kind {
					if n > 0 {
						b.WriteByte(',')
					}
					b.Write(w.a.txnJSON[i])
					n++
				}
			}
			b.WriteString("]}")
		}
	}
	return w.finish(obj{"openingDate", date(opening), "currentValue", money(value), "status", "ACTIVE", "tier1Status", "ACTIVE",
		"tier2NAVDate", "", "tier2Status", "NA", "tier1NAVDate", date(dataEnd), "debtAssetValue", money(parts[1]),
		"equityAssetValue", money(parts[0]), "otherAssetValue", "0.00",
		"SchemeChoices", obj{"SchemeChoice", choices},
		"Holdings", obj{
			"Tier1Holdings", obj{"schemePreferenceType", "ACTIVE", "freeUnits", txt(free), "investmentCost", money(cost), "investmentValue", money(value), "Tier1Holding", holdings},
			"Tier2Holdings", obj{"schemePreferenceType", "NA", "freeUnits", "0.0000", "investmentCost", "0.00", "investmentValue", "0.00", "Tier2Holding", []obj{}},
		}}, "currentValue", value)
}

// ---- types without a ReBIT schema ----

func (g *gen) wealthGST(h holder) *account {
	w := g.wealthAccount("demo/wealth/gst", "GSTR1_3B", "GSTR1_3B", fipGSTN, h)
	period := dataEnd.AddDate(0, -1, 0)
	taxable, tax := paise(0), paise(0)
	for i := range 4 {
		at := time.Date(period.Year(), period.Month(), 3+7*i, 12, 0, 0, 0, ist)
		v := paise(g.between(1_000, 9_000) * 1_000)
		t := mulRound(v, dec("0.18"))
		taxable, tax = add(taxable, v), add(tax, t)
		w.add(at, "INVOICE", add(v, t), "B2B INVOICE", obj{"invoiceNo", "INV/" + period.Format("2006") + "/" + g.digits(4), "invoiceDate", date(at),
			"invoiceType", "B2B", "taxableValue", money(v), "taxRate", "18", "taxAmount", money(t)})
	}
	half := quoRound(tax, units(2), 2)
	return w.finish(obj{"gstin", "27" + h.PAN + "1Z" + g.digits(1), "returnPeriod", period.Format("012006"),
		"filingDate", date(period.AddDate(0, 1, 10)), "taxableValue", money(taxable), "igst", "0.00",
		"cgst", money(half), "sgst", money(sub(tax, half)), "cess", "0.00", "totalTax", money(tax)}, "", paise(0))
}

func (g *gen) wealthOther(h holder) *account {
	w := g.wealthAccount("demo/wealth/ppf", "OTHER", "PPF", fipPO, h)
	rate := dec("7.10")
	opening := monthsAgo(40)
	bal := paise(0)
	for y := 0; ; y++ {
		at := opening.AddDate(y, 0, 0)
		if at.After(dataEnd) {
			break
		}
		if y > 0 {
			interest := mulRound(bal, mul(rate, dec("0.01")))
			bal = add(bal, interest)
			w.add(at, "INTEREST", interest, "ANNUAL INTEREST", obj{"txnDate", date(at), "type", "INTEREST", "amount", money(interest), "balance", money(bal), "narration", "ANNUAL INTEREST"})
		}
		dep := paise(g.between(50, 150) * 100_000)
		bal = add(bal, dep)
		w.add(at.Add(time.Hour), "DEPOSIT", dep, "DEPOSIT", obj{"txnDate", date(at), "type", "DEPOSIT", "amount", money(dep), "balance", money(bal), "narration", "ANNUAL DEPOSIT"})
	}
	return w.finish(obj{"accountType", "PPF", "openingDate", date(opening), "maturityDate", date(opening.AddDate(15, 0, 0)),
		"interestRate", money(rate), "currentValue", money(bal)}, "currentValue", bal)
}
