package finpro_test

// End-to-end tests against the embedded FinPro simulator over real HTTP.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/finprotest"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

var sandboxCreds = finprotest.Credentials

// sandboxTime is the frozen sandbox clock: responses are byte-identical across
// sandboxes and rate-limit windows never roll over during a test.
var sandboxTime = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// newSandbox starts a simulator with cfg over HTTP and returns a client for it
// (fake clock: retries do not sleep).
func newSandbox(t *testing.T, cfg sandbox.Config, mod func(*finpro.Options)) (*finpro.Client, *sandbox.Sandbox, string) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return sandboxTime }
	}
	opts := finpro.Options{}
	if mod != nil {
		mod(&opts)
	}
	env := finprotest.New(t, cfg, opts)
	clk := newFakeClock()
	finpro.SetClock(env.Client, clk.Now, clk.Sleep)
	finpro.SetJitter(env.Client, func(int64) int64 { return 0 })
	return env.Client, env.Sandbox, env.URL
}

// demoConsents returns the demo customer's consents under DemoProductID, by status
// and fetch type ("ACTIVE/PERIODIC", "PAUSED", ...; the first of each).
func demoConsents(t *testing.T, c *finpro.Client) map[string]finpro.Consent {
	t.Helper()
	page, err := c.Consents(t.Context(), finpro.ConsentListRequest{MobileNumber: sandbox.DemoMobile, ProductID: sandbox.DemoProductID})
	if err != nil {
		t.Fatalf("Consents() error = %v", err)
	}
	out := map[string]finpro.Consent{}
	for _, k := range page.Consents {
		for _, key := range []string{string(k.Status), string(k.Status) + "/" + k.FetchType} {
			if _, ok := out[key]; !ok {
				out[key] = k
			}
		}
	}
	for _, want := range []string{"ACTIVE/PERIODIC", "ACTIVE/ONETIME", "PENDING", "REVOKED", "PAUSED", "REJECTED", "EXPIRED"} {
		if _, ok := out[want]; !ok {
			t.Fatalf("demo customer has no %s consent", want)
		}
	}
	return out
}

