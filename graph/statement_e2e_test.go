package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

const statementQuery = `query($mobile: String!, $product: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String, $filter: TransactionFilter, $order: TransactionOrder) {
  customer(mobileNumber: $mobile, productID: $product) {
    account(id: $id) {
      transactions(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $order) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { txnId } }
      }
    }
  }
}`

// statementFilter is a TransactionFilter as the tests send it and as
// matches reads it.
type statementFilter struct {
	From              string   `json:"from,omitempty"`
	To                string   `json:"to,omitempty"`
	Types             []string `json:"types,omitempty"`
	Modes             []string `json:"modes,omitempty"`
	MinAmount         string   `json:"minAmount,omitempty"`
	MaxAmount         string   `json:"maxAmount,omitempty"`
	NarrationContains string   `json:"narrationContains,omitempty"`
}

// matches is the filter's meaning, written from the schema's description:
// every condition given holds; days are IST days of the timestamp; amounts
// compare exactly; the narration contains the text ignoring case.
func (f statementFilter) matches(t *testing.T, x finpro.Transaction) bool {
	t.Helper()
	day := x.TransactionTimestamp.In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
	if f.From != "" && day < f.From || f.To != "" && day > f.To {
		return false
	}
	if len(f.Types) > 0 && !slices.Contains(f.Types, x.Type) || len(f.Modes) > 0 && !slices.Contains(f.Modes, x.Mode) {
		return false
	}
	amount := func(s string) *apd.Decimal {
		d, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatalf("amount %q: %v", s, err)
		}
		return d
	}
	if f.MinAmount != "" && amount(string(x.Amount)).Cmp(amount(f.MinAmount)) < 0 {
		return false
	}
	if f.MaxAmount != "" && amount(string(x.Amount)).Cmp(amount(f.MaxAmount)) > 0 {
		return false
	}
	return f.NarrationContains == "" || strings.Contains(strings.ToUpper(x.Narration), strings.ToUpper(f.NarrationContains))
}

// dateOnly reports whether f has no condition besides the dates.
func (f statementFilter) dateOnly() bool {
	return len(f.Types) == 0 && len(f.Modes) == 0 && f.MinAmount == "" && f.MaxAmount == "" && f.NarrationContains == ""
}

func (e *env) statementPage(t *testing.T, id string, f *statementFilter, order string, args map[string]any) (txnConnJSON, []gqlError) {
	t.Helper()
	vars := demoVars()
	for k, v := range args {
		vars[k] = v
	}
	vars["id"] = id
	if f != nil {
		vars["filter"] = f
	}
	if order != "" {
		vars["order"] = order
	}
	var got struct {
		Customer struct {
			Account struct {
				Transactions txnConnJSON `json:"transactions"`
			} `json:"account"`
		} `json:"customer"`
	}
	r := e.post(t, statementQuery, vars)
	if len(r.Errors) > 0 {
		return txnConnJSON{}, r.Errors
	}
	mustData(t, r, &got)
	return got.Customer.Account.Transactions, nil
}

