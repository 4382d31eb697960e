package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const (
	hookSecret  = "whsec-journey"
	hookHeader  = "X-Signature"
	redirectURL = "https://app.example.com/aa/return?step=2"
)

// journey is a sandbox with a webhook receiver and a never-ending fetch delay,
// so each fetch completes only when the test says so.
type journey struct {
	sb   *sandbox.Sandbox
	srv  *httptest.Server
	recv *hookReceiver
}

func newJourney(t *testing.T, cfg sandbox.Config) *journey {
	t.Helper()
	recv := newHookReceiver(t, hookSecret, hookHeader)
	cfg.WebhookURL, cfg.WebhookSecret = recv.srv.URL, hookSecret
	if cfg.FetchDelay == 0 {
		cfg.FetchDelay = 1 << 62
	}
	sb, srv := newSandbox(t, cfg)
	return &journey{sb: sb, srv: srv, recv: recv}
}

// requestV3 asks /v3/requestconsent for mobile's consent under product.
func (j *journey) requestV3(t *testing.T, mobile, product string, extra map[string]any) reply {
	t.Helper()
	body := map[string]any{
		"productID": product, "vua": mobile + "@onemoney", "partyIdentifierType": "MOBILE",
		"partyIdentifierValue": mobile, "accountID": "journey-1", "redirectUrl": redirectURL,
	}
	for k, v := range extra {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	return post(t, j.srv, "/v3/requestconsent", jsonBody(t, body))
}

// pageURL is a v3 answer's handle and webRedirectionUrl.
func pageURL(t *testing.T, r reply) (handle, page string) {
	t.Helper()
	data, _ := r.env["data"].(map[string]any)
	handle, _ = data["consent_handle"].(string)
	page, _ = data["webRedirectionUrl"].(string)
	if r.status != 200 || handle == "" || page == "" || data["status"] != "PENDING" {
		t.Fatalf("v3 requestconsent = %d %s, want a PENDING handle and a webRedirectionUrl", r.status, r.body)
	}
	return handle, page
}

// getPage fetches the AA page.
func getPage(t *testing.T, j *journey, page string) (int, http.Header, string) {
	t.Helper()
	resp, err := j.srv.Client().Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

var hiddenRE = regexp.MustCompile(`name="(fi|reqdate|ecreq)" value="([^"]*)"`)

// formOf reads the AA page's hidden fields and adds decision and the ticked
// accounts, as a browser would submit them.
func formOf(t *testing.T, j *journey, page, decision string, accounts ...string) url.Values {
	t.Helper()
	_, _, html := getPage(t, j, page)
	form := url.Values{"decision": {decision}, "account": accounts}
	for _, m := range hiddenRE.FindAllStringSubmatch(html, -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&#43;", "+"))
	}
	if len(form) < 4 {
		t.Fatalf("AA page has no form fields:\n%s", html)
	}
	return form
}

// postForm submits form without following the redirect.
func postForm(t *testing.T, j *journey, form url.Values) *http.Response {
	t.Helper()
	c := *j.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(j.srv.URL+"/_sandbox/aa/consent", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// submit answers the page with decision and the ticked accounts.
func submit(t *testing.T, j *journey, page, decision string, accounts ...string) *http.Response {
	t.Helper()
	return postForm(t, j, formOf(t, j, page, decision, accounts...))
}

// decrypt opens the return URL's parameters through /webRedirection/decryptUrl.
func decrypt(t *testing.T, j *journey, back string) reply {
	t.Helper()
	u, err := url.Parse(back)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	return post(t, j.srv, "/webRedirection/decryptUrl", jsonBody(t, map[string]any{
		"webRedirectionURL": map[string]string{"ecres": q.Get("ecres"), "resdate": q.Get("resdate"), "fi": q.Get("fi")},
	}))
}

func status(t *testing.T, j *journey, handle string) map[string]any {
	t.Helper()
	r := post(t, j.srv, "/consent/firequest/status", jsonBody(t, map[string]string{"consentHandle": handle}))
	data, _ := r.env["data"].(map[string]any)
	if r.status != 200 || data == nil {
		t.Fatalf("firequest/status = %d %s", r.status, r.body)
	}
	return data
}

// fiStatuses maps linkRefNumbers[] to their fiStatus.
func fiStatuses(v any) map[string]string {
	out := map[string]string{}
	links, _ := v.([]any)
	for _, l := range links {
		m, _ := l.(map[string]any)
		ref, _ := m["linkRefNumber"].(string)
		st, _ := m["fiStatus"].(string)
		out[ref] = st
	}
	return out
}

func TestJourneyApprovePartialFetch(t *testing.T) {
	j := newJourney(t, sandbox.Config{})
	d := demo(t, j.sb)
	var deposits []sandbox.AccountInfo
	for _, a := range d.Accounts {
		if a.FIType == "DEPOSIT" {
			deposits = append(deposits, a)
		}
	}
	if len(deposits) < 3 {
		t.Fatalf("demo customer has %d DEPOSIT accounts, want at least 3", len(deposits))
	}
	handle, page := pageURL(t, j.requestV3(t, sandbox.DemoMobile, "LOAN_UNDERWRITING", nil))
	if !strings.HasPrefix(page, j.srv.URL+"/_sandbox/aa/consent?") {
		t.Errorf("webRedirectionUrl = %q, want the sandbox's own AA page", page)
	}
	k, err := j.sb.Consent(handle)
	if err != nil || k.Status != "PENDING" || k.ProductID != "LOAN_UNDERWRITING" {
		t.Fatalf("Consent(%s) = %+v, %v; want PENDING LOAN_UNDERWRITING", handle, k, err)
	}

	// The page shows the request and every DEPOSIT account, ticked.
	code, h, html := getPage(t, j, page)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("AA page = %d %q, CSP %q", code, h.Get("Content-Type"), h.Get("Content-Security-Policy"))
	}
	for _, want := range []string{"Loan underwriting", "Aggregated statement (103)", "DEPOSIT", "once", "Approve", "Reject"} {
		if !strings.Contains(html, want) {
			t.Errorf("AA page lacks %q", want)
		}
	}
	for _, a := range deposits {
		if !strings.Contains(html, `value="`+a.LinkReferenceNumber+`" checked`) || !strings.Contains(html, a.MaskedAccountNumber) {
			t.Errorf("AA page does not offer %s (%s), ticked", a.LinkReferenceNumber, a.MaskedAccountNumber)
		}
	}
	for _, bad := range []string{"<script", "src=", "http://", "https://"} {
		if strings.Contains(html, bad) {
			t.Errorf("AA page holds %q: it must load nothing", bad)
		}
	}

	// Approve all but the last DEPOSIT account; one FIP will time out.
	picked := []string{deposits[0].LinkReferenceNumber, deposits[1].LinkReferenceNumber}
	form := formOf(t, j, page, "approve", picked...)
	resp := postForm(t, j, form)
	back := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(back, "https://app.example.com/aa/return?") {
		t.Fatalf("approve = %d, Location %q; want 303 to the redirect URL", resp.StatusCode, back)
	}
	bu, _ := url.Parse(back)
	if q := bu.Query(); q.Get("step") != "2" || q.Get("ecres") == "" || q.Get("resdate") == "" || q.Get("fi") == "" {
		t.Errorf("return URL query = %v, want step kept and ecres, resdate, fi", q)
	}
	if ev := j.recv.next(t); ev["eventStatus"] != "CONSENT_APPROVED" || ev["consentHandle"] != handle {
		t.Fatalf("first webhook = %v, want CONSENT_APPROVED for %s", ev, handle)
	}
	k, _ = j.sb.Consent(handle)
	if k.Status != "ACTIVE" || !slices.Equal(slices.Sorted(slices.Values(k.LinkRefs)), slices.Sorted(slices.Values(picked))) {
		t.Fatalf("after approval: %+v, want ACTIVE with accounts %v", k, picked)
	}

	dr := decrypt(t, j, back)
	data, _ := dr.env["data"].(map[string]any)
	if dr.status != 200 || data["status"] != "S" || data["errorcode"] != "0" || data["srcref"] != handle ||
		data["userid"] != sandbox.DemoMobile+"@onemoney" || data["redirect"] != redirectURL || data["txnid"] == "" || data["sessionid"] == "" {
		t.Errorf("decryptUrl = %d %s, want S/0 for the handle, VUA and redirect", dr.status, dr.body)
	}

	// Before the fetch completes: data calls say not ready, the status is PENDING.
	cid := jsonBody(t, map[string]string{"consentID": k.ConsentID})
	if r := post(t, j.srv, "/getallfidata", cid); r.status != 400 || r.code() != "NoDataAvailable" {
		t.Errorf("getallfidata before DATA_READY = %d %q, want 400 NoDataAvailable", r.status, r.code())
	}
	if r := post(t, j.srv, "/getfibalance", cid); r.status != 400 || r.code() != "DataNotAvailable" {
		t.Errorf("getfibalance before DATA_READY = %d %q, want 400 DataNotAvailable (seed 000)", r.status, r.code())
	}
	st := status(t, j, handle)
	if st["eventStatus"] != "PENDING" || st["firstTimeFetch"] != true || st["sessionId"] == "" {
		t.Errorf("status while pending = %v", st)
	}
	for ref, s := range fiStatuses(st["linkRefNumbers"]) {
		if s != "PENDING" {
			t.Errorf("account %s fiStatus while pending = %q", ref, s)
		}
	}

	// The second account's FIP times out; complete the fetch now.
	if r := do(t, j.srv, "POST", "/_sandbox/fetch/outcomes", `{"key":"`+picked[1]+`","outcome":"TIMEOUT"}`, nil); r.status != 200 {
		t.Fatalf("set outcome = %d %s", r.status, r.body)
	}
	if r := do(t, j.srv, "POST", "/_sandbox/consents/"+handle+"/fetch/complete", "", nil); r.status != 200 {
		t.Fatalf("complete fetch = %d %s", r.status, r.body)
	}
	ev := j.recv.next(t)
	if ev["eventType"] != "DATA" || ev["eventStatus"] != "DATA_READY" || ev["sessionId"] != st["sessionId"] {
		t.Fatalf("DATA webhook = %v, want DATA_READY for session %v", ev, st["sessionId"])
	}
	want := map[string]string{picked[0]: "READY", picked[1]: "TIMEOUT"}
	if got := fiStatuses(ev["linkRefNumbers"]); !mapsEqual(got, want) {
		t.Errorf("DATA_READY linkRefNumbers = %v, want %v", got, want)
	}
	st = status(t, j, handle)
	want = map[string]string{picked[0]: "DELIVERED", picked[1]: "TIMEOUT"}
	if got := fiStatuses(st["linkRefNumbers"]); st["eventStatus"] != "DATA_READY" || !mapsEqual(got, want) || st["datafetchDate"] == "" || st["dataExpiry"] == "" {
		t.Errorf("status after the fetch = %v, want DATA_READY with %v and dates", st, want)
	}
	// Only the delivered account's data is served.
	r := post(t, j.srv, "/getallfidata", cid)
	accts := allFIData(t, r)
	if len(accts) != 1 || accts[0].LinkReferenceNumber != picked[0] {
		t.Errorf("getallfidata = %d accounts, want only %s", len(accts), picked[0])
	}
	if r := post(t, j.srv, "/getfibalance", jsonBody(t, map[string]string{"consentID": k.ConsentID, "linkReferenceNumber": picked[1]})); r.status != 400 || r.code() != "DataNotAvailable" {
		t.Errorf("getfibalance of the timed-out account = %d %q, want 400 DataNotAvailable", r.status, r.code())
	}
	if r := post(t, j.srv, "/getfibalance", cid); r.status != 200 || len(r.env["data"].([]any)) != 1 {
		t.Errorf("getfibalance = %d %s, want the delivered account only", r.status, r.body)
	}
	// The page link is spent.
	if code, _, html := getPage(t, j, page); code != http.StatusConflict || !strings.Contains(html, "already answered") {
		t.Errorf("AA page after the answer = %d, want 409 already answered", code)
	}
	if resp := postForm(t, j, form); resp.StatusCode != http.StatusConflict {
		t.Errorf("second submit = %d, want 409", resp.StatusCode)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestJourneyReject(t *testing.T) {
	j := newJourney(t, sandbox.Config{})
	handle, page := pageURL(t, j.requestV3(t, "9000000001", "LOAN_UNDERWRITING", nil))
	resp := submit(t, j, page, "reject")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject = %d, want 303", resp.StatusCode)
	}
	if ev := j.recv.next(t); ev["eventStatus"] != "CONSENT_REJECTED" || ev["consentId"] != "<NULL>" {
		t.Errorf("webhook = %v, want CONSENT_REJECTED with consentId <NULL>", ev)
	}
	dr := decrypt(t, j, resp.Header.Get("Location"))
	data, _ := dr.env["data"].(map[string]any)
	if data["status"] != "F" || data["errorcode"] != "1" || data["srcref"] != handle {
		t.Errorf("decryptUrl after a rejection = %s, want F/1", dr.body)
	}
	if k, _ := j.sb.Consent(handle); k.Status != "REJECTED" {
		t.Errorf("consent = %+v, want REJECTED", k)
	}
}

func TestJourneyFetchOutcomes(t *testing.T) {
	// Each session end fires one DATA event; the status API mirrors it.
	tests := []struct {
		name       string
		outcome    string // for every account; "" = expire the session
		wantEvent  string
		wantStatus string
		wantFI     string
	}{
		{"all denied", "DENIED", "DATA_DENIED", "DATA_DENIED", "DENIED"},
		{"all timed out", "TIMEOUT", "SESSION_FAILED", "TIMEOUT", "TIMEOUT"},
		{"session expired", "", "SESSION_EXPIRED", "SESSION_EXPIRED", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := newJourney(t, sandbox.Config{})
			handle, page := pageURL(t, j.requestV3(t, "9000000002", "LOAN_UNDERWRITING", nil))
			if _, err := j.sb.AnswerAA(page, true, nil); err != nil {
				t.Fatalf("AnswerAA() error = %v", err)
			}
			j.recv.next(t) // CONSENT_APPROVED
			k, _ := j.sb.Consent(handle)
			step := "expire"
			if tc.outcome != "" {
				step = "complete"
				for _, lr := range k.LinkRefs {
					if err := j.sb.SetFetchOutcome(lr, tc.outcome); err != nil {
						t.Fatal(err)
					}
				}
			}
			if r := do(t, j.srv, "POST", "/_sandbox/consents/"+handle+"/fetch/"+step, "", nil); r.status != 200 {
				t.Fatalf("%s fetch = %d %s", step, r.status, r.body)
			}
			ev := j.recv.next(t)
			links := fiStatuses(ev["linkRefNumbers"])
			if ev["eventStatus"] != tc.wantEvent || ev["sessionId"] == "" {
				t.Errorf("webhook = %v, want %s with a sessionId", ev, tc.wantEvent)
			}
			st := status(t, j, handle)
			if st["eventStatus"] != tc.wantStatus {
				t.Errorf("status eventStatus = %v, want %s", st["eventStatus"], tc.wantStatus)
			}
			for _, got := range []map[string]string{links, fiStatuses(st["linkRefNumbers"])} {
				for ref, s := range got {
					if s != tc.wantFI {
						t.Errorf("account %s fiStatus = %q, want %q", ref, s, tc.wantFI)
					}
				}
				if tc.wantFI == "" && len(got) != 0 {
					t.Errorf("expired session lists accounts %v, want none", got)
				}
			}
			if r := post(t, j.srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID})); r.code() != "NoDataAvailable" {
				t.Errorf("getallfidata = %d %q, want NoDataAvailable", r.status, r.code())
			}
			// A new fetch that delivers makes the data readable.
			j.sb.ClearFetchOutcomes()
			if r := post(t, j.srv, "/fi/request", jsonBody(t, map[string]string{"consentId": k.ConsentID})); r.status != 200 {
				t.Fatalf("fi/request = %d %s", r.status, r.body)
			}
			if err := j.sb.CompleteFetch(t.Context(), handle); err != nil {
				t.Fatal(err)
			}
			if ev := j.recv.next(t); ev["eventStatus"] != "DATA_READY" {
				t.Errorf("second fetch webhook = %v, want DATA_READY", ev["eventStatus"])
			}
			if st := status(t, j, handle); st["firstTimeFetch"] != false || st["eventStatus"] != "DATA_READY" {
				t.Errorf("second fetch status = %v, want DATA_READY, not the first fetch", st)
			}
			if r := post(t, j.srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID})); r.status != 200 {
				t.Errorf("getallfidata after the second fetch = %d %q", r.status, r.code())
			}
		})
	}
}