func TestSandboxEndpoints(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
	ctx := t.Context()
	ks := demoConsents(t, c)
	periodic := ks["ACTIVE/PERIODIC"]
	if periodic.ConsentID == "" || periodic.ConsentHandle == "" || len(periodic.Accounts) < 3 ||
		periodic.CreatedAt.IsZero() || periodic.ExpiresAt.IsZero() || periodic.AAID == "" || periodic.VUA == "" {
		t.Fatalf("ACTIVE PERIODIC consent = %+v, want IDs, dates and accounts", periodic)
	}
	if ks["PENDING"].ConsentID != "" || ks["REJECTED"].ConsentID != "" {
		t.Errorf("PENDING/REJECTED consent IDs = %q, %q, want empty", ks["PENDING"].ConsentID, ks["REJECTED"].ConsentID)
	}

	t.Run("Consents paged", func(t *testing.T) {
		page, err := c.Consents(ctx, finpro.ConsentListRequest{
			MobileNumber: sandbox.DemoMobile, ProductID: sandbox.DemoProductID,
			Status: []finpro.ConsentStatus{finpro.ConsentActive}, PageNumber: 1, PageSize: 1,
		})
		if err != nil {
			t.Fatalf("Consents() error = %v", err)
		}
		want := &finpro.PageDetails{TotalRecords: 2, CurrentPageNumber: 1, TotalPages: 2}
		if diff := cmp.Diff(want, page.Page); diff != "" || len(page.Consents) != 1 {
			t.Errorf("Consents() = %d rows, page (-want +got):\n%s", len(page.Consents), diff)
		}
	})

	var balances []finpro.Balance
	t.Run("Balances", func(t *testing.T) {
		var err error
		balances, err = c.Balances(ctx, periodic.ConsentID)
		if err != nil {
			t.Fatalf("Balances() error = %v", err)
		}
		if len(balances) != len(periodic.Accounts) {
			t.Fatalf("Balances() = %d accounts, want %d", len(balances), len(periodic.Accounts))
		}
		for _, b := range balances {
			if b.Balance == "" || b.Currency != "INR" || b.AsOf.IsZero() || b.LinkReferenceNumber == "" {
				t.Errorf("Balances() row = %+v, want balance, currency, asOf and link reference", b)
			}
		}
		one, err := c.Balance(ctx, periodic.ConsentID, balances[1].LinkReferenceNumber)
		if err != nil {
			t.Fatalf("Balance() error = %v", err)
		}
		if diff := cmp.Diff(&balances[1], one); diff != "" {
			t.Errorf("Balance() (-Balances row +got):\n%s", diff)
		}
	})

	t.Run("FIData", func(t *testing.T) {
		lr := periodic.Accounts[0].LinkReferenceNumber
		all, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: periodic.ConsentID, LinkReferenceNumber: lr})
		if err != nil {
			t.Fatalf("FIData(all) error = %v", err)
		}
		page, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: periodic.ConsentID, LinkReferenceNumber: lr, Limit: 10, Offset: 5})
		if err != nil {
			t.Fatalf("FIData(page) error = %v", err)
		}
		if page.TotalRecords != len(all.Transactions) || all.TotalRecords != len(all.Transactions) {
			t.Errorf("TotalRecords = %d (page), %d (all), want %d", page.TotalRecords, all.TotalRecords, len(all.Transactions))
		}
		if diff := cmp.Diff(all.Transactions[5:15], page.Transactions); diff != "" {
			t.Errorf("FIData(limit 10, offset 5) (-all[5:15] +got):\n%s", diff)
		}
	})

	t.Run("AllFIData", func(t *testing.T) {
		accts, err := c.AllFIData(ctx, periodic.ConsentID)
		if err != nil {
			t.Fatalf("AllFIData() error = %v", err)
		}
		types := map[finpro.FIType]bool{}
		joint := false
		for _, a := range accts {
			types[a.FIType] = true
			if a.Profile == nil || len(a.Profile.Holders) == 0 || a.Summary == nil || len(a.Summary.Raw) == 0 || len(a.Transactions) == 0 {
				t.Errorf("account %s: want profile with holders, summary and transactions", a.LinkReferenceNumber)
				continue
			}
			joint = joint || (a.Profile.HoldersType == "JOINT" && len(a.Profile.Holders) > 1)
		}
		for _, ft := range []finpro.FIType{finpro.FITypeDeposit, finpro.FITypeTermDeposit, finpro.FITypeRecurringDeposit} {
			if !types[ft] {
				t.Errorf("AllFIData() has no %s account", ft)
			}
		}
		if !joint {
			t.Errorf("AllFIData() has no JOINT account with several holders")
		}
	})

	t.Run("LatestFIData", func(t *testing.T) {
		first, err := c.LatestFIData(ctx, periodic.ConsentID)
		if err != nil || len(first) == 0 {
			t.Fatalf("LatestFIData(first) = %d accounts, %v; want data", len(first), err)
		}
		if _, err := c.LatestFIData(ctx, periodic.ConsentID); !errors.Is(err, finpro.ErrNoNewData) {
			t.Fatalf("LatestFIData(second) error = %v, want %v", err, finpro.ErrNoNewData)
		}
		lr := first[0].LinkReferenceNumber
		if err := sb.AppendTransactions(lr, sandbox.NewTransaction{Type: "CREDIT", Amount: "10.00", Mode: "UPI", Narration: "UPI/TEST"}); err != nil {
			t.Fatalf("AppendTransactions() error = %v", err)
		}
		inc, err := c.LatestFIData(ctx, periodic.ConsentID)
		if err != nil {
			t.Fatalf("LatestFIData(after append) error = %v", err)
		}
		if len(inc) != 1 || inc[0].LinkReferenceNumber != lr || len(inc[0].Transactions) != 1 || inc[0].Transactions[0].Amount != "10.00" {
			t.Errorf("LatestFIData(after append) = %d accounts, want the one appended transaction", len(inc))
		}
	})

	t.Run("consent lifecycle", func(t *testing.T) {
		h, err := c.RequestConsent(ctx, finpro.ConsentRequest{ProductID: sandbox.DemoProductID, VUA: "9000012345@onemoney", AccountID: "journey-1"})
		if err != nil {
			t.Fatalf("RequestConsent() error = %v", err)
		}
		if h.Handle == "" || h.Status != finpro.ConsentPending {
			t.Fatalf("RequestConsent() = %+v, want a PENDING handle", h)
		}
		st, err := c.FIRequestStatus(ctx, finpro.FIStatusRequest{ConsentHandle: h.Handle})
		if err != nil || st.EventStatus != "PENDING" {
			t.Fatalf("FIRequestStatus(pending) = %+v, %v; want PENDING", st, err)
		}
		if err := sb.Transition(ctx, h.Handle, sandbox.ActionApprove); err != nil {
			t.Fatalf("Transition(approve) error = %v", err)
		}
		page, err := c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: "9000012345", ProductID: sandbox.DemoProductID})
		if err != nil || len(page.Consents) != 1 || page.Consents[0].Status != finpro.ConsentActive || page.Consents[0].ConsentID == "" {
			t.Fatalf("Consents(after approve) = %+v, %v; want one ACTIVE consent with an ID", page, err)
		}
		id := page.Consents[0].ConsentID
		sess, err := c.RequestFI(ctx, finpro.FIRequest{ConsentID: id, From: sandboxTime.AddDate(-1, 0, 0), To: sandboxTime})
		if err != nil || sess.SessionID == "" || sess.ConsentID != id {
			t.Fatalf("RequestFI() = %+v, %v; want a session for %s", sess, err, id)
		}
		st, err = c.FIRequestStatus(ctx, finpro.FIStatusRequest{SessionID: sess.SessionID})
		if err != nil || st.EventStatus != "DATA_READY" || st.ConsentID != id || len(st.Accounts) == 0 || st.Accounts[0].FIStatus != "DELIVERED" {
			t.Fatalf("FIRequestStatus(session) = %+v, %v; want DATA_READY with delivered accounts", st, err)
		}
		if err := c.RevokeConsent(ctx, id); err != nil {
			t.Fatalf("RevokeConsent() error = %v", err)
		}
		if err := c.RevokeConsent(ctx, id); !errors.Is(err, finpro.ErrConsentInactive) {
			t.Errorf("RevokeConsent(again) error = %v, want %v", err, finpro.ErrConsentInactive)
		}
	})
}

