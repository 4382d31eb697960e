package graph_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// TestConsentsPaging walks the demo customer's consents with changing page
// sizes (so cursors fall off page boundaries) and checks each consent comes
// once, in order, with correct page info and a status filter applied.
func TestConsentsPaging(t *testing.T) {
	e := newEnv(t, envOptions{})
	var want []string
	for _, k := range e.demo(t).Consents {
		if k.ProductID == sandbox.DemoProductID {
			want = append(want, k.ConsentHandle)
		}
	}
	const q = `query($m: String!, $p: ID!, $first: Int, $after: String, $status: [ConsentStatus!]) {
	  customer(mobileNumber: $m, productID: $p) { consents(first: $first, after: $after, status: $status) {
	    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { consentHandle status } } } } }`
	type page struct {
		Customer struct {
			Consents struct {
				TotalCount *int         `json:"totalCount"`
				PageInfo   pageInfoJSON `json:"pageInfo"`
				Edges      []struct {
					Node struct {
						ConsentHandle string `json:"consentHandle"`
						Status        string `json:"status"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"consents"`
		} `json:"customer"`
	}
	sizes := []int{3, 2, 1, 4}
	var got []string
	vars := map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID}
	for i := 0; ; i++ {
		vars["first"] = sizes[i%len(sizes)]
		var p page
		mustData(t, e.post(t, q, vars), &p)
		c := p.Customer.Consents
		for _, ed := range c.Edges {
			got = append(got, ed.Node.ConsentHandle)
		}
		if c.PageInfo.HasPreviousPage != (i > 0) {
			t.Errorf("page %d hasPreviousPage = %v", i, c.PageInfo.HasPreviousPage)
		}
		if c.TotalCount == nil || *c.TotalCount != len(want) {
			t.Errorf("page %d totalCount = %v, want %d", i, c.TotalCount, len(want))
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		if i > len(want) {
			t.Fatal("paging does not end")
		}
		vars["after"] = *c.PageInfo.EndCursor
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("consent pages (-want +got):\n%s", diff)
	}

	var active page
	mustData(t, e.post(t, q, map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID, "status": []string{"ACTIVE", "PAUSED"}}), &active)
	for _, ed := range active.Customer.Consents.Edges {
		if ed.Node.Status != "ACTIVE" && ed.Node.Status != "PAUSED" {
			t.Errorf("status filter returned a %s consent", ed.Node.Status)
		}
	}
	if n := len(active.Customer.Consents.Edges); n != len(activeConsents(e.demo(t)))+1 {
		t.Errorf("ACTIVE or PAUSED consents = %d, want %d", n, len(activeConsents(e.demo(t)))+1)
	}
}

// TestConsentsPagingLeakyFilter pages consents of size 2 over a FinPro whose
// product filter is leaky (its answers hold the customer's other products'
// consents too, finpro-upstream.md §5): every page but the last holds exactly
// first consents of the product, each consent comes once in FinPro's order,
// totalCount is exact, and every cursor continues. Issue 11, item 8.
func TestConsentsPagingLeakyFilter(t *testing.T) {
	e := newEnv(t, envOptions{sandbox: sandbox.Config{Quirks: sandbox.Quirks{LeakyProductFilter: true}}})
	var want []string
	for _, k := range e.demo(t).Consents {
		if k.ProductID == sandbox.DemoProductID {
			want = append(want, k.ConsentHandle)
		}
	}
	const q = `query($m: String!, $p: ID!, $after: String) {
	  customer(mobileNumber: $m, productID: $p) { consents(first: 2, after: $after) {
	    totalCount pageInfo { hasNextPage endCursor } edges { node { consentHandle productID } } } } }`
	var got []string
	vars := map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID}
	for i := 0; i <= len(want); i++ {
		var p struct {
			Customer struct {
				Consents struct {
					TotalCount *int         `json:"totalCount"`
					PageInfo   pageInfoJSON `json:"pageInfo"`
					Edges      []struct {
						Node struct{ ConsentHandle, ProductID string } `json:"node"`
					} `json:"edges"`
				} `json:"consents"`
			} `json:"customer"`
		}
		mustData(t, e.post(t, q, vars), &p)
		c := p.Customer.Consents
		if c.TotalCount == nil || *c.TotalCount != len(want) {
			t.Fatalf("page %d totalCount = %v, want %d", i, c.TotalCount, len(want))
		}
		if wantN := min(2, len(want)-len(got)); len(c.Edges) != wantN {
			t.Fatalf("page %d holds %d consents, want %d", i, len(c.Edges), wantN)
		}
		for _, ed := range c.Edges {
			if ed.Node.ProductID != sandbox.DemoProductID {
				t.Errorf("page %d holds a %s consent", i, ed.Node.ProductID)
			}
			got = append(got, ed.Node.ConsentHandle)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		if c.PageInfo.EndCursor == nil {
			t.Fatalf("page %d has a next page but no endCursor", i)
		}
		vars["after"] = *c.PageInfo.EndCursor
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("consents (-want +got):\n%s", diff)
	}
}

// TestOneConsentListPerOperation checks that every field asking for the
// customer's consents shares one consent list call, whatever its filter or
// page (issue 11, item 9).
func TestOneConsentListPerOperation(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.sb.ResetStats()
	mustData(t, e.post(t, `query($m: String!, $p: ID!) { customer(mobileNumber: $m, productID: $p) {
	  totalBalance { amount }
	  active: consents(status: [ACTIVE], first: 50) { totalCount }
	  all: consents(first: 2) { totalCount }
	  paused: consents(status: [PAUSED]) { totalCount }
	  accounts { id }
	} }`, map[string]any{"m": sandbox.DemoMobile, "p": sandbox.DemoProductID}), &struct{}{})
	if n := e.sb.Stats()["/v1/accounts/getconsentslist"]; n != 1 {
		t.Errorf("consent list calls = %d, want 1", n)
	}
}
