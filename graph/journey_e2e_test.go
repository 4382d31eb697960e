package graph_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// returnAddr is the app's return page in the journey tests. Nothing serves
// it: the tests read the AA's 303 instead of following it, as an app's
// router would hand the address to the app.
const returnAddr = "https://app.example.com/aa/return"

// journeyEnv is one replica with return addresses, in front of a sandbox
// whose fetches take fetchDelay.
type journeyEnv struct {
	*liveEnv
	api string
}

const fetchDelay = 300 * time.Millisecond

func newJourneyEnv(t *testing.T, outcomes map[string]string) *journeyEnv {
	t.Helper()
	b := newBFF(t, startBroker(t, broker.Options{}))
	returns, err := returnurl.Parse([]string{returnAddr})
	if err != nil {
		t.Fatal(err)
	}
	b.returns = returns
	sb, fp := newSandbox(t, b, func(c *sandbox.Config) {
		c.FetchDelay = fetchDelay
		c.FetchOutcomes = outcomes
	})
	b.serve(fp, graph.WebsocketConfig{})
	return &journeyEnv{liveEnv: &liveEnv{bff: b, sb: sb, fp: fp}, api: b.srv.URL + "/graphql"}
}

var (
	aaHiddenRE  = regexp.MustCompile(`name="(fi|reqdate|ecreq)" value="([^"]*)"`)
	aaAccountRE = regexp.MustCompile(`name="account" value="([^"]*)"`)
)