func TestSandboxErrorCodes(t *testing.T) {
	const unknownGUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
	type env struct {
		c     *finpro.Client
		sb    *sandbox.Sandbox
		ks    map[string]finpro.Consent
		lr    string // a link reference of the ACTIVE PERIODIC consent
		other string // a link reference under no demo ACTIVE PERIODIC consent
	}
	balance := func(consent func(e *env) string, lr func(e *env) string) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error {
			if lr == nil {
				_, err := e.c.Balances(ctx, consent(e))
				return err
			}
			_, err := e.c.Balance(ctx, consent(e), lr(e))
			return err
		}
	}
	fidata := func(consent func(e *env) string, lr func(e *env) string) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error {
			_, err := e.c.FIData(ctx, finpro.FIDataRequest{ConsentID: consent(e), LinkReferenceNumber: lr(e), Limit: 10})
			return err
		}
	}
	latest := func(consent func(e *env) string) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error {
			_, err := e.c.LatestFIData(ctx, consent(e))
			return err
		}
	}
	list := func(req finpro.ConsentListRequest) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error {
			_, err := e.c.Consents(ctx, req)
			return err
		}
	}
	allData := func(consent func(e *env) string) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error {
			_, err := e.c.AllFIData(ctx, consent(e))
			return err
		}
	}
	revoke := func(consent func(e *env) string) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error { return e.c.RevokeConsent(ctx, consent(e)) }
	}
	fiRequest := func(consent func(e *env) string) func(context.Context, *env) error {
		return func(ctx context.Context, e *env) error {
			_, err := e.c.RequestFI(ctx, finpro.FIRequest{ConsentID: consent(e)})
			return err
		}
	}
	byStatus := func(status string) func(e *env) string {
		return func(e *env) string { return e.ks[status].ConsentID }
	}
	active := byStatus("ACTIVE/PERIODIC")
	paused := byStatus("PAUSED")
	unknown := func(*env) string { return unknownGUID }
	notGUID := func(*env) string { return "abc123" }
	lrOf := func(e *env) string { return e.lr }
	lrOther := func(e *env) string { return e.other }
	demoList := finpro.ConsentListRequest{MobileNumber: sandbox.DemoMobile, ProductID: sandbox.DemoProductID}

	tests := []struct {
		name       string
		fault      [2]string // path, errorCode: injected for one call
		faultCalls int       // calls the fault lasts, when not 1
		badCreds   bool
		rateLimit  bool
		call       func(context.Context, *env) error
		wantCode   string
		wantStatus int
		want       error
	}{
		// Seed 000: getfibalance.
		{name: "getfibalance InvalidRequest", call: balance(notGUID, nil), wantCode: "InvalidRequest", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getfibalance InvalidConsentId", call: balance(unknown, nil), wantCode: "InvalidConsentId", wantStatus: 400, want: finpro.ErrNotFound},
		{name: "getfibalance InvalidLinkReference", call: balance(active, unknown), wantCode: "InvalidLinkReference", wantStatus: 400, want: finpro.ErrNotFound},
		{name: "getfibalance ConsentNotActive", call: balance(paused, nil), wantCode: "ConsentNotActive", wantStatus: 400, want: finpro.ErrConsentInactive},
		{name: "getfibalance DataNotAvailable", fault: [2]string{"/getfibalance", "DataNotAvailable"}, call: balance(active, nil), wantCode: "DataNotAvailable", wantStatus: 400, want: finpro.ErrNotReady},
		{name: "getfibalance Unauthorized", badCreds: true, call: balance(active, nil), wantCode: "Unauthorized", wantStatus: 401, want: finpro.ErrUnauthorized},
		{name: "getfibalance RateLimitExceeded", rateLimit: true, call: balance(active, nil), wantCode: "RateLimitExceeded", wantStatus: 429, want: finpro.ErrRateLimited},
		// Seed 001: getalllatestfidata.
		{name: "getalllatestfidata InvalidRequest", call: latest(notGUID), wantCode: "InvalidRequest", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getalllatestfidata InvalidConsentId", call: latest(unknown), wantCode: "InvalidConsentId", wantStatus: 400, want: finpro.ErrNotFound},
		{name: "getalllatestfidata ConsentNotActive", call: latest(paused), wantCode: "ConsentNotActive", wantStatus: 400, want: finpro.ErrConsentInactive},
		{name: "getalllatestfidata NoIncrementalData", fault: [2]string{"/getalllatestfidata", "NoIncrementalData"}, call: latest(active), wantCode: "NoIncrementalData", wantStatus: 400, want: finpro.ErrNoNewData},
		{name: "getalllatestfidata Unauthorized", badCreds: true, call: latest(active), wantCode: "Unauthorized", wantStatus: 401, want: finpro.ErrUnauthorized},
		{name: "getalllatestfidata RateLimitExceeded", rateLimit: true, call: latest(active), wantCode: "RateLimitExceeded", wantStatus: 429, want: finpro.ErrRateLimited},
		// Seed 002: getfidata.
		{name: "getfidata InvalidRequest", call: fidata(notGUID, lrOf), wantCode: "InvalidRequest", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getfidata InvalidConsentId", call: fidata(unknown, lrOf), wantCode: "InvalidConsentId", wantStatus: 400, want: finpro.ErrNotFound},
		{name: "getfidata InvalidLinkReference", call: fidata(active, lrOther), wantCode: "InvalidLinkReference", wantStatus: 400, want: finpro.ErrNotFound},
		{name: "getfidata ConsentNotActive", call: fidata(paused, func(e *env) string { return e.ks["PAUSED"].Accounts[0].LinkReferenceNumber }), wantCode: "ConsentNotActive", wantStatus: 400, want: finpro.ErrConsentInactive},
		{name: "getfidata DataNotAvailable", fault: [2]string{"/getfidata", "DataNotAvailable"}, call: fidata(active, lrOf), wantCode: "DataNotAvailable", wantStatus: 400, want: finpro.ErrNotReady},
		{name: "getfidata Unauthorized", badCreds: true, call: fidata(active, lrOf), wantCode: "Unauthorized", wantStatus: 401, want: finpro.ErrUnauthorized},
		{name: "getfidata RateLimitExceeded", rateLimit: true, call: fidata(active, lrOf), wantCode: "RateLimitExceeded", wantStatus: 429, want: finpro.ErrRateLimited},
		// Seed 003: /v1/accounts/getconsentslist. The client refuses a bad mobile,
		// status or empty productID itself, so those codes are injected.
		{name: "getconsentslist InvalidRequest", fault: [2]string{"/v1/accounts/getconsentslist", "InvalidRequest"}, call: list(demoList), wantCode: "InvalidRequest", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getconsentslist InvalidMobileNumber", fault: [2]string{"/v1/accounts/getconsentslist", "InvalidMobileNumber"}, call: list(demoList), wantCode: "InvalidMobileNumber", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getconsentslist InvalidStatus", fault: [2]string{"/v1/accounts/getconsentslist", "InvalidStatus"}, call: list(demoList), wantCode: "InvalidStatus", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getconsentslist InvalidPageNumber", call: list(finpro.ConsentListRequest{MobileNumber: sandbox.DemoMobile, ProductID: sandbox.DemoProductID, PageNumber: 99, PageSize: 10}), wantCode: "InvalidPageNumber", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getconsentslist InvalidPageSize", call: list(finpro.ConsentListRequest{MobileNumber: sandbox.DemoMobile, ProductID: sandbox.DemoProductID, PageSize: 500}), wantCode: "InvalidPageSize", wantStatus: 400, want: finpro.ErrInvalidRequest},
		{name: "getconsentslist AuthenticationFailed", badCreds: true, call: list(demoList), wantCode: "AuthenticationFailed", wantStatus: 401, want: finpro.ErrUnauthorized},
		// getallfidata and the consent flow.
		{name: "getallfidata NoDataAvailable", fault: [2]string{"/getallfidata", "NoDataAvailable"}, call: allData(active), wantCode: "NoDataAvailable", wantStatus: 400, want: finpro.ErrNotReady},
		{name: "getallfidata DataIsDeleted", call: allData(byStatus("EXPIRED")), wantCode: "DataIsDeleted", wantStatus: 400, want: finpro.ErrDataDeleted},
		{name: "getallfidata InternalError", fault: [2]string{"/getallfidata", "InternalError"}, faultCalls: 3, call: allData(active), wantCode: "InternalError", wantStatus: 500, want: finpro.ErrUnavailable},
		{name: "getallfidata InvalidRequest revoked", call: allData(byStatus("REVOKED")), wantCode: "InvalidRequest", wantStatus: 400, want: finpro.ErrConsentInactive},
		{name: "revokeconsent InvalidStatus", call: revoke(byStatus("EXPIRED")), wantCode: "InvalidStatus", wantStatus: 400, want: finpro.ErrConsentInactive},
		{name: "fi/request ConsentNotActive", call: fiRequest(paused), wantCode: "ConsentNotActive", wantStatus: 400, want: finpro.ErrConsentInactive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sandbox.Config{}
			if tc.rateLimit {
				cfg.RateLimit = 1 // the frozen clock never opens a new window
			}
			c, sb, url := newSandbox(t, cfg, nil)
			e := &env{c: c, sb: sb, ks: demoConsents(t, c)}
			e.lr = e.ks["ACTIVE/PERIODIC"].Accounts[0].LinkReferenceNumber
			e.other = otherLinkRef(t, sb, e.ks["ACTIVE/PERIODIC"])
			if tc.badCreds {
				bad := sandboxCreds
				bad.ClientSecret = testSecret
				e.c, _ = newClient(t, url, func(o *finpro.Options) { o.Credentials = bad })
			}
			if tc.fault[0] != "" {
				if err := sb.InjectFault(tc.fault[0], tc.fault[1], max(tc.faultCalls, 1)); err != nil {
					t.Fatalf("InjectFault() error = %v", err)
				}
			}
			err := tc.call(t.Context(), e)
			var ae *finpro.APIError
			if !errors.Is(err, tc.want) || !errors.As(err, &ae) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			if ae.Code != tc.wantCode || ae.Status != tc.wantStatus {
				t.Errorf("error code, status = %q, %d; want %q, %d", ae.Code, ae.Status, tc.wantCode, tc.wantStatus)
			}
			if tc.rateLimit && ae.RetryAfter <= 0 {
				t.Errorf("RetryAfter = %v, want > 0 from Retry-After", ae.RetryAfter)
			}
			checkSafe(t, err)
		})
	}
}

// otherLinkRef is a link reference that exists in the sandbox but not under k.
func otherLinkRef(t *testing.T, sb *sandbox.Sandbox, k finpro.Consent) string {
	t.Helper()
	under := map[string]bool{}
	for _, a := range k.Accounts {
		under[a.LinkReferenceNumber] = true
	}
	for _, cu := range sb.Customers() {
		for _, a := range cu.Accounts {
			if !under[a.LinkReferenceNumber] {
				return a.LinkReferenceNumber
			}
		}
	}
	t.Fatal("sandbox has no account outside the consent")
	return ""
}

func TestSandboxRetries(t *testing.T) {
	t.Run("HTML 503 retried for a read", func(t *testing.T) {
		c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
		k := demoConsents(t, c)["ACTIVE/PERIODIC"]
		sb.ResetStats()
		if err := sb.InjectFault("/getfibalance", "html503", 1); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Balances(t.Context(), k.ConsentID); err != nil {
			t.Fatalf("Balances() error = %v, want success after one retry", err)
		}
		if n := sb.Stats()["/getfibalance"]; n != 2 {
			t.Errorf("getfibalance calls = %d, want 2", n)
		}
	})
	t.Run("HTML 503 not retried for a write", func(t *testing.T) {
		c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
		k := demoConsents(t, c)["ACTIVE/PERIODIC"]
		sb.ResetStats()
		if err := sb.InjectFault("/revokeconsent", "html503", 1); err != nil {
			t.Fatal(err)
		}
		err := c.RevokeConsent(t.Context(), k.ConsentID)
		if !errors.Is(err, finpro.ErrUnavailable) {
			t.Fatalf("RevokeConsent() error = %v, want %v", err, finpro.ErrUnavailable)
		}
		checkSafe(t, err)
		if n := sb.Stats()["/revokeconsent"]; n != 1 {
			t.Errorf("revokeconsent calls = %d, want 1", n)
		}
	})
	t.Run("rate limit retried up to MaxRetries", func(t *testing.T) {
		c, sb, _ := newSandbox(t, sandbox.Config{RateLimit: 1}, func(o *finpro.Options) { o.RetryWindow = time.Minute })
		demoConsents(t, c) // uses the window's one request
		sb.ResetStats()
		_, err := c.Balances(t.Context(), "0f8fad5b-d9cb-469f-a165-70867728950e")
		if !errors.Is(err, finpro.ErrRateLimited) {
			t.Fatalf("Balances() error = %v, want %v", err, finpro.ErrRateLimited)
		}
		if n := sb.Stats()["/getfibalance"]; n != 3 {
			t.Errorf("getfibalance calls = %d, want 3 (1 + MaxRetries)", n)
		}
	})
	t.Run("rate limit retried within the retry window, then held", func(t *testing.T) {
		// The frozen sandbox answers Retry-After: 1 every time. The default
		// 1s window fits one wait of 1s, not two.
		c, sb, _ := newSandbox(t, sandbox.Config{RateLimit: 1}, nil)
		demoConsents(t, c)
		sb.ResetStats()
		_, err := c.Balances(t.Context(), "0f8fad5b-d9cb-469f-a165-70867728950e")
		var ae *finpro.APIError
		if !errors.As(err, &ae) || !errors.Is(err, finpro.ErrRateLimited) || ae.RetryAfter != time.Second {
			t.Fatalf("Balances() error = %v, want %v with RetryAfter 1s", err, finpro.ErrRateLimited)
		}
		if n := sb.Stats()["/getfibalance"]; n != 2 {
			t.Errorf("getfibalance calls = %d, want 2 (one retry fits the window)", n)
		}
		_, err = c.Balances(t.Context(), "0f8fad5b-d9cb-469f-a165-70867728950e")
		if !errors.As(err, &ae) || !errors.Is(err, finpro.ErrRateLimited) || ae.RetryAfter != time.Second || ae.Status != 0 {
			t.Fatalf("Balances() while held: error = %#v, want a local %v with RetryAfter 1s", err, finpro.ErrRateLimited)
		}
		if n := sb.Stats()["/getfibalance"]; n != 2 {
			t.Errorf("getfibalance calls while held = %d, want still 2", n)
		}
	})
}

// postRaw calls a FinPro path directly and returns the body, to check that a
// quirk is really on the wire.
func postRaw(t *testing.T, url, path, body string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{
		"client_id": {sandboxCreds.ClientID}, "client_secret": {sandboxCreds.ClientSecret},
		"organisationId": {sandboxCreds.OrganisationID}, "appIdentifier": {sandboxCreds.AppIdentifier},
		"Content-Type": {"application/json"},
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestSandboxQuirksDecodeAlike(t *testing.T) {
	plain, _, _ := newSandbox(t, sandbox.Config{}, nil)
	quirky, _, qurl := newSandbox(t, sandbox.Config{Quirks: sandbox.Quirks{HolderAsObject: true, TermDepositHyphen: true, LeakyProductFilter: true}}, nil)
	ctx := t.Context()
	ks := demoConsents(t, plain)
	if diff := cmp.Diff(ks, demoConsents(t, quirky)); diff != "" {
		t.Errorf("Consents() (-plain +quirky):\n%s", diff)
	}
	for _, key := range []string{"ACTIVE/PERIODIC", "ACTIVE/ONETIME"} {
		id := ks[key].ConsentID
		raw := postRaw(t, qurl, "/getallfidata", `{"consentID":"`+id+`"}`)
		if key == "ACTIVE/PERIODIC" && (!strings.Contains(raw, `"TERM-DEPOSIT"`) || !strings.Contains(raw, `"Holder":{`)) {
			t.Fatalf("quirky sandbox sends no TERM-DEPOSIT or Holder object; the test would prove nothing")
		}
		for _, call := range []struct {
			name string
			fn   func(c *finpro.Client) (any, error)
		}{
			{"AllFIData", func(c *finpro.Client) (any, error) { return c.AllFIData(ctx, id) }},
			{"Balances", func(c *finpro.Client) (any, error) { return c.Balances(ctx, id) }},
			{"FIData", func(c *finpro.Client) (any, error) {
				var out []*finpro.AccountData
				for _, a := range ks[key].Accounts {
					d, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: id, LinkReferenceNumber: a.LinkReferenceNumber, Limit: 50})
					if err != nil {
						return nil, err
					}
					out = append(out, d)
				}
				return out, nil
			}},
		} {
			want, err := call.fn(plain)
			if err != nil {
				t.Fatalf("%s(%s) plain error = %v", call.name, key, err)
			}
			got, err := call.fn(quirky)
			if err != nil {
				t.Fatalf("%s(%s) quirky error = %v", call.name, key, err)
			}
			// FIAccount.Raw holds FinPro's bytes, which the quirks change by design.
			if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".Raw" && p.Index(-2).Type() == reflect.TypeFor[finpro.FIAccount]()
			}, cmp.Ignore())); diff != "" {
				t.Errorf("%s(%s) (-plain +quirky):\n%s", call.name, key, diff)
			}
		}
	}
}

