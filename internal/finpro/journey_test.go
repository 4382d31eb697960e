package finpro_test

// The consent journey's endpoints against the sandbox over HTTP: the v3
// request, the AA redirect both ways, the AA and product lists, the complete
// fetch status, and their documented errors.

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fetchguard"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const returnURL = "https://app.example.com/aa/return"

// newMobile is a mobile the sandbox does not know: v3 creates its customer.
const newMobile = "9000000011"

func v3Request(mobile, product string) finpro.ConsentRequestV3 {
	return finpro.ConsentRequestV3{
		ConsentRequest: finpro.ConsentRequest{ProductID: product, VUA: mobile + "@onemoney", AccountID: "journey-1"},
		RedirectURL:    returnURL,
	}
}

// apiErr asserts err is an *APIError of kind with FinPro's code and status.
func apiErr(t *testing.T, what string, err error, kind error, code string, status int) {
	t.Helper()
	var ae *finpro.APIError
	if !errors.Is(err, kind) || !errors.As(err, &ae) || ae.Code != code || ae.Status != status {
		t.Errorf("%s: error = %#v, want %v with code %q, status %d", what, err, kind, code, status)
		return
	}
	checkSafe(t, err)
}

func TestSandboxRequestConsentV3(t *testing.T) {
	c, sb, url := newSandbox(t, sandbox.Config{RedirectHosts: []string{"app.example.com"}}, nil)
	ctx := t.Context()
	req := v3Request(newMobile, "LOAN_UNDERWRITING")
	req.PAN = "ABCDE1234F"
	got, err := c.RequestConsentV3(ctx, req)
	if err != nil {
		t.Fatalf("RequestConsentV3() error = %v", err)
	}
	if got.Status != finpro.ConsentPending || !strings.HasPrefix(got.RedirectURL, url+"/_sandbox/aa/consent?") {
		t.Errorf("RequestConsentV3() = %+v, want PENDING and the sandbox's AA page", got)
	}
	if k, err := sb.Consent(got.Handle); err != nil || k.Status != "PENDING" || k.ProductID != "LOAN_UNDERWRITING" {
		t.Errorf("sandbox consent %s = %+v, %v", got.Handle, k, err)
	}

	// FinPro refuses a redirect off the registered domain.
	bad := v3Request(newMobile, "LOAN_UNDERWRITING")
	bad.RedirectURL = "https://elsewhere.example.net/back"
	_, err = c.RequestConsentV3(ctx, bad)
	apiErr(t, "unregistered redirect", err, finpro.ErrInvalidRequest, "InvalidRequest", 400)

	// The client refuses what it can see is wrong, without a call.
	sb.ResetStats()
	for name, mod := range map[string]func(*finpro.ConsentRequestV3){
		"no redirect":       func(r *finpro.ConsentRequestV3) { r.RedirectURL = "" },
		"relative redirect": func(r *finpro.ConsentRequestV3) { r.RedirectURL = "/back" },
		"user info":         func(r *finpro.ConsentRequestV3) { r.RedirectURL = "https://u:p@app.example.com/" },
		"fragment":          func(r *finpro.ConsentRequestV3) { r.RedirectURL = returnURL + "#x" },
		"lower-case pan":    func(r *finpro.ConsentRequestV3) { r.PAN = "abcde1234f" },
		"short pan":         func(r *finpro.ConsentRequestV3) { r.PAN = "ABCDE123F" },
		"empty fip":         func(r *finpro.ConsentRequestV3) { r.FIPIDs = []string{" "} },
		"no product":        func(r *finpro.ConsentRequestV3) { r.ProductID = "" },
	} {
		r := v3Request(newMobile, "LOAN_UNDERWRITING")
		mod(&r)
		_, err := c.RequestConsentV3(ctx, r)
		apiErr(t, name, err, finpro.ErrInvalidRequest, "", 0)
		if err != nil && strings.Contains(err.Error(), "ABCDE") {
			t.Errorf("%s: error text holds the PAN", name)
		}
	}
	if n := len(sb.Stats()); n != 0 {
		t.Errorf("refused requests reached the sandbox: %v", sb.Stats())
	}

	// A write: never retried.
	if err := sb.InjectFault("/v3/requestconsent", "html503", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RequestConsentV3(ctx, v3Request(newMobile, "LOAN_UNDERWRITING")); !errors.Is(err, finpro.ErrUnavailable) || sb.Stats()["/v3/requestconsent"] != 1 {
		t.Errorf("RequestConsentV3() on a 503 = %v after %d calls, want %v after 1", err, sb.Stats()["/v3/requestconsent"], finpro.ErrUnavailable)
	}
}

func TestSandboxRedirectURL(t *testing.T) {
	c, sb, url := newSandbox(t, sandbox.Config{}, nil)
	ctx := t.Context()
	a1, err := c.RequestConsentV3(ctx, v3Request(newMobile, "LOAN_UNDERWRITING"))
	if err != nil {
		t.Fatal(err)
	}
	a2, err := c.RequestConsentV3(ctx, v3Request(newMobile, "PFM_DASHBOARD"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.RequestConsentV3(ctx, v3Request("9000000012", "LOAN_UNDERWRITING"))
	if err != nil {
		t.Fatal(err)
	}
	active := demoConsents(t, c)["ACTIVE/PERIODIC"].ConsentHandle

	for _, handles := range [][]string{{a1.Handle}, {a1.Handle, a2.Handle}} {
		u, err := journey.RedirectURL(ctx, c, journey.RedirectRequest{ConsentHandles: handles, RedirectURL: returnURL, VUA: newMobile + "@onemoney"})
		if err != nil || !strings.HasPrefix(u, url+"/_sandbox/aa/consent?") {
			t.Errorf("RedirectURL(%d handles) = %q, %v; want the AA page", len(handles), u, err)
		}
	}

	req := func(handles []string, vua string) journey.RedirectRequest {
		return journey.RedirectRequest{ConsentHandles: handles, RedirectURL: returnURL, VUA: vua}
	}
	tests := []struct {
		name   string
		req    journey.RedirectRequest
		fault  string // errorCode injected instead
		kind   error
		code   string
		status int
	}{
		{"not a UUID", req([]string{"abc123"}, ""), "", finpro.ErrInvalidRequest, "InvalidRequest", 400},
		{"all zeros", req([]string{"00000000-0000-0000-0000-000000000000"}, ""), "", finpro.ErrInvalidRequest, "InvalidRequest", 400},
		{"unknown handle", req([]string{"0f8fad5b-d9cb-469f-a165-70867728950e"}, ""), "", finpro.ErrNotFound, "invalid_consent_handle", 400},
		{"handles of different users", req([]string{a1.Handle, b.Handle}, ""), "", finpro.ErrNotFound, "FP0024", 400},
		{"another user's VUA", req([]string{a1.Handle}, "9000000012@onemoney"), "", finpro.ErrNotFound, "FP0024", 400},
		{"unknown AA", req([]string{a1.Handle}, newMobile+"@nowhere"), "", finpro.ErrInvalidRequest, "InvalidAA", 400},
		{"not pending", req([]string{active}, ""), "", finpro.ErrInvalidRequest, "InvalidRequest", 400},
		// FinPro's own FP0021, as the wire carries it (the client refuses an
		// empty handle list itself, below).
		{"missingConsentInfo", req([]string{a1.Handle}, ""), "missingConsentInfo", finpro.ErrInvalidRequest, "missingConsentInfo", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fault != "" {
				if err := sb.InjectFault("/webRedirection/getEncryptedUrl", tc.fault, 1); err != nil {
					t.Fatal(err)
				}
			}
			_, err := journey.RedirectURL(ctx, c, tc.req)
			apiErr(t, tc.name, err, tc.kind, tc.code, tc.status)
		})
	}

	sb.ResetStats()
	for name, r := range map[string]journey.RedirectRequest{
		"no handle (FP0021)": {RedirectURL: returnURL},
		"blank handle":       {ConsentHandles: []string{" "}, RedirectURL: returnURL},
		"no redirect":        {ConsentHandles: []string{a1.Handle}},
		"bad pan":            {ConsentHandles: []string{a1.Handle}, RedirectURL: returnURL, PAN: "1234"},
	} {
		_, err := journey.RedirectURL(ctx, c, r)
		apiErr(t, name, err, finpro.ErrInvalidRequest, "", 0)
	}
	if n := len(sb.Stats()); n != 0 {
		t.Errorf("refused requests reached the sandbox: %v", sb.Stats())
	}
	if err := sb.InjectFault("/webRedirection/getEncryptedUrl", "html503", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := journey.RedirectURL(ctx, c, req([]string{a1.Handle}, "")); !errors.Is(err, finpro.ErrUnavailable) || sb.Stats()["/webRedirection/getEncryptedUrl"] != 1 {
		t.Errorf("RedirectURL() on a 503 = %v after %d calls, want %v after 1 (not retried)", err, sb.Stats()["/webRedirection/getEncryptedUrl"], finpro.ErrUnavailable)
	}
}

func TestSandboxDecryptRedirect(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
	ctx := t.Context()
	for _, approve := range []bool{true, false} {
		r, err := c.RequestConsentV3(ctx, v3Request(newMobile, "LOAN_UNDERWRITING"))
		if err != nil {
			t.Fatal(err)
		}
		back, err := sb.AnswerAA(r.RedirectURL, approve, nil)
		if err != nil {
			t.Fatalf("AnswerAA() error = %v", err)
		}
		u, _ := url.Parse(back)
		ret, err := journey.ParseRedirectReturn(u.Query())
		if err != nil {
			t.Fatalf("ParseRedirectReturn(%q) error = %v", back, err)
		}
		o, err := journey.DecryptRedirect(ctx, c, ret)
		if err != nil {
			t.Fatalf("DecryptRedirect() error = %v", err)
		}
		if o.Approved() != approve || o.Rejected() == approve || !slices.Equal(o.ConsentHandles, []string{r.Handle}) ||
			o.VUA != newMobile+"@onemoney" || o.RedirectURL != returnURL || o.TxnID == "" || o.SessionID == "" {
			t.Errorf("approve %v: DecryptRedirect() = %+v", approve, o)
		}
		k, _ := sb.Consent(r.Handle)
		if want := map[bool]string{true: "ACTIVE", false: "REJECTED"}[approve]; k.Status != want {
			t.Errorf("approve %v: consent is %s, want %s", approve, k.Status, want)
		}
		// Tampered: FinPro's InvalidRequest.
		bad := ret
		bad.ECRes = ret.ECRes[:len(ret.ECRes)-4] + "AAAA"
		_, err = journey.DecryptRedirect(ctx, c, bad)
		apiErr(t, "tampered ecres", err, finpro.ErrInvalidRequest, "InvalidRequest", 400)
	}
	// A read: retried.
	r, _ := c.RequestConsentV3(ctx, v3Request(newMobile, "LOAN_UNDERWRITING"))
	back, _ := sb.AnswerAA(r.RedirectURL, true, nil)
	u, _ := url.Parse(back)
	ret, _ := journey.ParseRedirectReturn(u.Query())
	sb.ResetStats()
	if err := sb.InjectFault("/webRedirection/decryptUrl", "InternalError", 1); err != nil {
		t.Fatal(err)
	}
	if o, err := journey.DecryptRedirect(ctx, c, ret); err != nil || !o.Approved() || sb.Stats()["/webRedirection/decryptUrl"] != 2 {
		t.Errorf("DecryptRedirect() after a 500 = %+v, %v after %d calls, want success after 2", o, err, sb.Stats()["/webRedirection/decryptUrl"])
	}

	for name, q := range map[string]url.Values{
		"missing ecres":  {"resdate": {"1"}, "fi": {"x"}},
		"repeated fi":    {"ecres": {"a"}, "resdate": {"1"}, "fi": {"x", "y"}},
		"empty resdate":  {"ecres": {"a"}, "resdate": {""}, "fi": {"x"}},
		"too long ecres": {"ecres": {strings.Repeat("a", 9000)}, "resdate": {"1"}, "fi": {"x"}},
	} {
		if _, err := journey.ParseRedirectReturn(q); !errors.Is(err, finpro.ErrInvalidRequest) {
			t.Errorf("ParseRedirectReturn(%s) error = %v, want %v", name, err, finpro.ErrInvalidRequest)
		}
	}
}

func TestSandboxCatalogue(t *testing.T) {
	c, sb, url := newSandbox(t, sandbox.Config{}, nil)
	ctx := t.Context()
	aas, err := journey.AccountAggregators(ctx, c)
	if err != nil || len(aas) != 3 {
		t.Fatalf("AccountAggregators() = %+v, %v", aas, err)
	}
	if a := aas[0]; a.ID != "onemoney-aa" || !a.Active || a.BaseURL != url+"/_sandbox/aa" || a.Name == "" {
		t.Errorf("first AA = %+v", a)
	}
	if a := aas[2]; a.ID != "anumati-aa" || a.Active || a.Status != "Inactive" {
		t.Errorf("third AA = %+v, want the inactive one", a)
	}

	all, err := journey.Products(ctx, c, "")
	if err != nil || len(all) < 3 {
		t.Fatalf("Products() = %+v, %v", all, err)
	}
	pfm, err := journey.Products(ctx, c, sandbox.DemoProductID)
	if err != nil || len(pfm) != 1 {
		t.Fatalf("Products(%s) = %+v, %v", sandbox.DemoProductID, pfm, err)
	}
	p := pfm[0]
	if p.ID != sandbox.DemoProductID || p.Name == "" || p.Purpose != (journey.Purpose{Code: "102", Text: "Customer spending patterns, budget or other reportings"}) ||
		!slices.Equal(p.FITypes, []finpro.FIType{"DEPOSIT", "MUTUAL_FUNDS", "RECURRING_DEPOSIT", "TERM_DEPOSIT"}) ||
		!slices.Equal(p.ConsentTypes, []string{"PROFILE", "SUMMARY", "TRANSACTIONS"}) || p.FetchType != "PERIODIC" ||
		p.Frequency != (journey.Frequency{Unit: "DAY", Value: 4}) || p.ConsentMode != "STORE" ||
		!p.DataFrom.Equal(sandboxTime.AddDate(-1, 0, 0)) || !p.DataTo.Equal(sandboxTime.AddDate(1, 0, 0)) ||
		p.ConsentValidity != (journey.Duration{Unit: "MONTH", Value: 12}) {
		t.Errorf("Products(%s) = %+v", sandbox.DemoProductID, p)
	}
	if got := p.Frequency.Interval(); got != 6*time.Hour {
		t.Errorf("4 per DAY Interval() = %v, want 6h", got)
	}
	if none, err := journey.Products(ctx, c, "NOPE"); err != nil || len(none) != 0 {
		t.Errorf("Products(NOPE) = %+v, %v; want none", none, err)
	}
	sb.ResetStats()
	if _, err := journey.Products(ctx, c, "a b"); !errors.Is(err, finpro.ErrInvalidRequest) || len(sb.Stats()) != 0 {
		t.Errorf("Products(\"a b\") error = %v, want %v before any call", err, finpro.ErrInvalidRequest)
	}
	if err := sb.InjectFault("/productslist", "html503", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := journey.Products(ctx, c, ""); err != nil || sb.Stats()["/productslist"] != 2 {
		t.Errorf("Products() after a 503 = %v after %d calls, want success after 2", err, sb.Stats()["/productslist"])
	}
}

func TestFrequencyInterval(t *testing.T) {
	for _, tc := range []struct {
		f    journey.Frequency
		want time.Duration
	}{
		{journey.Frequency{Unit: "HOUR", Value: 2}, 30 * time.Minute},
		{journey.Frequency{Unit: "day", Value: 1}, 24 * time.Hour},
		{journey.Frequency{Unit: "MONTH", Value: 30}, 24 * time.Hour},
		{journey.Frequency{Unit: "YEAR", Value: 365}, 24 * time.Hour},
		{journey.Frequency{Unit: "DAY", Value: 0}, 0},
		{journey.Frequency{Unit: "INF", Value: 1}, 0},
	} {
		if got := tc.f.Interval(); got != tc.want {
			t.Errorf("%+v.Interval() = %v, want %v", tc.f, got, tc.want)
		}
	}
}

func TestSandboxFIRequestStatus(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{FetchDelay: 1 << 62}, nil)
	ctx := t.Context()
	now := sandboxTime

	// A seeded consent: every field of §1c.
	k := demoConsents(t, c)["ACTIVE/PERIODIC"]
	st, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentID: k.ConsentID})
	if err != nil {
		t.Fatalf("FIRequestStatus() error = %v", err)
	}
	if st.ConsentID != k.ConsentID || st.ConsentHandle != k.ConsentHandle || st.SessionID == "" || st.EventType != "DATA" ||
		st.VUA != k.VUA || st.ProductID != sandbox.DemoProductID || st.AccountID != k.AccountID || st.FetchType != "PERIODIC" ||
		st.Timestamp.IsZero() || st.FetchedAt.IsZero() || !st.ConsentExpiry.Equal(k.ExpiresAt) || !st.DataExpiry.Equal(st.FetchedAt.AddDate(0, 0, 7)) ||
		len(st.Accounts) != len(k.Accounts) || st.EventMessage == "" {
		t.Errorf("FIRequestStatus(seeded) = %+v", st)
	}
	for _, a := range st.Accounts {
		if !a.Delivered() || a.FIPID == "" || a.FIPName == "" || a.MaskedAccountNumber == "" {
			t.Errorf("account status = %+v, want delivered with FIP and masked number", a)
		}
	}
	if s := st.State(st.FetchedAt); s != finpro.FetchReady {
		t.Errorf("State() = %s, want %s", s, finpro.FetchReady)
	}
	if s := st.State(st.DataExpiry); s != finpro.FetchExpired {
		t.Errorf("State() at the data expiry = %s, want %s", s, finpro.FetchExpired)
	}

	// A new consent through the journey, one FIP timing out.
	r, err := c.RequestConsentV3(ctx, v3Request(sandbox.DemoMobile, "LOAN_UNDERWRITING"))
	if err != nil {
		t.Fatal(err)
	}
	pending, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentHandle: r.Handle})
	if err != nil || pending.State(now) != finpro.FetchNotRequested {
		t.Errorf("status of a PENDING consent = %+v, %v; want %s", pending, err, finpro.FetchNotRequested)
	}
	if _, err := sb.AnswerAA(r.RedirectURL, true, nil); err != nil {
		t.Fatal(err)
	}
	ki, _ := sb.Consent(r.Handle)
	st, err = c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentHandle: r.Handle})
	if err != nil || st.State(now) != finpro.FetchPending || !st.FirstTimeFetch || st.FetchType != "ONETIME" {
		t.Errorf("status while fetching = %+v, %v; want %s, first fetch", st, err, finpro.FetchPending)
	}
	first := st.SessionID
	if err := sb.SetFetchOutcome(ki.LinkRefs[0], sandbox.OutcomeTimeout); err != nil {
		t.Fatal(err)
	}
	if err := sb.CompleteFetch(ctx, r.Handle); err != nil {
		t.Fatal(err)
	}
	st, err = c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentID: ki.ConsentID})
	if err != nil || st.State(now) != finpro.FetchReady {
		t.Fatalf("status after a partial fetch = %+v, %v; want %s", st, err, finpro.FetchReady)
	}
	for _, a := range st.Accounts {
		want := "DELIVERED"
		if a.LinkReferenceNumber == ki.LinkRefs[0] {
			want = "TIMEOUT"
		}
		if a.FIStatus != want {
			t.Errorf("account %s fiStatus = %q, want %q", a.LinkReferenceNumber, a.FIStatus, want)
		}
	}

	// Every FIP denies, then the next session expires: states follow.
	for _, step := range []struct {
		prepare func()
		end     func() error
		want    finpro.FetchState
	}{
		{func() {
			for _, lr := range ki.LinkRefs {
				sb.SetFetchOutcome(lr, sandbox.OutcomeDenied)
			}
		}, func() error { return sb.CompleteFetch(ctx, r.Handle) }, finpro.FetchDenied},
		{func() {
			for _, lr := range ki.LinkRefs {
				sb.SetFetchOutcome(lr, sandbox.OutcomeTimeout)
			}
		}, func() error { return sb.CompleteFetch(ctx, r.Handle) }, finpro.FetchTimedOut},
		{func() {}, func() error { return sb.ExpireFetch(ctx, r.Handle) }, finpro.FetchExpired},
	} {
		step.prepare()
		if _, err := c.RequestFI(ctx, finpro.FIRequest{ConsentID: ki.ConsentID}); err != nil {
			t.Fatal(err)
		}
		if err := step.end(); err != nil {
			t.Fatal(err)
		}
		st, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentHandle: r.Handle})
		if err != nil || st.State(now) != step.want || st.FirstTimeFetch {
			t.Errorf("status = %+v, %v; want %s, not the first fetch", st, err, step.want)
		}
	}
	// By session: the first session's state, not the latest.
	st, err = c.FIRequestStatus(ctx, finpro.FIStatusRequest{SessionID: first})
	if err != nil || st.SessionID != first || st.State(now) != finpro.FetchReady {
		t.Errorf("status of the first session = %+v, %v; want it, %s", st, err, finpro.FetchReady)
	}
	_, err = c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentHandle: "0f8fad5b-d9cb-469f-a165-70867728950e"})
	apiErr(t, "unknown handle", err, finpro.ErrNotFound, "InvalidConsentId", 400)
	_, err = c.FIRequestStatus(ctx, finpro.FIStatusRequest{SessionID: "not-a-guid"})
	apiErr(t, "bad session id", err, finpro.ErrInvalidRequest, "InvalidRequest", 400)
}

