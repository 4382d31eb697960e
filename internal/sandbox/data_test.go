package sandbox_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// TestErrorCodesReachable reaches every error code of the four seed pages (and
// getallfidata's) through the seeded data alone.
func TestErrorCodesReachable(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{RateLimit: 1000})
	active := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	paused := findConsent(t, sb, "PAUSED", sandbox.DemoProductID, "")
	revoked := findConsent(t, sb, "REVOKED", sandbox.DemoProductID, "")
	expired := findConsent(t, sb, "EXPIRED", sandbox.DemoProductID, "")
	var otherLink string
	for _, c := range sb.Customers() {
		if c.Mobile == "9123456780" {
			otherLink = c.Accounts[0].LinkReferenceNumber
		}
	}
	unknown := "00000000-0000-4000-8000-000000000000"
	pending := findConsent(t, sb, "PENDING", sandbox.DemoProductID, "")
	if err := sb.Transition(t.Context(), pending.ConsentHandle, sandbox.ActionApprove); err != nil {
		t.Fatal(err)
	}
	// Freshly approved with a delay would be DataNotAvailable; a second sandbox
	// with DataReadyDelay shows it.
	delayed, dsrv := newSandbox(t, sandbox.Config{DataReadyDelay: 1 << 62})
	dp := findConsent(t, delayed, "PENDING", sandbox.DemoProductID, "")
	if err := delayed.Transition(t.Context(), dp.ConsentHandle, sandbox.ActionApprove); err != nil {
		t.Fatal(err)
	}
	dp, _ = delayed.Consent(dp.ConsentHandle)

	b := func(id string, link ...string) string {
		m := map[string]string{"consentID": id}
		if len(link) > 0 {
			m["linkReferenceNumber"] = link[0]
		}
		return jsonBody(t, m)
	}
	tests := []struct {
		name, path, body string
		srv              int // 0: srv, 1: dsrv
		wantStatus       int
		wantCode         string
	}{
		{"balance unknown consent", "/getfibalance", b(unknown), 0, 400, "InvalidConsentId"},
		{"balance foreign link", "/getfibalance", b(active.ConsentID, otherLink), 0, 400, "InvalidLinkReference"},
		{"balance unknown link", "/getfibalance", b(active.ConsentID, unknown), 0, 400, "InvalidLinkReference"},
		{"balance paused", "/getfibalance", b(paused.ConsentID), 0, 400, "ConsentNotActive"},
		{"balance not ready", "/getfibalance", b(dp.ConsentID), 1, 400, "DataNotAvailable"},
		{"fidata unknown consent", "/getfidata", b(unknown, active.LinkRefs[0]), 0, 400, "InvalidConsentId"},
		{"fidata foreign link", "/getfidata", b(active.ConsentID, otherLink), 0, 400, "InvalidLinkReference"},
		{"fidata revoked", "/getfidata", b(revoked.ConsentID, revoked.LinkRefs[0]), 0, 400, "ConsentNotActive"},
		{"fidata not ready", "/getfidata", b(dp.ConsentID, dp.LinkRefs[0]), 1, 400, "DataNotAvailable"},
		{"latest unknown", "/getalllatestfidata", b(unknown), 0, 400, "InvalidConsentId"},
		{"latest paused", "/getalllatestfidata", b(paused.ConsentID), 0, 400, "ConsentNotActive"},
		{"all unknown", "/getallfidata", b(unknown), 0, 400, "InvalidConsentId"},
		{"all revoked", "/getallfidata", b(revoked.ConsentID), 0, 400, "InvalidRequest"},
		{"all expired", "/getallfidata", b(expired.ConsentID), 0, 400, "DataIsDeleted"},
		{"all paused", "/getallfidata", b(paused.ConsentID), 0, 400, "ConsentNotActive"},
		{"all not ready", "/getallfidata", b(dp.ConsentID), 1, 400, "NoDataAvailable"},
		{"revoke twice", "/revokeconsent", b(revoked.ConsentID), 0, 400, "InvalidStatus"},
		{"revoke unknown", "/revokeconsent", b(unknown), 0, 400, "InvalidConsentId"},
		{"fi request paused", "/fi/request", jsonBody(t, map[string]string{"consentId": paused.ConsentID}), 0, 400, "ConsentNotActive"},
		{"fi request unknown", "/fi/request", jsonBody(t, map[string]string{"consentId": unknown}), 0, 400, "InvalidConsentId"},
		{"fi status unknown", "/consent/firequest/status", jsonBody(t, map[string]string{"consentHandle": unknown}), 0, 400, "InvalidConsentId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := srv
			if tc.srv == 1 {
				s = dsrv
			}
			r := post(t, s, tc.path, tc.body)
			if r.status != tc.wantStatus || r.code() != tc.wantCode {
				t.Errorf("POST %s = %d %q (%s), want %d %q", tc.path, r.status, r.code(), r.env["errorMsg"], tc.wantStatus, tc.wantCode)
			}
		})
	}

	// NoIncrementalData: a PERIODIC consent's second pull with nothing new.
	body := b(active.ConsentID)
	if r := post(t, srv, "/getalllatestfidata", body); r.status != 200 {
		t.Fatalf("first getalllatestfidata = %d %q, want 200", r.status, r.code())
	}
	if r := post(t, srv, "/getalllatestfidata", body); r.status != 400 || r.code() != "NoIncrementalData" {
		t.Errorf("second getalllatestfidata = %d %q, want 400 NoIncrementalData", r.status, r.code())
	}
	// /fi/request makes a delayed consent's data ready.
	if r := post(t, dsrv, "/fi/request", jsonBody(t, map[string]string{"consentId": dp.ConsentID})); r.status != 200 || r.env["response"] != "ok" || r.env["status"] != nil {
		t.Fatalf("fi/request = %d %s, want 200 response ok without status", r.status, r.body)
	}
	if r := post(t, dsrv, "/getfibalance", b(dp.ConsentID)); r.status != 200 {
		t.Errorf("getfibalance after fi/request = %d %q, want 200", r.status, r.code())
	}
}

