package finpro_test

import (
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func TestConsentStatusOfEvent(t *testing.T) {
	// finpro-upstream.md §2c against the consent list's statuses.
	want := map[string]finpro.ConsentStatus{
		"CONSENT_APPROVED": "ACTIVE", "CONSENT_REJECTED": "REJECTED", "CONSENT_PAUSED": "PAUSED",
		"CONSENT_RESUMED": "ACTIVE", "CONSENT_REVOKED": "REVOKED", "CONSENT_EXPIRED": "EXPIRED",
	}
	for status, cs := range want {
		if got, ok := finpro.ConsentStatusOfEvent(status); !ok || got != cs {
			t.Errorf("ConsentStatusOfEvent(%s) = %s, %t, want %s, true", status, got, ok, cs)
		}
	}
	for _, status := range []string{"DATA_READY", "PENDING", ""} {
		if got, ok := finpro.ConsentStatusOfEvent(status); ok {
			t.Errorf("ConsentStatusOfEvent(%q) = %s, true, want false", status, got)
		}
	}
	// And back: the status a change of the consent list stands for.
	back := []struct {
		prev, now finpro.ConsentStatus
		want      string
	}{
		{"PENDING", "ACTIVE", "CONSENT_APPROVED"},
		{"PAUSED", "ACTIVE", "CONSENT_RESUMED"},
		{"ACTIVE", "PAUSED", "CONSENT_PAUSED"},
		{"ACTIVE", "REVOKED", "CONSENT_REVOKED"},
		{"ACTIVE", "EXPIRED", "CONSENT_EXPIRED"},
		{"PENDING", "REJECTED", "CONSENT_REJECTED"},
		{"ACTIVE", "PENDING", ""},
	}
	for _, tc := range back {
		got, ok := finpro.EventStatusOf(tc.prev, tc.now)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("EventStatusOf(%s, %s) = %q, %t, want %q", tc.prev, tc.now, got, ok, tc.want)
		}
	}
}
