package fi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// statement says, per schema, which attributes of a Transaction element are
// its amount and its moment, as the XSDs define them (the statement view
// every schema's rows are shown in). The first non-empty attribute wins.
var statement = map[string]struct {
	amount, at []string
	goType     any
}{
	"deposit":                          {[]string{"amount"}, []string{"transactionTimestamp"}, &deposits.DepositTransaction{}},
	"term_deposit":                     {[]string{"amount"}, []string{"transactionDateTime"}, &deposits.TermTransaction{}},
	"recurring_deposit":                {[]string{"amount"}, []string{"transactionDateTime"}, &deposits.TermTransaction{}},
	"mutual_funds":                     {[]string{"amount"}, []string{"executionDate", "orderDate", "navDate"}, &funds.MutualFundTransaction{}},
	"equity_shares":                    {[]string{"tradeValue"}, []string{"transactionDateTime"}, &securities.EquityTransaction{}},
	"systematic_investment_plan":       {[]string{"amount"}, []string{"txnDate"}, &funds.SIPTransaction{}},
	"commercial_paper":                 {[]string{"tradeValue"}, []string{"transactionDateTime"}, &securities.SecurityTransaction{}},
	"government_securities":            {[]string{"tradeValue"}, []string{"transactionDateTime"}, &securities.SecurityTransaction{}},
	"bonds":                            {[]string{"tradeValue"}, []string{"transactionDateTime"}, &securities.SecurityTransaction{}},
	"debentures":                       {[]string{"tradeValue"}, []string{"transactionDateTime"}, &securities.DebentureTransaction{}},
	"exchange_traded_funds":            {[]string{"amount"}, []string{"transactionDateTime", "executionDate"}, &funds.ETFTransaction{}},
	"indian_depository_receipts":       {[]string{"tradeValue"}, []string{"transactionDateTime"}, &securities.IDRTransaction{}},
	"collective_investment_schemes":    {[]string{"amount"}, []string{"transactionDateTime", "executionDate"}, &funds.CISTransaction{}},
	"alternative_investment_funds":     {[]string{"investmentValue"}, []string{"investmentDateTime"}, &funds.AIFTransaction{}},
	"insurance_policies":               {[]string{"amount"}, []string{"txnDate"}, &insurance.InsuranceTransaction{}},
	"national_pension_system":          {[]string{"totalContribution", "amount"}, []string{"txnDate"}, nil},
	"infrastructure_investment_trusts": {[]string{"tradeValue"}, []string{"transactionDateTime"}, &funds.InvITTransaction{}},
	"real_estate_investment_trusts":    {[]string{"tradeValue"}, []string{"transactionDateTime"}, &funds.InvITTransaction{}},
}

// exampleRows returns the Transaction elements of a schema's example, NPS's
// four lists in one (as getfidata sends them).
func exampleRows(t *testing.T, folder string) []json.RawMessage {
	t.Helper()
	var acc struct {
		Transactions map[string]json.RawMessage `json:"Transactions"`
	}
	if err := json.Unmarshal(readExample(t, folder), &acc); err != nil {
		t.Fatal(err)
	}
	var out []json.RawMessage
	for k, v := range acc.Transactions {
		if k == "startDate" || k == "endDate" {
			continue
		}
		if k != "Transaction" { // NPS: {"Tier1SchemeTransaction": [...]}
			var inner map[string]json.RawMessage
			if err := json.Unmarshal(v, &inner); err != nil {
				t.Fatal(err)
			}
			for _, rows := range inner {
				v = rows
			}
		}
		var rows []json.RawMessage
		if err := json.Unmarshal(v, &rows); err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
	}
	return out
}

