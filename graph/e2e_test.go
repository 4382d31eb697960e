package graph_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const dashboardQuery = `query Dashboard($mobile: String!, $product: ID!) {
  customer(mobileNumber: $mobile, productID: $product) {
    consents(status: [ACTIVE], first: 20) {
      totalCount
      edges { node {
        consentID status
        accounts {
          __typename linkReferenceNumber maskedAccountNumber fiType fipId
          balance { amount currency }
          transactions(first: 20) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage }
            edges { node { txnId type mode amount currentBalance narration reference valueDate transactionTimestamp } }
          }
        }
      } }
    }
  }
}`

type txnJSON struct {
	TxnID                string  `json:"txnId"`
	Type                 string  `json:"type"`
	Mode                 *string `json:"mode"`
	Amount               string  `json:"amount"`
	CurrentBalance       *string `json:"currentBalance"`
	Narration            *string `json:"narration"`
	Reference            *string `json:"reference"`
	ValueDate            *string `json:"valueDate"`
	TransactionTimestamp string  `json:"transactionTimestamp"`
}

type pageInfoJSON struct {
	HasNextPage     bool    `json:"hasNextPage"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor"`
	EndCursor       *string `json:"endCursor"`
}

type txnConnJSON struct {
	TotalCount *int         `json:"totalCount"`
	PageInfo   pageInfoJSON `json:"pageInfo"`
	Edges      []struct {
		Cursor string  `json:"cursor"`
		Node   txnJSON `json:"node"`
	} `json:"edges"`
}

