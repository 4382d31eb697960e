package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// objects is what the normal path (customer -> consents -> accounts ->
// transactions) returns for the demo customer: the ids node(id:) must find.
type objects struct {
	customer     string
	consents     map[string]string // id -> consentHandle
	accounts     map[string]string // id -> linkReferenceNumber
	transactions map[string]string // id -> txnId
	txnAccount   string            // the account of the transactions
}

func normalPath(t *testing.T, e *env) objects {
	t.Helper()
	var got struct {
		Customer struct {
			ID       string
			Consents struct {
				Edges []struct {
					Node struct {
						ID            string
						ConsentHandle string
						Accounts      []struct {
							ID                  string
							LinkReferenceNumber string
							First               struct {
								Edges []struct{ Node struct{ ID, TxnID string } }
							}
							Last struct {
								Edges []struct{ Node struct{ ID, TxnID string } }
							}
						}
					}
				}
			}
		}
	}
	mustData(t, e.post(t, `{ customer(mobileNumber: "9876543210", productID: "PFM_DASHBOARD") { id
	  consents(status: [ACTIVE], first: 10) { edges { node { id consentHandle accounts { id linkReferenceNumber
	    first: transactions(first: 2) { edges { node { id txnID: txnId } } }
	    last: transactions(last: 2) { edges { node { id txnID: txnId } } } } } } } } }`, nil), &got)
	o := objects{customer: got.Customer.ID, consents: map[string]string{}, accounts: map[string]string{}, transactions: map[string]string{}}
	for _, c := range got.Customer.Consents.Edges {
		o.consents[c.Node.ID] = c.Node.ConsentHandle
		for _, a := range c.Node.Accounts {
			o.accounts[a.ID] = a.LinkReferenceNumber
			if o.txnAccount == "" && len(a.Last.Edges) == 2 {
				o.txnAccount = a.ID
				for _, tx := range append(a.First.Edges, a.Last.Edges...) {
					o.transactions[tx.Node.ID] = tx.Node.TxnID
				}
			}
		}
	}
	if len(o.consents) < 2 || len(o.accounts) < 2 || len(o.transactions) < 4 {
		t.Fatalf("the normal path found %d consents, %d accounts, %d transactions", len(o.consents), len(o.accounts), len(o.transactions))
	}
	return o
}

// TestNodeLookup checks node(id:) and nodes(ids:) against the normal path:
// every id a list returns finds the same object, each with its own type.
func TestNodeLookup(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := normalPath(t, e)

	const q = `query($id: ID!) { node(id: $id) { __typename id
	  ... on Customer { mobileNumber }
	  ... on Consent { consentHandle }
	  ... on Account { linkReferenceNumber }
	  ... on Transaction { txnId } } }`
	type node struct {
		Typename, ID, MobileNumber, ConsentHandle, LinkReferenceNumber, TxnID string `json:",omitempty"`
	}
	var cases []struct {
		id   string
		want node
	}
	add := func(id string, n node) {
		cases = append(cases, struct {
			id   string
			want node
		}{id, n})
	}
	add(o.customer, node{MobileNumber: sandbox.DemoMobile})
	for id, h := range o.consents {
		add(id, node{ConsentHandle: h})
	}
	for id, l := range o.accounts {
		add(id, node{LinkReferenceNumber: l})
	}
	for id, tx := range o.transactions {
		add(id, node{TxnID: tx})
	}
	for _, tc := range cases {
		var got struct {
			Node struct {
				Typename            string `json:"__typename"`
				ID                  string
				MobileNumber        string
				ConsentHandle       string
				LinkReferenceNumber string
				TxnID               string `json:"txnId"`
			}
		}
		mustData(t, e.post(t, q, map[string]any{"id": tc.id}), &got)
		n := got.Node
		if n.ID != tc.id || n.MobileNumber != tc.want.MobileNumber || n.ConsentHandle != tc.want.ConsentHandle ||
			n.LinkReferenceNumber != tc.want.LinkReferenceNumber || n.TxnID != tc.want.TxnID {
			t.Errorf("node(%s) = %s %s, not the object the list returned", tc.id, n.Typename, n.ID)
		}
	}

	// nodes: one null with its error at its index, the others found; the
	// consents' placements share one FinPro call.
	var ids []string
	for id := range o.consents {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	bogus := relay.ConsentID(relay.ConsentRef("00000000-0000-4000-8000-000000000000", ""))
	ids = slices.Insert(ids, 1, bogus)
	e.sb.ResetStats()
	r := e.post(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids})
	var got struct{ Nodes []*struct{ ID string } }
	if err := json.Unmarshal(r.Data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Nodes) != len(ids) {
		t.Fatalf("nodes returned %d entries for %d ids", len(got.Nodes), len(ids))
	}
	for i, n := range got.Nodes {
		if (n == nil) != (i == 1) || (n != nil && n.ID != ids[i]) {
			t.Errorf("nodes[%d] = %+v for id %s", i, n, ids[i])
		}
	}
	if len(r.Errors) != 1 || r.Errors[0].code() != "NOT_FOUND" || fmt.Sprint(decodePath(t, r.Errors[0])) != "[nodes 1]" {
		t.Errorf("errors = %+v, want one NOT_FOUND at [nodes 1]", r.Errors)
	}
	if calls := e.sb.Stats()["/v3/getconsentslist"]; calls != 1 {
		t.Errorf("nodes over %d consents made %d consent placements, want 1 (batched)", len(ids), calls)
	}
}