func TestJourneyFetchDelay(t *testing.T) {
	// A real delay: the fetch completes by itself and fires DATA_READY.
	j := newJourney(t, sandbox.Config{FetchDelay: 20 * time.Millisecond})
	handle, page := pageURL(t, j.requestV3(t, "9000000003", "LOAN_UNDERWRITING", nil))
	if _, err := j.sb.AnswerAA(page, true, nil); err != nil {
		t.Fatal(err)
	}
	if ev := j.recv.next(t); ev["eventStatus"] != "CONSENT_APPROVED" {
		t.Fatalf("first webhook = %v", ev["eventStatus"])
	}
	if ev := j.recv.next(t); ev["eventStatus"] != "DATA_READY" || ev["consentHandle"] != handle {
		t.Fatalf("second webhook = %v, want DATA_READY", ev)
	}
	if k, _ := j.sb.Consent(handle); !k.DataReady || k.Fetch == nil || k.Fetch.EventStatus != "DATA_READY" {
		t.Errorf("consent after the delay = %+v, want data ready", k)
	}
}

func TestRequestConsentV3Validation(t *testing.T) {
	j := newJourney(t, sandbox.Config{RedirectHosts: []string{"app.example.com"}})
	tests := []struct {
		name  string
		extra map[string]any
	}{
		{"no redirectUrl", map[string]any{"redirectUrl": nil}},
		{"relative redirectUrl", map[string]any{"redirectUrl": "/back"}},
		{"unregistered host", map[string]any{"redirectUrl": "https://evil.example.net/back"}},
		{"fragment", map[string]any{"redirectUrl": "https://app.example.com/back#x"}},
		{"bad pan", map[string]any{"pan": "abcde1234f"}},
		{"empty fipID", map[string]any{"fipID": []string{""}}},
		{"no productID", map[string]any{"productID": nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := j.requestV3(t, "9000000004", "LOAN_UNDERWRITING", tc.extra); r.status != 400 || r.code() != "InvalidRequest" {
				t.Errorf("v3 requestconsent = %d %q, want 400 InvalidRequest", r.status, r.code())
			}
		})
	}
	// fipID restricts the accounts the page offers.
	var fip string
	for _, a := range demo(t, j.sb).Accounts {
		if a.FIType == "DEPOSIT" {
			fip = a.FIPID
			break
		}
	}
	_, page := pageURL(t, j.requestV3(t, sandbox.DemoMobile, "LOAN_UNDERWRITING", map[string]any{"fipID": []string{fip}, "pan": "ABCDE1234F"}))
	_, _, html := getPage(t, j, page)
	for _, a := range demo(t, j.sb).Accounts {
		offered := strings.Contains(html, `value="`+a.LinkReferenceNumber+`"`)
		if want := a.FIType == "DEPOSIT" && a.FIPID == fip; offered != want {
			t.Errorf("account %s at %s (%s) offered = %v, want %v", a.LinkReferenceNumber, a.FIPID, a.FIType, offered, want)
		}
	}
}

