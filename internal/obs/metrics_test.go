package obs_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/obs"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const dashboardQuery = `query Dashboard($mobile: String!, $product: ID!) {
  customer(mobileNumber: $mobile, productID: $product) {
    consents(status: [ACTIVE], first: 20) {
      totalCount
      edges { node {
        consentID status
        accounts {
          __typename linkReferenceNumber fiType
          balance { amount currency }
          transactions(first: 5) { totalCount edges { node { txnId amount } } }
        }
      } }
    }
  }
}`

func demoVars() map[string]any {
	return map[string]any{"mobile": sandbox.DemoMobile, "product": sandbox.DemoProductID}
}

// forbidden matches label values that would leak personal data or secrets.
var forbidden = []*regexp.Regexp{
	regexp.MustCompile(`[0-9]{10}`),             // a mobile number
	regexp.MustCompile(`[A-Z]{5}[0-9]{4}[A-Z]`), // a PAN
	regexp.MustCompile(`(?i)bearer`),
	regexp.MustCompile(`eyJ`), // a JWT
	regexp.MustCompile(regexp.QuoteMeta(sandbox.DefaultClientSecret)),
}

// TestGraphQLMetrics runs operations through the real graph handler and
// checks the series a scrape of /metrics shows, and that no label carries
// personal data or a secret.
func TestGraphQLMetrics(t *testing.T) {
	e := newEnv(t)
	ops := []struct {
		name      string
		body      map[string]any
		header    []string
		wantCodes []string
		// want is the operations_total series the operation adds to.
		want map[string]string
	}{
		{
			name: "named query",
			body: map[string]any{"query": dashboardQuery, "variables": demoVars()},
			want: map[string]string{"operation": "Dashboard", "type": "query", "outcome": "ok"},
		},
		{
			name:      "anonymous query with bad input",
			body:      map[string]any{"query": `{ customer(mobileNumber: "12345", productID: "PFM_DASHBOARD") { mobileNumber } }`},
			wantCodes: []string{"BAD_USER_INPUT"},
			want:      map[string]string{"operation": "anonymous", "type": "query", "outcome": "BAD_USER_INPUT"},
		},
		{
			name:      "unauthenticated",
			body:      map[string]any{"query": dashboardQuery, "variables": demoVars()},
			header:    []string{anonymousHeader, "1"},
			wantCodes: []string{"UNAUTHENTICATED"},
			want:      map[string]string{"operation": "Dashboard", "type": "query", "outcome": "UNAUTHENTICATED"},
		},
		{
			name:      "parse error",
			body:      map[string]any{"query": `query Broken {`},
			wantCodes: []string{"BAD_USER_INPUT"},
			want:      map[string]string{"operation": "anonymous", "type": "unknown", "outcome": "BAD_USER_INPUT"},
		},
		{
			name: "PAN as operation name",
			body: map[string]any{"query": `query ABCDE1234F($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { mobileNumber } }`, "variables": demoVars()},
			want: map[string]string{"operation": "other", "type": "query", "outcome": "ok"},
		},
		{
			name: "mobile in operation name",
			body: map[string]any{"query": `query Q` + sandbox.DemoMobile + `($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { mobileNumber } }`, "variables": demoVars()},
			want: map[string]string{"operation": "other", "type": "query", "outcome": "ok"},
		},
		{
			name: "token in operation name",
			body: map[string]any{"query": `query eyJhbGciOiJIUzI1NiJ9 { __typename }`},
			want: map[string]string{"operation": "other", "type": "query", "outcome": "ok"},
		},
	}
	for _, op := range ops {
		r := e.post(t, op.body, op.header...)
		if got := r.codes(); strings.Join(got, ",") != strings.Join(op.wantCodes, ",") {
			t.Errorf("%s: codes = %q, want %q", op.name, got, op.wantCodes)
		}
	}
	// The webhook's outcomes.
	for _, code := range []int{200, 202, 400, 401, 413, 503} {
		res, err := http.Post(e.url+"/webhook?status="+strconv.Itoa(code), "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}

	raw, ss := e.scrape(t)
	for _, op := range ops {
		got, ok := find(ss, "bff_graphql_operations_total", op.want)
		if !ok {
			t.Errorf("%s: no bff_graphql_operations_total%v", op.name, op.want)
			continue
		}
		if n, _ := strconv.Atoi(got); n < 1 {
			t.Errorf("%s: bff_graphql_operations_total%v = %s, want >= 1", op.name, op.want, got)
		}
	}
	wantSeries := []struct {
		name   string
		labels map[string]string
		value  string // "" for any value
	}{
		{"bff_graphql_operations_total", map[string]string{"operation": "Dashboard", "outcome": "ok"}, "1"},
		{"bff_graphql_operations_total", map[string]string{"operation": "other", "outcome": "ok"}, "3"},
		{"bff_graphql_operation_duration_seconds_count", map[string]string{"operation": "Dashboard", "type": "query"}, "2"},
		{"bff_graphql_subscriptions_open", nil, "0"},
		{"bff_finpro_calls_total", map[string]string{"endpoint": "/v1/accounts/getconsentslist", "class": "ok"}, ""},
		{"bff_finpro_calls_total", map[string]string{"endpoint": "/getfibalance", "class": "ok"}, ""},
		{"bff_finpro_calls_total", map[string]string{"endpoint": "/getfidata", "class": "ok"}, ""},
		{"bff_finpro_call_duration_seconds_count", map[string]string{"endpoint": "/getfibalance"}, ""},
		{"bff_webhook_requests_total", map[string]string{"outcome": "stored"}, "1"},
		{"bff_webhook_requests_total", map[string]string{"outcome": "ignored"}, "1"},
		{"bff_webhook_requests_total", map[string]string{"outcome": "bad_request"}, "1"},
		{"bff_webhook_requests_total", map[string]string{"outcome": "bad_signature"}, "1"},
		{"bff_webhook_requests_total", map[string]string{"outcome": "too_large"}, "1"},
		{"bff_webhook_requests_total", map[string]string{"outcome": "unavailable"}, "1"},
		// The parse error is a request error: 200 under application/json.
		{"bff_http_requests_total", map[string]string{"route": "/graphql", "method": "POST", "status": "200"}, strconv.Itoa(len(ops))},
		{"bff_http_requests_total", map[string]string{"route": "POST /webhook", "method": "POST", "status": "413"}, "1"},
		{"bff_http_request_duration_seconds_count", map[string]string{"route": "/graphql", "method": "POST"}, ""},
		{"go_goroutines", nil, ""},
		{"process_cpu_seconds_total", nil, ""},
	}
	for _, w := range wantSeries {
		got, ok := find(ss, w.name, w.labels)
		switch {
		case !ok:
			t.Errorf("scrape lacks %s%v", w.name, w.labels)
		case w.value != "" && got != w.value:
			t.Errorf("%s%v = %s, want %s", w.name, w.labels, got, w.value)
		}
	}
	for _, s := range ss {
		if s.name == "bff_finpro_calls_total" && s.labels["class"] == "ok" && s.labels["status"] != "200" && s.labels["status"] != "2xx" {
			t.Errorf("bff_finpro_calls_total%v: a success with status %q, want 200 or 2xx", s.labels, s.labels["status"])
		}
	}
	checkNoPII(t, raw, ss)
}

// checkNoPII fails if a label value (or the scrape's text, for the tokens and
// the secret) carries personal data or a secret. It never prints the value.
func checkNoPII(t *testing.T, raw string, ss []series) {
	t.Helper()
	for _, s := range ss {
		for k, v := range s.labels {
			for _, re := range forbidden {
				if re.MatchString(v) {
					t.Errorf("%s: label %s matches %s", s.name, k, re)
				}
			}
		}
	}
	for _, re := range forbidden[1:] {
		if re.MatchString(raw) {
			t.Errorf("scrape text matches %s", re)
		}
	}
}

// TestSubscriptionMetrics checks the open-subscription gauge and the
// subscription's operation series over the websocket transport.
func TestSubscriptionMetrics(t *testing.T) {
	e := newEnv(t)
	ws := e.dialWS(t)
	ws.Subscribe(t, "s1", `subscription Live($mobile: String!) { consentStatusChanged(productID: "PFM_DASHBOARD", mobileNumber: $mobile) { consentHandle status } }`,
		map[string]any{"mobile": sandbox.DemoMobile})
	var feed chan events.Event
	select {
	case feed = <-e.events.subscribed:
	case <-time.After(safety):
		t.Fatal("the subscription never reached the feed")
	}
	_, ss := e.scrape(t)
	if got, _ := find(ss, "bff_graphql_subscriptions_open", nil); got != "1" {
		t.Errorf("bff_graphql_subscriptions_open = %q while subscribed, want 1", got)
	}
	feed <- events.Event{Type: events.TypeConsent, Status: "CONSENT_APPROVED", ConsentStatus: finpro.ConsentStatus("ACTIVE"), ConsentHandle: "h-1", ProductID: "PFM_DASHBOARD"}
	if m := ws.Read(t); m.Type != "next" || m.ID != "s1" {
		t.Fatalf("after an event got %q for %q, want next for s1", m.Type, m.ID)
	}
	ws.Stop(t, "s1")

	// The gauge drops when the operation ends, after the client's complete.
	deadline := time.Now().Add(safety)
	for {
		_, ss = e.scrape(t)
		got, _ := find(ss, "bff_graphql_subscriptions_open", nil)
		if got == "0" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("bff_graphql_subscriptions_open = %q after complete, want 0", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	want := []struct {
		name   string
		labels map[string]string
		value  string
	}{
		{"bff_graphql_operations_total", map[string]string{"operation": "Live", "type": "subscription", "outcome": "ok"}, "1"},
		{"bff_graphql_subscription_events_total", map[string]string{"operation": "Live"}, "1"},
		{"bff_graphql_operation_duration_seconds_count", map[string]string{"operation": "Live", "type": "subscription"}, "1"},
		{"bff_http_requests_total", map[string]string{"route": "/graphql", "method": "GET", "status": "101"}, ""},
	}
	raw, ss := e.scrape(t)
	for _, w := range want {
		got, ok := find(ss, w.name, w.labels)
		switch {
		case !ok && w.name == "bff_http_requests_total":
			// The websocket's request is counted when the connection closes.
		case !ok:
			t.Errorf("scrape lacks %s%v", w.name, w.labels)
		case w.value != "" && got != w.value:
			t.Errorf("%s%v = %s, want %s", w.name, w.labels, got, w.value)
		}
	}
	checkNoPII(t, raw, ss)
}

// TestLoaderObserver checks that loaders.Options.OnLoad feeds
// bff_loader_loads_total: of four concurrent loads of three customers'
// consent lists, three call FinPro and one shares a call.
func TestLoaderObserver(t *testing.T) {
	e := newEnv(t)
	l := loaders.NewWith(e.fe.Client, loaders.Options{OnLoad: e.m.LoaderObserver()})
	ctx := loaders.With(context.Background(), l)
	var wg sync.WaitGroup
	for _, product := range []string{sandbox.DemoProductID, "OTHER_PRODUCT", "THIRD_PRODUCT", sandbox.DemoProductID} {
		wg.Go(func() {
			loaders.Consents(ctx, loaders.ConsentsKey{MobileNumber: sandbox.DemoMobile, ProductID: product})
		})
	}
	wg.Wait()
	_, ss := e.scrape(t)
	for result, want := range map[string]string{"call": "3", "shared": "1"} {
		got, _ := find(ss, "bff_loader_loads_total", map[string]string{"loader": "consents", "result": result})
		if got != want {
			t.Errorf("bff_loader_loads_total{loader=consents,result=%s} = %q, want %q", result, got, want)
		}
	}
}

// TestMetricsPrivateRegistry checks that two Metrics do not share series.
func TestMetricsPrivateRegistry(t *testing.T) {
	a, b := obs.NewMetrics(), obs.NewMetrics()
	a.FinproObserver()(finpro.CallInfo{Endpoint: "/getfidata", Status: 200, Class: "ok", Attempt: 1, Duration: time.Millisecond})
	fams, err := b.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == "bff_finpro_calls_total" && len(f.GetMetric()) > 0 {
			t.Errorf("b.Registry() has a's bff_finpro_calls_total")
		}
	}
}
