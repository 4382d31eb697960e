package graph_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
)

// authScope returns the scope of a field's @auth directive, "" without one.
func authScope(f *ast.FieldDefinition) string {
	d := f.Directives.ForName("auth")
	if d == nil {
		return ""
	}
	return d.Arguments.ForName("scope").Value.Raw
}

// TestAuthCoverage pins which fields need which scope (graph/README.md has
// the table) and checks that every account type repeats the Account
// interface's @auth directives (gqlgen runs a concrete type's directives, not
// the interface's) and guards its own fields, so a new FI type cannot leave
// one open.
func TestAuthCoverage(t *testing.T) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	want := map[string]string{
		"Query.customer":                    "CONSENTS_READ",
		"Query.me":                          "CONSENTS_READ",
		"Query.node":                        "CONSENTS_READ",
		"Query.nodes":                       "CONSENTS_READ",
		"Mutation.requestConsent":           "CONSENTS_WRITE",
		"Mutation.revokeConsent":            "CONSENTS_WRITE",
		"Mutation.requestData":              "CONSENTS_WRITE",
		"Mutation.syncIncrementalData":      "DATA_SYNC",
		"Subscription.consentStatusChanged": "CONSENTS_READ",
		"Subscription.consentEvents":        "CONSENTS_READ",
		"Query.consent":                     "CONSENTS_READ",
		"Query.accountAggregators":          "CONSENTS_READ",
		"Query.products":                    "CONSENTS_READ",
		"Mutation.createConsentRedirect":    "CONSENTS_WRITE",
		"Mutation.completeConsentRedirect":  "CONSENTS_WRITE",
		"Consent.dataStatus":                "CONSENTS_READ",
		"DataStatusEvent.consent":           "CONSENTS_READ",
		"Customer.consents":                 "CONSENTS_READ",
		"Customer.accounts":                 "CONSENTS_READ",
		"Customer.account":                  "CONSENTS_READ",
		"Customer.totalBalance":             "BALANCES_READ",
		"Customer.insights":                 "TRANSACTIONS_READ",
		"Customer.netWorth":                 "BALANCES_READ",
		"ConsentStatusEvent.consent":        "CONSENTS_READ",
		"Account.balance":                   "BALANCES_READ",
		"Account.profile":                   "CONSENTS_READ",
		"Account.transactions":              "TRANSACTIONS_READ",
		"Account.insights":                  "TRANSACTIONS_READ",
	}
	got := make(map[string]string)
	account := s.Types["Account"]
	for name, def := range s.Types {
		if def.BuiltIn {
			continue
		}
		isAccount := slices.Contains(def.Interfaces, "Account")
		for _, f := range def.Fields {
			scope := authScope(f)
			if isAccount {
				if inIface := account.Fields.ForName(f.Name); inIface != nil {
					if scope != authScope(inIface) {
						t.Errorf("%s.%s @auth scope = %q, want the Account interface's %q", name, f.Name, scope, authScope(inIface))
					}
				} else if scope == "" {
					t.Errorf("%s.%s has no @auth: an account type's own fields read FinPro data", name, f.Name)
				}
				continue
			}
			if scope != "" {
				got[name+"."+f.Name] = scope
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("@auth fields (-want +got):\n%s", diff)
	}
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		for _, f := range root.Fields {
			if f.Name[0] != '_' && authScope(f) == "" {
				t.Errorf("%s.%s has no @auth", root.Name, f.Name)
			}
		}
	}
}
