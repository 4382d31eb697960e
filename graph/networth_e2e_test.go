package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const netWorthQuery = `query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) {
  accounts { linkReferenceNumber fiType consent { consentID } }
  netWorth {
    complete
    currencies { currency total assetClasses { assetClass total invested accounts } }
    missing { account { linkReferenceNumber fiType } assetClass reason }
  }
} }`

type netWorthJSON struct {
	Customer struct {
		Accounts []struct {
			LinkReferenceNumber string `json:"linkReferenceNumber"`
			FIType              string `json:"fiType"`
			Consent             struct {
				ConsentID string `json:"consentID"`
			} `json:"consent"`
		} `json:"accounts"`
		NetWorth *struct {
			Complete   bool `json:"complete"`
			Currencies []struct {
				Currency     string       `json:"currency"`
				Total        string       `json:"total"`
				AssetClasses []classTotal `json:"assetClasses"`
			} `json:"currencies"`
			Missing []missingJSON `json:"missing"`
		} `json:"netWorth"`
	} `json:"customer"`
}

type classTotal struct {
	AssetClass string  `json:"assetClass"`
	Total      string  `json:"total"`
	Invested   *string `json:"invested"`
	Accounts   int     `json:"accounts"`
}

type missingJSON struct {
	Account struct {
		LinkReferenceNumber string `json:"linkReferenceNumber"`
		FIType              string `json:"fiType"`
	} `json:"account"`
	AssetClass string `json:"assetClass"`
	Reason     string `json:"reason"`
}

// classOfFI is each FI type's asset class (docs/fi-types.md §2).
var classOfFI = map[string]string{
	"DEPOSIT": "CASH", "TERM_DEPOSIT": "DEPOSITS", "RECURRING_DEPOSIT": "DEPOSITS", "SIP": "MUTUAL_FUNDS",
	"CP": "FIXED_INCOME", "GOVT_SECURITIES": "FIXED_INCOME", "EQUITIES": "EQUITY", "BONDS": "FIXED_INCOME",
	"DEBENTURES": "FIXED_INCOME", "MUTUAL_FUNDS": "MUTUAL_FUNDS", "ETF": "EQUITY", "IDR": "EQUITY", "CIS": "MUTUAL_FUNDS",
	"AIF": "ALTERNATIVE", "INSURANCE_POLICIES": "INSURANCE", "NPS": "PENSION", "INVIT": "ALTERNATIVE",
	"REIT": "ALTERNATIVE", "GSTR1_3B": "OTHER", "LIFE_INSURANCE": "INSURANCE", "GENERAL_INSURANCE": "INSURANCE", "OTHER": "OTHER",
}

// worth is the oracle's value of one account from FinPro's raw JSON: a
// deposit's currentBalance, any other schema's currentValue; insurance and
// GST returns are not valued. invested is the schema's cost, when it has
// one: investmentValue, a term deposit's principalAmount, NPS's tiers'
// investmentCost.
func worth(t *testing.T, a map[string]any) (value, invested string, valued bool) {
	t.Helper()
	s, _ := a["Summary"].(map[string]any)
	str := func(m map[string]any, k string) string { v, _ := m[k].(string); return v }
	switch ft := a["fiType"].(string); classOfFI[ft] {
	case "INSURANCE":
		return "", "", false
	case "CASH":
		return str(s, "currentBalance"), "", true
	default:
		if ft == "GSTR1_3B" {
			return "", "", false
		}
		invested = str(s, "investmentValue")
		switch ft {
		case "TERM_DEPOSIT":
			invested = str(s, "principalAmount")
		case "RECURRING_DEPOSIT", "OTHER":
			invested = ""
		case "NPS":
			h, _ := s["Holdings"].(map[string]any)
			var parts []string
			for _, tier := range []string{"Tier1Holdings", "Tier2Holdings"} {
				if th, ok := h[tier].(map[string]any); ok {
					parts = append(parts, str(th, "investmentCost"))
				}
			}
			invested = apdSum(t, parts...)
		}
		return str(s, "currentValue"), invested, true
	}
}