// creditTypes add to the running balance; every other type subtracts (the
// sandbox's ledger rule, internal/sandbox/doc.go).
var creditTypes = map[string]bool{"CREDIT": true, "OPENING": true, "INTEREST": true, "INSTALLMENT": true, "BUY": true}

func TestSandboxBalancesReconcile(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
	ctx := t.Context()
	ac := apd.BaseContext.WithPrecision(40)
	parse := func(what string, d finpro.Decimal) *apd.Decimal {
		t.Helper()
		v, _, err := apd.NewFromString(string(d))
		if err != nil {
			t.Fatalf("%s = %q, not a decimal: %v", what, d, err)
		}
		return v
	}
	accounts, transactions := 0, 0
	for _, cu := range sb.Customers() {
		for _, k := range cu.Consents {
			// The wealth consent's accounts follow their own ReBIT schemas, not
			// the deposit ledger; fi_wealth_test.go reconciles them.
			if k.Status != "ACTIVE" || k.ProductID == sandbox.WealthProductID {
				continue
			}
			balances, err := c.Balances(ctx, k.ConsentID)
			if err != nil {
				t.Fatalf("Balances(%s) error = %v", k.ConsentID, err)
			}
			for _, b := range balances {
				// Walk the account page by page, as the graph's cursors do.
				var txns []finpro.Transaction
				for offset := 0; ; offset += 100 {
					page, err := c.FIData(ctx, finpro.FIDataRequest{ConsentID: k.ConsentID, LinkReferenceNumber: b.LinkReferenceNumber, Limit: 100, Offset: offset})
					if err != nil {
						t.Fatalf("FIData(%s, offset %d) error = %v", b.LinkReferenceNumber, offset, err)
					}
					txns = append(txns, page.Transactions...)
					if offset+100 >= page.TotalRecords {
						break
					}
				}
				if len(txns) == 0 {
					t.Errorf("account %s has no transactions", b.LinkReferenceNumber)
					continue
				}
				accounts++
				running := new(apd.Decimal)
				for i, tx := range txns {
					amt := parse("amount", tx.Amount)
					next := new(apd.Decimal)
					if creditTypes[tx.Type] {
						_, err = ac.Add(next, running, amt)
					} else {
						_, err = ac.Sub(next, running, amt)
					}
					if err != nil {
						t.Fatal(err)
					}
					if cur := parse("currentBalance", tx.CurrentBalance); next.Cmp(cur) != 0 {
						t.Errorf("account %s txn %d (%s): previous %s %s %s = %s, currentBalance %s",
							b.LinkReferenceNumber, i, tx.TxnID, running, tx.Type, tx.Amount, next, tx.CurrentBalance)
						break
					}
					running = parse("currentBalance", tx.CurrentBalance)
					transactions++
				}
				if bal := parse("balance", b.Balance); running.Cmp(bal) != 0 {
					t.Errorf("account %s: last currentBalance %s, getfibalance balance %s", b.LinkReferenceNumber, running, b.Balance)
				}
			}
		}
	}
	t.Logf("walked %d accounts, %d transactions", accounts, transactions)
	if accounts < 8 || transactions < 500 {
		t.Errorf("walked %d accounts and %d transactions, want the whole seed (at least 8 and 500)", accounts, transactions)
	}
}