// TestStatements pages filtered statements of the demo accounts in both
// orders, forward and backward, with page sizes 1, 7 and 100, and checks
// every matching transaction comes exactly once, in order, against the
// account's full list read from FinPro and filtered here.
func TestStatements(t *testing.T) {
	e := newEnv(t, envOptions{})
	var accs accountsJSON
	mustData(t, e.post(t, accountsQuery, demoVars()), &accs)
	filters := map[string]statementFilter{
		"a month":                      {From: "2026-06-01", To: "2026-06-30"},
		"a day":                        {From: "2026-06-05", To: "2026-06-05"},
		"from only":                    {From: "2026-10-15"},
		"to only":                      {To: "2025-10-10"},
		"no day of the data":           {From: "2024-01-01", To: "2024-12-31"},
		"debits":                       {Types: []string{"DEBIT"}},
		"credits of a quarter by NEFT": {From: "2026-04-01", To: "2026-06-30", Types: []string{"CREDIT"}, Modes: []string{"NEFT"}},
		"amounts from 500 to 30000":    {MinAmount: "500", MaxAmount: "30000.00"},
		"narration, any case":          {NarrationContains: "salary"},
		"EMIs by NACH in a half year":  {From: "2026-01-01", To: "2026-06-30", Modes: []string{"NACH"}, NarrationContains: "emi"},
		"nothing matches":              {NarrationContains: "NO SUCH NARRATION"},
		"exact amount":                 {MinAmount: "90", MaxAmount: "90.00"},
	}
	for _, a := range accs.Customer.Accounts {
		if a.FIType != "DEPOSIT" {
			continue
		}
		all, err := e.fp.FIData(t.Context(), finpro.FIDataRequest{ConsentID: a.Consent.ConsentID, LinkReferenceNumber: a.LinkReferenceNumber})
		if err != nil {
			t.Fatal(err)
		}
		id := e.accountID(t, a.LinkReferenceNumber)
		for name, f := range filters {
			for _, order := range []string{"OLDEST_FIRST", "NEWEST_FIRST"} {
				var want []string
				for _, x := range all.Transactions {
					if f.matches(t, x) {
						want = append(want, x.TxnID)
					}
				}
				if order == "NEWEST_FIRST" {
					slices.Reverse(want)
				}
				for _, size := range []int{1, 7, 100} {
					if size == 1 && len(want) > 150 {
						continue // hundreds of one-row pages walk what size 7 walks
					}
					for _, backward := range []bool{false, true} {
						t.Run(fmt.Sprintf("%s/%s/%s/%d/backward=%v", a.LinkReferenceNumber[:8], name, order, size, backward), func(t *testing.T) {
							got, total := e.pageAll(t, id, f, order, size, backward, len(all.Transactions))
							if diff := cmp.Diff(want, got); diff != "" {
								t.Errorf("rows (-want +got):\n%s", diff)
							}
							switch {
							case f.dateOnly() && (total == nil || *total != len(want)):
								t.Errorf("totalCount = %v, want %d", total, len(want))
							case total != nil && *total != len(want):
								t.Errorf("totalCount = %d, want %d or null", *total, len(want))
							}
						})
					}
				}
			}
		}
	}
}

// pageAll pages a statement to its end and returns its rows in order and
// the first page's totalCount.
func (e *env) pageAll(t *testing.T, id string, f statementFilter, order string, size int, backward bool, limit int) ([]string, *int) {
	t.Helper()
	var chunks [][]string
	args := map[string]any{"first": size}
	if backward {
		args = map[string]any{"last": size}
	}
	var total *int
	for page := 0; ; page++ {
		c, errs := e.statementPage(t, id, &f, order, args)
		if errs != nil {
			t.Fatalf("page %d: %+v", page, errs)
		}
		if page == 0 {
			total = c.TotalCount
		}
		var ids []string
		for _, ed := range c.Edges {
			ids = append(ids, ed.Node.TxnID)
		}
		if len(ids) > size {
			t.Fatalf("page %d: %d edges, want <= %d", page, len(ids), size)
		}
		chunks = append(chunks, ids)
		more, cursor := c.PageInfo.HasNextPage, c.PageInfo.EndCursor
		back := c.PageInfo.HasPreviousPage
		if backward {
			more, cursor, back = c.PageInfo.HasPreviousPage, c.PageInfo.StartCursor, c.PageInfo.HasNextPage
		}
		if back != (page > 0) {
			t.Errorf("page %d: the other direction's has-page = %v, want %v", page, back, page > 0)
		}
		if !more {
			break
		}
		if cursor == nil || page > limit+1 {
			t.Fatalf("page %d: more rows but cursor %v", page, cursor)
		}
		if backward {
			args["before"] = *cursor
		} else {
			args["after"] = *cursor
		}
	}
	var out []string
	if backward {
		for i := len(chunks) - 1; i >= 0; i-- {
			out = append(out, chunks[i]...)
		}
	} else {
		for _, c := range chunks {
			out = append(out, c...)
		}
	}
	return out, total
}

// TestStatementCursorOfAnotherFilter checks that a cursor is refused, with
// BAD_USER_INPUT naming the reason, under another filter, another order or
// no filter at all, and still works under its own.
func TestStatementCursorOfAnotherFilter(t *testing.T) {
	e := newEnv(t, envOptions{})
	var accs accountsJSON
	mustData(t, e.post(t, accountsQuery, demoVars()), &accs)
	id := e.accountID(t, accs.Customer.Accounts[0].LinkReferenceNumber)
	month := &statementFilter{From: "2026-06-01", To: "2026-06-30"}
	c, errs := e.statementPage(t, id, month, "", map[string]any{"first": 2})
	if errs != nil || c.PageInfo.EndCursor == nil {
		t.Fatalf("first page: %+v %+v", errs, c.PageInfo)
	}
	cursor := *c.PageInfo.EndCursor
	plain, errs := e.statementPage(t, id, nil, "", map[string]any{"first": 2})
	if errs != nil {
		t.Fatal(errs)
	}
	for _, tc := range []struct {
		name   string
		filter *statementFilter
		order  string
		cursor string
		arg    string
	}{
		{"another filter", &statementFilter{From: "2026-06-01", To: "2026-06-29"}, "", cursor, "after"},
		{"another order", month, "NEWEST_FIRST", cursor, "after"},
		{"no filter", nil, "", cursor, "before"},
		{"a plain cursor under a filter", month, "", *plain.PageInfo.EndCursor, "after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := map[string]any{"first": 2, tc.arg: tc.cursor}
			if tc.arg == "before" {
				args = map[string]any{"last": 2, tc.arg: tc.cursor}
			}
			_, errs := e.statementPage(t, id, tc.filter, tc.order, args)
			if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "another filter or order") {
				t.Errorf("errors = %+v, want one BAD_USER_INPUT about another filter or order", errs)
			}
		})
	}
	same := &statementFilter{To: "2026-06-30", From: "2026-06-01"}
	if _, errs := e.statementPage(t, id, same, "OLDEST_FIRST", map[string]any{"first": 2, "after": cursor}); errs != nil {
		t.Errorf("the same filter (and the default order spelled out) refused its cursor: %+v", errs)
	}
}

