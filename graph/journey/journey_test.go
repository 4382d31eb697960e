package journey

import (
	"strings"
	"testing"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	fpjourney "github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
)

func ptr(s string) *string { return &s }

func TestPageArgs(t *testing.T) {
	returns, err := returnurl.Parse([]string{"https://app.example.com/back"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		returns  *returnurl.List
		redirect *string
		fipIDs   []string
		pan      *string
		want     string // the page's return address; "" with wantErr
		wantErr  bool
	}{
		{"default return address", returns, nil, nil, nil, "https://app.example.com/back", false},
		{"below a return address", returns, ptr("https://app.example.com/back/x"), []string{"FIP-1"}, ptr("ABCDE1234F"), "https://app.example.com/back/x", false},
		{"not a return address", returns, ptr("https://evil.example.com/"), nil, nil, "", true},
		{"not a PAN", returns, nil, nil, ptr("abcde1234f"), "", true},
		{"bad FIP id", returns, nil, []string{"a b"}, nil, "", true},
		{"too many FIPs", returns, nil, strings.Fields(strings.Repeat("FIP ", maxFIPIDs+1)), nil, "", true},
		{"no page, none asked", nil, nil, nil, nil, "", false},
		{"no page, one asked", nil, ptr("https://app.example.com/back"), nil, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := PageArgs(tt.returns, tt.redirect, tt.fipIDs, tt.pan)
			if tt.wantErr {
				if e, ok := apierr.As(err); !ok || e.Code != apierr.BadUserInput {
					t.Fatalf("PageArgs() error = %v, want BAD_USER_INPUT", err)
				}
				return
			}
			if err != nil || page.Redirect != tt.want {
				t.Fatalf("PageArgs() = %q, %v; want %q", page.Redirect, err, tt.want)
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		status, code string
		want         model.ConsentRedirectOutcome
		wantCode     string
	}{
		{"S", "", model.ConsentRedirectOutcomeApproved, ""},
		{"S", "0", model.ConsentRedirectOutcomeApproved, ""},
		{"F", "1", model.ConsentRedirectOutcomeRejected, "1"},
		{"F", "9", model.ConsentRedirectOutcomeFailed, "9"},
		{"", "", model.ConsentRedirectOutcomeFailed, ""},
	}
	for _, tt := range tests {
		got, code := Outcome(&fpjourney.RedirectOutcome{Status: tt.status, ErrorCode: tt.code})
		if got != tt.want || deref(code) != tt.wantCode {
			t.Errorf("Outcome(%q, %q) = %s, %q; want %s, %q", tt.status, tt.code, got, deref(code), tt.want, tt.wantCode)
		}
	}
}

func TestReturnedRefs(t *testing.T) {
	many := strings.Split(strings.Repeat("h,", MaxRedirectConsents+2), ",")[:MaxRedirectConsents+2]
	tests := []struct {
		name    string
		handles []string
		want    int
		ok      bool
	}{
		{"none", nil, 0, false},
		{"one", []string{"h1"}, 1, true},
		{"not an id", []string{"h1", "a b"}, 0, false},
		{"more than a page asks", many, MaxRedirectConsents, true},
	}
	for _, tt := range tests {
		refs, ok := ReturnedRefs(&fpjourney.RedirectOutcome{ConsentHandles: tt.handles})
		if len(refs) != tt.want || ok != tt.ok {
			t.Errorf("%s: ReturnedRefs() = %d refs, %v; want %d, %v", tt.name, len(refs), ok, tt.want, tt.ok)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
