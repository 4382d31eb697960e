package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// decimalUpstream is a minimal FinPro answering the consent list and
// getfibalance with hand-picked decimals, so the test controls every digit.
func decimalUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	account := func(link, fiType string) map[string]any {
		return map[string]any{"linkRefNumber": link, "fiType": fiType, "fipId": "TEST-FIP", "fipName": "Test Bank", "maskedAccountNumber": "XXXX" + link}
	}
	consents := []map[string]any{
		{
			"consentID": "c1", "consentHandle": "h1", "status": "ACTIVE", "productID": "P",
			"accounts": []any{account("a", "DEPOSIT"), account("b", "DEPOSIT")},
		},
		{
			"consentID": "c2", "consentHandle": "h2", "status": "ACTIVE", "productID": "P",
			"accounts": []any{account("a", "DEPOSIT"), account("x", "GSTR1_3B"), account("u", "DEPOSIT")},
		},
		// The leaky product filter: another product's consent must not count.
		{
			"consentID": "c3", "consentHandle": "h3", "status": "ACTIVE", "productID": "OTHER",
			"accounts": []any{account("z", "DEPOSIT")},
		},
	}
	balances := map[string][]map[string]any{
		"c1": {{"linkReferenceNumber": "a", "balance": "0.10"}, {"linkReferenceNumber": "b", "balance": "100000000000.01"}},
		"c2": {
			{"linkReferenceNumber": "a", "balance": "0.10"},
			{"linkReferenceNumber": "x", "balance": "-5.5"},
			{"linkReferenceNumber": "u", "balance": "1.000", "currency": "USD"},
		},
		"c3": {{"linkReferenceNumber": "z", "balance": "7"}},
	}
	reply := func(w http.ResponseWriter, data any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ver": "1.21.0", "status": "success", "data": data})
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ConsentID string `json:"consentID"`
		}
		json.Unmarshal(body, &req)
		switch r.URL.Path {
		case "/v1/accounts/getconsentslist":
			reply(w, consents)
		case "/getfibalance":
			reply(w, balances[req.ConsentID])
		default:
			http.NotFound(w, r)
		}
	}))
}

// TestDecimalsByteForByte checks that decimals reach the client exactly as
// FinPro wrote them and that totalBalance adds them exactly, per currency, with
// a shared account counted once and another product's consent ignored.
func TestDecimalsByteForByte(t *testing.T) {
	up := decimalUpstream(t)
	defer up.Close()
	fp, err := finpro.New(finpro.Options{BaseURL: up.URL, Credentials: sandboxCredentials(), MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(asPartner(graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp}})))
	defer api.Close()

	const q = `{ customer(mobileNumber: "9000000001", productID: "P") {
	  accounts { __typename linkReferenceNumber balance { amount currency } }
	  totalBalance { amount currency } } }`
	type money struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
	}
	var got struct {
		Customer struct {
			Accounts []struct {
				Typename string `json:"__typename"`
				Link     string `json:"linkReferenceNumber"`
				Balance  money  `json:"balance"`
			} `json:"accounts"`
			TotalBalance []money `json:"totalBalance"`
		} `json:"customer"`
	}
	mustData(t, postTo(t, api.URL, q, nil), &got)

	type row struct{ Typename, Link, Amount, Currency string }
	var rows []row
	for _, a := range got.Customer.Accounts {
		rows = append(rows, row{a.Typename, a.Link, a.Balance.Amount, a.Balance.Currency})
	}
	wantRows := []row{
		{"DepositAccount", "a", "0.10", "INR"},
		{"DepositAccount", "b", "100000000000.01", "INR"},
		{"OtherAccount", "x", "-5.5", "INR"},
		{"DepositAccount", "u", "1.000", "USD"},
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	wantTotal := []money{{"99999999994.61", "INR"}, {"1.000", "USD"}}
	if diff := cmp.Diff(wantTotal, got.Customer.TotalBalance); diff != "" {
		t.Errorf("totalBalance (-want +got):\n%s", diff)
	}
}