// pageThroughClient serves rows as a getfidata answer and returns what the
// real client decodes.
func pageThroughClient(t *testing.T, fiType finpro.FIType, rows []json.RawMessage) *finpro.AccountData {
	t.Helper()
	data, _ := json.Marshal(map[string]any{"linkReferenceNumber": "l1", "fiType": fiType, "fiData": rows})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ver":"1.21.0","status":"success","data":%s}`, data)
	}))
	t.Cleanup(srv.Close)
	c, err := finpro.New(finpro.Options{BaseURL: srv.URL, Credentials: finpro.Credentials{
		ClientID: "fp_test_x", ClientSecret: "s", OrganisationID: "ORG1", AppIdentifier: "app",
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.FIData(t.Context(), finpro.FIDataRequest{ConsentID: "c1", LinkReferenceNumber: "l1"})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestTransactionRows sends every example's Transaction elements through the
// real client as a getfidata page: the rows keep their bytes (all but
// deposits), decode by their schema without issues, and Normalize puts each
// schema's amount and moment into the statement fields, as the table above
// reads them from the example itself.
func TestTransactionRows(t *testing.T) {
	for folder, ex := range examples {
		t.Run(folder, func(t *testing.T) {
			rows := exampleRows(t, folder)
			if len(rows) == 0 {
				t.Fatal("example has no transactions")
			}
			d := pageThroughClient(t, ex.fiType, rows)
			if len(d.Transactions) != len(rows) {
				t.Fatalf("client decoded %d rows, want %d", len(d.Transactions), len(rows))
			}
			for i, r := range d.Transactions {
				switch {
				case ex.fiType == fi.TypeDeposit && r.Raw != nil:
					t.Errorf("row %d of a deposit kept its bytes", i)
				case ex.fiType != fi.TypeDeposit && !jsonEqual(r.Raw, rows[i]):
					t.Errorf("row %d Raw = %s, want %s", i, r.Raw, rows[i])
				}
			}
			fi.Normalize(ex.fiType, d.Transactions)
			spec := statement[folder]
			for i, raw := range rows {
				var attrs map[string]string
				if err := json.Unmarshal(raw, &attrs); err != nil {
					t.Fatal(err)
				}
				tx, issues := fi.DecodeTransaction(ex.fiType, raw)
				if len(issues.Malformed) > 0 {
					t.Errorf("row %d issues: %v", i, issues.Malformed)
				}
				if spec.goType != nil && reflect.TypeOf(tx) != reflect.TypeOf(spec.goType) {
					t.Errorf("row %d decodes to %T, want %T", i, tx, spec.goType)
				}
				if _, ok := attrs["totalContribution"]; ok && reflect.TypeOf(tx) != reflect.TypeFor[*pension.NPSInvestmentTransaction]() {
					t.Errorf("NPS contribution row %d decodes to %T", i, tx)
				}
				if _, ok := attrs["cumulativeUnits"]; ok && reflect.TypeOf(tx) != reflect.TypeFor[*pension.NPSSchemeTransaction]() {
					t.Errorf("NPS scheme row %d decodes to %T", i, tx)
				}
				got := d.Transactions[i]
				if ex.fiType == fi.TypeDeposit {
					continue // the client's own view, tested in internal/finpro
				}
				if want := first(attrs, spec.amount); string(got.Amount) != want {
					t.Errorf("row %d amount = %q, want %q", i, got.Amount, want)
				}
				if want := moment(t, first(attrs, spec.at)); !got.TransactionTimestamp.Equal(want) {
					t.Errorf("row %d timestamp = %v, want %v", i, got.TransactionTimestamp, want)
				}
				if want := typeOf(attrs["type"]); got.Type != want {
					t.Errorf("row %d type = %q, want %q", i, got.Type, want)
				}
				if b, ok := attrs["balance"]; ok && string(got.CurrentBalance) != b {
					t.Errorf("row %d balance = %q, want %q", i, got.CurrentBalance, b)
				}
				if m := attrs["mode"]; (m == "DEMAT" || m == "PHYSICAL") && got.Mode != "" {
					t.Errorf("row %d mode = %q: a holding mode is not a payment channel", i, got.Mode)
				}
			}
		})
	}
}

func first(attrs map[string]string, keys []string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(attrs[k]); v != "" {
			return v
		}
	}
	return ""
}

// moment reads an example's date-time, or its date at midnight IST.
func moment(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	if at, err := time.Parse(time.RFC3339, s); err == nil {
		return at
	}
	at, err := time.ParseInLocation(time.DateOnly, s, time.FixedZone("IST", 19800))
	if err != nil {
		t.Fatalf("example moment %q: %v", s, err)
	}
	return at
}

// typeOf is a type attribute in upper snake case, as the graph shows it.
func typeOf(s string) string {
	return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToUpper(strings.TrimSpace(s)))
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// TestGenericTransaction: a row of an FI type without a schema is a bounded
// list of its scalars without personal data, and its statement fields come
// from its top-level attributes.
func TestGenericTransaction(t *testing.T) {
	raw := []byte(`{"txnId":"T1","type":"interest","amount":"120.50","balance":1000,"txnDate":"2024-03-31",
	  "narration":"ANNUAL INTEREST","pan":"ABCDE1234F","note":"call 9876543210","tax":{"igst":"9.00"}}`)
	tx, issues := fi.DecodeTransaction("CREDIT_CARD", raw)
	if len(issues.Malformed) > 0 {
		t.Fatalf("issues %v", issues.Malformed)
	}
	g, ok := tx.(*fi.GenericTransaction)
	if !ok {
		t.Fatalf("decoded to %T", tx)
	}
	want := []fi.Field{
		{Path: "txnId", Value: "T1"},
		{Path: "type", Value: "interest"},
		{Path: "amount", Value: "120.50"},
		{Path: "balance", Value: "1000"},
		{Path: "txnDate", Value: "2024-03-31"},
		{Path: "narration", Value: "ANNUAL INTEREST"},
		{Path: "tax/igst", Value: "9.00"},
	}
	if !reflect.DeepEqual(g.Fields, want) || g.Redacted != 2 {
		t.Errorf("fields = %+v (redacted %d), want %+v (redacted 2)", g.Fields, g.Redacted, want)
	}
	c := g.Common()
	at := time.Date(2024, 3, 31, 0, 0, 0, 0, time.FixedZone("IST", 19800))
	if c.TxnID != "T1" || c.Type != "INTEREST" || c.Amount != "120.50" || c.Balance != "1000" || !c.At.Equal(at) || c.Narration != "ANNUAL INTEREST" {
		t.Errorf("Common = %+v", c)
	}
	if tx, issues := fi.DecodeTransaction("OTHER", []byte(`"junk"`)); len(issues.Malformed) != 1 || len(tx.(*fi.GenericTransaction).Fields) != 0 {
		t.Errorf("a row that is not an object: %+v, %v", tx, issues)
	}
	if _, issues := fi.DecodeTransaction(fi.TypeEquities, []byte(`[1]`)); len(issues.Malformed) != 1 {
		t.Errorf("an equities row that is not an object: issues %v", issues)
	}
}

// TestNormalizeKeepsDeposits: rows without bytes (deposits) are untouched.
func TestNormalizeKeepsDeposits(t *testing.T) {
	rows := []finpro.Transaction{{TxnID: "1", Type: "CREDIT", Mode: "UPI", Amount: "5.00"}}
	before := rows[0]
	fi.Normalize(fi.TypeDeposit, rows)
	if !reflect.DeepEqual(rows[0], before) {
		t.Errorf("Normalize changed a deposit row: %+v", rows[0])
	}
}

// TestDecodeSummaryAndProfile: the partial decoders give exactly what the
// full one gives for their parts, and leave the transactions undecoded.
func TestDecodeSummaryAndProfile(t *testing.T) {
	for folder, ex := range examples {
		raw := readExample(t, folder)
		full, _ := fi.DecodeRaw(ex.fiType, raw)
		part, issues := fi.DecodeSummary(ex.fiType, raw)
		if len(issues.Malformed) > 0 {
			t.Errorf("%s: issues %v", folder, issues.Malformed)
		}
		fv, pv := reflect.ValueOf(full).Elem(), reflect.ValueOf(part).Elem()
		for _, name := range []string{"Profile", "Summary"} {
			if !reflect.DeepEqual(fv.FieldByName(name).Interface(), pv.FieldByName(name).Interface()) {
				t.Errorf("%s: DecodeSummary's %s differs from Decode's", folder, name)
			}
		}
		if !pv.FieldByName("Transactions").IsNil() {
			t.Errorf("%s: DecodeSummary decoded the transactions", folder)
		}
		p, _ := fi.DecodeProfile(raw)
		if folder == "insurance_policies" {
			if !reflect.DeepEqual(p.Holders, full.(*insurance.InsurancePolicies).Profile.Holders) {
				t.Errorf("%s: DecodeProfile's holders differ", folder)
			}
			continue
		}
		if !reflect.DeepEqual(p, fv.FieldByName("Profile").Interface()) {
			t.Errorf("%s: DecodeProfile differs from Decode's Profile", folder)
		}
	}
}
