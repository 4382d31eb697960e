package sandbox_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

func TestAdminTransitions(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	pending := findConsent(t, sb, "PENDING", sandbox.DemoProductID, "").ConsentHandle
	rejected := findConsent(t, sb, "REJECTED", sandbox.DemoProductID, "").ConsentHandle
	tests := []struct {
		handle, action string
		wantStatus     int
		wantConsent    string
	}{
		{pending, "pause", 409, ""},
		{pending, "approve", 200, "ACTIVE"},
		{pending, "approve", 409, ""},
		{pending, "pause", 200, "PAUSED"},
		{pending, "expire", 409, ""},
		{pending, "resume", 200, "ACTIVE"},
		{pending, "expire", 200, "EXPIRED"},
		{pending, "revoke", 409, ""},
		{rejected, "approve", 409, ""},
		{rejected, "reject", 409, ""},
		{"00000000-0000-4000-8000-000000000000", "approve", 404, ""},
		{pending, "delete", 404, ""},
	}
	for _, tc := range tests {
		r := do(t, srv, "POST", "/_sandbox/consents/"+tc.handle+"/"+tc.action, "", nil)
		if r.status != tc.wantStatus {
			t.Errorf("POST consents/%s/%s = %d %s, want %d", tc.handle, tc.action, r.status, r.body, tc.wantStatus)
			continue
		}
		if tc.wantConsent != "" && r.env["status"] != tc.wantConsent {
			t.Errorf("POST consents/%s/%s: consent status %v, want %s", tc.handle, tc.action, r.env["status"], tc.wantConsent)
		}
	}
	if r := do(t, srv, "GET", "/_sandbox/consents/"+pending+"/approve", "", nil); r.status != 405 {
		t.Errorf("GET on a transition = %d, want 405", r.status)
	}
	// Approval assigned an ID and linked the customer's accounts.
	k, err := sb.Consent(pending)
	if err != nil || k.ConsentID == "" || len(k.LinkRefs) < 4 {
		t.Errorf("approved consent = %+v, %v; want an ID and linked accounts", k, err)
	}
	if err := sb.Transition(t.Context(), pending, "approve"); !errors.Is(err, sandbox.ErrIllegalTransition) {
		t.Errorf("Transition(expired, approve) = %v, want ErrIllegalTransition", err)
	}
	if err := sb.Transition(t.Context(), "nope", "approve"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("Transition(unknown, approve) = %v, want ErrNotFound", err)
	}
}

// hookReceiver collects webhook deliveries whose signature verifies.
type hookReceiver struct {
	srv    *httptest.Server
	events chan map[string]any
	bad    atomic.Int32
	fail   atomic.Int32 // answer 500 to this many more deliveries
}

func newHookReceiver(t *testing.T, secret, header string) *hookReceiver {
	h := &hookReceiver{events: make(chan map[string]any, 64)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if h.fail.Add(-1) >= 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(r.Header.Get(header))) {
			h.bad.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev map[string]any
		if err := json.Unmarshal(body, &ev); err != nil {
			h.bad.Add(1)
		}
		h.events <- ev
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case ev := <-h.events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook delivered within 10s")
		return nil
	}
}