func TestEncryptedURLErrors(t *testing.T) {
	j := newJourney(t, sandbox.Config{})
	h1, _ := pageURL(t, j.requestV3(t, "9000000005", "LOAN_UNDERWRITING", nil))
	h2, _ := pageURL(t, j.requestV3(t, "9000000005", "PFM_DASHBOARD", nil))
	other, _ := pageURL(t, j.requestV3(t, "9000000006", "LOAN_UNDERWRITING", nil))
	active := findConsent(t, j.sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC").ConsentHandle
	body := func(handle any, extra ...string) string {
		m := map[string]any{"consentHandle": handle, "redirectUrl": redirectURL}
		for i := 0; i < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return jsonBody(t, m)
	}
	tests := []struct {
		name, body string
		wantCode   string
	}{
		{"no handle", `{"redirectUrl":"` + redirectURL + `"}`, "missingConsentInfo"},
		{"empty handle", body(""), "missingConsentInfo"},
		{"empty array", body([]string{}), "missingConsentInfo"},
		{"not a UUID", body("abc123"), "InvalidRequest"},
		{"all zeros", body("00000000-0000-0000-0000-000000000000"), "InvalidRequest"},
		{"bad redirect", body(h1, "redirectUrl", "ftp://x"), "InvalidRequest"},
		{"bad pan", body(h1, "pan", "ABCDE12345"), "InvalidRequest"},
		{"unknown handle", body("0f8fad5b-d9cb-469f-a165-70867728950e"), "invalid_consent_handle"},
		{"different users", body([]string{h1, other}), "FP0024"},
		{"userid of another user", body(h1, "userid", "9000000006@onemoney"), "FP0024"},
		{"unknown AA", body(h1, "userid", "9000000005@nowhere"), "InvalidAA"},
		{"not pending", body(active), "InvalidRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := post(t, j.srv, "/webRedirection/getEncryptedUrl", tc.body); r.status != 400 || r.code() != tc.wantCode {
				t.Errorf("getEncryptedUrl = %d %q (%v), want 400 %q", r.status, r.code(), r.env["errorMsg"], tc.wantCode)
			}
		})
	}
	// Two handles of one user: one page for both.
	r := post(t, j.srv, "/webRedirection/getEncryptedUrl", body([]string{h1, h2}, "userid", "9000000005@onemoney"))
	data, _ := r.env["data"].(map[string]any)
	page, _ := data["webRedirectionUrl"].(string)
	if r.status != 200 || page == "" {
		t.Fatalf("getEncryptedUrl = %d %s", r.status, r.body)
	}
	_, _, html := getPage(t, j, page)
	if !strings.Contains(html, "Loan underwriting") || !strings.Contains(html, "Personal finance dashboard") {
		t.Errorf("AA page for two consents lacks one of them")
	}
	back, err := j.sb.AnswerAA(page, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	dr := decrypt(t, j, back)
	if d, _ := dr.env["data"].(map[string]any); d["srcref"] != h1+","+h2 {
		t.Errorf("srcref = %v, want both handles", d["srcref"])
	}
}