// apdSum adds decimals exactly, in the test's own arithmetic.
func apdSum(t *testing.T, ds ...string) string {
	t.Helper()
	total := apd.New(0, 0)
	ctx := apd.BaseContext.WithPrecision(100)
	for _, d := range ds {
		v, _, err := apd.NewFromString(d)
		if err != nil {
			t.Fatalf("%q: %v", d, err)
		}
		if _, err := ctx.Add(total, total, v); err != nil {
			t.Fatal(err)
		}
	}
	return total.Text('f')
}

// expectedNetWorth is the oracle's net worth of accounts (by link), all INR
// (the seeded accounts carry no other currency): per class, the sum, the
// invested sum when every account has one, the count; and the accounts not
// valued.
func expectedNetWorth(t *testing.T, accounts []map[string]any) (classes []classTotal, total string, notValued []string) {
	t.Helper()
	values, invested := map[string][]string{}, map[string][]string{}
	noCost := map[string]bool{}
	for _, a := range accounts {
		v, inv, ok := worth(t, a)
		if !ok {
			notValued = append(notValued, a["linkReferenceNumber"].(string))
			continue
		}
		c := classOfFI[a["fiType"].(string)]
		values[c] = append(values[c], v)
		if inv == "" {
			noCost[c] = true
		}
		invested[c] = append(invested[c], inv)
	}
	var all []string
	for _, c := range slices.Sorted(mapKeysOf(values)) {
		ct := classTotal{AssetClass: c, Total: apdSum(t, values[c]...), Accounts: len(values[c])}
		if !noCost[c] {
			s := apdSum(t, invested[c]...)
			ct.Invested = &s
		}
		classes = append(classes, ct)
		all = append(all, ct.Total)
	}
	return classes, apdSum(t, all...), notValued
}

