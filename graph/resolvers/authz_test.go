package resolvers

import (
	"context"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

func TestAuth(t *testing.T) {
	all := auth.Principal{Subject: "s", Scopes: auth.DevScopes()}
	tests := []struct {
		name      string
		principal *auth.Principal
		scope     model.Scope
		want      apierr.Code // "" when next runs
	}{
		{"granted", &all, model.ScopeBalancesRead, ""},
		{"every schema scope", &all, model.ScopeProfileRead, ""},
		{"missing", &auth.Principal{Scopes: []string{auth.ScopeConsentsRead}}, model.ScopeBalancesRead, apierr.Forbidden},
		{"no scopes", &auth.Principal{Subject: "s"}, model.ScopeConsentsRead, apierr.Forbidden},
		{"unknown scope", &all, model.Scope("ADMIN"), apierr.Forbidden},
		{"no principal", nil, model.ScopeConsentsRead, apierr.Unauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.principal != nil {
				ctx = auth.WithPrincipal(ctx, *tt.principal)
			}
			ran := false
			_, err := Auth(ctx, nil, func(context.Context) (any, error) { ran = true; return nil, nil }, tt.scope)
			var got apierr.Code
			if e, ok := apierr.As(err); ok {
				got = e.Code
			} else if err != nil {
				t.Fatalf("Auth(%s) error = %v, want an *apierr.Error", tt.scope, err)
			}
			if got != tt.want || ran != (tt.want == "") {
				t.Errorf("Auth(%s) = code %q, next ran %v; want code %q, next ran %v", tt.scope, got, ran, tt.want, tt.want == "")
			}
		})
	}
}

// TestTokenScope checks that every Scope of the schema maps to a token scope
// auth knows.
func TestTokenScope(t *testing.T) {
	for _, s := range model.AllScope {
		got, ok := TokenScope(s)
		if !ok || !(auth.Principal{Scopes: auth.DevScopes()}).HasScope(got) {
			t.Errorf("TokenScope(%s) = %q, %v; want a scope of auth.DevScopes", s, got, ok)
		}
	}
}