func TestWebhooks(t *testing.T) {
	const secret = "whsec-test"
	recv := newHookReceiver(t, secret, "X-Test-Signature")
	recv.fail.Store(1) // the first delivery fails once and is retried
	sb, srv := newSandbox(t, sandbox.Config{WebhookURL: recv.srv.URL, WebhookSecret: secret, WebhookHeader: "X-Test-Signature",
		WebhookRetries: []time.Duration{10 * time.Millisecond}})
	k := findConsent(t, sb, "PENDING", sandbox.DemoProductID, "")
	ctx := t.Context()
	for _, a := range []string{"approve", "pause", "resume"} {
		if err := sb.Transition(ctx, k.ConsentHandle, a); err != nil {
			t.Fatalf("Transition(%s): %v", a, err)
		}
	}
	k, _ = sb.Consent(k.ConsentHandle)
	if r := post(t, srv, "/revokeconsent", jsonBody(t, map[string]string{"consentID": k.ConsentID})); r.status != 200 || r.env["status"] != "success" {
		t.Fatalf("revokeconsent = %d %s", r.status, r.body)
	}
	rej := findConsent(t, sb, "PENDING", "LOAN_UNDERWRITING", "")
	if err := sb.Transition(ctx, rej.ConsentHandle, "reject"); err != nil {
		t.Fatal(err)
	}
	want := []struct{ eventType, eventStatus, consentID string }{
		{"CONSENT", "CONSENT_APPROVED", k.ConsentID},
		{"DATA", "DATA_READY", k.ConsentID},
		{"CONSENT", "CONSENT_PAUSED", k.ConsentID},
		{"CONSENT", "CONSENT_RESUMED", k.ConsentID},
		{"CONSENT", "CONSENT_REVOKED", k.ConsentID},
		{"CONSENT", "CONSENT_REJECTED", "<NULL>"},
	}
	for i, w := range want {
		ev := recv.next(t)
		if ev["eventType"] != w.eventType || ev["eventStatus"] != w.eventStatus || ev["consentId"] != w.consentID {
			t.Errorf("event %d = %v %v %v, want %s %s %s", i, ev["eventType"], ev["eventStatus"], ev["consentId"], w.eventType, w.eventStatus, w.consentID)
		}
		for _, f := range []string{"timestamp", "consentHandle", "vua", "eventMessage"} {
			if s, _ := ev[f].(string); s == "" {
				t.Errorf("event %d has no %s", i, f)
			}
		}
		if w.eventStatus == "DATA_READY" {
			if links, _ := ev["linkRefNumbers"].([]any); len(links) == 0 {
				t.Errorf("DATA_READY has no linkRefNumbers")
			}
		}
	}
	if n := recv.bad.Load(); n != 0 {
		t.Errorf("%d deliveries had a bad signature or body", n)
	}
	if err := sb.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestAppendIncremental(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	periodic := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	onetime := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "ONETIME")
	link := periodic.LinkRefs[0] // the savings account, also under the ONETIME consent
	pbody := jsonBody(t, map[string]string{"consentID": periodic.ConsentID})

	first := allFIData(t, post(t, srv, "/getalllatestfidata", pbody))
	if len(first) != len(periodic.LinkRefs) {
		t.Fatalf("first PERIODIC pull: %d accounts, want %d", len(first), len(periodic.LinkRefs))
	}
	if r := post(t, srv, "/getalllatestfidata", pbody); r.code() != "NoIncrementalData" {
		t.Fatalf("second pull = %d %q, want NoIncrementalData", r.status, r.code())
	}
	r := do(t, srv, "POST", "/_sandbox/accounts/"+link+"/transactions",
		`{"transactions":[{"type":"CREDIT","amount":"10.00","mode":"UPI","narration":"UPI/REFUND/TEST"},{"type":"DEBIT","amount":"0.10","mode":"CARD","narration":"POS TEST"}]}`, nil)
	if r.status != 200 {
		t.Fatalf("append = %d %s", r.status, r.body)
	}
	got := allFIData(t, post(t, srv, "/getalllatestfidata", pbody))
	if len(got) != 1 || got[0].LinkReferenceNumber != link {
		t.Fatalf("pull after append: %d accounts, want only %s", len(got), link)
	}
	txns := got[0].Transactions.Transaction
	var amounts []string
	for _, x := range txns {
		amounts = append(amounts, x.Type+" "+x.Amount)
	}
	if diff := cmp.Diff([]string{"CREDIT 10.00", "DEBIT 0.10"}, amounts); diff != "" {
		t.Errorf("incremental transactions (-want +got):\n%s", diff)
	}
	if r := post(t, srv, "/getalllatestfidata", pbody); r.code() != "NoIncrementalData" {
		t.Errorf("pull after the increment = %d %q, want NoIncrementalData", r.status, r.code())
	}
	// The full data still reconciles, and every view agrees on the new balance.
	bal := post(t, srv, "/getfibalance", jsonBody(t, map[string]string{"consentID": onetime.ConsentID, "linkReferenceNumber": link}))
	balance := bal.env["data"].(map[string]any)["balance"].(string)
	if balance != got[0].Summary.CurrentBalance || balance != txns[1].CurrentBalance {
		t.Errorf("balance %s, Summary %s, last txn %s; want equal", balance, got[0].Summary.CurrentBalance, txns[1].CurrentBalance)
	}
	for _, a := range allFIData(t, post(t, srv, "/getalllatestfidata", jsonBody(t, map[string]string{"consentID": onetime.ConsentID}))) {
		if a.LinkReferenceNumber == link {
			reconcile(t, a, balance)
		}
	}

	for _, tc := range []struct {
		name, link, body string
		want             int
	}{
		{"unknown account", "00000000-0000-4000-8000-000000000000", `{"transactions":[{"type":"CREDIT","amount":"1.00"}]}`, 404},
		{"bad type", link, `{"transactions":[{"type":"INTEREST","amount":"1.00"}]}`, 400},
		{"three decimals", link, `{"transactions":[{"type":"CREDIT","amount":"1.005"}]}`, 400},
		{"negative", link, `{"transactions":[{"type":"CREDIT","amount":"-1.00"}]}`, 400},
		{"exponent form", link, `{"transactions":[{"type":"CREDIT","amount":"1e3"}]}`, 200},
		{"none", link, `{"transactions":[]}`, 400},
		{"malformed", link, `{`, 400},
	} {
		if r := do(t, srv, "POST", "/_sandbox/accounts/"+tc.link+"/transactions", tc.body, nil); r.status != tc.want {
			t.Errorf("append %s = %d %s, want %d", tc.name, r.status, r.body, tc.want)
		}
	}
}