type dashboard struct {
	Customer struct {
		Consents struct {
			TotalCount *int `json:"totalCount"`
			Edges      []struct {
				Node struct {
					ConsentID string `json:"consentID"`
					Status    string `json:"status"`
					Accounts  []struct {
						Typename            string `json:"__typename"`
						LinkReferenceNumber string `json:"linkReferenceNumber"`
						MaskedAccountNumber string `json:"maskedAccountNumber"`
						FIType              string `json:"fiType"`
						Balance             *struct {
							Amount   string `json:"amount"`
							Currency string `json:"currency"`
						} `json:"balance"`
						Transactions txnConnJSON `json:"transactions"`
					} `json:"accounts"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"consents"`
	} `json:"customer"`
}

func demoVars() map[string]any {
	return map[string]any{"mobile": sandbox.DemoMobile, "product": sandbox.DemoProductID}
}

// wantTxn renders a finpro transaction the way the API must show it.
func wantTxn(t finpro.Transaction) txnJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return txnJSON{
		TxnID: t.TxnID, Type: t.Type, Mode: opt(t.Mode), Amount: string(t.Amount),
		CurrentBalance: opt(string(t.CurrentBalance)), Narration: opt(t.Narration), Reference: opt(t.Reference),
		ValueDate: opt(t.ValueDate), TransactionTimestamp: t.TransactionTimestamp.Format(time.RFC3339Nano),
	}
}

var typenames = map[string]string{
	"DEPOSIT":           "DepositAccount",
	"TERM_DEPOSIT":      "TermDepositAccount",
	"RECURRING_DEPOSIT": "RecurringDepositAccount",
	"MUTUAL_FUNDS":      "MutualFundAccount",
}

// TestDashboard runs the dashboard query and checks the values against the
// sandbox and the FinPro calls against the batching rules: one consent list,
// one getfibalance per ACTIVE consent, one getfidata per account shown. It
// fails if the N+1 comes back.
func TestDashboard(t *testing.T) {
	e := newEnv(t, envOptions{})
	demo := e.demo(t)
	balances := make(map[string]string)
	for _, a := range demo.Accounts {
		balances[a.LinkReferenceNumber] = a.Balance
	}
	active := activeConsents(demo)
	if len(active) < 2 {
		t.Fatalf("demo customer has %d ACTIVE consents, want >= 2", len(active))
	}

	e.sb.ResetStats()
	var got dashboard
	mustData(t, e.post(t, dashboardQuery, demoVars()), &got)
	stats := e.sb.Stats()

	edges := got.Customer.Consents.Edges
	if len(edges) != len(active) {
		t.Fatalf("consents = %d, want %d ACTIVE", len(edges), len(active))
	}
	accountNodes := 0
	for i, edge := range edges {
		c := edge.Node
		if c.ConsentID != active[i].ConsentID || c.Status != "ACTIVE" {
			t.Errorf("consent %d = %s %s, want %s ACTIVE", i, c.ConsentID, c.Status, active[i].ConsentID)
		}
		if len(c.Accounts) != len(active[i].LinkRefs) {
			t.Errorf("consent %s has %d accounts, want %d", c.ConsentID, len(c.Accounts), len(active[i].LinkRefs))
		}
		for _, a := range c.Accounts {
			accountNodes++
			if want, ok := typenames[a.FIType]; ok && a.Typename != want {
				t.Errorf("account %s (%s) is a %s, want %s", a.LinkReferenceNumber, a.FIType, a.Typename, want)
			}
			if a.Balance == nil || a.Balance.Amount != balances[a.LinkReferenceNumber] {
				t.Errorf("balance of %s = %+v, want %q", a.LinkReferenceNumber, a.Balance, balances[a.LinkReferenceNumber])
			}
		}
	}

	want := map[string]int64{
		"/v1/accounts/getconsentslist": 1,
		"/getfibalance":                int64(len(active)),
		"/getfidata":                   int64(accountNodes),
	}
	for path, n := range want {
		if stats[path] != n {
			t.Errorf("FinPro calls to %s = %d, want %d (all stats: %v)", path, stats[path], n, stats)
		}
	}
	for _, path := range []string{"/getallfidata", "/getalllatestfidata"} {
		if stats[path] != 0 {
			t.Errorf("FinPro calls to %s = %d, want 0", path, stats[path])
		}
	}

	// The transactions are the sandbox's first 20, exactly.
	for _, edge := range edges {
		for _, a := range edge.Node.Accounts {
			all, err := e.fp.FIData(t.Context(), finpro.FIDataRequest{ConsentID: edge.Node.ConsentID, LinkReferenceNumber: a.LinkReferenceNumber})
			if err != nil {
				t.Fatalf("FIData(%s): %v", a.LinkReferenceNumber, err)
			}
			var want []txnJSON
			for _, tx := range all.Transactions[:min(20, len(all.Transactions))] {
				want = append(want, wantTxn(tx))
			}
			var gotTx []txnJSON
			for _, ed := range a.Transactions.Edges {
				gotTx = append(gotTx, ed.Node)
			}
			if diff := cmp.Diff(want, gotTx); diff != "" {
				t.Errorf("transactions of %s (-want +got):\n%s", a.LinkReferenceNumber, diff)
			}
			if a.Transactions.TotalCount == nil || *a.Transactions.TotalCount != len(all.Transactions) {
				t.Errorf("totalCount of %s = %v, want %d", a.LinkReferenceNumber, a.Transactions.TotalCount, len(all.Transactions))
			}
			if hasNext := len(all.Transactions) > 20; a.Transactions.PageInfo.HasNextPage != hasNext {
				t.Errorf("hasNextPage of %s = %v, want %v", a.LinkReferenceNumber, a.Transactions.PageInfo.HasNextPage, hasNext)
			}
		}
	}
}

const accountsQuery = `query($mobile: String!, $product: ID!) {
  customer(mobileNumber: $mobile, productID: $product) {
    accounts { linkReferenceNumber fiType consent { consentID } }
    totalBalance { amount currency }
  }
}`

type accountsJSON struct {
	Customer struct {
		Accounts []struct {
			LinkReferenceNumber string `json:"linkReferenceNumber"`
			FIType              string `json:"fiType"`
			Consent             struct {
				ConsentID string `json:"consentID"`
			} `json:"consent"`
		} `json:"accounts"`
		TotalBalance []struct {
			Amount   string `json:"amount"`
			Currency string `json:"currency"`
		} `json:"totalBalance"`
	} `json:"customer"`
}

const pageQuery = `query($mobile: String!, $product: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  customer(mobileNumber: $mobile, productID: $product) {
    account(id: $id) {
      transactions(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { txnId } }
      }
    }
  }
}`

// accountID returns the global ID of the demo customer's account with link, as
// Customer.accounts lists it.
func (e *env) accountID(t *testing.T, link string) string {
	t.Helper()
	var got struct {
		Customer struct {
			Accounts []struct {
				ID                  string `json:"id"`
				LinkReferenceNumber string `json:"linkReferenceNumber"`
			} `json:"accounts"`
		} `json:"customer"`
	}
	mustData(t, e.post(t, `query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { accounts { id linkReferenceNumber } } }`, demoVars()), &got)
	for _, a := range got.Customer.Accounts {
		if a.LinkReferenceNumber == link {
			return a.ID
		}
	}
	t.Fatalf("the demo customer has no account %s", link)
	return ""
}

// transactionsPage fetches one page of one account's transactions.
func (e *env) transactionsPage(t *testing.T, link string, args map[string]any) txnConnJSON {
	t.Helper()
	vars := demoVars()
	for k, v := range args {
		vars[k] = v
	}
	vars["id"] = e.accountID(t, link)
	var got struct {
		Customer struct {
			Account struct {
				Transactions txnConnJSON `json:"transactions"`
			} `json:"account"`
		} `json:"customer"`
	}
	mustData(t, e.post(t, pageQuery, vars), &got)
	return got.Customer.Account.Transactions
}

// TestTransactionsPaging pages every account's transactions forward and
// backward with page sizes 1, 7 and 100 and checks each transaction comes
// exactly once, in order, with correct page info at both ends.
func TestTransactionsPaging(t *testing.T) {
	e := newEnv(t, envOptions{})
	var accs accountsJSON
	mustData(t, e.post(t, accountsQuery, demoVars()), &accs)
	if len(accs.Customer.Accounts) == 0 {
		t.Fatal("no accounts")
	}
	for _, a := range accs.Customer.Accounts {
		all, err := e.fp.FIData(t.Context(), finpro.FIDataRequest{ConsentID: a.Consent.ConsentID, LinkReferenceNumber: a.LinkReferenceNumber})
		if err != nil {
			t.Fatalf("FIData: %v", err)
		}
		var want []string
		for _, tx := range all.Transactions {
			want = append(want, tx.TxnID)
		}
		for _, size := range []int{1, 7, 100} {
			if size == 1 && len(want) > 120 && testing.Short() {
				continue
			}
			t.Run(fmt.Sprintf("%s/forward/%d", a.FIType, size), func(t *testing.T) {
				var got []string
				args := map[string]any{"first": size}
				for page := 0; ; page++ {
					c := e.transactionsPage(t, a.LinkReferenceNumber, args)
					for _, ed := range c.Edges {
						got = append(got, ed.Node.TxnID)
					}
					if c.PageInfo.HasPreviousPage != (page > 0) {
						t.Errorf("page %d hasPreviousPage = %v, want %v", page, c.PageInfo.HasPreviousPage, page > 0)
					}
					if !c.PageInfo.HasNextPage {
						break
					}
					if len(c.Edges) == 0 || page > len(want) {
						t.Fatalf("page %d: hasNextPage with %d edges", page, len(c.Edges))
					}
					args["after"] = *c.PageInfo.EndCursor
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("forward pages (-want +got):\n%s", diff)
				}
			})
			t.Run(fmt.Sprintf("%s/backward/%d", a.FIType, size), func(t *testing.T) {
				var pages [][]string
				args := map[string]any{"last": size}
				for page := 0; ; page++ {
					c := e.transactionsPage(t, a.LinkReferenceNumber, args)
					var ids []string
					for _, ed := range c.Edges {
						ids = append(ids, ed.Node.TxnID)
					}
					pages = append(pages, ids)
					if c.PageInfo.HasNextPage != (page > 0) {
						t.Errorf("page %d hasNextPage = %v, want %v", page, c.PageInfo.HasNextPage, page > 0)
					}
					if !c.PageInfo.HasPreviousPage {
						break
					}
					if len(c.Edges) == 0 || page > len(want) {
						t.Fatalf("page %d: hasPreviousPage with %d edges", page, len(c.Edges))
					}
					args["before"] = *c.PageInfo.StartCursor
				}
				var got []string
				for i := len(pages) - 1; i >= 0; i-- {
					got = append(got, pages[i]...)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("backward pages (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestLatestTransactions checks last without before, in order on one server:
// the answer is always the account's latest transactions, and the getfidata
// calls it costs follow the strategy of fitype.latest (a probe then a window
// when the count is new, one window once it is known, two again after new
// transactions made the known count stale).
func TestLatestTransactions(t *testing.T) {
	e := newEnv(t, envOptions{})
	var accs accountsJSON
	mustData(t, e.post(t, accountsQuery, demoVars()), &accs)
	var big, small string // a DEPOSIT account with more than 10 transactions, another account
	var consentOf = map[string]string{}
	for _, a := range accs.Customer.Accounts {
		consentOf[a.LinkReferenceNumber] = a.Consent.ConsentID
		all, err := e.fp.FIData(t.Context(), finpro.FIDataRequest{ConsentID: a.Consent.ConsentID, LinkReferenceNumber: a.LinkReferenceNumber})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case big == "" && a.FIType == "DEPOSIT" && len(all.Transactions) > 10:
			big = a.LinkReferenceNumber
		case small == "" && a.LinkReferenceNumber != big:
			small = a.LinkReferenceNumber
		}
	}
	if big == "" || small == "" {
		t.Fatalf("no suitable accounts in %+v", accs.Customer.Accounts)
	}
	for _, tc := range []struct {
		name   string
		link   string
		last   int
		after  int // index of the after cursor, -1: none
		append int // transactions appended before the query
		calls  int64
	}{
		{"cold: probe, then the window", big, 5, -1, 0, 2},
		{"warm: the window alone", big, 5, -1, 0, 1},
		{"new transactions: stale count, then the window", big, 5, -1, 2, 2},
		{"warm again", big, 5, -1, 0, 1},
		{"another size, count known", big, 7, -1, 0, 1},
		{"after a cursor near the end", big, 5, -3, 0, 1},
		{"cold, list no longer than last: the probe alone", small, 100, -1, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range tc.append {
				if err := e.sb.AppendTransactions(tc.link, sandbox.NewTransaction{Type: "CREDIT", Amount: "1.00"}); err != nil {
					t.Fatal(err)
				}
			}
			all, err := e.fp.FIData(t.Context(), finpro.FIDataRequest{ConsentID: consentOf[tc.link], LinkReferenceNumber: tc.link})
			if err != nil {
				t.Fatal(err)
			}
			want := all.Transactions
			args := map[string]any{"last": tc.last}
			if tc.after != -1 {
				lo := len(want) + tc.after // tc.after counts from the end
				tail := e.transactionsPage(t, tc.link, map[string]any{"last": -tc.after})
				args["after"] = tail.Edges[0].Cursor // the cursor of row lo
				want = want[lo+1:]
			}
			want = want[max(0, len(want)-tc.last):]
			e.sb.ResetStats()
			c := e.transactionsPage(t, tc.link, args)
			if n := e.sb.Stats()["/getfidata"]; n != tc.calls {
				t.Errorf("getfidata calls = %d, want %d", n, tc.calls)
			}
			var wantIDs, got []string
			for _, tx := range want {
				wantIDs = append(wantIDs, tx.TxnID)
			}
			for _, ed := range c.Edges {
				got = append(got, ed.Node.TxnID)
			}
			if diff := cmp.Diff(wantIDs, got); diff != "" {
				t.Errorf("latest %d (-want +got):\n%s", tc.last, diff)
			}
			if c.TotalCount == nil || *c.TotalCount != len(all.Transactions) {
				t.Errorf("totalCount = %v, want %d", c.TotalCount, len(all.Transactions))
			}
			wantPrev := len(all.Transactions) > len(want)
			if c.PageInfo.HasNextPage || c.PageInfo.HasPreviousPage != wantPrev {
				t.Errorf("pageInfo = %+v, want hasNextPage false, hasPreviousPage %v", c.PageInfo, wantPrev)
			}
		})
	}
}

// TestCustomerAccountsAndTotal checks the deduplication of accounts shared by
// consents and the exact per-currency total.
func TestCustomerAccountsAndTotal(t *testing.T) {
	e := newEnv(t, envOptions{})
	demo := e.demo(t)
	var got accountsJSON
	e.sb.ResetStats()
	mustData(t, e.post(t, accountsQuery, demoVars()), &got)

	wantLinks := map[string]bool{}
	for _, k := range activeConsents(demo) {
		for _, l := range k.LinkRefs {
			wantLinks[l] = true
		}
	}
	seen := map[string]bool{}
	for _, a := range got.Customer.Accounts {
		if seen[a.LinkReferenceNumber] {
			t.Errorf("account %s listed twice", a.LinkReferenceNumber)
		}
		seen[a.LinkReferenceNumber] = true
	}
	if diff := cmp.Diff(wantLinks, seen); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	if n := e.sb.Stats()["/v1/accounts/getconsentslist"]; n != 1 {
		t.Errorf("consent list calls = %d, want 1", n)
	}
	if n, max := e.sb.Stats()["/getfibalance"], int64(len(activeConsents(demo))); n > max {
		t.Errorf("getfibalance calls = %d, want <= %d", n, max)
	}
	if len(got.Customer.TotalBalance) == 0 {
		t.Fatal("no totalBalance")
	}
	for _, m := range got.Customer.TotalBalance {
		if m.Currency == "" || strings.ContainsAny(m.Amount, "eE") {
			t.Errorf("totalBalance entry %+v is not a plain decimal", m)
		}
	}
}

// TestSyncIncrementalData checks that a repeated key replays the kept result
// without a second upstream call, that concurrent calls with one key share one
// call, and that "no new data" is an empty result.
func TestSyncIncrementalData(t *testing.T) {
	e := newEnv(t, envOptions{})
	demo := e.demo(t)
	var periodic sandbox.ConsentInfo
	for _, k := range activeConsents(demo) {
		if k.FetchType == "PERIODIC" {
			periodic = k
		}
	}
	if periodic.ConsentID == "" {
		t.Fatal("demo customer has no ACTIVE PERIODIC consent")
	}
	const q = `mutation($c: ID!, $k: String!) { syncIncrementalData(input: {consentID: $c, idempotencyKey: $k}) {
	  consent { consentID } idempotencyKey replayed accounts { linkReferenceNumber transactions { txnId amount currentBalance } } } }`
	type payload struct {
		Sync struct {
			Consent struct {
				ConsentID string `json:"consentID"`
			} `json:"consent"`
			IdempotencyKey string `json:"idempotencyKey"`
			Replayed       bool   `json:"replayed"`
			Accounts       []struct {
				LinkReferenceNumber string `json:"linkReferenceNumber"`
				Transactions        []struct {
					TxnID          string `json:"txnId"`
					Amount         string `json:"amount"`
					CurrentBalance string `json:"currentBalance"`
				} `json:"transactions"`
			} `json:"accounts"`
		} `json:"syncIncrementalData"`
	}
	doSync := func(key string) payload {
		var p payload
		mustData(t, e.post(t, q, map[string]any{"c": periodic.ConsentID, "k": key}), &p)
		return p
	}

	// Drain whatever the seed left as the first increment.
	doSync("drain")
	link := periodic.LinkRefs[0]
	if err := e.sb.AppendTransactions(link,
		sandbox.NewTransaction{Type: "CREDIT", Amount: "100000000000.01", Mode: "FT", Narration: "NEFT/TEST/CREDIT", Reference: "T1"},
		sandbox.NewTransaction{Type: "DEBIT", Amount: "0.10", Mode: "UPI", Narration: "UPI/TEST/DEBIT", Reference: "T2"},
	); err != nil {
		t.Fatalf("AppendTransactions: %v", err)
	}
	e.sb.ResetStats()
	first := doSync("k1")
	if first.Sync.Replayed {
		t.Error("first call replayed = true, want false")
	}
	var amounts []string
	for _, a := range first.Sync.Accounts {
		if a.LinkReferenceNumber == link {
			for _, tx := range a.Transactions {
				amounts = append(amounts, tx.Amount)
			}
		}
	}
	if diff := cmp.Diff([]string{"100000000000.01", "0.10"}, amounts); diff != "" {
		t.Errorf("synced amounts (-want +got):\n%s", diff)
	}
	again := doSync("k1")
	if !again.Sync.Replayed {
		t.Error("repeated call replayed = false, want true")
	}
	again.Sync.Replayed = false
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("replayed payload differs (-first +again):\n%s", diff)
	}
	if n := e.sb.Stats()["/getalllatestfidata"]; n != 1 {
		t.Errorf("getalllatestfidata calls = %d, want 1", n)
	}

	// Nothing new: an empty result, not an error.
	empty := doSync("k2")
	if len(empty.Sync.Accounts) != 0 {
		t.Errorf("sync with nothing new has %d accounts, want 0", len(empty.Sync.Accounts))
	}

	// Concurrent calls with one key: one upstream call, one payload.
	e.sb.ResetStats()
	const n = 8
	got := make([]payload, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i] = doSync("k3") })
	}
	wg.Wait()
	if c := e.sb.Stats()["/getalllatestfidata"]; c != 1 {
		t.Errorf("getalllatestfidata calls for %d concurrent syncs = %d, want 1", n, c)
	}
	for i := range got {
		got[i].Sync.Replayed = false
		if diff := cmp.Diff(got[0], got[i]); diff != "" {
			t.Errorf("concurrent payload %d differs (-0 +%d):\n%s", i, i, diff)
		}
	}
}
