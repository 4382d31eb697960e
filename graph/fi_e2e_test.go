package graph_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// typeOfFI is the GraphQL type of each FI type of the seeds (the design's
// table, docs/fi-types.md §2), and of one FinPro may add.
var typeOfFI = map[string]string{
	"DEPOSIT": "DepositAccount", "TERM_DEPOSIT": "TermDepositAccount", "RECURRING_DEPOSIT": "RecurringDepositAccount",
	"SIP": "SIPAccount", "CP": "CommercialPaperAccount", "GOVT_SECURITIES": "GovtSecuritiesAccount",
	"EQUITIES": "EquitiesAccount", "BONDS": "BondsAccount", "DEBENTURES": "DebenturesAccount",
	"MUTUAL_FUNDS": "MutualFundAccount", "ETF": "ETFAccount", "IDR": "IDRAccount", "CIS": "CISAccount",
	"AIF": "AIFAccount", "INSURANCE_POLICIES": "InsurancePolicyAccount", "NPS": "NPSAccount", "INVIT": "InvITAccount",
	"REIT": "REITAccount", "GSTR1_3B": "OtherAccount", "LIFE_INSURANCE": "InsurancePolicyAccount",
	"GENERAL_INSURANCE": "InsurancePolicyAccount", "OTHER": "OtherAccount", "UNKNOWN": "OtherAccount",
}