func TestDecryptURLErrors(t *testing.T) {
	j := newJourney(t, sandbox.Config{})
	_, page := pageURL(t, j.requestV3(t, "9000000007", "LOAN_UNDERWRITING", nil))
	back, err := j.sb.AnswerAA(page, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(back)
	q := u.Query()
	params := func(ecres, resdate, fi string) string {
		return jsonBody(t, map[string]any{"webRedirectionURL": map[string]string{"ecres": ecres, "resdate": resdate, "fi": fi}})
	}
	req, _ := url.ParseQuery(strings.SplitN(page, "?", 2)[1])
	for name, body := range map[string]string{
		"empty body":       `{}`,
		"missing ecres":    params("", q.Get("resdate"), q.Get("fi")),
		"tampered ecres":   params(q.Get("ecres")[:len(q.Get("ecres"))-2]+"AA", q.Get("resdate"), q.Get("fi")),
		"other resdate":    params(q.Get("ecres"), "01012026000000000", q.Get("fi")),
		"foreign fi":       params(q.Get("ecres"), q.Get("resdate"), "T1RIRVI"),
		"the request side": params(req.Get("ecreq"), req.Get("reqdate"), req.Get("fi")),
	} {
		if r := post(t, j.srv, "/webRedirection/decryptUrl", body); r.status != 400 || r.code() != "InvalidRequest" {
			t.Errorf("%s: decryptUrl = %d %q, want 400 InvalidRequest", name, r.status, r.code())
		}
	}
}

func TestCatalogue(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }})
	_ = sb
	r := post(t, srv, "/productslist", `{}`)
	var prods []map[string]any
	b, _ := json.Marshal(r.env["data"])
	json.Unmarshal(b, &prods)
	byID := map[string]map[string]any{}
	var ids []string
	for _, p := range prods {
		id, _ := p["productCode"].(string)
		byID[id] = p
		ids = append(ids, id)
		if p["productName"] == "" || p["purpose"].(map[string]any)["code"] == "" || p["consentMode"] == "" {
			t.Errorf("product %s lacks a name, purpose or consent mode: %v", id, p)
		}
	}
	if r.status != 200 || !slices.IsSorted(ids) || byID["PFM_DASHBOARD"] == nil || byID["LOAN_UNDERWRITING"] == nil || byID["WEALTH_TRACKER"] == nil {
		t.Fatalf("productslist = %d %s, want the products sorted by code", r.status, r.body)
	}
	pfm := byID["PFM_DASHBOARD"]
	if pfm["productCode"] != "PFM_DASHBOARD" || pfm["fetchType"] != "PERIODIC" || pfm["consentMode"] != "STORE" ||
		pfm["consentFrom"] != "2025-11-01T09:00:00.000Z" || pfm["consentTo"] != "2027-11-01T09:00:00.000Z" {
		t.Errorf("PFM_DASHBOARD = %v", pfm)
	}
	if f, _ := pfm["frequency"].(map[string]any); f["unit"] != "DAY" || f["value"] != float64(4) {
		t.Errorf("PFM_DASHBOARD frequency = %v, want 4 per DAY", pfm["frequency"])
	}
	if p, _ := pfm["purpose"].(map[string]any); p["code"] != "102" {
		t.Errorf("PFM_DASHBOARD purpose = %v", pfm["purpose"])
	}
	if loan := byID["LOAN_UNDERWRITING"]; loan["productCode"] != "LOAN_UNDERWRITING" || loan["frequency"] != nil || loan["consentMode"] != "VIEW" {
		t.Errorf("LOAN_UNDERWRITING = %v, want ONETIME VIEW without a frequency", loan)
	}
	if r := post(t, srv, "/productslist", `{"productId":"WEALTH_TRACKER"}`); len(r.env["data"].([]any)) != 1 {
		t.Errorf("productslist for one product = %s", r.body)
	}
	if r := post(t, srv, "/productslist", `{"productId":"NOPE"}`); r.status != 200 || len(r.env["data"].([]any)) != 0 {
		t.Errorf("productslist for an unknown product = %d %s, want an empty list", r.status, r.body)
	}
	if r := post(t, srv, "/productslist", `{"productId":"a b"}`); r.status != 400 || r.code() != "InvalidRequest" {
		t.Errorf("productslist with a bad id = %d %q, want 400 InvalidRequest", r.status, r.code())
	}
	for _, body := range []string{"", "{}"} {
		r := post(t, srv, "/accountaggregatorlist", body)
		aas, _ := r.env["data"].([]any)
		if r.status != 200 || len(aas) != 3 {
			t.Fatalf("accountaggregatorlist(%q) = %d %s", body, r.status, r.body)
		}
		one := aas[0].(map[string]any)
		if one["aaId"] != "onemoney-aa" || one["status"] != "Active" || one["baseUrl"] != srv.URL+"/_sandbox/aa" {
			t.Errorf("first AA = %v", one)
		}
	}
}