// TestNodeAuthorization checks that node(id:) authorizes as the normal path
// does: a consent of another product (for a token restricted to products)
// or of another customer (for a bound token) answers exactly as an id that
// does not exist, and a transaction needs transactions:read as
// Account.transactions does.
func TestNodeAuthorization(t *testing.T) {
	e := newEnv(t, envOptions{})
	o := normalPath(t, e)
	var consentID, accountID, txnID string
	for id := range o.consents {
		consentID = id
	}
	accountID = o.txnAccount
	for id := range o.transactions {
		txnID = id
	}
	nonexistent := relay.ConsentID(relay.ConsentRef("00000000-0000-4000-8000-000000000000", ""))

	const q = `query($id: ID!) { node(id: $id) { id } }`
	lookup := func(p *auth.Principal, id string) (found bool, code, msg string) {
		t.Helper()
		e.principal = p
		r := e.post(t, q, map[string]any{"id": id})
		var got struct{ Node *struct{ ID string } }
		if err := json.Unmarshal(r.Data, &got); err != nil {
			t.Fatal(err)
		}
		if len(r.Errors) > 0 {
			code, msg = r.Errors[0].code(), r.Errors[0].Message
		}
		return got.Node != nil, code, msg
	}
	_, nfCode, nfMsg := lookup(partner(), nonexistent)
	if nfCode != "NOT_FOUND" {
		t.Fatalf("a nonexistent consent id: code %q, want NOT_FOUND", nfCode)
	}

	otherProduct := &auth.Principal{Subject: "lender", Scopes: auth.DevScopes(), Products: []string{"LOAN_UNDERWRITING"}}
	otherCustomer := customerToken("9123456780")
	noTxns := customerToken(sandbox.DemoMobile, auth.ScopeConsentsRead, auth.ScopeBalancesRead)

	// What Account.transactions answers the token without transactions:read.
	e.principal = noTxns
	r := e.post(t, `query($id: ID!) { node(id: $id) { ... on Account { transactions(first: 1) { totalCount } } } }`, map[string]any{"id": accountID})
	if len(r.Errors) != 1 {
		t.Fatalf("Account.transactions without transactions:read: errors %+v", r.Errors)
	}
	txnCode := r.Errors[0].code()
	// What customer(mobileNumber:) answers a token bound to another customer.
	e.principal = otherCustomer
	r = e.post(t, `{ customer(mobileNumber: "9876543210", productID: "PFM_DASHBOARD") { id } }`, nil)
	if len(r.Errors) != 1 {
		t.Fatalf("customer() of another customer: errors %+v", r.Errors)
	}
	customerCode := r.Errors[0].code()

	for _, tc := range []struct {
		name      string
		principal *auth.Principal
		id        string
		wantFound bool
		wantCode  string
		asMissing bool // the answer must be exactly a nonexistent id's
	}{
		{"partner, consent", partner(), consentID, true, "", false},
		{"demo customer, own account", customerToken(sandbox.DemoMobile), accountID, true, "", false},
		{"demo customer, own transaction", customerToken(sandbox.DemoMobile), txnID, true, "", false},
		{"other product, consent", otherProduct, consentID, false, "NOT_FOUND", true},
		{"other product, account", otherProduct, accountID, false, "NOT_FOUND", true},
		{"other product, transaction", otherProduct, txnID, false, "NOT_FOUND", true},
		{"other customer, consent", otherCustomer, consentID, false, "NOT_FOUND", true},
		{"other customer, transaction", otherCustomer, txnID, false, "NOT_FOUND", true},
		{"other customer, the demo customer", otherCustomer, o.customer, false, customerCode, false},
		{"no transactions:read, transaction", noTxns, txnID, false, txnCode, false},
		{"no transactions:read, account", noTxns, accountID, true, "", false},
		{"malformed id", partner(), "not-an-id", false, "BAD_USER_INPUT", false},
	} {
		found, code, msg := lookup(tc.principal, tc.id)
		if found != tc.wantFound || code != tc.wantCode {
			t.Errorf("%s: found %v, code %q; want %v, %q", tc.name, found, code, tc.wantFound, tc.wantCode)
		}
		if tc.asMissing && msg != nfMsg {
			t.Errorf("%s: message %q differs from a nonexistent id's %q", tc.name, msg, nfMsg)
		}
	}
}