// TestStatementBadFilter checks that invalid filters are BAD_USER_INPUT and
// cost no FinPro call.
func TestStatementBadFilter(t *testing.T) {
	e := newEnv(t, envOptions{})
	var accs accountsJSON
	mustData(t, e.post(t, accountsQuery, demoVars()), &accs)
	id := e.accountID(t, accs.Customer.Accounts[0].LinkReferenceNumber)
	for name, f := range map[string]statementFilter{
		"to before from":   {From: "2026-06-02", To: "2026-06-01"},
		"negative minimum": {MinAmount: "-1.00"},
		"max below min":    {MinAmount: "10", MaxAmount: "9.99"},
		"not a decimal":    {MinAmount: "ten"},
		"blank narration":  {NarrationContains: "   "},
		"not a date":       {From: "2026-02-30"},
		"unknown type":     {Types: []string{"REFUND"}},
	} {
		t.Run(name, func(t *testing.T) {
			e.sb.ResetStats()
			_, errs := e.statementPage(t, id, &f, "", map[string]any{"first": 5})
			if len(errs) == 0 || errs[0].code() != "BAD_USER_INPUT" {
				t.Errorf("errors = %+v, want BAD_USER_INPUT", errs)
			}
			if n := e.sb.Stats()["/getfidata"]; n != 0 {
				t.Errorf("getfidata calls = %d, want 0", n)
			}
		})
	}
}

// TestNewestFirstCalls checks what a newest-first page costs: a one-row
// read for the count then the page when the count is new, the page alone
// once an earlier operation saw it, and a date window located by a few
// small reads.
func TestNewestFirstCalls(t *testing.T) {
	e := newEnv(t, envOptions{})
	var accs accountsJSON
	mustData(t, e.post(t, accountsQuery, demoVars()), &accs)
	a := accs.Customer.Accounts[0]
	all, err := e.fp.FIData(t.Context(), finpro.FIDataRequest{ConsentID: a.Consent.ConsentID, LinkReferenceNumber: a.LinkReferenceNumber})
	if err != nil {
		t.Fatal(err)
	}
	id := e.accountID(t, a.LinkReferenceNumber)
	var want []string
	for i := len(all.Transactions) - 1; i >= len(all.Transactions)-20; i-- {
		want = append(want, all.Transactions[i].TxnID)
	}
	for _, tc := range []struct {
		name   string
		filter *statementFilter
		calls  int64
	}{
		{"cold: the count, then the page", nil, 2},
		{"warm: the page alone", nil, 1},
		{"a month: both ends of the list, one interpolated probe, the page", &statementFilter{From: "2026-06-01", To: "2026-06-30"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.sb.ResetStats()
			c, errs := e.statementPage(t, id, tc.filter, "NEWEST_FIRST", map[string]any{"first": 20})
			if errs != nil {
				t.Fatal(errs)
			}
			if n := e.sb.Stats()["/getfidata"]; n != tc.calls {
				t.Errorf("getfidata calls = %d, want %d", n, tc.calls)
			}
			if tc.filter == nil {
				var got []string
				for _, ed := range c.Edges {
					got = append(got, ed.Node.TxnID)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("latest 20 (-want +got):\n%s", diff)
				}
				if c.TotalCount == nil || *c.TotalCount != len(all.Transactions) || !c.PageInfo.HasNextPage || c.PageInfo.HasPreviousPage {
					t.Errorf("totalCount %v pageInfo %+v, want %d, a next page and no previous", c.TotalCount, c.PageInfo, len(all.Transactions))
				}
			}
		})
	}
}