func TestJourneyAdminRoutes(t *testing.T) {
	j := newJourney(t, sandbox.Config{PublicURL: "https://sandbox.example.com/"})
	handle, page := pageURL(t, j.requestV3(t, "9000000008", "LOAN_UNDERWRITING", nil))
	if !strings.HasPrefix(page, "https://sandbox.example.com/_sandbox/aa/consent?") {
		t.Errorf("webRedirectionUrl = %q, want it under PublicURL", page)
	}
	page = j.srv.URL + strings.TrimPrefix(page, "https://sandbox.example.com")

	// The AA page refuses what a user could break.
	for name, tc := range map[string]struct {
		method, path, body string
		want               int
	}{
		"bad link":      {"GET", "/_sandbox/aa/consent?fi=x&reqdate=y&ecreq=z", "", 400},
		"bad method":    {"PUT", "/_sandbox/aa/consent", "", 405},
		"bad form link": {"POST", "/_sandbox/aa/consent", "decision=approve&ecreq=x", 400},
	} {
		req, _ := http.NewRequestWithContext(t.Context(), tc.method, j.srv.URL+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := j.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %q, want %d HTML", name, resp.StatusCode, resp.Header.Get("Content-Type"), tc.want)
		}
	}
	if resp := postForm(t, j, formOf(t, j, page, "maybe")); resp.StatusCode != 400 {
		t.Errorf("unknown decision = %d, want 400", resp.StatusCode)
	}
	if resp := postForm(t, j, formOf(t, j, page, "approve")); resp.StatusCode != 400 {
		t.Errorf("approve with no account ticked = %d, want 400", resp.StatusCode)
	}
	if k, _ := j.sb.Consent(handle); k.Status != "PENDING" {
		t.Errorf("after refused answers the consent is %s, want PENDING", k.Status)
	}

	// The JSON answer route.
	if r := do(t, j.srv, "POST", "/_sandbox/aa/answer", jsonBody(t, map[string]any{"url": page, "decision": "later"}), nil); r.status != 400 {
		t.Errorf("answer with a bad decision = %d, want 400", r.status)
	}
	r := do(t, j.srv, "POST", "/_sandbox/aa/answer", jsonBody(t, map[string]any{"url": page, "decision": "approve"}), nil)
	if back, _ := r.env["redirect"].(string); r.status != 200 || !strings.HasPrefix(back, "https://app.example.com/aa/return?") {
		t.Fatalf("answer = %d %s", r.status, r.body)
	}
	j.recv.next(t) // CONSENT_APPROVED
	if r := do(t, j.srv, "GET", "/_sandbox/consents/"+handle, "", nil); r.status != 200 || r.env["status"] != "ACTIVE" {
		t.Errorf("GET consent = %d %s", r.status, r.body)
	}

	// Fetch steps.
	for _, tc := range []struct {
		step, body string
		want       int
	}{
		{"start", `{"delay":"soon"}`, 400},
		{"complete", "", 200}, // the approval's fetch
		{"complete", "", 409}, // nothing pending
		{"start", `{"delay":"1h"}`, 200},
		{"expire", "", 200},
		{"start", "", 200}, // at once
		{"rewind", "", 404},
	} {
		if r := do(t, j.srv, "POST", "/_sandbox/consents/"+handle+"/fetch/"+tc.step, tc.body, nil); r.status != tc.want {
			t.Errorf("fetch/%s %s = %d %s, want %d", tc.step, tc.body, r.status, r.body, tc.want)
		}
	}
	for _, want := range []string{"DATA_READY", "SESSION_EXPIRED", "DATA_READY"} {
		if ev := j.recv.next(t); ev["eventStatus"] != want {
			t.Errorf("webhook = %v, want %s", ev["eventStatus"], want)
		}
	}
	if r := do(t, j.srv, "POST", "/_sandbox/consents/"+findConsent(t, j.sb, "PAUSED", sandbox.DemoProductID, "").ConsentHandle+"/fetch/start", "", nil); r.status != 409 {
		t.Errorf("fetch of a PAUSED consent = %d, want 409", r.status)
	}

	// Outcomes.
	if r := do(t, j.srv, "POST", "/_sandbox/fetch/outcomes", `{"outcomes":{"HDFC-FIP":"denied","x":"TIMEOUT"}}`, nil); r.status != 200 {
		t.Errorf("set outcomes = %d %s", r.status, r.body)
	}
	if got := j.sb.FetchOutcomes(); !mapsEqual(got, map[string]string{"HDFC-FIP": "DENIED", "x": "TIMEOUT"}) {
		t.Errorf("FetchOutcomes() = %v", got)
	}
	for _, bad := range []string{`{"key":"x","outcome":"LOST"}`, `{}`, `{"key":"","outcome":"DENIED"}`} {
		if r := do(t, j.srv, "POST", "/_sandbox/fetch/outcomes", bad, nil); r.status != 400 {
			t.Errorf("set outcome %s = %d, want 400", bad, r.status)
		}
	}
	if r := do(t, j.srv, "DELETE", "/_sandbox/fetch/outcomes", "", nil); r.status != 200 || len(j.sb.FetchOutcomes()) != 0 {
		t.Errorf("clear outcomes = %d, left %v", r.status, j.sb.FetchOutcomes())
	}
	if r := do(t, j.srv, "GET", "/_sandbox/fetch/outcomes", "", nil); r.status != 200 {
		t.Errorf("GET outcomes = %d", r.status)
	}
}

