package sandbox_test

import (
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/networth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/finprotest"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// checker does the test's own exact arithmetic on decoded values.
type checker struct {
	t   *testing.T
	ctx *apd.Context
	acc string
}

func (c *checker) d(s rebit.Decimal) *apd.Decimal {
	c.t.Helper()
	v, _, err := apd.NewFromString(string(s))
	if err != nil {
		c.t.Fatalf("%s: %q is not a decimal", c.acc, s)
	}
	return v
}

func (c *checker) sum(xs ...*apd.Decimal) *apd.Decimal {
	r := apd.New(0, 0)
	for _, x := range xs {
		c.ctx.Add(r, r, x)
	}
	return r
}

func (c *checker) mul(x, y *apd.Decimal) *apd.Decimal {
	var r apd.Decimal
	c.ctx.Mul(&r, x, y)
	return &r
}

func (c *checker) round(x *apd.Decimal, places int32) *apd.Decimal {
	var r apd.Decimal
	c.ctx.Quantize(&r, x, -places)
	return &r
}

func (c *checker) quo(x, y *apd.Decimal, places int32) *apd.Decimal {
	var r apd.Decimal
	c.ctx.Quo(&r, x, y)
	return c.round(&r, places)
}

func (c *checker) eq(what string, got, want *apd.Decimal) {
	c.t.Helper()
	if got.Cmp(want) != 0 {
		c.t.Errorf("%s: %s = %s, want %s", c.acc, what, got.Text('f'), want.Text('f'))
	}
}

func (c *checker) n(p *int) *apd.Decimal {
	c.t.Helper()
	if p == nil {
		c.t.Fatalf("%s: integer attribute absent", c.acc)
	}
	return apd.New(int64(*p), 0)
}

func wealthAccounts(t *testing.T) (*finprotest.Env, string, []finpro.FIAccount) {
	t.Helper()
	env := finprotest.New(t, sandbox.Config{}, finpro.Options{})
	var id string
	for _, c := range env.Sandbox.Customers() {
		for _, k := range c.Consents {
			if k.ProductID == sandbox.WealthProductID {
				if c.Mobile != sandbox.DemoMobile || k.Status != "ACTIVE" || id != "" {
					t.Fatalf("wealth consent %s of %s is %s; want one ACTIVE consent of the demo customer", k.ConsentID, c.Mobile, k.Status)
				}
				id = k.ConsentID
			}
		}
	}
	if id == "" {
		t.Fatal("no wealth consent")
	}
	accs, err := env.Client.AllFIData(t.Context(), id)
	if err != nil {
		t.Fatalf("AllFIData() error = %v", err)
	}
	return env, id, accs
}

// TestWealthConsent: one account of every FI type, each decoding cleanly by
// its schema, with values that agree with each other.
func TestWealthConsent(t *testing.T) {
	env, id, accs := wealthAccounts(t)
	byType := map[finpro.FIType]finpro.FIAccount{}
	for _, a := range accs {
		if _, dup := byType[a.FIType]; dup {
			t.Errorf("two %s accounts", a.FIType)
		}
		byType[a.FIType] = a
	}
	for _, ft := range fi.Types {
		if _, ok := byType[ft]; !ok {
			t.Errorf("no %s account", ft)
		}
	}
	balances, err := env.Client.Balances(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	balance := map[string]rebit.Decimal{}
	for _, b := range balances {
		balance[b.LinkReferenceNumber] = b.Balance
	}
	ctx := apd.BaseContext.WithPrecision(60)
	var values []networth.AccountValue
	var wantTotal []*apd.Decimal
	for _, ft := range fi.Types {
		a, ok := byType[ft]
		if !ok {
			continue
		}
		t.Run(string(ft), func(t *testing.T) {
			data, issues := fi.Decode(a)
			if len(issues.Malformed) != 0 {
				t.Errorf("malformed = %v", issues.Malformed)
			}
			c := &checker{t: t, ctx: ctx, acc: string(ft)}
			current := checkWealth(c, data)
			v := data.Valuation()
			values = append(values, networth.AccountValue{LinkReferenceNumber: a.LinkReferenceNumber, FIType: ft, Valuation: v})
			if current == nil {
				if v.Value != "" {
					t.Errorf("Valuation() = %+v, want no value", v)
				}
				return
			}
			c.eq("Valuation().Value", c.d(v.Value), current)
			c.eq("getfibalance balance", c.d(balance[a.LinkReferenceNumber]), c.round(current, 2))
			wantTotal = append(wantTotal, current)
		})
	}
	nw := networth.Sum(values)
	c := &checker{t: t, ctx: ctx, acc: "net worth"}
	if len(nw.Currencies) != 1 || nw.Currencies[0].Currency != "INR" {
		t.Fatalf("Sum() currencies = %+v, want INR only", nw.Currencies)
	}
	c.eq("INR total", c.d(nw.Currencies[0].Total), c.sum(wantTotal...))
	if len(nw.Missing) != 4 { // three insurance policies and the GST returns
		t.Errorf("Sum() missing = %+v, want the 3 insurance accounts and GSTR1_3B", nw.Missing)
	}
}

// checkWealth checks one account's internal consistency and returns its
// current value as the test computes it (nil when the type has none).
func checkWealth(c *checker, data fi.Data) *apd.Decimal {
	t := c.t
	switch a := data.(type) {
	case *deposits.Deposit:
		bal := apd.New(0, 0)
		for _, x := range a.Transactions.Transaction {
			if x.Type == "CREDIT" {
				bal = c.sum(bal, c.d(x.Amount))
			} else {
				bal = c.sum(bal, c.mul(c.d(x.Amount), apd.New(-1, 0)))
			}
			c.eq("running balance "+x.TxnID, c.d(x.CurrentBalance), bal)
		}
		c.eq("currentBalance", c.d(a.Summary.CurrentBalance), bal)
		return bal
	case *deposits.TermDeposit:
		return checkTerm(c, a.Summary, nil, a.Transactions)
	case *deposits.RecurringDeposit:
		return checkTerm(c, &a.Summary.TermDepositSummary, a.Summary, a.Transactions)
	case *funds.MutualFunds:
		s := a.Summary
		closing := map[string]*apd.Decimal{}
		invested := apd.New(0, 0)
		for _, x := range a.Transactions.Transaction {
			prev := closing[x.ISIN]
			if prev == nil {
				prev = apd.New(0, 0)
			}
			var bought apd.Decimal
			c.ctx.Sub(&bought, c.d(x.ClosingUnits), prev)
			c.eq("units bought "+x.TxnID, &bought, c.quo(c.d(x.Amount), c.d(x.NAV), 3))
			closing[x.ISIN] = c.d(x.ClosingUnits)
			invested = c.sum(invested, c.d(x.Amount))
		}
		var vals []*apd.Decimal
		for _, h := range s.Holdings {
			c.eq("closing units "+h.ISIN, c.d(h.ClosingUnits), closing[h.ISIN])
			vals = append(vals, c.round(c.mul(c.d(h.ClosingUnits), c.d(h.NAV)), 2))
		}
		c.eq("investmentValue", c.d(s.InvestmentValue), invested)
		c.eq("currentValue", c.d(s.CurrentValue), c.sum(vals...))
		return c.sum(vals...)
	case *funds.SIP:
		s, h := a.Summary, a.Summary.Holdings[0]
		var us, amts []*apd.Decimal
		for _, x := range a.Transactions.Transaction {
			c.eq("units "+x.TxnID, c.d(x.Units), c.quo(c.d(x.Amount), c.d(x.NAV), 3))
			us, amts = append(us, c.d(x.Units)), append(amts, c.d(x.Amount))
		}
		if len(a.Transactions.Transaction) != *h.CompleteInstalments {
			t.Errorf("%d instalment transactions, completeInstalments %d", len(a.Transactions.Transaction), *h.CompleteInstalments)
		}
		c.eq("units", c.d(h.Units), c.sum(us...))
		c.eq("value", c.d(h.Value), c.round(c.mul(c.d(h.Units), c.d(h.NAV)), 2))
		c.eq("investmentValue", c.d(s.InvestmentValue), c.mul(c.d(h.Amount), c.n(h.CompleteInstalments)))
		c.eq("investmentValue = Σ instalments", c.d(s.InvestmentValue), c.sum(amts...))
		c.eq("currentValue", c.d(s.CurrentValue), c.d(h.Value))
		return c.d(s.CurrentValue)
	case *securities.Equities:
		return checkTrades(c, a.Summary.InvestmentValue, a.Summary.CurrentValue, a.Summary.Holdings, func(yield func(isin string, u, rate, tv rebit.Decimal)) {
			for _, x := range a.Transactions.Transaction {
				yield(x.ISIN, x.Units, x.Rate, x.TradeValue)
			}
		})
	case *securities.IDR:
		return checkTrades(c, a.Summary.InvestmentValue, a.Summary.CurrentValue, a.Summary.Holdings, func(yield func(isin string, u, rate, tv rebit.Decimal)) {
			for _, x := range a.Transactions.Transaction {
				yield(x.ISIN, x.Units, x.Rate, x.TradeValue)
			}
		})
	case *funds.ETF:
		var hs []securities.EquityHolding
		for _, h := range a.Summary.Holdings {
			hs = append(hs, securities.EquityHolding{ISIN: h.ISIN, Units: h.Units, LastTradedPrice: h.NAV})
		}
		return checkTrades(c, a.Summary.InvestmentValue, a.Summary.CurrentValue, hs, func(yield func(isin string, u, rate, tv rebit.Decimal)) {
			for _, x := range a.Transactions.Transaction {
				yield(x.ISIN, x.Units, x.NAV, x.Amount)
			}
		})
	case *funds.InvIT:
		return checkTrust(c, a.Summary.InvestmentValue, a.Summary.CurrentValue, a.Summary.Holdings, a.Transactions)
	case *funds.REIT:
		var hs []funds.InvITHolding
		for _, h := range a.Summary.Holdings {
			if h.NomineeStatus != "REGISTERED" {
				t.Errorf("nomineeStatus = %q", h.NomineeStatus)
			}
			hs = append(hs, h.InvITHolding)
		}
		return checkTrust(c, a.Summary.InvestmentValue, a.Summary.CurrentValue, hs, a.Transactions)
	case *securities.Bonds:
		return checkBonds(c, a.Summary, a.Transactions)
	case *securities.GovtSecurities:
		return checkBonds(c, a.Summary, a.Transactions)
	case *securities.Debentures:
		s, h := a.Summary, a.Summary.Holdings[0]
		c.eq("principalAmount", c.d(h.PrincipalAmount), c.mul(c.d(h.Units), c.d(h.FaceValue)))
		c.eq("investmentValue", c.d(s.InvestmentValue), c.d(h.PrincipalAmount))
		c.eq("currentValue", c.d(s.CurrentValue), c.mul(c.d(h.Units), c.d(h.LastTradedRate)))
		for _, x := range a.Transactions.Transaction {
			if x.Type == "INTEREST" {
				c.eq("annual interest", c.d(x.TradeValue), c.round(c.mul(c.d(h.PrincipalAmount), c.mul(c.d(h.Coupon), apd.New(1, -2))), 2))
			}
		}
		return c.d(s.CurrentValue)
	case *securities.CommercialPaper:
		s, h, x := a.Summary, a.Summary.Holdings[0], a.Transactions.Transaction[0]
		c.eq("tradeValue", c.d(x.TradeValue), c.mul(c.d(x.Units), c.d(x.Rate)))
		c.eq("investmentValue", c.d(s.InvestmentValue), c.d(x.TradeValue))
		c.eq("holding investmentValue", c.d(h.InvestmentValue), c.d(x.TradeValue))
		c.eq("currentValue", c.d(s.CurrentValue), c.d(h.CurrentValue))
		c.eq("principalAmount", c.d(h.PrincipalAmount), c.mul(c.d(h.Units), c.d(h.FaceValue)))
		return c.d(s.CurrentValue)
	case *funds.CIS:
		s, h := a.Summary, a.Summary.Holdings[0]
		c.eq("currentValue", c.d(s.CurrentValue), c.round(c.mul(c.d(h.ClosingUnits), c.d(h.NAV)), 2))
		c.eq("investmentValue", c.d(s.InvestmentValue), c.round(c.mul(c.d(h.Units), c.d(h.Rate)), 2))
		if x := a.Transactions.Transaction[0]; x.DividendType != "INTERIM_DIVIDEND" || x.Type != "DIVIDEND" {
			t.Errorf("transaction = %+v", x)
		}
		return c.d(s.CurrentValue)
	case *funds.AIF:
		var mtm, inv []*apd.Decimal
		for _, h := range a.Summary.Holdings {
			mtm = append(mtm, c.d(h.MTMOnLastValuation))
		}
		for _, x := range a.Transactions.Transaction {
			if x.InvestmentValue != "" {
				inv = append(inv, c.d(x.InvestmentValue))
			}
		}
		c.eq("currentValue", c.d(a.Summary.CurrentValue), c.sum(mtm...))
		c.eq("investmentValue", c.d(a.Summary.InvestmentValue), c.sum(inv...))
		return c.d(a.Summary.CurrentValue)
	case *pension.NPS:
		s, tier := a.Summary, a.Summary.Tier1
		var vals, amounts, contrib []*apd.Decimal
		for _, h := range tier.Holdings {
			c.eq("totalValueOfScheme "+h.SchemeID, c.d(h.TotalValueOfScheme), c.round(c.mul(c.d(h.TotalUnits), c.d(h.NAV)), 2))
			vals = append(vals, c.d(h.TotalValueOfScheme))
			var cum *apd.Decimal
			var amt []*apd.Decimal
			for _, x := range a.Transactions.Tier1Scheme {
				if x.SchemeID == h.SchemeID {
					c.eq("units "+x.TxnID, c.d(x.Units), c.quo(c.d(x.Amount), c.d(x.NAV), 4))
					cum = c.d(x.CumulativeUnits)
					amt = append(amt, c.d(x.Amount))
				}
			}
			c.eq("totalUnits "+h.SchemeID, c.d(h.TotalUnits), cum)
			c.eq("amount "+h.SchemeID, c.d(h.Amount), c.sum(amt...))
			amounts = append(amounts, c.d(h.Amount))
		}
		for _, x := range a.Transactions.Tier1Investment {
			c.eq("totalContribution", c.d(x.TotalContribution), c.sum(c.d(x.SubscriberContribution), c.d(x.EmployerContribution)))
			contrib = append(contrib, c.d(x.TotalContribution))
		}
		c.eq("tier investmentValue", c.d(tier.InvestmentValue), c.sum(vals...))
		c.eq("investmentCost", c.d(tier.InvestmentCost), c.sum(contrib...))
		c.eq("Σ scheme amounts", c.sum(amounts...), c.sum(contrib...))
		c.eq("currentValue", c.d(s.CurrentValue), c.sum(vals...))
		c.eq("asset split", c.sum(c.d(s.EquityAssetValue), c.d(s.DebtAssetValue), c.d(s.OtherAssetValue)), c.d(s.CurrentValue))
		return c.d(s.CurrentValue)
	case *insurance.InsurancePolicies:
		s := a.Summary
		if !fi.Known("PolicyType", s.PolicyType) || !fi.Known("CoverType", s.CoverType) || s.PolicyNumber == "" {
			t.Errorf("policy = %+v", s)
		}
		if len(a.Transactions.Transaction) == 0 {
			t.Error("no premium payments")
		}
		for _, x := range a.Transactions.Transaction {
			c.eq("premium "+x.TxnID, c.d(x.Amount), c.d(s.PremiumAmount))
			if !fi.Known("InsuranceTransactionType", x.Type) {
				t.Errorf("transaction type %q", x.Type)
			}
		}
		if h := a.Profile.Holders.Holder[0]; h.Rank == nil || *h.Rank != 1 {
			t.Errorf("holder rank = %v", h.Rank)
		}
		return nil
	case *fi.Generic:
		f := map[string]string{}
		for _, x := range a.Summary {
			f[x.Path] = x.Value
		}
		if a.FIType == fi.TypeOther {
			last := a.Transactions[len(a.Transactions)-1]
			c.eq("currentValue = last balance", c.d(rebit.Decimal(f["currentValue"])), c.d(rebit.Decimal(fieldOf(last, "balance"))))
			return c.d(rebit.Decimal(f["currentValue"]))
		}
		if _, ok := f["gstin"]; ok || a.Redacted == 0 {
			t.Errorf("gstin reached the generic view (redacted %d)", a.Redacted)
		}
		var taxable, tax []*apd.Decimal
		for _, row := range a.Transactions {
			taxable, tax = append(taxable, c.d(rebit.Decimal(fieldOf(row, "taxableValue")))), append(tax, c.d(rebit.Decimal(fieldOf(row, "taxAmount"))))
		}
		c.eq("taxableValue", c.d(rebit.Decimal(f["taxableValue"])), c.sum(taxable...))
		c.eq("totalTax", c.d(rebit.Decimal(f["totalTax"])), c.sum(tax...))
		c.eq("cgst+sgst+igst+cess", c.sum(c.d(rebit.Decimal(f["cgst"])), c.d(rebit.Decimal(f["sgst"])), c.d(rebit.Decimal(f["igst"])), c.d(rebit.Decimal(f["cess"]))), c.d(rebit.Decimal(f["totalTax"])))
		return nil
	}
	t.Fatalf("unexpected %T", data)
	return nil
}

func fieldOf(row []fi.Field, path string) string {
	for _, f := range row {
		if f.Path == path {
			return f.Value
		}
	}
	return ""
}

// checkTerm replays a deposit's quarterly compounding from its principal (or
// instalment), rate and tenure, and its transactions' running balance.
func checkTerm(c *checker, s *deposits.TermDepositSummary, rd *deposits.RecurringDepositSummary, txs *rebit.Transactions[deposits.TermTransaction]) *apd.Decimal {
	t := c.t
	rate := c.d(s.InterestRate)
	var q apd.Decimal
	c.ctx.Quo(&q, rate, apd.New(400, 0))
	months := *s.TenureMonths
	deposit, n := c.d(s.PrincipalAmount), 1
	if rd != nil {
		deposit, n = c.d(rd.RecurringAmount), months
		c.eq("principal = instalment × months", c.d(s.PrincipalAmount), c.mul(deposit, apd.New(int64(months), 0)))
	}
	bal := apd.New(0, 0)
	for m := 0; m <= months; m++ {
		if m > 0 && m%3 == 0 {
			bal = c.sum(bal, c.round(c.mul(bal, &q), 2))
		}
		if m < n {
			bal = c.sum(bal, deposit)
		}
	}
	c.eq("maturityAmount", c.d(s.MaturityAmount), bal)
	var interest apd.Decimal
	c.ctx.Sub(&interest, c.d(s.MaturityAmount), c.d(s.PrincipalAmount))
	c.eq("interestOnMaturity", c.d(s.InterestOnMaturity), &interest)
	open, _ := time.Parse(time.DateOnly, string(s.OpeningDate))
	mat, _ := time.Parse(time.DateOnly, string(s.MaturityDate))
	if !open.AddDate(*s.TenureYears, 0, 0).Equal(mat) || *s.TenureMonths != 12**s.TenureYears || int(mat.Sub(open).Hours()/24) != *s.TenureDays {
		t.Errorf("tenure %v/%v/%v days does not match %s..%s", *s.TenureYears, *s.TenureMonths, *s.TenureDays, s.OpeningDate, s.MaturityDate)
	}
	run := apd.New(0, 0)
	for _, x := range txs.Transaction {
		run = c.sum(run, c.d(x.Amount))
		c.eq("balance "+x.TxnID, c.d(x.Balance), run)
	}
	c.eq("currentValue", c.d(s.CurrentValue), run)
	return run
}

func checkTrades(c *checker, invested, current rebit.Decimal, holdings []securities.EquityHolding, trades func(func(isin string, u, rate, tv rebit.Decimal))) *apd.Decimal {
	held := map[string]*apd.Decimal{}
	var tvs []*apd.Decimal
	trades(func(isin string, u, rate, tv rebit.Decimal) {
		c.eq("trade value "+isin, c.d(tv), c.mul(c.d(u), c.d(rate)))
		if held[isin] == nil {
			held[isin] = apd.New(0, 0)
		}
		held[isin] = c.sum(held[isin], c.d(u))
		tvs = append(tvs, c.d(tv))
	})
	var vals []*apd.Decimal
	for _, h := range holdings {
		c.eq("units "+h.ISIN, c.d(h.Units), held[h.ISIN])
		vals = append(vals, c.mul(c.d(h.Units), c.d(h.LastTradedPrice)))
	}
	c.eq("investmentValue", c.d(invested), c.sum(tvs...))
	c.eq("currentValue", c.d(current), c.sum(vals...))
	return c.sum(vals...)
}

func checkTrust(c *checker, invested, current rebit.Decimal, holdings []funds.InvITHolding, txs *rebit.Transactions[funds.InvITTransaction]) *apd.Decimal {
	var hs []securities.EquityHolding
	for _, h := range holdings {
		hs = append(hs, securities.EquityHolding{ISIN: h.ISIN, Units: h.TotalNumberUnits, LastTradedPrice: h.LastClosingRate})
	}
	return checkTrades(c, invested, current, hs, func(yield func(isin string, u, rate, tv rebit.Decimal)) {
		for _, x := range txs.Transaction {
			yield(x.ISIN, x.NumUnitsTransacted, x.Price, x.TradeValue)
		}
	})
}

func checkBonds(c *checker, s *securities.BondsSummary, txs *rebit.Transactions[securities.SecurityTransaction]) *apd.Decimal {
	var hs []securities.EquityHolding
	for _, h := range s.Holdings {
		c.eq("principal "+h.ISIN, c.d(h.PrincipalAmount), c.mul(c.d(h.Units), c.d(h.FaceValue)))
		hs = append(hs, securities.EquityHolding{ISIN: h.ISIN, Units: h.Units, LastTradedPrice: h.LastTradedRate})
	}
	return checkTrades(c, s.InvestmentValue, s.CurrentValue, hs, func(yield func(isin string, u, rate, tv rebit.Decimal)) {
		for _, x := range txs.Transaction {
			yield(x.ISIN, x.Units, x.Rate, x.TradeValue)
		}
	})
}
