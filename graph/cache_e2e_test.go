package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/fpcache"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// cacheDashboard is bench/queries/dashboard.graphql: a customer's active
// consents with every account's balance and latest transactions.
const cacheDashboard = `query Dashboard($m: String!, $p: ID!) {
  customer(mobileNumber: $m, productID: $p) {
    consents(status: [ACTIVE]) { edges { node { consentHandle
      accounts { linkReferenceNumber maskedAccountNumber
        balance { amount currency }
        transactions(last: 20) { edges { node { txnId amount currentBalance narration } } } } } } }
  }
}`

// cachedReplica is a BFF replica with the cache of FinPro reads: its broker
// feeds the cache, and its webhook route reports every webhook it
// acknowledged (answered 2xx, after the event was stored).
type cachedReplica struct {
	*bff
	cache *fpcache.Cache
	acks  chan string // the eventStatus of each acknowledged webhook
}

// newCachedReplica starts a replica on br, whose broker.Options.Cache is
// cache.
func newCachedReplica(t *testing.T, br *broker.Broker, cache *fpcache.Cache) *cachedReplica {
	t.Helper()
	cache.SetFeed(br)
	r := &cachedReplica{bff: newBFF(t, br), cache: cache, acks: make(chan string, 256)}
	hook := webhook.Handler(br, webhook.Options{Secret: []byte(webhookSecret)})
	r.mux.Handle("/webhooks/acked", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		hook.ServeHTTP(rec, req)
		var ev struct {
			EventStatus string `json:"eventStatus"`
		}
		if rec.status < 300 && json.Unmarshal(body, &ev) == nil {
			r.acks <- ev.EventStatus
		}
	}))
	return r
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// mount serves the graph handler, with the cache, over fp.
func (r *cachedReplica) mount(fp *finpro.Client) {
	h := graph.NewHandler(graph.Config{
		Options: resolvers.Options{FinPro: fp, Events: r.source, Replay: r.broker.ReplayStore()},
		Cache:   r.cache,
	})
	r.mux.Handle("/graphql", asPartner(h))
}

func (r *cachedReplica) api() string { return r.srv.URL + "/graphql" }

// waitAck waits until the replica acknowledged a webhook of status.
func (r *cachedReplica) waitAck(t *testing.T, status string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case s := <-r.acks:
			if s == status {
				return
			}
		case <-deadline:
			t.Fatalf("no %s webhook acknowledged", status)
		}
	}
}

// startCachedCluster starts two clustered brokers (startCluster), each
// feeding its own cache.
func startCachedCluster(t *testing.T) (brokers [2]*broker.Broker, caches [2]*fpcache.Cache) {
	t.Helper()
	for i := range caches {
		caches[i] = fpcache.New(fpcache.Options{BarrierWait: 10 * time.Second})
	}
	brokers[0], brokers[1] = startCluster(t, func(i int, o *broker.Options) {
		o.Cache = caches[i]
		if i == 1 {
			// B hears every event late: only the read barrier keeps it
			// from serving what an acknowledged webhook invalidated.
			o.Cache = lateApply{caches[i]}
		}
	})
	return brokers, caches
}

// lateApply hands each event to its cache a while after the feed got it.
type lateApply struct{ *fpcache.Cache }

func (l lateApply) Apply(ev events.Event) {
	time.Sleep(300 * time.Millisecond)
	l.Cache.Apply(ev)
}

// dashboardConsent returns the handle of the demo customer's ACTIVE
// PERIODIC consent and a DEPOSIT account it links.
func dashboardConsent(t *testing.T, sb *sandbox.Sandbox) (handle, linkRef string) {
	t.Helper()
	for _, c := range sb.Customers() {
		if c.Mobile != mobileA {
			continue
		}
		deposit := map[string]bool{}
		for _, a := range c.Accounts {
			deposit[a.LinkReferenceNumber] = a.FIType == "DEPOSIT"
		}
		// An account no other consent links: FinPro's data under another
		// consent changes with that consent's fetches only, the sandbox's at
		// once.
		linked := map[string]int{}
		for _, k := range c.Consents {
			for _, lr := range k.LinkRefs {
				linked[lr]++
			}
		}
		for _, k := range c.Consents {
			if k.Status != "ACTIVE" || k.FetchType != "PERIODIC" || k.ProductID != product {
				continue
			}
			for _, lr := range k.LinkRefs {
				if deposit[lr] && linked[lr] == 1 {
					return k.ConsentHandle, lr
				}
			}
		}
	}
	t.Fatal("the demo customer has no ACTIVE PERIODIC consent with a deposit")
	return "", ""
}

// finproCalls is the number of FinPro calls the sandbox served.
func finproCalls(sb *sandbox.Sandbox) int64 {
	var n int64
	for _, c := range sb.Stats() {
		n += c
	}
	return n
}