func mapKeysOf[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestNetWorthWealth values the wealth consent's account of every FI type and
// checks the totals against the test's own exact sums of the sandbox's raw
// summaries (and the sandbox's own balance of each account), with the
// policies and the GST return listed as not valued, from one getallfidata.
func TestNetWorthWealth(t *testing.T) {
	e := newEnv(t, envOptions{})
	consent := wealthConsent(t, e)
	var raw []map[string]any
	decodeJSON(t, rawFinPro(t, e, "/getallfidata", map[string]string{"consentID": consent.ConsentID}), &raw)
	seeded := map[string]string{}
	for _, a := range e.demo(t).Accounts {
		seeded[a.LinkReferenceNumber] = a.Balance
	}
	for _, a := range raw {
		if v, _, ok := worth(t, a); ok && v != seeded[a["linkReferenceNumber"].(string)] {
			t.Errorf("%s: the summary says %s, the sandbox's seed %s", a["fiType"], v, seeded[a["linkReferenceNumber"].(string)])
		}
	}
	classes, total, notValued := expectedNetWorth(t, raw)

	e.sb.ResetStats()
	var got netWorthJSON
	mustData(t, e.post(t, netWorthQuery, map[string]any{"mobile": sandbox.DemoMobile, "product": sandbox.WealthProductID}), &got)
	if calls := e.sb.Stats()["/getallfidata"]; calls != 1 {
		t.Errorf("getallfidata calls = %d, want 1", calls)
	}
	nw := got.Customer.NetWorth
	if nw == nil || len(nw.Currencies) != 1 || nw.Currencies[0].Currency != "INR" {
		t.Fatalf("netWorth = %+v", nw)
	}
	if nw.Currencies[0].Total != total {
		t.Errorf("total = %s, want %s", nw.Currencies[0].Total, total)
	}
	if diff := cmp.Diff(classes, nw.Currencies[0].AssetClasses); diff != "" {
		t.Errorf("asset classes (-want +got):\n%s", diff)
	}
	if len(classes) != 8 {
		t.Errorf("%d asset classes valued, want 8 (all but INSURANCE)", len(classes))
	}
	var missing []string
	for _, m := range nw.Missing {
		if m.Reason != "NOT_VALUED" || m.AssetClass != classOfFI[m.Account.FIType] {
			t.Errorf("missing %+v, want NOT_VALUED in its class", m)
		}
		missing = append(missing, m.Account.LinkReferenceNumber)
	}
	if !slices.Equal(sorted(missing), sorted(notValued)) || len(notValued) != 4 {
		t.Errorf("missing = %v, want the 3 policies and the GST return %v", missing, notValued)
	}
	if !nw.Complete {
		t.Error("complete = false: nothing that has a value is missing")
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// TestNetWorthPartial: when one consent's data cannot be read, its accounts
// are listed with the cause and the others are still summed exactly; the
// field itself never fails.
func TestNetWorthPartial(t *testing.T) {
	for _, tc := range []struct{ code, reason string }{
		{"DataNotAvailable", "DATA_NOT_READY"},
		{"InternalError", "FETCH_FAILED"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			e := newEnv(t, envOptions{})
			var all netWorthJSON
			mustData(t, e.post(t, netWorthQuery, demoVars()), &all)
			consents := map[string]bool{}
			for _, a := range all.Customer.Accounts {
				consents[a.Consent.ConsentID] = true
			}
			if len(consents) < 2 {
				t.Fatalf("the demo customer's accounts span %d consents, want 2 or more", len(consents))
			}
			raw := map[string]map[string]any{}
			for id := range consents {
				var list []map[string]any
				decodeJSON(t, rawFinPro(t, e, "/getallfidata", map[string]string{"consentID": id}), &list)
				for _, a := range list {
					raw[a["linkReferenceNumber"].(string)] = a
				}
			}

			if err := e.sb.InjectFault("/getallfidata", tc.code, 1); err != nil {
				t.Fatal(err)
			}
			r := e.post(t, netWorthQuery, demoVars())
			var got netWorthJSON
			mustData(t, r, &got)
			nw := got.Customer.NetWorth
			failed := map[string]bool{}
			for _, m := range nw.Missing {
				if m.Reason == tc.reason {
					failed[m.Account.LinkReferenceNumber] = true
				}
			}
			var failedConsent string
			var rest []map[string]any
			for _, a := range got.Customer.Accounts {
				if failed[a.LinkReferenceNumber] {
					if failedConsent != "" && failedConsent != a.Consent.ConsentID {
						t.Errorf("accounts of two consents failed, but one getallfidata did")
					}
					failedConsent = a.Consent.ConsentID
					continue
				}
				rest = append(rest, raw[a.LinkReferenceNumber])
			}
			if failedConsent == "" {
				t.Fatalf("no account is missing for %s: %+v", tc.reason, nw.Missing)
			}
			for _, a := range got.Customer.Accounts {
				if a.Consent.ConsentID == failedConsent && !failed[a.LinkReferenceNumber] {
					t.Errorf("account %s of the failed consent is not missing", a.LinkReferenceNumber)
				}
			}
			classes, total, _ := expectedNetWorth(t, rest)
			if len(nw.Currencies) != 1 || nw.Currencies[0].Total != total {
				t.Errorf("currencies = %+v, want INR %s", nw.Currencies, total)
			} else if diff := cmp.Diff(classes, nw.Currencies[0].AssetClasses); diff != "" {
				t.Errorf("asset classes (-want +got):\n%s", diff)
			}
			if nw.Complete {
				t.Error("complete = true with a consent's data missing")
			}
			if b, _ := json.Marshal(r.Data); strings.Contains(string(b), "errorMsg") {
				t.Errorf("FinPro's message leaked: %s", b)
			}
		})
	}
}