// stripTimestamps removes the response timestamp, the only clock-dependent part.
var timestampRE = regexp.MustCompile(`"timestamp":"[^"]*"`)

func TestDeterminism(t *testing.T) {
	fetch := func(seed int64) [][]byte {
		sb, srv := newSandbox(t, sandbox.Config{Seed: seed})
		var out [][]byte
		for _, c := range sb.Customers() {
			out = append(out, post(t, srv, "/v1/accounts/getconsentslist", jsonBody(t, map[string]string{"mobileNumber": c.Mobile, "productID": sandbox.DemoProductID})).body)
			for _, k := range c.Consents {
				if k.Status == "ACTIVE" {
					out = append(out, post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID})).body)
					out = append(out, post(t, srv, "/getfibalance", jsonBody(t, map[string]string{"consentID": k.ConsentID})).body)
				}
			}
		}
		for i := range out {
			out[i] = timestampRE.ReplaceAll(out[i], nil)
		}
		return out
	}
	a, b, c := fetch(7), fetch(7), fetch(8)
	if len(a) != len(b) {
		t.Fatalf("same seed: %d responses vs %d", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("same seed, response %d differs:\n%s\nvs\n%s", i, a[i][:min(300, len(a[i]))], b[i][:min(300, len(b[i]))])
		}
	}
	if slices.EqualFunc(a, c, bytes.Equal) {
		t.Errorf("seeds 7 and 8 gave identical data")
	}
	// The demo customer's identifiers do not depend on the seed.
	ids := func(seed int64) []string {
		sb, _ := newSandbox(t, sandbox.Config{Seed: seed})
		var out []string
		for _, k := range demo(t, sb).Consents {
			out = append(out, k.ConsentHandle, k.ConsentID)
			out = append(out, k.LinkRefs...)
		}
		return out
	}
	if diff := cmp.Diff(ids(1), ids(99)); diff != "" {
		t.Errorf("demo identifiers differ between seeds (-seed1 +seed99):\n%s", diff)
	}
}