// answerAA opens the AA page at page as a browser would, answers it with
// decision (every account ticked, as the page offers them) and returns the
// address the AA sends the customer back to, and the accounts ticked.
func answerAA(t *testing.T, page, decision string) (back string, accounts []string) {
	t.Helper()
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("AA page = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	form := url.Values{"decision": {decision}}
	for _, m := range aaHiddenRE.FindAllStringSubmatch(string(body), -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&#43;", "+"))
	}
	for _, m := range aaAccountRE.FindAllStringSubmatch(string(body), -1) {
		accounts = append(accounts, m[1])
	}
	form["account"] = accounts
	u, _ := url.Parse(page)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = c.PostForm(u.Scheme+"://"+u.Host+u.Path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("AA answer = %d, want 303", resp.StatusCode)
	}
	return resp.Header.Get("Location"), accounts
}

// journeyEvent is one consentEvents event, either kind.
type journeyEvent struct {
	Typename      string `json:"__typename"`
	ConsentHandle string `json:"consentHandle"`
	Status        string `json:"status"`
	EventStatus   string `json:"eventStatus"`
	DataStatus    string `json:"dataEventStatus"`
	State         string `json:"state"`
	SessionID     string `json:"sessionID"`
	Cursor        string `json:"cursor"`
	Accounts      []struct {
		LinkReferenceNumber string `json:"linkReferenceNumber"`
		State               string `json:"state"`
		Account             *struct {
			LinkReferenceNumber string `json:"linkReferenceNumber"`
		} `json:"account"`
	} `json:"accounts"`
}

const journeySub = `subscription J($product: ID!, $handle: ID, $after: String) {
  consentEvents(productID: $product, consentHandle: $handle, after: $after) {
    __typename consentHandle cursor
    ... on ConsentStatusEvent { status eventStatus }
    ... on DataStatusEvent { dataEventStatus state sessionID accounts { linkReferenceNumber state account { linkReferenceNumber } } }
  }
}`

func (c *wsClient) journeyEvent(t *testing.T, id string) journeyEvent {
	t.Helper()
	m := c.nextFor(t, id)
	var p struct {
		Data *struct {
			E journeyEvent `json:"consentEvents"`
		} `json:"data"`
		Errors []gqlError `json:"errors"`
	}
	if (m.Type != "next" && m.Type != "data") || json.Unmarshal(m.Payload, &p) != nil || p.Data == nil || len(p.Errors) > 0 {
		t.Fatalf("operation %s: got %s %s, want an event", id, m.Type, m.Payload)
	}
	return p.Data.E
}

type consentView struct {
	Status     string `json:"status"`
	DataStatus *struct {
		State    string `json:"state"`
		Accounts []struct {
			LinkReferenceNumber string `json:"linkReferenceNumber"`
			State               string `json:"state"`
		} `json:"accounts"`
	} `json:"dataStatus"`
	Accounts []struct {
		LinkReferenceNumber string `json:"linkReferenceNumber"`
		Balance             *struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	} `json:"accounts"`
}

const consentQuery = `query C($h: ID!) { consent(consentHandle: $h) {
  status dataStatus { state accounts { linkReferenceNumber state } }
  accounts { linkReferenceNumber balance { amount } }
} }`

// TestJourney walks the whole journey through the BFF: requestConsent with
// the AA page, the customer's answer at the sandbox's AA page, the return
// (completeConsentRedirect), the consent's events and its data's arrival on
// one consentEvents subscription, then the balances: approved with every
// FIP delivering, approved with one FIP timing out, and rejected. The app
// never polls: the test counts the sandbox's status calls.
func TestJourney(t *testing.T) {
	demo := sandbox.DemoMobile
	tests := []struct {
		name     string
		decision string
		timeout  bool // the first account's FIP times out
		outcome  string
		status   string
	}{
		{"approved", "approve", false, "APPROVED", "ACTIVE"},
		{"one FIP times out", "approve", true, "APPROVED", "ACTIVE"},
		{"rejected", "reject", false, "REJECTED", "REJECTED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var outcomes map[string]string
			timedOut := map[string]bool{}
			if tc.timeout {
				// The FIP of the demo customer's first account, and so every
				// account of that FIP.
				fip := demoCustomer(seedSandbox(t)).Accounts[0].FIPID
				for _, a := range demoCustomer(seedSandbox(t)).Accounts {
					if a.FIPID == fip {
						timedOut[a.LinkReferenceNumber] = true
					}
				}
				outcomes = map[string]string{fip: "TIMEOUT"}
			}
			e := newJourneyEnv(t, outcomes)

			var req struct {
				RequestConsent struct {
					ConsentHandle string  `json:"consentHandle"`
					RedirectURL   *string `json:"redirectURL"`
					Consent       struct {
						Status string `json:"status"`
					} `json:"consent"`
				} `json:"requestConsent"`
			}
			mustData(t, postTo(t, e.api, `mutation R($m: String!, $p: ID!, $r: String) {
				requestConsent(input: {mobileNumber: $m, productID: $p, redirectURL: $r}) { consentHandle redirectURL consent { status } } }`,
				map[string]any{"m": demo, "p": product, "r": returnAddr + "?journey=42"}), &req)
			rc := req.RequestConsent
			if rc.RedirectURL == nil || rc.Consent.Status != "PENDING" {
				t.Fatalf("requestConsent = %+v, want a PENDING consent and an AA page", rc)
			}

			ws := connect(t, e.bff.wsURL(), "graphql-transport-ws", nil)
			ws.subscribe(t, "j", journeySub, map[string]any{"product": product, "handle": rc.ConsentHandle})
			e.bff.source.waitSubscribed(t, 1)
			e.sb.ResetStats()

			back, ticked := answerAA(t, *rc.RedirectURL, tc.decision)
			if u, err := url.Parse(back); err != nil || u.Scheme+"://"+u.Host+u.Path != returnAddr || u.Query().Get("journey") != "42" || u.Query().Get("ecres") == "" {
				t.Fatalf("AA sent the customer back to %q, want the return address with its query kept and the answer added", back)
			}
			var done struct {
				CompleteConsentRedirect struct {
					Outcome   string  `json:"outcome"`
					ErrorCode *string `json:"errorCode"`
					Consents  []struct {
						ConsentHandle string `json:"consentHandle"`
						Status        string `json:"status"`
					} `json:"consents"`
				} `json:"completeConsentRedirect"`
			}
			mustData(t, postTo(t, e.api, `mutation D($u: String!) { completeConsentRedirect(input: {returnURL: $u}) {
				outcome errorCode consents { consentHandle status } } }`, map[string]any{"u": back}), &done)
			cr := done.CompleteConsentRedirect
			if cr.Outcome != tc.outcome || len(cr.Consents) != 1 || cr.Consents[0].ConsentHandle != rc.ConsentHandle || cr.Consents[0].Status != tc.status {
				t.Fatalf("completeConsentRedirect = %+v, want %s with the consent %s", cr, tc.outcome, tc.status)
			}

			ev := ws.journeyEvent(t, "j")
			if ev.Typename != "ConsentStatusEvent" || ev.Status != tc.status {
				t.Fatalf("first event = %+v, want the consent turning %s", ev, tc.status)
			}
			if tc.decision == "reject" {
				var v struct{ Consent consentView }
				mustData(t, postTo(t, e.api, consentQuery, map[string]any{"h": rc.ConsentHandle}), &v)
				if v.Consent.Status != "REJECTED" || v.Consent.DataStatus != nil || len(v.Consent.Accounts) != 0 {
					t.Errorf("rejected consent = %+v, want REJECTED, no data status, no accounts", v.Consent)
				}
				return
			}

			// Before the FIPs answer the data is PENDING, and the errors say so.
			r := postTo(t, e.api, consentQuery, map[string]any{"h": rc.ConsentHandle})
			var pending struct{ Consent consentView }
			_ = json.Unmarshal(r.Data, &pending)
			if pending.Consent.DataStatus == nil || pending.Consent.DataStatus.State != "PENDING" {
				t.Errorf("data status before the fetch ends = %+v, want PENDING", pending.Consent.DataStatus)
			}
			for _, err := range r.Errors {
				if err.code() != "DATA_NOT_READY" || err.Extensions["dataState"] != "PENDING" {
					t.Errorf("error before the fetch ends = %+v, want DATA_NOT_READY with dataState PENDING", err)
				}
			}
			if len(r.Errors) == 0 {
				t.Errorf("balances before the fetch ends: no error, want DATA_NOT_READY")
			}

			ev = ws.journeyEvent(t, "j")
			if ev.Typename != "DataStatusEvent" || ev.DataStatus != "DATA_READY" || ev.State != "READY" {
				t.Fatalf("second event = %+v, want DATA_READY", ev)
			}
			gotStates := map[string]string{}
			for _, a := range ev.Accounts {
				gotStates[a.LinkReferenceNumber] = a.State
				if a.Account == nil || a.Account.LinkReferenceNumber != a.LinkReferenceNumber {
					t.Errorf("event account %s: account = %+v, want the consent's account", a.LinkReferenceNumber, a.Account)
				}
			}
			wantStates := map[string]string{}
			for _, l := range ticked {
				wantStates[l] = "DELIVERED"
			}
			nTimedOut := 0
			for l := range wantStates {
				if timedOut[l] {
					wantStates[l] = "TIMEOUT"
					nTimedOut++
				}
			}
			if tc.timeout && nTimedOut == 0 {
				t.Fatalf("none of the accounts ticked (%v) is of the timed-out FIP", ticked)
			}
			if !mapsEqual(gotStates, wantStates) {
				t.Errorf("event accounts = %v, want %v", gotStates, wantStates)
			}

			r = postTo(t, e.api, consentQuery, map[string]any{"h": rc.ConsentHandle})
			var ready struct{ Consent consentView }
			if err := json.Unmarshal(r.Data, &ready); err != nil {
				t.Fatal(err)
			}
			if ready.Consent.DataStatus == nil || ready.Consent.DataStatus.State != "READY" {
				t.Errorf("data status after DATA_READY = %+v, want READY", ready.Consent.DataStatus)
			}
			for _, a := range ready.Consent.Accounts {
				if timedOut[a.LinkReferenceNumber] {
					if a.Balance != nil {
						t.Errorf("timed-out account %s has a balance", a.LinkReferenceNumber)
					}
					continue
				}
				if a.Balance == nil || a.Balance.Amount == "" {
					t.Errorf("account %s: no balance after DATA_READY", a.LinkReferenceNumber)
				}
			}
			if len(r.Errors) != nTimedOut {
				t.Errorf("errors after DATA_READY = %+v, want %d (the timed-out accounts' balances only)", r.Errors, nTimedOut)
			}
			for _, err := range r.Errors {
				if len(err.Path) != 4 || string(err.Path[3]) != `"balance"` {
					t.Errorf("error at %s, want at an account's balance", err.Path)
				}
				if err.code() != "DATA_NOT_READY" || err.Extensions["dataState"] != "TIMED_OUT" {
					t.Errorf("timed-out account's error = %s %v, want DATA_NOT_READY with dataState TIMED_OUT", err.code(), err.Extensions)
				}
			}

			// No polling: two views of the consent, two status calls.
			if n := e.sb.Stats()["/consent/firequest/status"]; n != 2 {
				t.Errorf("firequest/status calls = %d, want 2 (one per view)", n)
			}
			if tc.timeout {
				return
			}

			// A new fetch: requestData answers the session PENDING, and its
			// DATA_READY follows on the same subscription.
			var again struct {
				RequestData struct {
					SessionID  string `json:"sessionID"`
					DataStatus struct {
						State     string  `json:"state"`
						SessionID *string `json:"sessionID"`
					} `json:"dataStatus"`
				} `json:"requestData"`
			}
			mustData(t, postTo(t, e.api, `mutation($c: ID!) { requestData(input: {consentID: $c}) { sessionID dataStatus { state sessionID } } }`,
				map[string]any{"c": consentIDOf(t, e.sb, rc.ConsentHandle)}), &again)
			rd := again.RequestData
			if rd.DataStatus.State != "PENDING" || rd.DataStatus.SessionID == nil || *rd.DataStatus.SessionID != rd.SessionID {
				t.Errorf("requestData = %+v, want its session PENDING", rd)
			}
			if ev := ws.journeyEvent(t, "j"); ev.DataStatus != "DATA_READY" || ev.SessionID != rd.SessionID {
				t.Errorf("event after requestData = %+v, want DATA_READY of session %s", ev, rd.SessionID)
			}
		})
	}
}

