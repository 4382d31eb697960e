package graph_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/graph/statement"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/insights"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// wire counts the FinPro calls a client makes and the response bytes it
// reads (and decodes).
type wire struct {
	base         http.RoundTripper
	calls, bytes atomic.Int64
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := w.base.RoundTrip(r)
	w.calls.Add(1)
	if err == nil {
		res.Body = &countedBody{res.Body, &w.bytes}
	}
	return res, err
}

func (w *wire) reset() { w.calls.Store(0); w.bytes.Store(0) }

type countedBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// scaleEnv is the BFF over a sandbox whose DEPOSIT accounts hold 10,000
// transactions each, with a counting client.
type scaleEnv struct {
	sb   *sandbox.Sandbox
	fp   *finpro.Client
	wire *wire
	api  string
	// consentID and link are the demo PERIODIC consent and its savings
	// account (10,000 transactions; the consent has three more accounts).
	consentID, link, accountID string
}

// newScaleEnv starts the sandbox with TxnsPerAccount: per and latency added
// to every FinPro call.
func newScaleEnv(b testing.TB, per int, latency time.Duration) *scaleEnv {
	b.Helper()
	sb, err := sandbox.New(sandbox.Config{TxnsPerAccount: per, Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sb.Close() })
	up := httptest.NewServer(sb.Handler())
	b.Cleanup(up.Close)
	w := &wire{base: http.DefaultTransport}
	fp, err := finpro.New(finpro.Options{BaseURL: up.URL, Credentials: sandboxCredentials(), MaxRetries: -1, HTTPClient: &http.Client{Transport: w}})
	if err != nil {
		b.Fatal(err)
	}
	h := graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp}})
	api := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(rw, r.WithContext(auth.WithPrincipal(r.Context(), *partner())))
	}))
	b.Cleanup(api.Close)
	e := &scaleEnv{sb: sb, fp: fp, wire: w, api: api.URL}
	for _, c := range sb.Customers() {
		if c.Mobile != sandbox.DemoMobile {
			continue
		}
		for _, k := range c.Consents {
			if k.Status == "ACTIVE" && k.ProductID == sandbox.DemoProductID && k.FetchType == "PERIODIC" {
				e.consentID = k.ConsentID
			}
		}
		for _, a := range c.Accounts {
			if a.FIPID == "HDFC-FIP" && a.FIType == "DEPOSIT" {
				e.link = a.LinkReferenceNumber
			}
		}
	}
	var got struct {
		Customer struct {
			Accounts []struct{ ID, LinkReferenceNumber string }
		}
	}
	mustData(b, postTo(b, e.api, `query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { accounts { id linkReferenceNumber } } }`, demoVars()), &got)
	for _, a := range got.Customer.Accounts {
		if a.LinkReferenceNumber == e.link {
			e.accountID = a.ID
		}
	}
	if e.consentID == "" || e.accountID == "" {
		b.Fatal("no demo PERIODIC consent or savings account")
	}
	return e
}

// report adds the FinPro calls and the bytes read per operation.
func (e *scaleEnv) report(b *testing.B, ops int) {
	b.ReportMetric(float64(e.wire.calls.Load())/float64(ops), "calls/op")
	b.ReportMetric(float64(e.wire.bytes.Load())/float64(ops), "bytes-read/op")
}

var june = statementFilter{From: "2026-06-01", To: "2026-06-30"}

