package finpro_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// TestConsentsByRef looks consents up by handle and by consent ID through
// /v3/getconsentslist and expects the rows the dedup list shows for them.
func TestConsentsByRef(t *testing.T) {
	c, _, _ := newSandbox(t, sandbox.Config{}, nil)
	demo := demoConsents(t, c)
	active, pending := demo["ACTIVE/PERIODIC"], demo["PENDING"]
	for _, tc := range []struct {
		name    string
		q       finpro.ConsentLookup
		want    []finpro.Consent
		wantErr error
	}{
		{"by handles", finpro.ConsentLookup{Handles: []string{active.ConsentHandle, pending.ConsentHandle}}, []finpro.Consent{active, pending}, nil},
		{"by consent ID", finpro.ConsentLookup{ConsentIDs: []string{active.ConsentID}}, []finpro.Consent{active}, nil},
		{"unknown handle is absent", finpro.ConsentLookup{Handles: []string{"00000000-0000-4000-8000-000000000000"}}, []finpro.Consent{}, nil},
		{"a handle is not a consent ID", finpro.ConsentLookup{ConsentIDs: []string{pending.ConsentHandle}}, []finpro.Consent{}, nil},
		{"both modes", finpro.ConsentLookup{Handles: []string{active.ConsentHandle}, ConsentIDs: []string{active.ConsentID}}, nil, finpro.ErrInvalidRequest},
		{"nothing", finpro.ConsentLookup{}, nil, finpro.ErrInvalidRequest},
		{"empty handle", finpro.ConsentLookup{Handles: []string{" "}}, nil, finpro.ErrInvalidRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.ConsentsByRef(t.Context(), tc.q)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ConsentsByRef() error = %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ConsentsByRef() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