func TestRateLimit(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	_, srv := newSandbox(t, sandbox.Config{RateLimit: 3, RateWindow: time.Minute, Now: clock})
	body := `{"mobileNumber":"9876543210","productID":"PFM_DASHBOARD"}`
	reset := strconv.FormatInt(time.Date(2026, 11, 1, 10, 1, 0, 0, time.UTC).Unix(), 10)
	for i, wantRemaining := range []string{"2", "1", "0"} {
		r := post(t, srv, "/v1/accounts/getconsentslist", body)
		h := r.header
		if r.status != 200 || h.Get("X-RateLimit-Limit") != "3" || h.Get("X-RateLimit-Remaining") != wantRemaining || h.Get("X-RateLimit-Reset") != reset {
			t.Errorf("call %d = %d limit %s remaining %s reset %s, want 200 3 %s %s", i, r.status,
				h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset"), wantRemaining, reset)
		}
	}
	r := post(t, srv, "/v1/accounts/getconsentslist", body)
	if r.status != 429 || r.code() != "RateLimitExceeded" || r.header.Get("Retry-After") != "60" {
		t.Errorf("4th call = %d %q Retry-After %q, want 429 RateLimitExceeded 60", r.status, r.code(), r.header.Get("Retry-After"))
	}
	now.Add(int64(time.Minute))
	if r := post(t, srv, "/getfibalance", `{}`); r.status == 429 {
		t.Errorf("call in the next window = 429")
	}
}

func TestFaultsAndStats(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	body := jsonBody(t, map[string]string{"consentID": k.ConsentID})
	if r := do(t, srv, "POST", "/_sandbox/faults", `{"path":"/getfibalance","errorCode":"DataNotAvailable","count":2}`, nil); r.status != 200 {
		t.Fatalf("inject = %d %s", r.status, r.body)
	}
	for i := range 2 {
		if r := post(t, srv, "/getfibalance", body); r.status != 400 || r.code() != "DataNotAvailable" {
			t.Errorf("faulted call %d = %d %q, want 400 DataNotAvailable", i, r.status, r.code())
		}
	}
	if r := post(t, srv, "/getfibalance", body); r.status != 200 {
		t.Errorf("call after the faults = %d %q, want 200", r.status, r.code())
	}
	if err := sb.InjectFault("/getallfidata", "html503", 5); err != nil {
		t.Fatal(err)
	}
	if r := post(t, srv, "/getallfidata", body); r.status != 503 || !strings.Contains(string(r.body), "Service Temporarily Unavailable") || r.env != nil {
		t.Errorf("html503 fault = %d %q", r.status, r.body)
	}
	if r := post(t, srv, "/getallfidata", body); r.header.Get("Retry-After") != "1" {
		t.Errorf("html503 fault Retry-After = %q, want the default 1", r.header.Get("Retry-After"))
	}
	if r := do(t, srv, "POST", "/_sandbox/faults", `{"path":"/getfibalance","errorCode":"RateLimitExceeded","retryAfter":7}`, nil); r.status != 200 {
		t.Fatalf("inject a rate limit = %d %s", r.status, r.body)
	}
	if r := post(t, srv, "/getfibalance", body); r.status != 429 || r.code() != "RateLimitExceeded" || r.header.Get("Retry-After") != "7" {
		t.Errorf("rate-limit fault = %d %q, Retry-After %q; want 429 RateLimitExceeded, 7", r.status, r.code(), r.header.Get("Retry-After"))
	}
	if err := sb.InjectRateLimit("/getfibalance", 2500*time.Millisecond, 1); err != nil {
		t.Fatal(err)
	}
	if r := post(t, srv, "/getfibalance", body); r.status != 429 || r.header.Get("Retry-After") != "3" {
		t.Errorf("InjectRateLimit(2.5s) = %d, Retry-After %q; want 429, 3", r.status, r.header.Get("Retry-After"))
	}
	if r := do(t, srv, "DELETE", "/_sandbox/faults", "", nil); r.status != 200 {
		t.Errorf("clear faults = %d", r.status)
	}
	if r := post(t, srv, "/getallfidata", body); r.status != 200 {
		t.Errorf("call after clearing = %d", r.status)
	}
	for _, bad := range []string{`{"path":"/nope","errorCode":"DataNotAvailable"}`, `{"path":"/getfibalance","errorCode":"Nope"}`, `{"path":"/getfibalance","errorCode":"NoDataFound","count":0}`, `{"path":"/getfibalance","errorCode":"RateLimitExceeded","retryAfter":-1}`} {
		if r := do(t, srv, "POST", "/_sandbox/faults", bad, nil); r.status != 400 {
			t.Errorf("inject %s = %d, want 400", bad, r.status)
		}
	}
	// A rejected call counts too.
	do(t, srv, "GET", "/getfibalance", "", nil)
	r := do(t, srv, "GET", "/_sandbox/stats", "", nil)
	var stats struct{ Calls map[string]int64 }
	if err := json.Unmarshal(r.body, &stats); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"/getfibalance": 6, "/getallfidata": 3}, stats.Calls); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if r := do(t, srv, "POST", "/_sandbox/stats/reset", "", nil); r.status != 200 || len(sb.Stats()) != 0 {
		t.Errorf("reset = %d, stats %v", r.status, sb.Stats())
	}
	if r := do(t, srv, "GET", "/_sandbox/customers", "", nil); r.status != 200 || !strings.Contains(string(r.body), sandbox.DemoMobile) {
		t.Errorf("customers = %d", r.status)
	}
	if r := do(t, srv, "GET", "/_sandbox/nope", "", nil); r.status != 404 {
		t.Errorf("unknown admin path = %d, want 404", r.status)
	}
}