// BenchmarkStatementMonth compares the two ways to serve a one-month window of
// a 10,000-transaction account (about 830 transactions):
//
//   - getfidata-search: the statement engine (graph/statement) over getfidata
//     limit/offset, locating the month by interpolation search and reading
//     the page's rows;
//   - getallfidata-range: one getallfidata with transactionsStartDate and
//     transactionsEndDate, which returns the month of every account of the
//     consent (it cannot name one), sliced here.
//
// first20 is a statement screen's first page, month the whole month in pages
// of 100. The client-level cases compare the FinPro side alone; graphql is
// the product path (the real handler, over HTTP). rtt adds that much
// latency to every sandbox call.
func BenchmarkStatementMonth(b *testing.B) {
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond} {
		e := newScaleEnv(b, 10_000, rtt)
		name := "rtt=" + rtt.String()
		f, err := statement.NewFilter(&model.TransactionFilter{From: ptrTo(model.Date(june.From)), To: ptrTo(model.Date(june.To))})
		if err != nil {
			b.Fatal(err)
		}
		for _, size := range []struct {
			name  string
			first int
			all   bool
		}{{"first20", 20, false}, {"month", 100, true}} {
			b.Run(name+"/client/getfidata-search/"+size.name, func(b *testing.B) {
				e.wire.reset()
				ops := 0
				for b.Loop() {
					ops++
					e.searchPages(b, f, size.first, size.all)
				}
				e.report(b, ops)
			})
			b.Run(name+"/client/getallfidata-range/"+size.name, func(b *testing.B) {
				e.wire.reset()
				ops := 0
				for b.Loop() {
					ops++
					e.rangePages(b, size.first, size.all)
				}
				e.report(b, ops)
			})
		}
		b.Run(name+"/graphql/getfidata-search/first20", func(b *testing.B) {
			e.wire.reset()
			ops := 0
			vars := demoVars()
			vars["id"], vars["filter"], vars["first"] = e.accountID, june, 20
			for b.Loop() {
				ops++
				r := postTo(b, e.api+"/graphql", statementQuery, vars)
				if len(r.Errors) > 0 {
					b.Fatal(r.Errors)
				}
			}
			e.report(b, ops)
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

// searchPages reads the month's pages with the statement engine directly
// over the client (a fresh operation each time: nothing cached).
func (e *scaleEnv) searchPages(b *testing.B, f statement.Filter, first int, all bool) {
	read := func(ctx context.Context, offset, limit int) ([]finpro.Transaction, int, error) {
		d, err := e.fp.FIData(ctx, finpro.FIDataRequest{ConsentID: e.consentID, LinkReferenceNumber: e.link, Limit: limit, Offset: offset})
		if err != nil {
			return nil, 0, err
		}
		return d.Transactions, d.TotalRecords, nil
	}
	scope := statement.Scope("bench", f, model.TransactionOrderOldestFirst)
	var after *string
	for {
		p, err := statement.Run(context.Background(), read, statement.Query{Filter: f, Scope: scope, Args: relay.Args{First: &first, After: after}})
		if err != nil {
			b.Fatal(err)
		}
		if !all || !p.HasNext {
			return
		}
		after = &p.Cursors[len(p.Cursors)-1]
	}
}

// rangePages reads the month with getallfidata's date range and slices the
// account's rows (each page is a new operation, so each reads the month).
func (e *scaleEnv) rangePages(b *testing.B, first int, all bool) {
	ist := time.FixedZone("IST", 19800)
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, ist)
	to := time.Date(2026, 7, 1, 0, 0, 0, 0, ist).Add(-time.Millisecond)
	for offset := 0; ; offset += first {
		accs, err := e.fp.AllFIDataBetween(context.Background(), e.consentID, from, to)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, a := range accs {
			if a.LinkReferenceNumber == e.link {
				n = len(a.Transactions)
			}
		}
		if !all || offset+first >= n {
			return
		}
	}
}

const cashFlowQuery = `query($mobile: String!, $product: ID!, $id: ID!) { customer(mobileNumber: $mobile, productID: $product) { account(id: $id) {
	insights(from: "2025-11-01", to: "2026-10-31") { cashFlow { start inflow outflow net openingBalance closingBalance minimumDailyBalance averageDailyBalance reconciliation } } } } }`

const customerInsightsQuery = `query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) {
	insights(from: "2025-11-01", to: "2026-10-31") { cashFlow { start inflow outflow net openingBalance closingBalance minimumDailyBalance averageDailyBalance }
	recurringCredits { kind counterparty count } recurringDebits { kind counterparty count } bounces { kind chargesTotal } } } }`

// BenchmarkCashFlowYear measures a 12-month cash flow of a 10,000-transaction
// account (about 9,200 transactions in the twelve months):
//
//   - getallfidata-range: one getallfidata with the range, which returns the
//     months of every account of the consent (here another 10,000-transaction
//     account and two deposits): the insights' history loader;
//   - getfidata-pages: the account alone, its window located by the
//     statement search and read in pages of 1,000;
//
// both followed by the analysis (internal/insights); graph is the product
// path: the account's insights, and the customer's (both DEPOSIT accounts,
// with recurring series and returns).
func BenchmarkCashFlowYear(b *testing.B) {
	for _, rtt := range []time.Duration{0, 20 * time.Millisecond} {
		e := newScaleEnv(b, 10_000, rtt)
		name := "rtt=" + rtt.String()
		r, err := insights.NewRange("2025-11-01", "2026-10-31")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/client/getallfidata-range", func(b *testing.B) {
			e.wire.reset()
			ops := 0
			for b.Loop() {
				ops++
				accs, err := e.fp.AllFIDataBetween(context.Background(), e.consentID, r.From.Add(-24*time.Hour), r.To.Add(48*time.Hour-time.Millisecond))
				if err != nil {
					b.Fatal(err)
				}
				for _, a := range accs {
					if a.LinkReferenceNumber == e.link {
						analyse(b, a.Transactions, r)
					}
				}
			}
			e.report(b, ops)
		})
		b.Run(name+"/client/getfidata-pages", func(b *testing.B) {
			e.wire.reset()
			ops := 0
			f, _ := statement.NewFilter(&model.TransactionFilter{From: ptrTo(model.Date("2025-11-01")), To: ptrTo(model.Date("2026-10-31"))})
			for b.Loop() {
				ops++
				var rows []finpro.Transaction
				read := func(ctx context.Context, offset, limit int) ([]finpro.Transaction, int, error) {
					d, err := e.fp.FIData(ctx, finpro.FIDataRequest{ConsentID: e.consentID, LinkReferenceNumber: e.link, Limit: limit, Offset: offset})
					if err != nil {
						return nil, 0, err
					}
					return d.Transactions, d.TotalRecords, nil
				}
				scope := statement.Scope("bench", f, model.TransactionOrderOldestFirst)
				first := 100
				var after *string
				// The statement engine pages by 100; read the window in 1,000s
				// after locating its start with the first page.
				p, err := statement.Run(context.Background(), read, statement.Query{Filter: f, Scope: scope, Args: relay.Args{First: &first, After: after}})
				if err != nil {
					b.Fatal(err)
				}
				rows = append(rows, p.Rows...)
				if p.HasNext {
					start, _ := relay.DecodeCursor("after", p.Cursors[len(p.Cursors)-1], scope)
					for off := start + 1; ; off += finpro.MaxFIDataLimit {
						chunk, _, err := read(context.Background(), off, finpro.MaxFIDataLimit)
						if err != nil {
							b.Fatal(err)
						}
						done := len(chunk) < finpro.MaxFIDataLimit
						for _, x := range chunk {
							if r.Contains(x.TransactionTimestamp) {
								rows = append(rows, x)
							} else if insights.Day(x.TransactionTimestamp).After(r.To) {
								done = true
								break
							}
						}
						if done {
							break
						}
					}
				}
				analyse(b, rows, r)
			}
			e.report(b, ops)
		})
		for _, q := range []struct{ name, query string }{{"account", cashFlowQuery}, {"customer", customerInsightsQuery}} {
			b.Run(name+"/graphql/"+q.name, func(b *testing.B) {
				e.wire.reset()
				ops := 0
				vars := demoVars()
				vars["id"] = e.accountID
				for b.Loop() {
					ops++
					r := postTo(b, e.api+"/graphql", q.query, vars)
					if len(r.Errors) > 0 {
						b.Fatal(r.Errors)
					}
				}
				e.report(b, ops)
			})
		}
	}
}

// analyse runs the monthly cash flow over rows.
func analyse(b *testing.B, rows []finpro.Transaction, r insights.Range) {
	txns, err := insights.FromFinpro(rows)
	if err != nil {
		b.Fatal(err)
	}
	l := insights.NewLedger(txns, r, time.Now())
	ps, err := insights.CashFlow(insights.Month, l)
	if err != nil || len(ps) != 12 || ps[11].Status != insights.Reconciled {
		b.Fatalf("cash flow: %d periods, %v", len(ps), err)
	}
}
