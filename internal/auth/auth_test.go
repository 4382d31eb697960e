package auth_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

func TestPrincipalHelpers(t *testing.T) {
	bound := auth.Principal{Subject: "u", Mobile: "9876543210", Scopes: []string{"balances:read"}, Products: []string{"p1"}}
	free := auth.Principal{Subject: "svc", Scopes: auth.DevScopes()}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"bound.HasScope(balances:read)", bound.HasScope(auth.ScopeBalancesRead), true},
		{"bound.HasScope(consents:read)", bound.HasScope(auth.ScopeConsentsRead), false},
		{"bound.HasScope(\"\")", bound.HasScope(""), false},
		{"free.HasScope(data:sync)", free.HasScope(auth.ScopeDataSync), true},
		{"bound.AllowsProduct(p1)", bound.AllowsProduct("p1"), true},
		{"bound.AllowsProduct(p2)", bound.AllowsProduct("p2"), false},
		{"free.AllowsProduct(p2)", free.AllowsProduct("p2"), true},
		{"bound.AllowsCustomer(own)", bound.AllowsCustomer("9876543210"), true},
		{"bound.AllowsCustomer(other)", bound.AllowsCustomer("9876543211"), false},
		{"bound.AllowsCustomer(\"\")", bound.AllowsCustomer(""), false},
		{"free.AllowsCustomer(any)", free.AllowsCustomer("9876543211"), true},
		{"bound.Bound()", bound.Bound(), true},
		{"free.Bound()", free.Bound(), false},
		{"Principal{}.HasScope(data:sync)", auth.Principal{}.HasScope(auth.ScopeDataSync), false},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestDevScopes(t *testing.T) {
	s := auth.DevScopes()
	if len(s) != 6 {
		t.Errorf("len(DevScopes()) = %d, want 6", len(s))
	}
	s[0] = "changed"
	if auth.DevScopes()[0] == "changed" {
		t.Errorf("DevScopes() returns a shared slice")
	}
}

// TestPrincipalNeverPrintsMobile checks logs and fmt verbs.
func TestPrincipalNeverPrintsMobile(t *testing.T) {
	const mobile = "9876543210"
	p := auth.Principal{Subject: "user-1", Mobile: mobile, Scopes: []string{"a", "b"}}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("req", "principal", p)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("req", "principal", p)
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s", p, p, p, p)
	if strings.Contains(out, mobile) || strings.Contains(out, "987654") {
		t.Errorf("printed Principal contains the mobile number")
	}
	for _, want := range []string{"user-1", "a b"} {
		if !strings.Contains(out, want) {
			t.Errorf("printed Principal lacks %q", want)
		}
	}
}

func TestPrincipalContext(t *testing.T) {
	if _, ok := auth.PrincipalFrom(t.Context()); ok {
		t.Errorf("PrincipalFrom(empty ctx) ok = true, want false")
	}
	ctx := auth.WithPrincipal(t.Context(), auth.Principal{Subject: "s"})
	if p, ok := auth.PrincipalFrom(ctx); !ok || p.Subject != "s" {
		t.Errorf("PrincipalFrom(WithPrincipal(s)) = %q, %v; want s, true", p.Subject, ok)
	}
}