func TestErrorPercent(t *testing.T) {
	pattern := func() string {
		sb, srv := newSandbox(t, sandbox.Config{ErrorPercent: 50, Seed: 5})
		k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
		var b strings.Builder
		for range 60 {
			r := post(t, srv, "/getfibalance", jsonBody(t, map[string]string{"consentID": k.ConsentID}))
			switch r.status {
			case 200:
				b.WriteByte('.')
			case 503:
				if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
					t.Errorf("503 Content-Type %q, want text/html", r.header.Get("Content-Type"))
				}
				b.WriteByte('x')
			default:
				t.Fatalf("status %d", r.status)
			}
		}
		return b.String()
	}
	a, b := pattern(), pattern()
	if a != b {
		t.Errorf("error pattern differs for the same seed:\n%s\n%s", a, b)
	}
	if !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("ErrorPercent 50 pattern %s, want both outcomes", a)
	}
}

func TestLatencyHonoursCancellation(t *testing.T) {
	_, srv := newSandbox(t, sandbox.Config{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/getfibalance", strings.NewReader(`{}`))
	_, err := srv.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("call with an hour of latency = %v, want deadline exceeded", err)
	}
	// srv.Close in cleanup returns only once the handler has stopped waiting.
}

func TestConsentFlow(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	r := post(t, srv, "/v2/requestconsent", `{"productID":"PFM_DASHBOARD","vua":"9000012345@onemoney","partyIdentifierType":"MOBILE","partyIdentifierValue":"9000012345","accountID":"JOURNEY-1"}`)
	data, _ := r.env["data"].(map[string]any)
	handle, _ := data["consent_handle"].(string)
	if r.status != 200 || data["status"] != "PENDING" || handle == "" {
		t.Fatalf("requestconsent = %d %s", r.status, r.body)
	}
	list := func() map[string]any {
		r := post(t, srv, "/v1/accounts/getconsentslist", `{"mobileNumber":"9000012345","productID":"PFM_DASHBOARD","status":["PENDING","ACTIVE"],"pageNumber":1,"pageSize":10}`)
		rows := r.env["data"].([]any)
		if len(rows) != 1 || r.env["pageDetails"] == nil {
			t.Fatalf("consent list = %s", r.body)
		}
		return rows[0].(map[string]any)
	}
	if row := list(); row["consentID"] != nil || row["consentHandle"] != handle || row["status"] != "PENDING" {
		t.Errorf("pending row = %v", row)
	}
	if r := do(t, srv, "POST", "/_sandbox/consents/"+handle+"/approve", "", nil); r.status != 200 {
		t.Fatalf("approve = %d %s", r.status, r.body)
	}
	row := list()
	id, _ := row["consentID"].(string)
	if row["status"] != "ACTIVE" || id == "" || len(row["accounts"].([]any)) == 0 {
		t.Errorf("approved row = %v", row)
	}
	st := post(t, srv, "/consent/firequest/status", jsonBody(t, map[string]string{"consentHandle": handle}))
	if d, _ := st.env["data"].(map[string]any); st.status != 200 || d["eventStatus"] != "DATA_READY" || d["consentId"] != id {
		t.Errorf("firequest/status = %d %s", st.status, st.body)
	}
	if r := post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"accountID": "JOURNEY-1"})); r.status != 200 {
		t.Errorf("getallfidata by accountID = %d %q", r.status, r.code())
	}
	if _, err := sb.Consent(handle); err != nil {
		t.Errorf("Consent(%s): %v", handle, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	sb, srv := newSandbox(t, sandbox.Config{})
	k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "PERIODIC")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				switch i % 4 {
				case 0:
					post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID}))
				case 1:
					post(t, srv, "/getalllatestfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID}))
				case 2:
					if err := sb.AppendTransactions(k.LinkRefs[0], sandbox.NewTransaction{Type: "CREDIT", Amount: "1.00"}); err != nil {
						t.Error(err)
					}
				default:
					post(t, srv, "/getfidata?limit=true&offset=true", jsonBody(t, map[string]string{"consentID": k.ConsentID, "linkReferenceNumber": k.LinkRefs[0]}))
				}
			}
		})
	}
	wg.Wait()
	for _, a := range allFIData(t, post(t, srv, "/getallfidata", jsonBody(t, map[string]string{"consentID": k.ConsentID}))) {
		if a.LinkReferenceNumber == k.LinkRefs[0] {
			reconcile(t, a, a.Summary.CurrentBalance)
		}
	}
}