// seedSandbox is a sandbox as every test's starts: its seeded customers.
func seedSandbox(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestJourneyErrors covers the journey's refusals: return addresses outside
// the allow-list, a return without the AA's answer or with a tampered one,
// another customer's consent for a bound token, and redirects of consents no
// longer PENDING.
func TestJourneyErrors(t *testing.T) {
	e := newJourneyEnv(t, nil)
	handle := requestConsent(t, e.api, sandbox.DemoMobile)
	tests := []struct {
		name, query string
		vars        map[string]any
		code        string
	}{
		{"redirect to another host", `mutation($m: String!, $p: ID!, $r: String) { requestConsent(input: {mobileNumber: $m, productID: $p, redirectURL: $r}) { consentHandle } }`,
			map[string]any{"m": sandbox.DemoMobile, "p": product, "r": "https://evil.example.com/aa/return"}, "BAD_USER_INPUT"},
		{"redirect climbing out of the path", `mutation($m: String!, $p: ID!, $r: String) { requestConsent(input: {mobileNumber: $m, productID: $p, redirectURL: $r}) { consentHandle } }`,
			map[string]any{"m": sandbox.DemoMobile, "p": product, "r": returnAddr + "/../../admin"}, "BAD_USER_INPUT"},
		{"a bad PAN", `mutation($m: String!, $p: ID!) { requestConsent(input: {mobileNumber: $m, productID: $p, pan: "abcde1234f"}) { consentHandle } }`,
			map[string]any{"m": sandbox.DemoMobile, "p": product}, "BAD_USER_INPUT"},
		{"return without an answer", `mutation($u: String!) { completeConsentRedirect(input: {returnURL: $u}) { outcome } }`,
			map[string]any{"u": returnAddr + "?journey=1"}, "BAD_USER_INPUT"},
		{"return to another address", `mutation($u: String!) { completeConsentRedirect(input: {returnURL: $u}) { outcome } }`,
			map[string]any{"u": "https://evil.example.com/aa/return?ecres=x&resdate=y&fi=z"}, "BAD_USER_INPUT"},
		{"a tampered answer", `mutation($u: String!) { completeConsentRedirect(input: {returnURL: $u}) { outcome } }`,
			map[string]any{"u": returnAddr + "?ecres=AAAA&resdate=01012026000000000&fi=b3Jn"}, "BAD_USER_INPUT"},
		{"redirect of an ACTIVE consent", `mutation($h: ID!) { createConsentRedirect(input: {consentHandles: [$h]}) { redirectURL } }`,
			map[string]any{"h": activeConsents(demoCustomer(e.sb))[0].ConsentHandle}, "CONSENT_INACTIVE"},
		{"redirect of an unknown handle", `mutation($h: ID!) { createConsentRedirect(input: {consentHandles: [$h]}) { redirectURL } }`,
			map[string]any{"h": "00000000-0000-4000-8000-000000000000"}, "NOT_FOUND"},
		{"no consents", `mutation { createConsentRedirect(input: {}) { redirectURL } }`, nil, "BAD_USER_INPUT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := postTo(t, e.api, tc.query, tc.vars)
			if len(r.Errors) != 1 || r.Errors[0].code() != tc.code {
				t.Fatalf("errors = %+v, want one %s", r.Errors, tc.code)
			}
		})
	}

	// A PENDING consent gets its page again, and the page is the sandbox's.
	var again struct {
		CreateConsentRedirect struct {
			RedirectURL string `json:"redirectURL"`
			Consents    []struct {
				ConsentHandle string `json:"consentHandle"`
			} `json:"consents"`
		} `json:"createConsentRedirect"`
	}
	mustData(t, postTo(t, e.api, `mutation($h: ID!) { createConsentRedirect(input: {consentHandles: [$h], redirectURL: "`+returnAddr+`"}) { redirectURL consents { consentHandle } } }`,
		map[string]any{"h": handle}), &again)
	if !strings.Contains(again.CreateConsentRedirect.RedirectURL, "/_sandbox/aa/consent?") || len(again.CreateConsentRedirect.Consents) != 1 {
		t.Errorf("createConsentRedirect = %+v", again.CreateConsentRedirect)
	}
	if _, ok := slices.BinarySearch([]string{handle}, again.CreateConsentRedirect.Consents[0].ConsentHandle); !ok {
		t.Errorf("createConsentRedirect consents = %+v, want %s", again.CreateConsentRedirect.Consents, handle)
	}
}