// TestCacheInvalidation runs two replicas with the cache on one NATS
// cluster; FinPro's webhooks reach replica A only. A repeated dashboard
// costs no FinPro call on either replica, and serves what it read even when
// FinPro's data changed without an event. Once A acknowledged the webhook
// of a DATA_READY, a revocation or a pause, the next dashboard on B and on
// A, at once, answers what a replica without a cache answers (FinPro now).
func TestCacheInvalidation(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the two-server NATS cluster in -short mode")
	}
	for _, tc := range []struct {
		name   string
		status string // of the webhook the change sends
		change func(t *testing.T, sb *sandbox.Sandbox, handle, linkRef string)
	}{
		{"DATA_READY", "DATA_READY", func(t *testing.T, sb *sandbox.Sandbox, handle, linkRef string) {
			if _, err := sb.StartFetch(t.Context(), handle, 0); err != nil {
				t.Fatal(err)
			}
		}},
		{"revoked", "CONSENT_REVOKED", func(t *testing.T, sb *sandbox.Sandbox, handle, _ string) {
			transition(t, sb, handle, sandbox.ActionRevoke)
		}},
		{"paused", "CONSENT_PAUSED", func(t *testing.T, sb *sandbox.Sandbox, handle, _ string) {
			transition(t, sb, handle, sandbox.ActionPause)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			brokers, caches := startCachedCluster(t)
			a := newCachedReplica(t, brokers[0], caches[0])
			b := newCachedReplica(t, brokers[1], caches[1])
			sb, fp := newSandbox(t, a.bff, func(c *sandbox.Config) { c.WebhookURL = a.srv.URL + "/webhooks/acked" })
			a.mount(fp)
			b.mount(fp)
			truth := httptest.NewServer(asPartner(graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp}})))
			t.Cleanup(truth.Close)
			vars := map[string]any{"m": mobileA, "p": product}
			dashboard := func(api string) string {
				t.Helper()
				r := postTo(t, api, cacheDashboard, vars)
				if len(r.Errors) > 0 {
					t.Fatalf("%s: errors %+v", api, r.Errors)
				}
				return string(r.Data)
			}
			handle, linkRef := dashboardConsent(t, sb)

			before := dashboard(truth.URL)
			for _, r := range []*cachedReplica{a, b} {
				if got := dashboard(r.api()); got != before {
					t.Fatalf("first dashboard on %s differs from FinPro's", r.srv.URL)
				}
				n, stats := finproCalls(sb), sb.Stats()
				if got := dashboard(r.api()); got != before {
					t.Fatalf("second dashboard on %s differs from the first", r.srv.URL)
				}
				if d := finproCalls(sb) - n; d != 0 {
					t.Errorf("the repeated dashboard cost %d FinPro calls, want 0 (%v before, %v after)", d, stats, sb.Stats())
				}
			}
			// FinPro's data changes without an event: the cache serves what
			// it read (the TTL bounds that), which shows the events below,
			// not luck, refresh it.
			if err := sb.AppendTransactions(linkRef, sandbox.NewTransaction{Type: "CREDIT", Amount: "1234.56", Narration: "CACHE TEST"}); err != nil {
				t.Fatal(err)
			}
			if dashboard(b.api()) != before {
				t.Fatal("a change without an event reached the cached dashboard: the cache did not serve it")
			}

			tc.change(t, sb, handle, linkRef)
			a.waitAck(t, tc.status)
			// At once, no sleep: B first (it hears the event asynchronously),
			// then A.
			gotB, gotA := dashboard(b.api()), dashboard(a.api())
			want := dashboard(truth.URL)
			if want == before {
				t.Fatal("FinPro's answer did not change: the test shows nothing")
			}
			if gotB != want {
				t.Errorf("replica B after the acknowledged %s serves stale data:\n got %s\nwant %s", tc.status, gotB, want)
			}
			if gotA != want {
				t.Errorf("replica A after the acknowledged %s serves stale data:\n got %s\nwant %s", tc.status, gotA, want)
			}
		})
	}
}

// TestCacheOff checks that without a cache every dashboard reads FinPro,
// as before the cache existed.
func TestCacheOff(t *testing.T) {
	br := startBroker(t, broker.Options{})
	a := newBFF(t, br)
	sb, fp := newSandbox(t, a)
	a.serve(fp, graph.WebsocketConfig{})
	vars := map[string]any{"m": mobileA, "p": product}
	var calls []int64
	for range 3 {
		n := finproCalls(sb)
		if r := postTo(t, a.srv.URL+"/graphql", cacheDashboard, vars); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		calls = append(calls, finproCalls(sb)-n)
	}
	// The first reads the counts the others guess from: the others cost
	// the same.
	if calls[1] == 0 || calls[2] != calls[1] {
		t.Errorf("FinPro calls of three dashboards without a cache = %v, want the last two the same, non-zero", calls)
	}
}

// TestCacheAfterMutation checks that a consent the BFF itself requested
// (FinPro sends no event for it) is in the customer's next consent list,
// though the list was cached.
func TestCacheAfterMutation(t *testing.T) {
	cache := fpcache.New(fpcache.Options{})
	r := newCachedReplica(t, startBroker(t, broker.Options{Cache: cache}), cache)
	sb, fp := newSandbox(t, r.bff, func(c *sandbox.Config) { c.WebhookURL = r.srv.URL + "/webhooks/acked" })
	r.mount(fp)
	const list = `query L($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) { consents { edges { node { consentHandle } } } } }`
	vars := map[string]any{"m": mobileA, "p": product}
	handles := func() string {
		t.Helper()
		res := postTo(t, r.api(), list, vars)
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		return string(res.Data)
	}
	first := handles()
	n := finproCalls(sb)
	if handles() != first || finproCalls(sb) != n {
		t.Fatal("the repeated list was not served from the cache")
	}
	h := requestConsent(t, r.api(), mobileA)
	if got := handles(); !strings.Contains(got, h) {
		t.Errorf("the list after requestConsent lacks the new consent %s", h)
	}
}