// TestFetchGuardWithPendingSession: repeats while the guarded session is still
// pending at FinPro get that session, whose status the app can follow.
func TestFetchGuardWithPendingSession(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{FetchDelay: 1 << 62}, nil)
	ctx := t.Context()
	k := demoConsents(t, c)["ACTIVE/ONETIME"]
	g := fetchguard.New(c, 0)
	sb.ResetStats()
	s1, err := g.RequestFI(ctx, finpro.FIRequest{ConsentID: k.ConsentID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		s, err := g.RequestFI(ctx, finpro.FIRequest{ConsentID: k.ConsentID}, 0)
		if err != nil || s.SessionID != s1.SessionID || !s.Reused {
			t.Fatalf("repeat = %+v, %v; want session %s reused", s, err, s1.SessionID)
		}
	}
	st, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{SessionID: s1.SessionID})
	if err != nil || st.State(sandboxTime) != finpro.FetchPending {
		t.Errorf("status of the guarded session = %+v, %v; want pending", st, err)
	}
	if n := sb.Stats()["/fi/request"]; n != 1 {
		t.Errorf("/fi/request calls = %d, want 1", n)
	}
}

func TestFetchState(t *testing.T) {
	now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	acct := func(ss ...string) []finpro.FIAccountStatus {
		var out []finpro.FIAccountStatus
		for _, s := range ss {
			out = append(out, finpro.FIAccountStatus{FIStatus: s})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		st   finpro.FIStatus
		want finpro.FetchState
	}{
		{"no session", finpro.FIStatus{EventStatus: "PENDING"}, finpro.FetchNotRequested},
		{"pending", finpro.FIStatus{SessionID: "s", EventStatus: "PENDING"}, finpro.FetchPending},
		{"ready", finpro.FIStatus{SessionID: "s", EventStatus: "DATA_READY"}, finpro.FetchReady},
		{"ready, data expired", finpro.FIStatus{SessionID: "s", EventStatus: "DATA_READY", DataExpiry: now}, finpro.FetchExpired},
		{"ready, data fresh", finpro.FIStatus{SessionID: "s", EventStatus: "DATA_READY", DataExpiry: now.Add(time.Hour)}, finpro.FetchReady},
		{"denied", finpro.FIStatus{SessionID: "s", EventStatus: "DATA_DENIED"}, finpro.FetchDenied},
		{"timeout", finpro.FIStatus{SessionID: "s", EventStatus: "TIMEOUT"}, finpro.FetchTimedOut},
		{"session failed", finpro.FIStatus{SessionID: "s", EventStatus: "SESSION_FAILED"}, finpro.FetchTimedOut},
		{"session expired", finpro.FIStatus{SessionID: "s", EventStatus: "SESSION_EXPIRED"}, finpro.FetchExpired},
		{"unknown", finpro.FIStatus{SessionID: "s", EventStatus: "HALF_DONE"}, finpro.FetchUnknown},
		{"no status, one delivered", finpro.FIStatus{SessionID: "s", Accounts: acct("TIMEOUT", "READY")}, finpro.FetchReady},
		{"no status, one pending", finpro.FIStatus{SessionID: "s", Accounts: acct("TIMEOUT", "PENDING")}, finpro.FetchPending},
		{"no status, all denied", finpro.FIStatus{SessionID: "s", Accounts: acct("DENIED", "DENIED")}, finpro.FetchDenied},
		{"no status, denied and timed out", finpro.FIStatus{SessionID: "s", Accounts: acct("DENIED", "TIMEOUT")}, finpro.FetchTimedOut},
		{"no status, nothing known", finpro.FIStatus{SessionID: "s", Accounts: acct("ODD")}, finpro.FetchUnknown},
	} {
		if got := tc.st.State(now); got != tc.want {
			t.Errorf("%s: State() = %s, want %s", tc.name, got, tc.want)
		}
	}
}
