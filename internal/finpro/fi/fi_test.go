package fi_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/networth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

func ptr[T any](v T) *T { return &v }

// TestExampleValues spells out, per schema, values transcribed by hand from
// the example XMLs, through the typed API phase 2 will use.
func TestExampleValues(t *testing.T) {
	ist := time.FixedZone("", -5*3600)
	at := time.Date(2004, 4, 12, 13, 20, 0, 0, ist)
	tests := []struct {
		folder string
		check  func(t *testing.T, d fi.Data)
	}{
		{"deposit", func(t *testing.T, d fi.Data) {
			a := d.(*deposits.Deposit)
			want := &deposits.DepositSummary{
				Currency: "INR", BalanceDateTime: at, Type: "CURRENT", Facility: "CC", OpeningDate: "2004-04-12",
				Status: "ACTIVE", Pending: []deposits.DepositPending{{Amount: "20.0"}},
			}
			if diff := cmp.Diff(want, a.Summary); diff != "" {
				t.Errorf("Summary (-want +got):\n%s", diff)
			}
			if got := a.Profile.Holders; got.Type != "JOINT" || got.Holder[0].Nominee != "NOT_REGISTERED" || !*got.Holder[0].CKYCCompliance || got.Holder[0].PAN != "AAAPL1234C" {
				t.Errorf("Holders = %+v", got)
			}
			tx := a.Transactions.Transaction[0]
			if tx.Type != "CREDIT" || tx.Mode != "ATM" || tx.Amount != "20.0" || !tx.TransactionTimestamp.Equal(at) || tx.ValueDate != "2004-04-12" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"term_deposit", func(t *testing.T, d fi.Data) {
			s := d.(*deposits.TermDeposit).Summary
			if s.AccountType != "FIXED" || s.MaturityAmount != "10.0" || s.InterestPayout != "HALF_YEARLY" || s.CompoundingFrequency != "HALF_YEARLY" || s.InterestComputation != "COMPOUND" || s.MaturityDate != "2004-04-12" || s.PrincipalAmount != "" || s.TenureDays != nil {
				t.Errorf("Summary = %+v", s)
			}
			tx := d.(*deposits.TermDeposit).Transactions.Transaction[0]
			if tx.Type != "TDS" || tx.Mode != "ATM" || !tx.TransactionDateTime.Equal(at) {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"mutual_funds", func(t *testing.T, d fi.Data) {
			s := d.(*funds.MutualFunds).Summary
			if s.InvestmentValue != "10.0" || s.CurrentValue != "20.0" || len(s.Holdings) != 1 || s.Holdings[0].FatcaStatus != "YES" || s.Holdings[0].Mode != "DEMAT" {
				t.Errorf("Summary = %+v", s)
			}
			tx := d.(*funds.MutualFunds).Transactions.Transaction[0]
			if tx.SchemePlan != "DIRECT" || tx.SchemeTypes != "DEBT_SCHEMES" || tx.SchemeCategory != "AGGRESSIVE_HYBRID_FUND" || tx.SchemeOption != "REINVEST" || tx.FundType != "EQUITY" || tx.NAVDate != "2002-09-24" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"equity_shares", func(t *testing.T, d fi.Data) {
			a := d.(*securities.Equities)
			if a.Summary.HoldingsType != "DEMAT" || !a.Summary.Holdings[0].InvestmentDateTime.Equal(at) {
				t.Errorf("Summary = %+v", a.Summary)
			}
			tx := a.Transactions.Transaction[0]
			if tx.Exchange != "BSE" || tx.EquityCategory != "CURRENCY_DERIVATIVES" || tx.InstrumentType != "OPTIONS" || tx.OptionType != "CALL" || tx.StrikePrice != "700" || tx.Type != "BUY" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"systematic_investment_plan", func(t *testing.T, d fi.Data) {
			h := d.(*funds.SIP).Summary.Holdings[0]
			want := funds.SIPHolding{
				HoldingType: "SOLE", Nominee: "OTHERS", Email: "qw@gmail.com", Units: "10", Value: "20", Amount: "3000",
				Frequency: ptr(10), InstalmentDay: ptr(45), PendingInstalments: ptr(450), CompleteInstalments: ptr(500),
				LastInstalmentDate: "2004-04-12", NextInstalmentDate: "2004-04-12", CreationDate: "2004-04-12", ModificationDate: "2004-04-12", CeasedDate: "2004-04-12",
			}
			if diff := cmp.Diff(want, h); diff != "" {
				t.Errorf("Holding (-want +got):\n%s", diff)
			}
			if inv := d.(*funds.SIP).Summary.Investments; inv.IssueDate != "2004-04-12" || inv.Investment[0].EndDate != "2004-04-12" {
				t.Errorf("Investments = %+v", inv)
			}
			if tx := d.(*funds.SIP).Transactions.Transaction[0]; tx.Cost != "600" || tx.Amount != "200" || tx.Type != "BUY" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"commercial_paper", func(t *testing.T, d fi.Data) {
			h := d.(*securities.CommercialPaper).Summary.Holdings[0]
			if h.Scheme != "FIXED_INTEREST_RATE" || h.InvestmentValue != "200" || h.CurrentValue != "205" || h.Units != "9" || h.FaceValue != "19" || *h.TenureMonths != 36 || *h.TenureDays != 120 || h.AuctionDate != "2004-04-12" {
				t.Errorf("Holding = %+v", h)
			}
			if tx := d.(*securities.CommercialPaper).Transactions.Transaction[0]; tx.TxnID != "" || tx.OtherTaxes != "2" || tx.TotalCharge != "34" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"government_securities", func(t *testing.T, d fi.Data) {
			h := d.(*securities.GovtSecurities).Summary.Holdings[0]
			if h.PrincipalAmount != "200" || *h.TenureMonths != 36 || h.CouponComputation != "COMPOUND" || h.CouponPaymentDate != "2004-04-12" || h.AuctionDate != "2004-04-12" || !*h.Taxable || h.AccruedInterestAmount != "4" || h.LastTradedRate != "6" {
				t.Errorf("Holding = %+v", h)
			}
		}},
		{"debentures", func(t *testing.T, d fi.Data) {
			h := d.(*securities.Debentures).Summary.Holdings[0]
			if h.Units != "56" || !*h.Taxable || h.Yield != "6" || *h.TenureDays != 10 || h.TenureMonths != nil {
				t.Errorf("Holding = %+v", h)
			}
			if tx := d.(*securities.Debentures).Transactions.Transaction[0]; tx.Type != "CLOSING" || tx.Units != "50" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"exchange_traded_funds", func(t *testing.T, d fi.Data) {
			if tx := d.(*funds.ETF).Transactions.Transaction[0]; tx.FaceValueOfUnits != "40.0" || tx.Amount != "30.0" || tx.Units != "20" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"indian_depository_receipts", func(t *testing.T, d fi.Data) {
			if tx := d.(*securities.IDR).Transactions.Transaction[0]; tx.ShareHolderEquityType != "COMMON_STOCK" || tx.OtherCharges != "109" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"collective_investment_schemes", func(t *testing.T, d fi.Data) {
			if tx := d.(*funds.CIS).Transactions.Transaction[0]; tx.DividendType != "INTERIM_DIVIDEND" || tx.Type != "AMALGAMATION" || tx.NAV != "150" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"alternative_investment_funds", func(t *testing.T, d fi.Data) {
			a := d.(*funds.AIF)
			if a.Summary.TotalNumUnitsIssued != "20" || a.Summary.Holdings[0].TypeOfSecurity != "LISTED_EQUITY" || a.Summary.Holdings[0].MTMOnLastValuation != "200" {
				t.Errorf("Summary = %+v", a.Summary)
			}
			if tx := a.Transactions.Transaction[0]; tx.PaymentInvestorAmount != "40.0" || tx.TaxPaidDate != "2002-09-24" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"insurance_policies", func(t *testing.T, d fi.Data) {
			a := d.(*insurance.InsurancePolicies)
			if h := a.Profile.Holders.Holder[0]; *h.Rank != 1 {
				t.Errorf("Holder = %+v", h)
			}
			if r := a.Profile.Riders[0]; r.PolicyStartDate != "2004-04-12" || r.SumAssured != "" {
				t.Errorf("Rider = %+v", r)
			}
			s := a.Summary
			if s.SumAssured != "100" || s.CoverAmount != "90" || s.PolicyType != "CHILDREN_PLAN" || s.CoverType != "BUILDING" || s.PremiumFrequency != "HALF_YEARLY" || *s.PremiumPaymentMonths != 24 ||
				s.MoneyBacks[0].Amount != "1000" || s.ContractClauses[0].Amount != "1000" || s.Covers[0].Amount != "100" {
				t.Errorf("Summary = %+v", s)
			}
			if tx := a.Transactions.Transaction[0]; tx.Type != "BONUS" || tx.TxnDate != "2004-04-12" {
				t.Errorf("Transaction = %+v", tx)
			}
		}},
		{"national_pension_system", func(t *testing.T, d fi.Data) {
			a := d.(*pension.NPS)
			s := a.Summary
			if s.Tier1.InvestmentCost != "200" || s.Tier2.InvestmentValue != "190" || s.Tier2.Holdings[0].TotalValueOfScheme != "400" || s.Tier1.Holdings[0].BlockedUnits != "20" || s.Tier2Status != "ACTIVE" {
				t.Errorf("Summary = %+v", s)
			}
			x := a.Transactions
			if x.Tier1Scheme[0].CumulativeUnits != "14" || x.Tier2Scheme[0].CumulativeUnits != "8" || x.Tier1Investment[0].TotalContribution != "400" || x.Tier2Investment[0].EmployerContribution != "0" {
				t.Errorf("Transactions = %+v", x)
			}
		}},
		{"real_estate_investment_trusts", func(t *testing.T, d fi.Data) {
			a := d.(*funds.REIT)
			if h := a.Summary.Holdings[0]; h.LastClosingRate != "234.09" || h.NomineeStatus != "REGISTERED" || h.TotalNumberUnits != "10" {
				t.Errorf("Holding = %+v", h)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.folder, func(t *testing.T) {
			d, _ := fi.Decode(fetch(t, readExample(t, tt.folder))[0])
			tt.check(t, d)
		})
	}
}

// TestOddValuesStayLocal: a malformed value loses only its own field.
func TestOddValuesStayLocal(t *testing.T) {
	raw := `{"fiType":"MUTUAL_FUNDS","Summary":{"investmentValue":"1,00,000.50","currentValue":"NaN",
		"Investment":{"Holdings":{"Holding":[{"isin":"INF1","units":"12.5","nav":{"x":1},"closingUnits":"1e2"},"junk",{"isin":"INF2","units":"2"}]}}},
		"Transactions":{"startDate":"31-12-2025","endDate":"not a date","Transaction":{"txnId":42,"navDate":"2026-02-30","type":"sell","orderDate":"2026-01-05T10:00:00+05:30"}}}`
	d, issues := fi.DecodeRaw(fi.TypeMutualFunds, []byte(raw))
	a := d.(*funds.MutualFunds)
	wantSummary := &funds.MutualFundsSummary{InvestmentValue: "100000.50", Holdings: []funds.MutualFundHolding{
		{ISIN: "INF1", Units: "12.5", ClosingUnits: "100"}, {ISIN: "INF2", Units: "2"},
	}}
	if diff := cmp.Diff(wantSummary, a.Summary); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	wantTx := &rebit.Transactions[funds.MutualFundTransaction]{StartDate: "2025-12-31", Transaction: []funds.MutualFundTransaction{
		{TxnID: "42", Type: "SELL", OrderDate: "2026-01-05"},
	}}
	if diff := cmp.Diff(wantTx, a.Transactions); diff != "" {
		t.Errorf("Transactions (-want +got):\n%s", diff)
	}
	wantIssues := []string{
		"summary/currentvalue", "summary/investment/holdings/holding/nav", "summary/investment/holdings/holding",
		"transactions/enddate", "transactions/transaction/navdate",
	}
	slices.Sort(wantIssues)
	got := slices.Clone(issues.Malformed)
	slices.Sort(got)
	if diff := cmp.Diff(wantIssues, got); diff != "" {
		t.Errorf("Malformed (-want +got):\n%s", diff)
	}
	for _, p := range issues.Malformed {
		if strings.Contains(p, "INF") || strings.Contains(p, "junk") {
			t.Errorf("issue %q carries a value", p)
		}
	}
}

func TestDecodeNothing(t *testing.T) {
	for _, raw := range []string{"", "null", "[]", `"x"`, "{"} {
		d, issues := fi.DecodeRaw(fi.TypeEquities, []byte(raw))
		if a, ok := d.(*securities.Equities); !ok || a.Summary != nil || a.Profile != nil {
			t.Errorf("DecodeRaw(%q) = %#v, want an empty *Equities", raw, d)
		}
		if len(issues.Malformed) != 1 || issues.Malformed[0] != "" {
			t.Errorf("DecodeRaw(%q) issues = %v, want [\"\"]", raw, issues.Malformed)
		}
	}
}

// TestEveryTypeDecodes: each seed FI type has a decoder, the insurance types
// share one, and only GSTR1_3B and OTHER are generic.
func TestEveryTypeDecodes(t *testing.T) {
	if len(fi.Types) != 22 {
		t.Fatalf("Types has %d entries, want the seeds' 22", len(fi.Types))
	}
	for _, ft := range fi.Types {
		d, _ := fi.DecodeRaw(ft, []byte(`{}`))
		_, generic := d.(*fi.Generic)
		if generic != (ft == fi.TypeGSTR13B || ft == fi.TypeOther) || generic != (fi.Schema(ft) == "") {
			t.Errorf("%s decodes as %T with schema %q", ft, d, fi.Schema(ft))
		}
		if v := d.Valuation(); v.Class != networth.ClassOf(ft) {
			t.Errorf("%s: Valuation().Class = %s, ClassOf = %s", ft, v.Class, networth.ClassOf(ft))
		}
	}
	for _, ft := range []finpro.FIType{fi.TypeLifeInsurance, fi.TypeGeneralInsurance} {
		if d, _ := fi.DecodeRaw(ft, []byte(`{}`)); reflect.TypeOf(d) != reflect.TypeFor[*insurance.InsurancePolicies]() {
			t.Errorf("%s decodes as %T", ft, d)
		}
	}
}

// TestEnumTags: every enum field names a registered enum, and the example
// values of enum fields are members after normalisation.
func TestEnumTags(t *testing.T) {
	for _, ft := range fi.Types {
		d, _ := fi.DecodeRaw(ft, []byte(`{}`))
		walkTypes(reflect.TypeOf(d), map[reflect.Type]bool{}, func(f reflect.StructField) {
			_, opts, _ := strings.Cut(f.Tag.Get("fi"), ",")
			if name, ok := strings.CutPrefix(opts, "enum="); ok {
				if _, ok := fi.Enums[name]; !ok {
					t.Errorf("%s.%s: enum %q not in Enums", ft, f.Name, name)
				}
			}
		})
	}
	for name, vals := range fi.Enums {
		for _, v := range vals {
			if strings.ContainsAny(v, "- ") || strings.ToUpper(v) != v {
				t.Errorf("Enums[%s] value %q is not upper snake case", name, v)
			}
		}
	}
	for folder := range examples {
		d, _ := fi.Decode(fetch(t, readExample(t, folder))[0])
		walkValues(reflect.ValueOf(d), func(f reflect.StructField, v reflect.Value) {
			_, opts, _ := strings.Cut(f.Tag.Get("fi"), ",")
			if name, ok := strings.CutPrefix(opts, "enum="); ok && v.String() != "" && !fi.Known(name, v.String()) {
				t.Errorf("%s: %s = %q is not a value of %s", folder, f.Name, v.String(), name)
			}
		})
	}
}

func walkTypes(t reflect.Type, seen map[reflect.Type]bool, fn func(reflect.StructField)) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] || t == reflect.TypeFor[time.Time]() {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		fn(t.Field(i))
		walkTypes(t.Field(i).Type, seen, fn)
	}
}

func walkValues(v reflect.Value, fn func(reflect.StructField, reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkValues(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkValues(v.Index(i), fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			fn(v.Type().Field(i), v.Field(i))
			walkValues(v.Field(i), fn)
		}
	}
}

func TestNormalisedEnums(t *testing.T) {
	for in, want := range map[string]string{
		"NOT-REGISTERED": "NOT_REGISTERED", " OTHERS": "OTHERS", "OnMaturity": "ON_MATURITY", "ON-Maturity": "ON_MATURITY",
		"half-yearly": "HALF_YEARLY", "LARGE_and_MID_CAP_FUND": "LARGE_AND_MID_CAP_FUND", "MEDIUM_TO _LONG_DURATION_FUND": "MEDIUM_TO_LONG_DURATION_FUND",
		"CHILDREN’S_FUND": "CHILDRENS_FUND", "QUARTELY": "QUARTERLY", "Plan Change PLAN_CHANGE": "PLAN_CHANGE", " BUY-BACK": "BUY_BACK",
		"SOMETHING NEW": "SOMETHING_NEW",
	} {
		raw := `{"Summary":{"accountType":"` + in + `"}}`
		d, _ := fi.DecodeRaw(fi.TypeTermDeposit, []byte(raw))
		if got := d.(*deposits.TermDeposit).Summary.AccountType; got != want {
			t.Errorf("enum %q = %q, want %q", in, got, want)
		}
	}
}

// TestCurrencyDefault: a currency the element leaves out, null or empty is
// INR (the schemas' currency is optional and means INR); one sent is kept.
func TestCurrencyDefault(t *testing.T) {
	for _, tc := range []struct{ field, want string }{
		{``, "INR"}, {`"currency":null,`, "INR"}, {`"currency":"",`, "INR"}, {`"currency":"USD",`, "USD"},
	} {
		dep := `{"linkReferenceNumber":"lr-1","fiType":"DEPOSIT","Summary":{` + tc.field + `"currentBalance":"10.00"}}`
		bond := `{"linkReferenceNumber":"lr-2","fiType":"BONDS","Transactions":{"Transaction":[{` + tc.field + `"txnId":"t1","units":"1"}]}}`
		deb := `{"linkReferenceNumber":"lr-3","fiType":"DEBENTURES","Transactions":{"Transaction":[{` + tc.field + `"txnId":"t1","units":"1"}]}}`
		accs := fetch(t, []byte(dep), []byte(bond), []byte(deb))
		d, _ := fi.Decode(accs[0])
		if got := d.(*deposits.Deposit).Summary.Currency; got != tc.want {
			t.Errorf("deposit Summary currency from %q = %q, want %q", tc.field, got, tc.want)
		}
		if got := d.(*deposits.Deposit).Valuation().Currency; got != tc.want {
			t.Errorf("deposit Valuation currency from %q = %q, want %q", tc.field, got, tc.want)
		}
		b, _ := fi.Decode(accs[1])
		if got := b.(*securities.Bonds).Transactions.Transaction[0].Currency; got != tc.want {
			t.Errorf("bonds Transaction currency from %q = %q, want %q", tc.field, got, tc.want)
		}
		e, _ := fi.Decode(accs[2])
		if got := e.(*securities.Debentures).Transactions.Transaction[0].Currency; got != tc.want {
			t.Errorf("debentures Transaction currency from %q = %q, want %q", tc.field, got, tc.want)
		}
	}
}