func consentIDOf(t *testing.T, sb *sandbox.Sandbox, handle string) string {
	t.Helper()
	k, err := sb.Consent(handle)
	if err != nil || k.ConsentID == "" {
		t.Fatalf("consent %s has no consent ID", handle)
	}
	return k.ConsentID
}

func demoCustomer(sb *sandbox.Sandbox) sandbox.CustomerInfo {
	for _, c := range sb.Customers() {
		if c.Mobile == sandbox.DemoMobile {
			return c
		}
	}
	return sandbox.CustomerInfo{}
}

// TestJourneyLookups: the AA list and the products as the sandbox's seed
// defines them (internal/sandbox/catalogue.go), products limited to the
// token's, and a consent by handle placed like node.
func TestJourneyLookups(t *testing.T) {
	e := newEnv(t, envOptions{})
	var aas struct {
		AccountAggregators []struct {
			ID     string `json:"id"`
			Active bool   `json:"active"`
		} `json:"accountAggregators"`
	}
	mustData(t, e.post(t, `{ accountAggregators { id active } }`, nil), &aas)
	got := map[string]bool{}
	for _, a := range aas.AccountAggregators {
		got[a.ID] = a.Active
	}
	if want := map[string]bool{"onemoney-aa": true, "finvu-aa": true, "anumati-aa": false}; !cmpBoolMaps(got, want) {
		t.Errorf("accountAggregators = %v, want %v", got, want)
	}

	const products = `query($p: ID) { products(productID: $p) { id name purposeCode fiTypes fetchType frequency { unit value } dataFrom dataTo } }`
	type productsResp struct {
		Products []struct {
			ID        string   `json:"id"`
			FiTypes   []string `json:"fiTypes"`
			FetchType *string  `json:"fetchType"`
		} `json:"products"`
	}
	for _, tc := range []struct {
		name     string
		products []string // the token's products claim; nil: any
		arg      any
		want     []string // ids; nil: FORBIDDEN
	}{
		// The sandbox's catalogue (internal/sandbox/catalogue.go).
		{"any product", nil, nil, []string{"LOAN_UNDERWRITING", "PFM_DASHBOARD", "WEALTH_DASHBOARD", "WEALTH_TRACKER"}},
		{"one product", nil, "PFM_DASHBOARD", []string{"PFM_DASHBOARD"}},
		{"token limited to one", []string{"PFM_DASHBOARD"}, nil, []string{"PFM_DASHBOARD"}},
		{"another product than the token's", []string{"PFM_DASHBOARD"}, "LOAN_UNDERWRITING", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := partner()
			p.Products = tc.products
			e.principal = p
			defer func() { e.principal = partner() }()
			r := e.post(t, products, map[string]any{"p": tc.arg})
			if tc.want == nil {
				if len(r.Errors) != 1 || r.Errors[0].code() != "FORBIDDEN" {
					t.Fatalf("errors = %+v, want FORBIDDEN", r.Errors)
				}
				return
			}
			var out productsResp
			mustData(t, r, &out)
			var ids []string
			for _, p := range out.Products {
				ids = append(ids, p.ID)
				if len(p.FiTypes) == 0 || p.FetchType == nil {
					t.Errorf("product %s: %+v, want its FI types and fetch type", p.ID, p)
				}
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tc.want) {
				t.Errorf("products = %v, want %v", ids, tc.want)
			}
		})
	}

	// A consent by handle: the caller's own, or NOT_FOUND for a customer
	// token of another customer.
	handle := activeConsents(e.demo(t))[0].ConsentHandle
	const byHandle = `query($h: ID!) { consent(consentHandle: $h) { consentHandle status dataStatus { state } } }`
	var c struct {
		Consent struct {
			ConsentHandle string `json:"consentHandle"`
			DataStatus    struct {
				State string `json:"state"`
			} `json:"dataStatus"`
		} `json:"consent"`
	}
	mustData(t, e.post(t, byHandle, map[string]any{"h": handle}), &c)
	if c.Consent.ConsentHandle != handle || c.Consent.DataStatus.State != "READY" {
		t.Errorf("consent = %+v, want %s with its data READY", c.Consent, handle)
	}
	e.principal = customerToken("9123456780")
	if r := e.post(t, byHandle, map[string]any{"h": handle}); len(r.Errors) != 1 || r.Errors[0].code() != "NOT_FOUND" {
		t.Errorf("another customer's consent: errors = %+v, want NOT_FOUND", r.Errors)
	}
}

func cmpBoolMaps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