// TestDemoContract checks the demo customer every seed must contain.
func TestDemoContract(t *testing.T) {
	for _, seed := range []int64{1, 2, 12345} {
		sb, srv := newSandbox(t, sandbox.Config{Seed: seed})
		d := demo(t, sb)
		count := map[string]int{}
		fetch := map[string]int{}
		links := map[string]int{}
		products := map[string]bool{}
		for _, k := range d.Consents {
			products[k.ProductID] = true
			if k.ProductID != sandbox.DemoProductID {
				continue
			}
			count[k.Status]++
			if k.Status == "ACTIVE" {
				fetch[k.FetchType]++
				for _, l := range k.LinkRefs {
					links[l]++
				}
			}
		}
		for _, st := range []string{"ACTIVE", "PENDING", "REVOKED", "PAUSED", "REJECTED", "EXPIRED"} {
			min := 1
			if st == "ACTIVE" {
				min = 2
			}
			if count[st] < min {
				t.Errorf("seed %d: demo has %d %s PFM consents, want >= %d", seed, count[st], st, min)
			}
		}
		if fetch["PERIODIC"] < 1 || fetch["ONETIME"] < 1 {
			t.Errorf("seed %d: ACTIVE fetch types %v, want PERIODIC and ONETIME", seed, fetch)
		}
		if !products["LOAN_UNDERWRITING"] {
			t.Errorf("seed %d: demo has no second-product consent", seed)
		}
		shared := 0
		for _, n := range links {
			if n >= 2 {
				shared++
			}
		}
		if shared == 0 {
			t.Errorf("seed %d: no account linked under two ACTIVE consents", seed)
		}
		types := map[string]bool{}
		joint, big := false, false
		for _, a := range d.Accounts {
			types[a.FIType] = true
			joint = joint || a.HoldersType == "JOINT" && a.Holders == 2
			big = big || a.FIType == "DEPOSIT" && a.Transactions > 250
		}
		for _, ft := range []string{"DEPOSIT", "TERM_DEPOSIT", "RECURRING_DEPOSIT", "MUTUAL_FUNDS"} {
			if !types[ft] {
				t.Errorf("seed %d: demo has no %s account", seed, ft)
			}
		}
		if !joint || !big {
			t.Errorf("seed %d: joint account %v, DEPOSIT with >250 transactions %v, want both", seed, joint, big)
		}
		// The second customer cannot see the demo customer's consents.
		r := post(t, srv, "/v1/accounts/getconsentslist", `{"mobileNumber":"9123456780","productID":"PFM_DASHBOARD"}`)
		rows, _ := r.env["data"].([]any)
		if len(rows) == 0 {
			t.Fatalf("seed %d: 9123456780 has no consents", seed)
		}
		for _, row := range rows {
			if v := row.(map[string]any)["vua"]; v != "9123456780@onemoney" {
				t.Errorf("seed %d: 9123456780's list has a row of %v", seed, v)
			}
		}
	}
}

// rebitAccount is the part of a getallfidata element the reconciliation reads.
type rebitAccount struct {
	LinkReferenceNumber string `json:"linkReferenceNumber"`
	FIType              string `json:"fiType"`
	Profile             struct {
		Holders struct {
			Type   string          `json:"type"`
			Holder json.RawMessage `json:"Holder"`
		} `json:"Holders"`
	} `json:"Profile"`
	Summary struct {
		CurrentBalance string `json:"currentBalance"`
		CurrentValue   string `json:"currentValue"`
	} `json:"Summary"`
	Transactions struct {
		Transaction []struct {
			TxnID          string `json:"txnId"`
			Type           string `json:"type"`
			Amount         string `json:"amount"`
			CurrentBalance string `json:"currentBalance"`
			Timestamp      string `json:"transactionTimestamp"`
		} `json:"Transaction"`
	} `json:"Transactions"`
}