// statementOf says which attributes of each schema's transaction rows are
// the statement's amount and moment (the XSDs' names; the first non-empty
// wins), as Transaction.amount and transactionTimestamp must show them.
var statementOf = map[string]struct{ amount, at []string }{
	"DEPOSIT":            {[]string{"amount"}, []string{"transactionTimestamp"}},
	"TERM_DEPOSIT":       {[]string{"amount"}, []string{"transactionDateTime"}},
	"RECURRING_DEPOSIT":  {[]string{"amount"}, []string{"transactionDateTime"}},
	"MUTUAL_FUNDS":       {[]string{"amount"}, []string{"executionDate", "orderDate", "navDate"}},
	"SIP":                {[]string{"amount"}, []string{"txnDate"}},
	"EQUITIES":           {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"IDR":                {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"ETF":                {[]string{"amount"}, []string{"transactionDateTime", "executionDate"}},
	"CIS":                {[]string{"amount"}, []string{"transactionDateTime", "executionDate"}},
	"AIF":                {[]string{"investmentValue", "redemptionValue", "reInvestmentValue", "paymentInvestorAmount", "fundFeesPaymentAmount", "taxPaidValue"}, nil},
	"INVIT":              {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"REIT":               {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"BONDS":              {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"GOVT_SECURITIES":    {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"CP":                 {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"DEBENTURES":         {[]string{"tradeValue"}, []string{"transactionDateTime"}},
	"NPS":                {[]string{"totalContribution", "amount"}, []string{"txnDate"}},
	"INSURANCE_POLICIES": {[]string{"amount"}, []string{"txnDate"}},
	"LIFE_INSURANCE":     {[]string{"amount"}, []string{"txnDate"}},
	"GENERAL_INSURANCE":  {[]string{"amount"}, []string{"txnDate"}},
}

// aifMoment is the date paired with each AIF amount attribute.
var aifMoment = map[string]string{
	"investmentValue": "investmentDateTime", "redemptionValue": "redemptionDate", "reInvestmentValue": "reInvestmentDate",
	"paymentInvestorAmount": "paymentInvestorDate", "fundFeesPaymentAmount": "fundFeesPaymentDate", "taxPaidValue": "taxPaidDate",
}

// piiLike matches values that are personal data (a PAN, a 10-digit mobile,
// an e-mail address, a 12-digit Aadhaar number), for the generic views.
var piiLike = regexp.MustCompile(`(?i)[A-Z]{5}[0-9]{4}[A-Z]|(^|[^0-9])[6-9][0-9]{9}([^0-9]|$)|@|(^|[^0-9])[0-9]{12}([^0-9]|$)`)

type everyTypeAnswer struct {
	Customer struct {
		Accounts []map[string]any `json:"accounts"`
	} `json:"customer"`
}

// checkEveryType runs the every-type query for a customer and checks each
// account's summary, profile and transactions against FinPro's raw JSON:
// accounts maps link reference numbers to the getallfidata account objects,
// rows to the getfidata rows. It returns the accounts by link.
func checkEveryType(t *testing.T, r response, accounts map[string]map[string]any, rows map[string][]any, unalias func(string, map[string]any) map[string]any) map[string]map[string]any {
	t.Helper()
	var got everyTypeAnswer
	b, _ := json.Marshal(r.Data)
	decodeJSON(t, b, &got)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	out := map[string]map[string]any{}
	c := &checker{t: t}
	for _, a := range got.Customer.Accounts {
		link, fiType, typename := a["linkReferenceNumber"].(string), a["fiType"].(string), a["__typename"].(string)
		out[link] = a
		raw := accounts[link]
		if raw == nil {
			t.Errorf("account %s (%s): no FinPro data", link, fiType)
			continue
		}
		if want := typeOfFI[fiType]; typename != want {
			t.Errorf("account %s: %s is a %s, want %s", link, fiType, typename, want)
		}
		where := fiType + " " + link
		summary, _ := a["summary_"+typename].(map[string]any)
		rawSummary, _ := raw["Summary"].(map[string]any)
		rawProfile, _ := raw["Profile"].(map[string]any)
		if riders, ok := rawProfile["Riders"]; ok { // the schema puts them in Profile, the graph with the covers
			rawProfile = copyWithout(rawProfile, "Riders")
			rawSummary = copyWithout(rawSummary, "")
			rawSummary["Riders"] = riders
		}
		switch {
		case typename == "OtherAccount":
			checkGeneric(t, where+" summary", rawSummary, summary)
		case rawSummary == nil && summary != nil:
			t.Errorf("%s: a summary FinPro did not send", where)
		case rawSummary != nil:
			def := fiSchema.Types[fiSchema.Types[typename].Fields.ForName("summary").Type.Name()]
			c.object(where+" Summary", def, rawSummary, summary)
		}
		if profile, _ := a["profile"].(map[string]any); rawProfile != nil {
			c.object(where+" Profile", fiSchema.Types["Profile"], rawProfile, profile)
		}
		tx := a["transactions"].(map[string]any)
		edges := tx["edges"].([]any)
		want := rows[link]
		if len(edges) != min(len(want), 100) {
			t.Errorf("%s: %d transactions, FinPro has %d", where, len(edges), len(want))
			continue
		}
		for i, e := range edges {
			node := e.(map[string]any)["node"].(map[string]any)
			row := want[i].(map[string]any)
			checkStatement(t, where, fiType, i, row, node)
			d, _ := node["detail"].(map[string]any)
			if d == nil {
				t.Errorf("%s row %d: no detail", where, i)
				continue
			}
			member := d["__typename"].(string)
			detail := unalias(member, d)
			delete(detail, "__typename")
			if member == "GenericTransaction" {
				checkGeneric(t, where+" row", row, detail)
				continue
			}
			c.object(where+" row "+member, fiSchema.Types[member], row, detail)
		}
	}
	t.Logf("compared %d attributes of %d accounts", c.leaves, len(got.Customer.Accounts))
	c.report("FinPro JSON vs GraphQL")
	if c.leaves < 100 {
		t.Errorf("compared only %d attributes", c.leaves)
	}
	return out
}

func copyWithout(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// checkStatement checks a row's statement fields against the attributes its
// schema names for them.
func checkStatement(t *testing.T, where, fiType string, i int, row, node map[string]any) {
	t.Helper()
	spec, ok := statementOf[fiType]
	if !ok {
		return // no schema: the generic view is checked instead
	}
	str := func(k string) string { s, _ := row[k].(string); return strings.TrimSpace(s) }
	amount, at := "", ""
	for _, k := range spec.amount {
		if amount = str(k); amount != "" {
			if fiType == "AIF" {
				at = str(aifMoment[k])
			}
			break
		}
	}
	for _, k := range spec.at {
		if at = str(k); at != "" {
			break
		}
	}
	if got, _ := node["amount"].(string); got != amount {
		t.Errorf("%s row %d: amount %q, want %q", where, i, got, amount)
	}
	if at == "" {
		if node["transactionTimestamp"] != nil {
			t.Errorf("%s row %d: timestamp %v, want none", where, i, node["transactionTimestamp"])
		}
	} else if want, err := expected(fiSchema.Types["DateTime"], at); err != nil || !sameInstant(node["transactionTimestamp"], want) {
		t.Errorf("%s row %d: timestamp %v, want %s (%v)", where, i, node["transactionTimestamp"], want, err)
	}
	if typ := str("type"); typ != "" {
		if want := enumValue(fiSchema.Types["TransactionType"], typ); node["type"] != want {
			t.Errorf("%s row %d: type %v, want %s", where, i, node["type"], want)
		}
	}
}

// checkGeneric checks a generic view (GenericSummary, GenericTransaction):
// every value it shows is FinPro's at that path, none looks like personal
// data, and FinPro's non-empty scalars are either shown or counted as
// redacted.
func checkGeneric(t *testing.T, where string, raw map[string]any, g map[string]any) {
	t.Helper()
	if raw == nil {
		if g != nil {
			t.Errorf("%s: a generic view of nothing", where)
		}
		return
	}
	if g == nil {
		t.Errorf("%s: no generic view", where)
		return
	}
	leaves := map[string]string{}
	flattenJSON("", raw, leaves)
	fields, _ := g["fields"].([]any)
	for _, f := range fields {
		f := f.(map[string]any)
		path, value := f["path"].(string), f["value"].(string)
		if want, ok := leaves[path]; !ok || want != value {
			t.Errorf("%s: %s = %q, FinPro sent %q", where, path, value, want)
		}
		if piiLike.MatchString(value) {
			t.Errorf("%s: %s = %q looks like personal data", where, path, value)
		}
	}
	redacted, _ := g["redactedFields"].(json.Number)
	n, _ := redacted.Int64()
	if len(fields)+int(n) != len(leaves) {
		t.Errorf("%s: %d fields + %d redacted, FinPro sent %d values", where, len(fields), n, len(leaves))
	}
}

// flattenJSON lists the non-empty scalars of v by path (a/b[0]/c).
func flattenJSON(path string, v any, out map[string]string) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "/" + k
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			flattenJSON(join(k), x, out)
		}
	case []any:
		for i, x := range v {
			flattenJSON(path+"["+strconv.Itoa(i)+"]", x, out)
		}
	case string:
		if s := strings.TrimSpace(v); s != "" {
			out[path] = s
		}
	case json.Number:
		out[path] = v.String()
	case bool:
		out[path] = map[bool]string{true: "true", false: "false"}[v]
	}
}

func sameInstant(got any, want string) bool {
	s, _ := got.(string)
	g, err1 := time.Parse(time.RFC3339Nano, s)
	w, err2 := time.Parse(time.RFC3339Nano, want)
	return err1 == nil && err2 == nil && g.Equal(w)
}

// wealthConsent returns the demo customer's WEALTH_DASHBOARD consent.
func wealthConsent(t *testing.T, e *env) sandbox.ConsentInfo {
	t.Helper()
	for _, k := range e.demo(t).Consents {
		if k.ProductID == sandbox.WealthProductID && k.Status == "ACTIVE" {
			return k
		}
	}
	t.Fatal("the demo customer has no ACTIVE WEALTH_DASHBOARD consent")
	return sandbox.ConsentInfo{}
}

// rawConsentData reads a consent's accounts (getallfidata) and every
// account's rows (getfidata) raw from the sandbox.
func rawConsentData(t *testing.T, e *env, consentID string) (map[string]map[string]any, map[string][]any) {
	t.Helper()
	var list []map[string]any
	decodeJSON(t, rawFinPro(t, e, "/getallfidata", map[string]string{"consentID": consentID}), &list)
	accounts := map[string]map[string]any{}
	rows := map[string][]any{}
	for _, a := range list {
		link := a["linkReferenceNumber"].(string)
		accounts[link] = a
		var d struct {
			FIData []any `json:"fiData"`
		}
		decodeJSON(t, rawFinPro(t, e, "/getfidata", map[string]string{"consentID": consentID, "linkReferenceNumber": link}), &d)
		rows[link] = d.FIData
	}
	return accounts, rows
}

// TestWealthEveryType queries the sandbox's wealth consent (one account of
// every FI type of the seeds) for every account type with fragments, and
// checks every summary, holding, profile and transaction value against the
// JSON the sandbox sends, attribute by attribute.
func TestWealthEveryType(t *testing.T) {
	e := newEnv(t, envOptions{})
	consent := wealthConsent(t, e)
	accounts, rows := rawConsentData(t, e, consent.ConsentID)
	q, unalias := everyTypeQuery()
	e.sb.ResetStats()
	r := e.post(t, q, map[string]any{"mobile": sandbox.DemoMobile, "product": sandbox.WealthProductID})
	stats := e.sb.Stats()
	got := checkEveryType(t, r, accounts, rows, unalias)
	seen := map[string]bool{}
	for _, a := range got {
		seen[a["fiType"].(string)] = true
	}
	for fiType := range typeOfFI {
		if !seen[fiType] && fiType != "UNKNOWN" {
			t.Errorf("the wealth consent shows no %s account", fiType)
		}
	}
	if stats["/getallfidata"] != 1 {
		t.Errorf("getallfidata calls = %d, want 1 for every summary and profile", stats["/getallfidata"])
	}
}

// rebitFolders are the ReBIT schema folders of the examples
// (internal/finpro/testdata/rebit/<folder>/example.json).
var rebitFolders = []string{"deposit", "term_deposit", "recurring_deposit", "mutual_funds", "equity_shares",
	"systematic_investment_plan", "commercial_paper", "government_securities", "bonds", "debentures",
	"exchange_traded_funds", "indian_depository_receipts", "collective_investment_schemes",
	"alternative_investment_funds", "insurance_policies", "national_pension_system",
	"infrastructure_investment_trusts", "real_estate_investment_trusts"}

// extraAccounts are accounts without a ReBIT example: the insurance example
// as LIFE_INSURANCE and GENERAL_INSURANCE, the two FI types without a schema
// and one FinPro may add, with personal data among their values.
const extraAccounts = `[
 {"linkReferenceNumber":"gst-1","maskedAccountNumber":"XXXX0001","fiType":"GSTR1_3B","fipId":"GSTN-FIP",
  "Profile":{"Holders":{"Holder":{"name":"Asha Traders","pan":"ABCDE1234F"}}},
  "Summary":{"gstin":"27ABCDE1234F1Z5","returnPeriod":"032026","taxableValue":"125000.50","contact":"asha@example.com",
   "Section":{"Item":[{"rate":"18","tax":"22500.09"},{"rate":"5","tax":"10"}]}},
  "Transactions":{"startDate":"2026-03-01","endDate":"2026-03-31","Transaction":[
   {"txnId":"G1","invoiceNo":"INV/1","invoiceDate":"2026-03-04","taxableValue":"1000.00","note":"call 9876543210"}]}},
 {"linkReferenceNumber":"ppf-1","maskedAccountNumber":"XXXX0002","fiType":"OTHER","fipId":"IPPB-FIP",
  "Summary":{"accountType":"PPF","currentValue":"150964.00","interestRate":"7.10"},
  "Transactions":{"Transaction":[{"txnId":"P1","txnDate":"2024-07-01","type":"INTEREST","amount":"5964.00","balance":"89964.00"}]}},
 {"linkReferenceNumber":"cc-1","maskedAccountNumber":"XXXX0003","fiType":"CREDIT_CARD","fipId":"BANK-FIP",
  "Summary":{"currentDue":"12000.00","creditLimit":"200000","cardHolder":{"name":"Asha","mobile":"9876543210"}},
  "Transactions":{"Transaction":[{"txnId":"CC1","type":"PURCHASE","amount":"1200.00","transactionTimestamp":"2026-03-04T10:00:00+05:30"}]}}
]`

// rebitUpstream is a FinPro whose one consent links the ReBIT examples and
// extraAccounts, answering the consent list, getallfidata and getfidata
// (every row) with them; the accounts are returned as sent.
func rebitUpstream(t *testing.T) (*httptest.Server, map[string]map[string]any, map[string][]any) {
	t.Helper()
	var raw []json.RawMessage
	for _, folder := range rebitFolders {
		b, err := os.ReadFile(filepath.Join("..", "internal", "finpro", "testdata", "rebit", folder, "example.json"))
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, b)
		if folder == "insurance_policies" {
			for _, ft := range []string{"LIFE_INSURANCE", "GENERAL_INSURANCE"} {
				s := strings.Replace(string(b), `"INSURANCE_POLICIES"`, `"`+ft+`"`, 1)
				s = strings.Replace(s, `"example-insurance-policies"`, `"example-`+strings.ToLower(ft)+`"`, 1)
				raw = append(raw, json.RawMessage(s))
			}
		}
	}
	var extra []json.RawMessage
	if err := json.Unmarshal([]byte(extraAccounts), &extra); err != nil {
		t.Fatal(err)
	}
	return upstreamOf(t, append(raw, extra...))
}

// upstreamOf is a FinPro whose one consent (c1, product P) links the account
// objects raw, answering the consent list, getallfidata and getfidata (every
// row) with them as sent.
func upstreamOf(t *testing.T, raw []json.RawMessage) (*httptest.Server, map[string]map[string]any, map[string][]any) {
	t.Helper()
	accounts := map[string]map[string]any{}
	rows := map[string][]any{}
	var linked []map[string]any
	for _, b := range raw {
		var a map[string]any
		decodeJSON(t, b, &a)
		link := a["linkReferenceNumber"].(string)
		if accounts[link] != nil {
			t.Fatalf("two examples link %s", link)
		}
		accounts[link] = a
		rows[link] = transactionRows(a)
		linked = append(linked, map[string]any{"linkRefNumber": link, "fiType": a["fiType"], "fipId": a["fipId"], "maskedAccountNumber": a["maskedAccountNumber"]})
	}
	reply := func(w http.ResponseWriter, data any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ver": "1.21.0", "status": "success", "data": data})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			LinkReferenceNumber string `json:"linkReferenceNumber"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		switch r.URL.Path {
		case "/v1/accounts/getconsentslist":
			reply(w, []any{map[string]any{"consentID": "c1", "consentHandle": "h1", "status": "ACTIVE", "productID": "P", "accounts": linked}})
		case "/getallfidata":
			reply(w, raw)
		case "/getfidata":
			a := accounts[req.LinkReferenceNumber]
			reply(w, map[string]any{"linkReferenceNumber": req.LinkReferenceNumber, "fiType": a["fiType"], "fiData": rows[req.LinkReferenceNumber]})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, accounts, rows
}

// transactionRows returns an account's Transaction elements, NPS's four
// lists in one (as getfidata sends them).
func transactionRows(a map[string]any) []any {
	txs, _ := a["Transactions"].(map[string]any)
	var out []any
	for _, k := range slices.Sorted(mapKeys(txs)) {
		v := txs[k]
		if inner, ok := v.(map[string]any); ok && k != "Transaction" { // NPS: Tier1SchemeTransactions{Tier1SchemeTransaction: [...]}
			for _, rows := range inner {
				v = rows
			}
		}
		switch v := v.(type) {
		case []any:
			out = append(out, v...)
		case map[string]any:
			out = append(out, v)
		}
	}
	return out
}

// graphFor is a BFF in front of up, with every scope.
func graphFor(t *testing.T, up *httptest.Server) string {
	t.Helper()
	fp, err := finpro.New(finpro.Options{BaseURL: up.URL, Credentials: sandboxCredentials(), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(asPartner(graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp}})))
	t.Cleanup(api.Close)
	return api.URL
}

// TestReBITExamplesEveryType serves the ReBIT XSDs' examples (in FinPro's JSON
// shape) as one consent and checks, through the real handler, that every
// attribute of every example reaches its GraphQL field with its value, and
// that the FI types without a schema show their values without personal data.
func TestReBITExamplesEveryType(t *testing.T) {
	up, accounts, rows := rebitUpstream(t)
	url := graphFor(t, up)
	q, unalias := everyTypeQuery()
	got := checkEveryType(t, postTo(t, url, q, map[string]any{"mobile": "9000000001", "product": "P"}), accounts, rows, unalias)
	if len(got) != len(accounts) {
		t.Errorf("%d accounts shown, FinPro linked %d", len(got), len(accounts))
	}
	if a := got["cc-1"]; a == nil || a["fiType"] != "UNKNOWN" || a["__typename"] != "OtherAccount" {
		t.Errorf("an FI type this version does not know: %v", a)
	}
}

// TestUnknownValuesAreUNKNOWN: values this version does not know (an FI type,
// enumeration values FinPro adds) come out as UNKNOWN, with the rest of the
// account and every row; never an error, never a dropped row.
func TestUnknownValuesAreUNKNOWN(t *testing.T) {
	up, _, _ := upstreamOf(t, []json.RawMessage{json.RawMessage(`{"linkReferenceNumber":"eq-1","maskedAccountNumber":"XXXX0009","fiType":"EQUITIES",
	  "Summary":{"currentValue":"100.00","Investment":{"Holdings":{"type":"ELECTRONIC","Holding":[{"isin":"INE0X","units":"2","lastTradedPrice":"50.00"}]}}},
	  "Transactions":{"Transaction":[
	   {"txnId":"T1","exchange":"MCX","equityCategory":"COMMODITY","type":"PLEDGE","tradeValue":"100.00","transactionDateTime":"2026-03-04T10:00:00+05:30"},
	   {"txnId":"T2","exchange":"NSE","type":"BUY","tradeValue":"50.00","transactionDateTime":"2026-03-05T10:00:00+05:30"}]}}`),
		json.RawMessage(`{"linkReferenceNumber":"cc-1","maskedAccountNumber":"XXXX0003","fiType":"CREDIT_CARD",
	  "Summary":{"currentDue":"12000.00"},"Transactions":{"Transaction":[{"txnId":"CC1","type":"PURCHASE","amount":"1200.00"}]}}`),
	})
	const q = `{ customer(mobileNumber: "9000000001", productID: "P") { accounts {
	  __typename fiType
	  transactions(first: 10) { edges { node { txnId type amount detail { ... on EquityTransaction { exchange equityCategory type } } } } }
	  ... on EquitiesAccount { summary { currentValue holdingsType holdings { isin } } }
	  ... on OtherAccount { summary { fields { path value } } }
	} } }`
	r := postTo(t, graphFor(t, up), q, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	want := `{"customer":{"accounts":[
	 {"__typename":"EquitiesAccount","fiType":"EQUITIES","transactions":{"edges":[
	   {"node":{"txnId":"T1","type":"UNKNOWN","amount":"100.00","detail":{"exchange":"UNKNOWN","equityCategory":"UNKNOWN","type":"UNKNOWN"}}},
	   {"node":{"txnId":"T2","type":"BUY","amount":"50.00","detail":{"exchange":"NSE","equityCategory":null,"type":"BUY"}}}]},
	  "summary":{"currentValue":"100.00","holdingsType":"UNKNOWN","holdings":[{"isin":"INE0X"}]}},
	 {"__typename":"OtherAccount","fiType":"UNKNOWN","transactions":{"edges":[
	   {"node":{"txnId":"CC1","type":"UNKNOWN","amount":"1200.00","detail":{}}}]},
	  "summary":{"fields":[{"path":"currentDue","value":"12000.00"}]}}]}}`
	var gotV, wantV any
	if err := json.Unmarshal(r.Data, &gotV); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}

// TestFIPersonalDataMasked: without profile:read, the holder attributes the
// other schemas add (demat account, PRAN) and a SIP plan's holder names and
// e-mail address are masked like the profile's; nothing of them shows.
func TestFIPersonalDataMasked(t *testing.T) {
	e := newEnv(t, envOptions{})
	consent := wealthConsent(t, e)
	accounts, _ := rawConsentData(t, e, consent.ConsentID)
	var secrets []string
	lastFour := map[string]bool{}
	for _, a := range accounts {
		leaves := map[string]string{}
		flattenJSON("", a["Profile"], leaves)
		flattenJSON("Summary", a["Summary"], leaves)
		for path, v := range leaves {
			k := path[strings.LastIndexAny(path, "/]")+1:]
			switch k {
			case "name", "email", "pan", "mobile", "address", "holder1Name", "holder2Name":
				secrets = append(secrets, v)
			case "dematId", "pranId":
				secrets = append(secrets, v)
				lastFour[v[len(v)-4:]] = true
			}
		}
	}
	if len(secrets) < 5 || len(lastFour) < 2 {
		t.Fatalf("the wealth consent has too little personal data to test (%d values)", len(secrets))
	}
	e.principal = customerToken(sandbox.DemoMobile, without(auth.ScopeProfileRead)...)
	const q = `query($p: ID!) { me(productID: $p) { accounts {
	  profile { holders { name email pan mobile address dematId pranId } }
	  ... on SIPAccount { summary { holdings { holder1Name holder2Name email } } }
	} } }`
	r := e.post(t, q, map[string]any{"p": sandbox.WealthProductID})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	body := string(r.Data)
	for _, s := range secrets {
		if len(s) > 4 && strings.Contains(body, s) {
			t.Errorf("masked answer shows personal data (%d characters)", len(s))
		}
	}
	for four := range lastFour {
		if !strings.Contains(body, "X"+four) {
			t.Errorf("a masked identifier does not keep its last four characters")
		}
	}
}