func TestFetchOutcomeConfig(t *testing.T) {
	got, err := sandbox.ParseFetchOutcomes(" HDFC-FIP=timeout, lr-1=DENIED ,")
	if err != nil || !mapsEqual(got, map[string]string{"HDFC-FIP": "TIMEOUT", "lr-1": "DENIED"}) {
		t.Errorf("ParseFetchOutcomes() = %v, %v", got, err)
	}
	for _, bad := range []string{"HDFC-FIP", "=DENIED", "x=LATER"} {
		if _, err := sandbox.ParseFetchOutcomes(bad); err == nil {
			t.Errorf("ParseFetchOutcomes(%q) error = nil", bad)
		}
	}
	if _, err := sandbox.New(sandbox.Config{FetchOutcomes: map[string]string{"x": "LATER"}}); err == nil {
		t.Errorf("New() with a bad outcome: error = nil")
	}
	if _, err := sandbox.New(sandbox.Config{PublicURL: "sandbox.example.com"}); err == nil {
		t.Errorf("New() with a relative PublicURL: error = nil")
	}
	// Configured outcomes apply from the start: the approval's fetch times out
	// at every FIP.
	var fips []string
	sb0, _ := newSandbox(t, sandbox.Config{})
	for _, a := range demo(t, sb0).Accounts {
		fips = append(fips, a.FIPID+"=TIMEOUT")
	}
	outcomes, _ := sandbox.ParseFetchOutcomes(strings.Join(fips, ","))
	j := newJourney(t, sandbox.Config{FetchOutcomes: outcomes, FetchDelay: -1})
	k := findConsent(t, j.sb, "PENDING", sandbox.DemoProductID, "")
	if err := j.sb.Transition(t.Context(), k.ConsentHandle, sandbox.ActionApprove); err != nil {
		t.Fatal(err)
	}
	j.recv.next(t)
	if ev := j.recv.next(t); ev["eventStatus"] != "SESSION_FAILED" {
		t.Errorf("approval fetch webhook = %v, want SESSION_FAILED", ev["eventStatus"])
	}
}

func TestFetchEndsWithoutDataWhenConsentStops(t *testing.T) {
	j := newJourney(t, sandbox.Config{FetchDelay: 20 * time.Millisecond})
	k := findConsent(t, j.sb, "PENDING", sandbox.DemoProductID, "")
	if err := j.sb.Transition(t.Context(), k.ConsentHandle, sandbox.ActionApprove); err != nil {
		t.Fatal(err)
	}
	if err := j.sb.Transition(t.Context(), k.ConsentHandle, sandbox.ActionPause); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CONSENT_APPROVED", "CONSENT_PAUSED", "SESSION_EXPIRED"} {
		if ev := j.recv.next(t); ev["eventStatus"] != want {
			t.Errorf("webhook = %v, want %s", ev["eventStatus"], want)
		}
	}
	if ki, _ := j.sb.Consent(k.ConsentHandle); ki.DataReady {
		t.Errorf("consent paused mid-fetch has data ready")
	}
}
