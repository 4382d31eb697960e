package sandbox

import (
	"bytes"
	"net/http"
	"slices"
	"time"
)

const (
	pathAAList   = "/accountaggregatorlist"
	pathProducts = "/productslist"
)

// span is a ReBIT duration or frequency: value units.
type span struct {
	Unit  string `json:"unit"`
	Value int    `json:"value"`
}

// productDetail is what /productslist says of a consent template beyond the
// products map (docs/upstream-decisions.md: FinPro's full field list is not
// public).
type productDetail struct {
	name, description string
	purposeCode       string
	purposeText       string
	frequency         span // PERIODIC only
	dataMonths        int  // months of history the consent asks for
	validity          span
	dataLife          span
	consentMode       string
}

var productDetails = map[string]productDetail{
	"PFM_DASHBOARD": {
		name: "Personal finance dashboard", description: "Balances, statements and insights across your accounts",
		purposeCode: "102", purposeText: "Customer spending patterns, budget or other reportings",
		frequency: span{"DAY", 4}, dataMonths: 12, validity: span{"MONTH", 12}, dataLife: span{"MONTH", 1}, consentMode: "STORE",
	},
	"LOAN_UNDERWRITING": {
		name: "Loan underwriting", description: "A one-time look at your bank statements for a loan decision",
		purposeCode: "103", purposeText: "Aggregated statement",
		dataMonths: 6, validity: span{"DAY", 7}, dataLife: span{"DAY", 7}, consentMode: "VIEW",
	},
	"WEALTH_TRACKER": {
		name: "Wealth tracker", description: "Deposits and investments in one place",
		purposeCode: "101", purposeText: "Wealth management service",
		frequency: span{"DAY", 1}, dataMonths: 24, validity: span{"YEAR", 1}, dataLife: span{"MONTH", 3}, consentMode: "STORE",
	},
	WealthProductID: {
		name: "Wealth dashboard", description: "Every account and investment you hold, in one net worth",
		purposeCode: "101", purposeText: "Wealth management service",
		frequency: span{"DAY", 1}, dataMonths: 24, validity: span{"YEAR", 1}, dataLife: span{"MONTH", 3}, consentMode: "STORE",
	},
}

// defaultDetail describes a product added to the products map without an
// entry in productDetails, so /productslist never shows an empty template.
var defaultDetail = productDetail{
	description: "A consent template of the sandbox", purposeCode: "101", purposeText: "Wealth management service",
	frequency: span{"DAY", 1}, dataMonths: 12, validity: span{"YEAR", 1}, dataLife: span{"MONTH", 1}, consentMode: "STORE",
}

// productJSON is one /productslist element.
type productJSON struct {
	ProductCode        string   `json:"productCode"`
	ProductName        string   `json:"productName"`
	ProductDescription string   `json:"productDescription"`
	Purpose            purpose  `json:"purpose"`
	FITypes            []string `json:"fiTypes"`
	ConsentTypes       []string `json:"consentTypes"`
	FetchType          string   `json:"fetchType"`
	Frequency          *span    `json:"frequency,omitempty"`
	ConsentFrom        string   `json:"consentFrom"`
	ConsentTo          string   `json:"consentTo"`
	ConsentDuration    span     `json:"consentDuration"`
	DataLife           span     `json:"dataLife"`
	ConsentMode        string   `json:"consentMode"`
}

type purpose struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// productOf renders the product id as /productslist and the AA page show it,
// its data range computed from now.
func (s *Sandbox) productOf(id string, now time.Time) productJSON {
	p := products[id]
	d, ok := productDetails[id]
	if !ok {
		d = defaultDetail
		d.name = id
	}
	out := productJSON{
		ProductCode: id, ProductName: d.name, ProductDescription: d.description,
		Purpose: purpose{d.purposeCode, d.purposeText}, ConsentTypes: []string{"PROFILE", "SUMMARY", "TRANSACTIONS"},
		FetchType: p.fetchType, ConsentDuration: d.validity, DataLife: d.dataLife, ConsentMode: d.consentMode,
	}
	for t := range p.fiTypes {
		out.FITypes = append(out.FITypes, s.fiTypeOut(t))
	}
	slices.Sort(out.FITypes)
	from, to := now.AddDate(0, -d.dataMonths, 0), now
	if p.fetchType == "PERIODIC" {
		f := d.frequency
		out.Frequency = &f
		// A periodic consent covers data to come until it expires.
		to = now.AddDate(0, 12, 0)
	}
	out.ConsentFrom = from.UTC().Format("2006-01-02T15:04:05.000Z")
	out.ConsentTo = to.UTC().Format("2006-01-02T15:04:05.000Z")
	return out
}

// productsList serves POST /productslist: every template, or the one
// productId names (none when unknown); productId must be letters, digits,
// _ - . (InvalidRequest).
func (s *Sandbox) productsList(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		ProductID *string `json:"productId"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	id := str(req.ProductID)
	if len(id) > 64 || !validConsentChars(id) {
		s.failCode(w, "InvalidRequest", "[productId may hold only letters, digits, _ - .]")
		return
	}
	ids := make([]string, 0, len(products))
	for pid := range products {
		if id == "" || pid == id {
			ids = append(ids, pid)
		}
	}
	slices.Sort(ids)
	now := s.now()
	out := make([]productJSON, len(ids))
	for i, pid := range ids {
		out[i] = s.productOf(pid, now)
	}
	s.success(w, encodeJSON(out), "")
}

// aaJSON is one /accountaggregatorlist element.
type aaJSON struct {
	Name    string `json:"name"`
	AAID    string `json:"aaId"`
	WebURL  string `json:"webUrl"`
	APKURL  string `json:"apkUrl"`
	LogoURL string `json:"logoUrl"`
	BaseURL string `json:"baseUrl"`
	Status  string `json:"status"`
}

// aaList serves POST /accountaggregatorlist (no body needed): the AAs of
// aaHandles. onemoney-aa is the sandbox itself; the others are placeholders on
// a reserved domain.
func (s *Sandbox) aaList(w http.ResponseWriter, r *http.Request, body []byte) {
	if len(bytes.TrimSpace(body)) > 0 {
		var req struct{}
		if msg, ok := decodeBody(body, &req); !ok {
			s.failCode(w, "InvalidRequest", msg)
			return
		}
	}
	base := s.baseURL(r) + "/_sandbox/aa"
	out := []aaJSON{
		{"OneMoney (sandbox)", "onemoney-aa", base, "https://onemoney.sandbox.invalid/app.apk", "https://onemoney.sandbox.invalid/logo.png", base, "Active"},
		{"Finvu", "finvu-aa", "https://finvu.sandbox.invalid", "https://finvu.sandbox.invalid/app.apk", "https://finvu.sandbox.invalid/logo.png", "https://finvu.sandbox.invalid/api", "Active"},
		{"Anumati", "anumati-aa", "https://anumati.sandbox.invalid", "https://anumati.sandbox.invalid/app.apk", "https://anumati.sandbox.invalid/logo.png", "https://anumati.sandbox.invalid/api", "Inactive"},
	}
	s.success(w, encodeJSON(out), "")
}