func allFIData(t *testing.T, r reply) []rebitAccount {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("getallfidata = %d %q", r.status, r.code())
	}
	var env struct {
		Data []rebitAccount `json:"data"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatal(err)
	}
	return env.Data
}

var twoDecimals = regexp.MustCompile(`^-?[0-9]+\.[0-9]{2}$`)

// reconcile checks a's running balances with exact decimal arithmetic.
func reconcile(t *testing.T, a rebitAccount, wantBalance string) {
	t.Helper()
	ctx := apd.BaseContext.WithPrecision(50)
	credit := map[string]bool{"CREDIT": true, "OPENING": true, "INTEREST": true, "INSTALLMENT": true, "BUY": true}
	bal := apd.New(0, 0)
	prevTS := ""
	for i, x := range a.Transactions.Transaction {
		if !twoDecimals.MatchString(x.Amount) || !twoDecimals.MatchString(x.CurrentBalance) {
			t.Fatalf("account %s txn %s: amount %q balance %q, want two decimals", a.LinkReferenceNumber, x.TxnID, x.Amount, x.CurrentBalance)
		}
		amt, _, _ := apd.NewFromString(x.Amount)
		if credit[x.Type] {
			ctx.Add(bal, bal, amt)
		} else {
			ctx.Sub(bal, bal, amt)
		}
		cur, _, _ := apd.NewFromString(x.CurrentBalance)
		if bal.Cmp(cur) != 0 {
			t.Fatalf("account %s txn %d (%s): running balance %s, currentBalance %s", a.LinkReferenceNumber, i, x.TxnID, bal.Text('f'), x.CurrentBalance)
		}
		if x.Timestamp < prevTS {
			t.Errorf("account %s txn %d: timestamps out of order", a.LinkReferenceNumber, i)
		}
		prevTS = x.Timestamp
	}
	last := a.Transactions.Transaction[len(a.Transactions.Transaction)-1].CurrentBalance
	if last != a.Summary.CurrentBalance || last != wantBalance {
		t.Errorf("account %s: last currentBalance %s, Summary.currentBalance %s, getfibalance %s; want all equal", a.LinkReferenceNumber, last, a.Summary.CurrentBalance, wantBalance)
	}
	if a.FIType == "MUTUAL_FUNDS" && a.Summary.CurrentValue != wantBalance {
		t.Errorf("mutual fund %s: currentValue %s, balance %s", a.LinkReferenceNumber, a.Summary.CurrentValue, wantBalance)
	}
}

func TestReconciliation(t *testing.T) {
	txns := map[int]int{}
	for _, scale := range []int{0, 5000} {
		sb, srv := newSandbox(t, sandbox.Config{Seed: 3, Scale: scale})
		seen := map[string]bool{}
		total := 0
		for _, c := range sb.Customers() {
			for _, k := range c.Consents {
				// The wealth consent's accounts follow their own ReBIT schemas, not
				// the deposit ledger; fi_wealth_test.go reconciles them.
				if k.Status != "ACTIVE" || k.ProductID == sandbox.WealthProductID {
					continue
				}
				body := jsonBody(t, map[string]string{"consentID": k.ConsentID})
				balances := map[string]string{}
				var env struct {
					Data []struct{ LinkReferenceNumber, Balance string }
				}
				if err := json.Unmarshal(post(t, srv, "/getfibalance", body).body, &env); err != nil {
					t.Fatal(err)
				}
				for _, b := range env.Data {
					balances[b.LinkReferenceNumber] = b.Balance
				}
				for _, a := range allFIData(t, post(t, srv, "/getallfidata", body)) {
					reconcile(t, a, balances[a.LinkReferenceNumber])
					if !seen[a.LinkReferenceNumber] {
						seen[a.LinkReferenceNumber] = true
						total += len(a.Transactions.Transaction)
					}
				}
			}
		}
		if len(seen) < 6 {
			t.Errorf("scale %d: reconciled %d accounts, want >= 6", scale, len(seen))
		}
		if total == 0 {
			t.Errorf("scale %d: no transactions served", scale)
		}
		for _, c := range sb.Customers() {
			for _, a := range c.Accounts {
				txns[scale] += a.Transactions
			}
		}
	}
	if got := txns[5000] - txns[0]; got != 5000 {
		t.Errorf("Scale 5000 added %d transactions, want 5000", got)
	}
}

func TestSpecialValues(t *testing.T) {
	_, srv := newSandbox(t, sandbox.Config{})
	sb, _ := sandbox.New(sandbox.Config{})
	defer sb.Close()
	k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	r := post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID}))
	for _, want := range []string{`"amount":"0.10"`, `"amount":"100000000000.01"`, `"currentBalance":"-5.50"`, `"maturityAmount"`, `"recurringAmount"`, `"tenureDays"`} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("demo PERIODIC getallfidata has no %s", want)
		}
	}
	k = findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "ONETIME")
	r = post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID}))
	for _, want := range []string{`"costValue"`, `"currentValue"`, `"isin"`, `"schemeName"`, `"Holding":[`} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("demo ONETIME getallfidata has no %s", want)
		}
	}
}

func TestQuirks(t *testing.T) {
	tests := []struct {
		name    string
		quirks  sandbox.Quirks
		want    []string
		notWant []string
	}{
		{"default", sandbox.Quirks{}, []string{`"fiType":"TERM_DEPOSIT"`, `"type":"SINGLE","Holder":[{`}, []string{`TERM-DEPOSIT`, `"Holder":{`}},
		{"hyphen", sandbox.Quirks{TermDepositHyphen: true}, []string{`"fiType":"TERM-DEPOSIT"`}, []string{`"fiType":"TERM_DEPOSIT"`}},
		{"holder object", sandbox.Quirks{HolderAsObject: true}, []string{`"type":"SINGLE","Holder":{`, `"type":"JOINT","Holder":[{`}, []string{`"type":"SINGLE","Holder":[`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb, srv := newSandbox(t, sandbox.Config{Quirks: tc.quirks})
			k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
			body := post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID})).body
			for _, w := range tc.want {
				if !bytes.Contains(body, []byte(w)) {
					t.Errorf("getallfidata has no %s", w)
				}
			}
			for _, w := range tc.notWant {
				if bytes.Contains(body, []byte(w)) {
					t.Errorf("getallfidata has %s", w)
				}
			}
		})
	}
	t.Run("leaky filter", func(t *testing.T) {
		for _, leaky := range []bool{false, true} {
			_, srv := newSandbox(t, sandbox.Config{Quirks: sandbox.Quirks{LeakyProductFilter: leaky}})
			r := post(t, srv, "/v1/accounts/getconsentslist", `{"mobileNumber":"9876543210","productID":"PFM_DASHBOARD"}`)
			other := 0
			for _, row := range r.env["data"].([]any) {
				if row.(map[string]any)["productID"] != sandbox.DemoProductID {
					other++
				}
			}
			if (other > 0) != leaky {
				t.Errorf("LeakyProductFilter %v: %d rows of other products", leaky, other)
			}
		}
	})
}
