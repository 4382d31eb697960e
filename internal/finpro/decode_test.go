package finpro_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

var ist = time.FixedZone("IST", 5*3600+30*60)

// stub is a fake FinPro answering every path with a fixed body and recording
// the request bodies it received.
type stub struct {
	mu     sync.Mutex
	bodies map[string]string // path -> last request body
	query  map[string]string // path -> last raw query
}

func serve(t *testing.T, answer string) (*finpro.Client, *stub) {
	t.Helper()
	st := &stub{bodies: map[string]string{}, query: map[string]string{}}
	srv, _ := fakeServer(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		b, _ := io.ReadAll(r.Body)
		st.mu.Lock()
		st.bodies[r.URL.Path] = string(b)
		st.query[r.URL.Path] = r.URL.RawQuery
		st.mu.Unlock()
		reply(w, 200, answer)
	})
	c, _ := newClient(t, srv.URL, nil)
	return c, st
}

func (s *stub) body(t *testing.T, path string) map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s.bodies[path]))
	dec.UseNumber() // numbers stay exact text
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("request body of %s is not JSON: %v", path, err)
	}
	return m
}

func TestDecodeBalances(t *testing.T) {
	asOf := time.Date(2024, 10, 4, 9, 30, 0, 0, ist)
	one := finpro.Balance{
		LinkReferenceNumber: "lr-1", MaskedAccountNumber: "XXXXXXXX3900", FIType: finpro.FITypeDeposit,
		FIPID: "HDFC-FIP", FIPName: "HDFC Bank", Balance: "101666.33", Currency: "INR", AsOf: asOf,
	}
	td := finpro.Balance{
		LinkReferenceNumber: "lr-2", MaskedAccountNumber: "XXXXXXXX1111", FIType: finpro.FITypeTermDeposit,
		FIPID: "SBI-FIP", FIPName: "SBI", Balance: "250000.00", Currency: "INR", AsOf: asOf,
	}
	const (
		oneJSON = `{"fiType":"DEPOSIT","fipId":"HDFC-FIP","fipName":"HDFC Bank","balance":"101666.33","linkReferenceNumber":"lr-1","maskedAccountNumber":"XXXXXXXX3900"}`
		// fipID, a numeric balance and TERM-DEPOSIT: all quirks, same values.
		tdJSON = `{"fiType":"TERM-DEPOSIT","fipID":"SBI-FIP","fipName":"SBI","balance":250000.00,"linkReferenceNumber":"lr-2","maskedAccountNumber":"XXXXXXXX1111"}`
	)
	tests := []struct {
		name string
		data string
		want []finpro.Balance
	}{
		{"array", "[" + oneJSON + "," + tdJSON + "]", []finpro.Balance{one, td}},
		{"object", oneJSON, []finpro.Balance{one}},
		{"empty", "[]", []finpro.Balance{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, st := serve(t, okBody(tc.data))
			got, err := c.Balances(t.Context(), "consent-1")
			if err != nil {
				t.Fatalf("Balances() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Balances() (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]any{"consentID": "consent-1"}, st.body(t, "/getfibalance")); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("one account", func(t *testing.T) {
		c, st := serve(t, okBody(oneJSON))
		got, err := c.Balance(t.Context(), "consent-1", "lr-1")
		if err != nil {
			t.Fatalf("Balance() error = %v", err)
		}
		if diff := cmp.Diff(&one, got); diff != "" {
			t.Errorf("Balance() (-want +got):\n%s", diff)
		}
		want := map[string]any{"consentID": "consent-1", "linkReferenceNumber": "lr-1"}
		if diff := cmp.Diff(want, st.body(t, "/getfibalance")); diff != "" {
			t.Errorf("request body (-want +got):\n%s", diff)
		}
	})
	t.Run("one account missing", func(t *testing.T) {
		c, _ := serve(t, okBody("["+tdJSON+"]"))
		if _, err := c.Balance(t.Context(), "consent-1", "lr-1"); !errors.Is(err, finpro.ErrNotFound) {
			t.Errorf("Balance() error = %v, want %v", err, finpro.ErrNotFound)
		}
	})
}

// rebitAccount builds one getallfidata account in the ReBIT shape; the
// parameters switch each quirk.
func rebitAccount(fiType, profile, summary, transactions string) string {
	return `{"linkReferenceNumber":"lr-9","maskedAccountNumber":"XXXXXXXX4321","fiType":"` + fiType +
		`","bank":"HDFC Bank","fipId":"HDFC-FIP",` + profile + `,` + summary + `,` + transactions + `}`
}

const (
	holderA   = `{"name":"Ananya Rao","dob":"1994-03-12","mobile":"9123456780","nominee":"NOT-REGISTERED","landline":"","address":"12 MG Road","email":"a@example.com","pan":"ABCDE1234F","ckycCompliance":"true"}`
	holderABo = `{"name":"Ananya Rao","dob":"1994-03-12","mobile":9123456780,"nominee":"NOT-REGISTERED","landline":"","address":"12 MG Road","email":"a@example.com","pan":"ABCDE1234F","ckycCompliance":true}`
	holderB   = `{"name":"Ravi Rao","dob":"1990-01-01","mobile":"9000000001","nominee":"REGISTERED","landline":"","address":"12 MG Road","email":"r@example.com","pan":"ABCDE9999Z","ckycCompliance":"NO"}`
	summaryJS = `{"currentBalance":"5591.00","currency":"INR","exchgeRate":"","balanceDateTime":"2024-10-04T09:30:00+05:30","type":"SAVINGS","branch":"MG Road","facility":"OD","ifscCode":"HDFC0000123","micrCode":"560240002","openingDate":"2019-06-01","status":"ACTIVE"}`
	tx1       = `{"txnId":"S1","type":"CREDIT","mode":"UPI","amount":"25591.00","currentBalance":"25591.00","transactionTimestamp":"2024-10-01T10:12:45+05:30","valueDate":"2024-10-01","narration":"UPI/427512345678/SALARY","reference":"427512345678"}`
	tx2       = `{"txnId":"S2","type":"DEBIT","mode":"FT","amount":"20000.00","currentBalance":"5591.00","transactionTimestamp":"2024-10-03 23:30:00","valueDate":"2024-10-03","narration":"IB FUNDS TRANSFER","reference":""}`
	tx2Num    = `{"txnId":"S2","type":"DEBIT","mode":"FT","amount":20000.00,"currentBalance":5591.00,"transactionTimestamp":"2024-10-03T18:00:00Z","valueDate":"2024-10-03","narration":"IB FUNDS TRANSFER","reference":null}`
)

func wantTransactions() []finpro.Transaction {
	return []finpro.Transaction{
		{
			TxnID: "S1", Type: "CREDIT", Mode: "UPI", Amount: "25591.00", CurrentBalance: "25591.00",
			TransactionTimestamp: time.Date(2024, 10, 1, 10, 12, 45, 0, ist), ValueDate: "2024-10-01",
			Narration: "UPI/427512345678/SALARY", Reference: "427512345678",
		},
		{
			TxnID: "S2", Type: "DEBIT", Mode: "FT", Amount: "20000.00", CurrentBalance: "5591.00",
			TransactionTimestamp: time.Date(2024, 10, 3, 23, 30, 0, 0, ist), ValueDate: "2024-10-03",
			Narration: "IB FUNDS TRANSFER",
		},
	}
}

func TestDecodeFIAccounts(t *testing.T) {
	joint := `"Profile":{"Holders":{"type":"JOINT","Holder":[` + holderA + `,` + holderB + `]}}`
	summary := `"Summary":` + summaryJS
	txs := `"Transactions":{"startDate":"2024-09-01","endDate":"2024-10-04","Transaction":[` + tx1 + `,` + tx2 + `]}`

	canonical := rebitAccount("TERM_DEPOSIT", `"Profile":{"Holders":{"type":"SINGLE","Holder":[`+holderA+`]}}`, summary, txs)
	// The same account with every quirk the sandbox can switch on, plus the
	// lowercase containers of FinPro's docs.
	variants := map[string]string{
		"holder object, TERM-DEPOSIT": rebitAccount("TERM-DEPOSIT", `"Profile":{"Holders":{"type":"SINGLE","Holder":`+holderABo+`}}`, summary, txs),
		"lowercase containers": rebitAccount("term_deposit", `"profile":{"holders":{"type":"SINGLE","holder":`+holderA+`}}`, `"summary":`+summaryJS,
			`"transactions":{"startDate":"2024-09-01","endDate":"2024-10-04","transaction":[`+tx1+`,`+tx2Num+`]}`),
	}
	c, _ := serve(t, okBody("["+canonical+"]"))
	want, err := c.AllFIData(t.Context(), "consent-1")
	if err != nil {
		t.Fatalf("AllFIData() error = %v", err)
	}
	for name, body := range variants {
		t.Run(name, func(t *testing.T) {
			c, _ := serve(t, okBody("["+body+"]"))
			got, err := c.AllFIData(t.Context(), "consent-1")
			if err != nil {
				t.Fatalf("AllFIData() error = %v", err)
			}
			// Summary.Raw holds FinPro's bytes; the fields are compared instead.
			if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Raw" }, cmp.Ignore())); diff != "" {
				t.Errorf("AllFIData() of a quirky shape (-canonical +quirky):\n%s", diff)
			}
		})
	}

	wantCanonical := []finpro.FIAccount{{
		LinkReferenceNumber: "lr-9", MaskedAccountNumber: "XXXXXXXX4321", FIType: finpro.FITypeTermDeposit,
		FIPID: "HDFC-FIP", FIPName: "HDFC Bank",
		Profile: &finpro.Profile{HoldersType: "SINGLE", Holders: []finpro.Holder{{
			Name: "Ananya Rao", DOB: "1994-03-12", Mobile: "9123456780", Nominee: "NOT-REGISTERED",
			Address: "12 MG Road", Email: "a@example.com", PAN: "ABCDE1234F", CKYCCompliant: true,
		}}},
		Summary: &finpro.Summary{
			CurrentBalance: "5591.00", Currency: "INR", BalanceDateTime: time.Date(2024, 10, 4, 9, 30, 0, 0, ist),
			Type: "SAVINGS", Branch: "MG Road", IFSC: "HDFC0000123", OpeningDate: "2019-06-01", Status: "ACTIVE",
			Raw: json.RawMessage(summaryJS),
		},
		Transactions:      wantTransactions(),
		TransactionsStart: "2024-09-01",
		TransactionsEnd:   "2024-10-04",
		Raw:               json.RawMessage(canonical),
	}}
	if diff := cmp.Diff(wantCanonical, want); diff != "" {
		t.Errorf("AllFIData() (-want +got):\n%s", diff)
	}

	t.Run("joint holders and no summary", func(t *testing.T) {
		c, _ := serve(t, okBody(`[{"linkReferenceNumber":"lr-9","fiType":"DEPOSIT",`+joint+`}]`))
		got, err := c.AllFIData(t.Context(), "consent-1")
		if err != nil {
			t.Fatalf("AllFIData() error = %v", err)
		}
		if len(got) != 1 || got[0].Profile == nil || got[0].Profile.HoldersType != "JOINT" || len(got[0].Profile.Holders) != 2 ||
			got[0].Profile.Holders[1].CKYCCompliant || got[0].Summary != nil || got[0].Transactions != nil {
			t.Errorf("AllFIData() = %d accounts, want one JOINT account with 2 holders, no summary, no transactions", len(got))
		}
	})
	t.Run("holders missing", func(t *testing.T) {
		c, _ := serve(t, okBody(`[{"linkReferenceNumber":"lr-9","fiType":"DEPOSIT","Profile":{}}]`))
		got, err := c.AllFIData(t.Context(), "consent-1")
		if err != nil {
			t.Fatalf("AllFIData() error = %v", err)
		}
		want := &finpro.Profile{HoldersType: "SINGLE", Holders: []finpro.Holder{}}
		if diff := cmp.Diff(want, got[0].Profile); diff != "" {
			t.Errorf("Profile (-want +got):\n%s", diff)
		}
	})
	t.Run("docs placeholder transactions array", func(t *testing.T) {
		c, _ := serve(t, okBody(`[{"linkReferenceNumber":"lr-9","fiType":"DEPOSIT","transactions":[`+tx1+`,`+tx2+`]}]`))
		got, err := c.LatestFIData(t.Context(), "consent-1")
		if err != nil {
			t.Fatalf("LatestFIData() error = %v", err)
		}
		if diff := cmp.Diff(wantTransactions(), got[0].Transactions); diff != "" {
			t.Errorf("Transactions (-want +got):\n%s", diff)
		}
	})
}

func TestDecodeFIData(t *testing.T) {
	head := `"linkReferenceNumber":"lr-1","maskedAccountNumber":"XXXXXXXX3900","balance":"5591.00","fipName":"HDFC Bank","fipId":"HDFC-FIP","fiType":"DEPOSIT"`
	tests := []struct {
		name      string
		body      string
		req       finpro.FIDataRequest
		wantQuery string
		wantTxns  []finpro.Transaction
		wantTotal int
	}{
		{
			name: "fiData, all rows", body: okBody(`{` + head + `,"fiData":[` + tx1 + `,` + tx2 + `]}`),
			wantTxns: wantTransactions(), wantTotal: 2,
		},
		{
			name: "ReBIT Transactions, numbers", body: okBody(`{` + head + `,"Transactions":{"Transaction":[` + tx1 + `,` + tx2Num + `]}}`),
			wantTxns: wantTransactions(), wantTotal: 2,
		},
		{
			name: "single Transaction object", body: okBody(`{` + head + `,"Transactions":{"Transaction":` + tx1 + `}}`),
			wantTxns: wantTransactions()[:1], wantTotal: 1,
		},
		{
			name: "page with pageDetails", body: `{"status":"success","data":{` + head + `,"fiData":[` + tx2 + `]},"pageDetails":{"totalRecords":2,"limit":1,"offset":1}}`,
			req: finpro.FIDataRequest{Limit: 1, Offset: 1}, wantQuery: "limit=1&offset=1",
			wantTxns: wantTransactions()[1:], wantTotal: 2,
		},
		{
			name: "page details inside data", body: okBody(`{` + head + `,"fiData":[` + tx1 + `],"pageDetails":{"totalRecords":"2"}}`),
			req: finpro.FIDataRequest{Limit: 1}, wantQuery: "limit=1&offset=0",
			wantTxns: wantTransactions()[:1], wantTotal: 2,
		},
		{
			name: "paging ignored upstream", body: okBody(`{` + head + `,"fiData":[` + tx1 + `,` + tx2 + `]}`),
			req: finpro.FIDataRequest{Limit: 1, Offset: 1}, wantQuery: "limit=1&offset=1",
			wantTxns: wantTransactions()[1:], wantTotal: 2,
		},
		{
			name: "page without total", body: okBody(`{` + head + `,"fiData":[` + tx1 + `]}`),
			req: finpro.FIDataRequest{Limit: 5}, wantQuery: "limit=5&offset=0",
			wantTxns: wantTransactions()[:1], wantTotal: -1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, st := serve(t, tc.body)
			tc.req.ConsentID, tc.req.LinkReferenceNumber = "consent-1", "lr-1"
			got, err := c.FIData(t.Context(), tc.req)
			if err != nil {
				t.Fatalf("FIData() error = %v", err)
			}
			want := &finpro.AccountData{
				LinkReferenceNumber: "lr-1", MaskedAccountNumber: "XXXXXXXX3900", FIType: finpro.FITypeDeposit,
				FIPID: "HDFC-FIP", FIPName: "HDFC Bank", Balance: "5591.00",
				Transactions: tc.wantTxns, TotalRecords: tc.wantTotal,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FIData() (-want +got):\n%s", diff)
			}
			if q := st.query["/getfidata"]; q != tc.wantQuery {
				t.Errorf("FIData() query = %q, want %q", q, tc.wantQuery)
			}
			wantBody := map[string]any{"consentID": "consent-1", "linkReferenceNumber": "lr-1"}
			if diff := cmp.Diff(wantBody, st.body(t, "/getfidata")); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeConsents(t *testing.T) {
	created := time.Date(2024, 5, 2, 10, 14, 40, 0, time.UTC)
	expires := time.Date(2025, 5, 2, 10, 14, 40, 0, ist)
	acct := finpro.LinkedAccount{
		LinkReferenceNumber: "lr-1", MaskedAccountNumber: "XXXXXXXX3900", FIType: finpro.FITypeTermDeposit,
		FIPID: "HDFC-FIP", FIPName: "HDFC Bank", AccountType: "SAVINGS",
	}
	base := finpro.Consent{
		ConsentID: "c-1", ConsentHandle: "h-1", Status: finpro.ConsentActive, ProductID: "PFM", AccountID: "acc",
		AAID: "onemoney-aa", VUA: "9876543210@onemoney", FetchType: "PERIODIC", CreatedAt: created, ExpiresAt: expires,
		Accounts: []finpro.LinkedAccount{acct},
	}
	tests := []struct {
		name string
		row  string
		want finpro.Consent
	}{
		{
			name: "seed shape",
			row: `{"consentID":"c-1","consentHandle":"h-1","status":"ACTIVE","productID":"PFM","accountID":"acc","aaId":"onemoney-aa","vua":"9876543210@onemoney",` +
				`"consentCreationData":"2024-05-02T10:14:40Z","consent_expiry":"2025-05-02 10:14:40","fetchType":"PERIODIC",` +
				`"accounts":[{"accountId":"a1","fipId":"HDFC-FIP","fipName":"HDFC Bank","maskedAccountNumber":"XXXXXXXX3900","accountType":"SAVINGS","fiTypes":["TERM_DEPOSIT"],"linkRefNumber":"lr-1"}]}`,
			want: base,
		},
		{
			name: "other spellings",
			row: `{"consentId":"c-1","consentHandle":"h-1","status":"active","productID":"PFM","accountID":"acc","aaID":"onemoney-aa","vua":"9876543210@onemoney",` +
				`"consentCreationDate":"2024-05-02 15:44:40","consentExpiry":"2025-05-02T04:44:40Z","fetchType":"periodic",` +
				`"accounts":[{"fipID":"HDFC-FIP","fipName":"HDFC Bank","maskedAccountNumber":"XXXXXXXX3900","accountType":"SAVINGS","fiType":"TERM-DEPOSIT","fiTypes":["DEPOSIT"],"linkReferenceNumber":"lr-1"}]}`,
			want: base,
		},
		{
			name: "createdOn",
			row:  `{"consentID":"c-1","consentHandle":"h-1","status":"ACTIVE","productID":"PFM","createdOn":"2024-05-02T10:14:40.000Z"}`,
			want: finpro.Consent{ConsentID: "c-1", ConsentHandle: "h-1", Status: finpro.ConsentActive, ProductID: "PFM", CreatedAt: created},
		},
		{
			name: "null consent ID",
			row:  `{"consentID":null,"consentHandle":"h-2","status":"PENDING","productID":"PFM","accounts":[]}`,
			want: finpro.Consent{ConsentHandle: "h-2", Status: finpro.ConsentPending, ProductID: "PFM"},
		},
		{
			name: "<NULL> consent ID",
			row:  `{"consentID":"<NULL>","consentHandle":"h-3","status":"REJECTED","productID":"PFM"}`,
			want: finpro.Consent{ConsentHandle: "h-3", Status: finpro.ConsentRejected, ProductID: "PFM"},
		},
		{
			name: "empty consent ID",
			row:  `{"consentID":"","consentHandle":"h-4","status":"REJECTED","productID":"PFM"}`,
			want: finpro.Consent{ConsentHandle: "h-4", Status: finpro.ConsentRejected, ProductID: "PFM"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, okBody("["+tc.row+"]"))
			got, err := c.Consents(t.Context(), finpro.ConsentListRequest{MobileNumber: "9876543210", ProductID: "PFM"})
			if err != nil {
				t.Fatalf("Consents() error = %v", err)
			}
			if diff := cmp.Diff(&finpro.ConsentPage{Consents: []finpro.Consent{tc.want}}, got); diff != "" {
				t.Errorf("Consents() (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("paging, status filter and leaky product filter", func(t *testing.T) {
		body := `{"ver":"1.21.0","status":"success","pageDetails":{"totalRecords":3,"currentPageNumber":1,"totalPages":2},"data":[` +
			`{"consentID":"c-1","consentHandle":"h-1","status":"ACTIVE","productID":"PFM"},` +
			`{"consentID":"c-9","consentHandle":"h-9","status":"ACTIVE","productID":"LOANS"}]}`
		c, st := serve(t, body)
		got, err := c.Consents(t.Context(), finpro.ConsentListRequest{
			MobileNumber: "9876543210", ProductID: "PFM", Status: []finpro.ConsentStatus{finpro.ConsentActive}, PageNumber: 1, PageSize: 2,
		})
		if err != nil {
			t.Fatalf("Consents() error = %v", err)
		}
		want := &finpro.ConsentPage{
			Consents: []finpro.Consent{{ConsentID: "c-1", ConsentHandle: "h-1", Status: finpro.ConsentActive, ProductID: "PFM"}},
			Page:     &finpro.PageDetails{TotalRecords: 3, CurrentPageNumber: 1, TotalPages: 2},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Consents() (-want +got):\n%s", diff)
		}
		wantBody := map[string]any{"mobileNumber": "9876543210", "productID": "PFM", "status": []any{"ACTIVE"}, "pageNumber": json.Number("1"), "pageSize": json.Number("2")}
		if diff := cmp.Diff(wantBody, st.body(t, "/v1/accounts/getconsentslist")); diff != "" {
			t.Errorf("request body (-want +got):\n%s", diff)
		}
	})
}

func TestDecodeConsentFlow(t *testing.T) {
	t.Run("RequestConsent", func(t *testing.T) {
		for _, key := range []string{"consent_handle", "consentHandle"} {
			c, st := serve(t, okBody(`{"status":"PENDING","`+key+`":"7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10"}`))
			got, err := c.RequestConsent(t.Context(), finpro.ConsentRequest{ProductID: "PFM", VUA: "9876543210@onemoney", AccountID: "acc-1"})
			if err != nil {
				t.Fatalf("RequestConsent() error = %v", err)
			}
			want := &finpro.ConsentHandle{Handle: "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10", Status: finpro.ConsentPending}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("RequestConsent() with %s (-want +got):\n%s", key, diff)
			}
			wantBody := map[string]any{"productID": "PFM", "vua": "9876543210@onemoney", "partyIdentifierType": "MOBILE", "partyIdentifierValue": "9876543210", "accountID": "acc-1"}
			if diff := cmp.Diff(wantBody, st.body(t, "/v2/requestconsent")); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
		}
	})
	t.Run("RevokeConsent", func(t *testing.T) {
		c, st := serve(t, okBody(`{"status":"REVOKED"}`))
		if err := c.RevokeConsent(t.Context(), "c-1"); err != nil {
			t.Fatalf("RevokeConsent() error = %v", err)
		}
		if diff := cmp.Diff(map[string]any{"consentID": "c-1"}, st.body(t, "/revokeconsent")); diff != "" {
			t.Errorf("request body (-want +got):\n%s", diff)
		}
	})
	t.Run("RequestFI", func(t *testing.T) {
		c, st := serve(t, `{"ver":"1.21.0","timestamp":"2024-05-02T10:15:01.120Z","response":"ok","data":{"consentId":"c-1","sessionId":"s-1"}}`)
		from := time.Date(2024, 1, 1, 5, 30, 0, 0, ist)
		got, err := c.RequestFI(t.Context(), finpro.FIRequest{ConsentID: "c-1", From: from, To: from.Add(24 * time.Hour)})
		if err != nil {
			t.Fatalf("RequestFI() error = %v", err)
		}
		if diff := cmp.Diff(&finpro.FISession{ConsentID: "c-1", SessionID: "s-1"}, got); diff != "" {
			t.Errorf("RequestFI() (-want +got):\n%s", diff)
		}
		wantBody := map[string]any{"consentId": "c-1", "fiDataRangeFrom": "2024-01-01T00:00:00.000Z", "fiDataRangeTo": "2024-01-02T00:00:00.000Z"}
		if diff := cmp.Diff(wantBody, st.body(t, "/fi/request")); diff != "" {
			t.Errorf("request body (-want +got):\n%s", diff)
		}
	})
	t.Run("FIRequestStatus", func(t *testing.T) {
		for _, ftf := range []string{`true`, `"true"`, `"YES"`} {
			c, _ := serve(t, okBody(`{"consentId":"c-1","consentHandle":"h-1","sessionId":"s-1","eventType":"DATA","eventStatus":"DATA_READY","firstTimeFetch":`+ftf+
				`,"linkRefNumbers":[{"linkRefNumber":"lr-1","fiStatus":"DELIVERED","fipName":"HDFC Bank","fipId":"HDFC-FIP","maskedAccountNumber":"XXXXXXXX7300"}]}`))
			got, err := c.FIRequestStatus(t.Context(), finpro.FIStatusRequest{SessionID: "s-1"})
			if err != nil {
				t.Fatalf("FIRequestStatus() error = %v", err)
			}
			want := &finpro.FIStatus{
				ConsentID: "c-1", ConsentHandle: "h-1", SessionID: "s-1", EventType: "DATA", EventStatus: "DATA_READY", FirstTimeFetch: true,
				Accounts: []finpro.FIAccountStatus{{LinkReferenceNumber: "lr-1", FIStatus: "DELIVERED", FIPID: "HDFC-FIP", FIPName: "HDFC Bank", MaskedAccountNumber: "XXXXXXXX7300"}},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FIRequestStatus() with firstTimeFetch %s (-want +got):\n%s", ftf, diff)
			}
		}
	})
}

func TestUndecodableResponse(t *testing.T) {
	for _, data := range []string{
		`[{"balance":"NaN"}]`,
		`[{"balance":"Infinity"}]`,
		`[{"balance":"12abc"}]`,
		`[{"balance":true}]`,
		`[{"balance":"1,000.00"}]`,
		`"surprise"`,
	} {
		t.Run(data, func(t *testing.T) {
			c, _ := serve(t, okBody(data))
			_, err := c.Balances(t.Context(), "consent-1")
			if !errors.Is(err, finpro.ErrUnavailable) || !strings.Contains(err.Error(), "undecodable response") {
				t.Errorf("Balances() error = %v, want %v (undecodable response)", err, finpro.ErrUnavailable)
			}
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		c, _ := serve(t, "ok")
		if _, err := c.Balances(t.Context(), "consent-1"); !errors.Is(err, finpro.ErrUnavailable) {
			t.Errorf("Balances() error = %v, want %v", err, finpro.ErrUnavailable)
		}
	})
}

var decimalCases = []struct {
	in   string
	want finpro.Decimal
	ok   bool
}{
	{`"101666.33"`, "101666.33", true},
	{`101666.33`, "101666.33", true},
	{`"0.10"`, "0.10", true},
	{`0.10`, "0.10", true},
	{`"-20000.00"`, "-20000.00", true},
	{`-5`, "-5", true},
	{`"007.50"`, "007.50", true},
	{`" 12.00 "`, "12.00", true},
	{`"1e3"`, "1e3", true},
	{`1E-2`, "1E-2", true},
	{`"+5.5"`, "+5.5", true},
	{`".5"`, ".5", true},
	{`"12345678901234567890.123456789"`, "12345678901234567890.123456789", true},
	{`""`, "", true},
	{`null`, "", true},
	{`"NaN"`, "", false},
	{`"nan"`, "", false},
	{`"sNaN"`, "", false},
	{`"Infinity"`, "", false},
	{`"-inf"`, "", false},
	{`"abc"`, "", false},
	{`"1.2.3"`, "", false},
	{`"1,000.00"`, "", false},
	{`"0x10"`, "", false},
	{`"."`, "", false},
	{`"-"`, "", false},
	{`"1e"`, "", false},
	{`"₹100"`, "", false},
	{`true`, "", false},
	{`{}`, "", false},
	{`[]`, "", false},
	{`"` + strings.Repeat("9", 100) + `"`, "", false},
}

func TestDecimalUnmarshalJSON(t *testing.T) {
	for _, tc := range decimalCases {
		var d finpro.Decimal
		err := json.Unmarshal([]byte(tc.in), &d)
		if (err == nil) != tc.ok || d != tc.want {
			t.Errorf("json.Unmarshal(%s) = %q, %v; want %q, ok %v", tc.in, d, err, tc.want, tc.ok)
		}
	}
}

func FuzzDecimal(f *testing.F) {
	for _, tc := range decimalCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d finpro.Decimal
		if err := d.UnmarshalJSON(b); err != nil || d == "" {
			return
		}
		v, _, err := apd.NewFromString(string(d))
		if err != nil || v.Form != apd.Finite {
			t.Errorf("UnmarshalJSON(%q) accepted %q, which is not a finite decimal", b, d)
		}
	})
}

// page500 is a getfidata answer with 500 transactions.
var page500 = func() []byte {
	var sb strings.Builder
	sb.WriteString(`{"ver":"1.21.0","status":"success","timestamp":"2024-10-04T09:30:00+05:30","data":{"linkReferenceNumber":"3f1c2b9e-8d4a-4f7b-9c2e-6a1d5e0b7c44","maskedAccountNumber":"XXXXXXXX4321","balance":"125000.00","fipName":"HDFC Bank","fipId":"HDFC-FIP","fiType":"DEPOSIT","fiData":[`)
	bal := 0
	for i := range 500 {
		if i > 0 {
			sb.WriteByte(',')
		}
		amt := 25000 + i*7
		typ := "CREDIT"
		if i%3 == 2 {
			typ, amt = "DEBIT", -amt/2
		}
		bal += amt
		fmt.Fprintf(&sb, `{"txnId":"S8123%04d","type":"%s","mode":"UPI","amount":"%d.%02d","currentBalance":"%d.%02d","transactionTimestamp":"2024-10-%02dT10:12:45+05:30","valueDate":"2024-10-%02d","narration":"UPI/4275123%05d/PAYMENT TO MERCHANT/OKAXIS","reference":"4275123%05d"}`,
			i, typ, abs(amt)/100, abs(amt)%100, bal/100, bal%100, 1+i%28, 1+i%28, i, i)
	}
	sb.WriteString(`]},"pageDetails":{"totalRecords":500,"limit":500,"offset":0}}`)
	return []byte(sb.String())
}()

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestDecodeFIData500(t *testing.T) {
	got, err := finpro.DecodeFIData(page500, finpro.FIDataRequest{Limit: 500})
	if err != nil {
		t.Fatalf("DecodeFIData() error = %v", err)
	}
	if len(got.Transactions) != 500 || got.TotalRecords != 500 {
		t.Errorf("DecodeFIData() = %d transactions of %d, want 500 of 500", len(got.Transactions), got.TotalRecords)
	}
}

func BenchmarkDecodeFIData500(b *testing.B) {
	b.SetBytes(int64(len(page500)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := finpro.DecodeFIData(page500, finpro.FIDataRequest{Limit: 500}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCurrencyGuaranteed: every type that carries a currency (Balance,
// Summary) has one: FinPro's when it sends one, else INR (the ReBIT
// currency is optional and means INR), so no caller defaults it again.
func TestCurrencyGuaranteed(t *testing.T) {
	tests := []struct {
		name, field, want string
	}{
		{"absent", ``, "INR"},
		{"empty", `"currency":"",`, "INR"},
		{"null", `"currency":null,`, "INR"},
		{"spaces", `"currency":"  ",`, "INR"},
		{"sent", `"currency":"USD",`, "USD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, okBody(`[{`+tc.field+`"fiType":"DEPOSIT","balance":"1.00","linkReferenceNumber":"lr-1"}]`))
			bs, err := c.Balances(t.Context(), "consent-1")
			if err != nil {
				t.Fatalf("Balances() error = %v", err)
			}
			if len(bs) != 1 || bs[0].Currency != tc.want {
				t.Errorf("Balances() currency = %+v, want %q", bs, tc.want)
			}
			c, _ = serve(t, okBody(`[{"linkReferenceNumber":"lr-1","fiType":"DEPOSIT","Summary":{`+tc.field+`"currentBalance":"1.00"}}]`))
			accs, err := c.AllFIData(t.Context(), "consent-1")
			if err != nil {
				t.Fatalf("AllFIData() error = %v", err)
			}
			if len(accs) != 1 || accs[0].Summary == nil || accs[0].Summary.Currency != tc.want {
				t.Errorf("AllFIData() summary currency = %+v, want %q", accs, tc.want)
			}
		})
	}
}
