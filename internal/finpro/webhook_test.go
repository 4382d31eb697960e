package finpro_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// TestDecodeWebhook decodes finpro-upstream.md §2d's payloads, then the
// oddities §2b, §2c and §4 report (string booleans, "<NULL>" consent ids,
// keys in another case, SESSION_EXPIRED without accounts) and what must be
// refused. Expected values are read off the payloads by hand.
func TestDecodeWebhook(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    finpro.WebhookEvent
		wantErr error
	}{
		{
			name: "§2d type 1 approved",
			body: `{ "timestamp": "2024-05-02T10:15:01.120Z", "consentHandle": "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10",
				"eventType": "CONSENT", "eventStatus": "CONSENT_APPROVED",
				"consentId": "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12", "vua": "9999999999@onemoney",
				"eventMessage": "Consent approved for consent id c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12" }`,
			want: finpro.WebhookEvent{
				Type: "CONSENT", Status: "CONSENT_APPROVED", ConsentStatus: finpro.ConsentActive,
				ConsentHandle: "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10", ConsentID: "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12",
				Timestamp: time.Date(2024, 5, 2, 10, 15, 1, 120e6, time.UTC), RawTimestamp: "2024-05-02T10:15:01.120Z",
				Mobile:       "9999999999",
				EventMessage: "Consent approved for consent id c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12",
			},
		},
		{
			name: "§2d type 2 consent event: masked vua, naive consentExpiry",
			body: `{ "timestamp": "2024-05-02T10:15:01.120Z", "consentHandle": "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10",
				"eventType": "CONSENT", "eventStatus": "CONSENT_APPROVED",
				"consentId": "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12", "vua": "XXXXXXX773@onemoney",
				"productID":"AGENT","accountID":"AGENT1678429501561","fetchType":"ONETIME","consentExpiry":"2024-05-03 10:14:40" }`,
			want: finpro.WebhookEvent{
				Type: "CONSENT", Status: "CONSENT_APPROVED", ConsentStatus: finpro.ConsentActive,
				ConsentHandle: "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10", ConsentID: "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12",
				Timestamp: time.Date(2024, 5, 2, 10, 15, 1, 120e6, time.UTC), RawTimestamp: "2024-05-02T10:15:01.120Z",
				ProductID: "AGENT", AccountID: "AGENT1678429501561", FetchType: "ONETIME",
				ConsentExpiry: time.Date(2024, 5, 3, 4, 44, 40, 0, time.UTC),
			},
		},
		{
			name: "§2d rejected: <NULL> consent id, no vua",
			body: `{ "timestamp": "2024-05-02T10:15:09.800Z", "consentHandle": "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10",
				"eventType": "CONSENT", "eventStatus": "CONSENT_REJECTED", "consentId": "<NULL>",
				"eventMessage": "Consent rejected …" }`,
			want: finpro.WebhookEvent{
				Type: "CONSENT", Status: "CONSENT_REJECTED", ConsentStatus: finpro.ConsentRejected,
				ConsentHandle: "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10",
				Timestamp:     time.Date(2024, 5, 2, 10, 15, 9, 800e6, time.UTC), RawTimestamp: "2024-05-02T10:15:09.800Z",
				EventMessage: "Consent rejected …",
			},
		},
		{
			name: "§2d type 2 data ready",
			body: `{ "timestamp": "2024-05-02T10:15:21.146Z", "consentHandle": "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10",
				"eventType": "DATA", "eventStatus": "DATA_READY", "consentId": "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12",
				"vua": "XXXXXX9999@onemoney", "eventMessage": "Data ready for consent id c0a8f3d2-…",
				"productID": "AGENT", "accountID": "AGENT1678429501561", "fetchType": "PERIODIC",
				"consentExpiry": "2025-05-02 10:14:40", "dataExpiry": "2024-05-09T10:15:21.000Z",
				"sessionId": "21caa19d-f69f-4954-b965-bdc1d6fc5f8a", "firstTimeFetch": true,
				"linkRefNumbers": [ { "linkRefNumber": "e7597a05-5b56-4223-95fc-3f9596ff12eb", "fiStatus": "READY",
					"fipName": "HDFC Bank", "fipId": "HDFC-FIP", "maskedAccountNumber": "XXXXXXXX7300" } ] }`,
			want: finpro.WebhookEvent{
				Type: "DATA", Status: "DATA_READY",
				ConsentHandle: "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10", ConsentID: "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12",
				Timestamp: time.Date(2024, 5, 2, 10, 15, 21, 146e6, time.UTC), RawTimestamp: "2024-05-02T10:15:21.146Z",
				EventMessage: "Data ready for consent id c0a8f3d2-…",
				ProductID:    "AGENT", AccountID: "AGENT1678429501561", FetchType: "PERIODIC",
				ConsentExpiry: time.Date(2025, 5, 2, 4, 44, 40, 0, time.UTC),
				DataExpiry:    time.Date(2024, 5, 9, 10, 15, 21, 0, time.UTC),
				SessionID:     "21caa19d-f69f-4954-b965-bdc1d6fc5f8a", FirstTimeFetch: true,
				Accounts: []finpro.FIAccountStatus{{
					LinkReferenceNumber: "e7597a05-5b56-4223-95fc-3f9596ff12eb", FIStatus: "READY",
					FIPID: "HDFC-FIP", FIPName: "HDFC Bank", MaskedAccountNumber: "XXXXXXXX7300",
				}},
			},
		},
		{
			name: "type 1 data denied with per-account status, lower case values",
			body: `{"timestamp":"2024-05-02 15:45:21","consentHandle":"h-6","eventType":"data","eventStatus":"data_denied",
				"consentId":"c-6","vua":"9876543210@onemoney","sessionId":"s-6",
				"linkRefNumbers":[{"linkRefNumber":"l-1","fiStatus":"denied"},{"linkRefNumber":"l-2","fiStatus":"READY"}]}`,
			want: finpro.WebhookEvent{
				Type: "DATA", Status: "DATA_DENIED", ConsentHandle: "h-6", ConsentID: "c-6",
				Timestamp: time.Date(2024, 5, 2, 10, 15, 21, 0, time.UTC), RawTimestamp: "2024-05-02 15:45:21",
				Mobile: "9876543210", SessionID: "s-6",
				Accounts: []finpro.FIAccountStatus{{LinkReferenceNumber: "l-1", FIStatus: "DENIED"}, {LinkReferenceNumber: "l-2", FIStatus: "READY"}},
			},
		},
		{
			name: "session failed: accounts timed out, IDBI's string boolean",
			body: `{"timestamp":"2024-05-02T10:20:00+0530","consentHandle":"h-7","eventType":"DATA","eventStatus":"SESSION_FAILED",
				"consentId":"c-7","sessionId":"s-7","firstTimeFetch":"false",
				"linkRefNumbers":{"linkRefNumber":"l-1","fiStatus":"TIMEOUT","fipID":"SBI-FIP"}}`,
			want: finpro.WebhookEvent{
				Type: "DATA", Status: "SESSION_FAILED", ConsentHandle: "h-7", ConsentID: "c-7",
				Timestamp: time.Date(2024, 5, 2, 4, 50, 0, 0, time.UTC), RawTimestamp: "2024-05-02T10:20:00+0530",
				SessionID: "s-7",
				Accounts:  []finpro.FIAccountStatus{{LinkReferenceNumber: "l-1", FIStatus: "TIMEOUT", FIPID: "SBI-FIP"}},
			},
		},
		{
			name: "session expired without accounts; a +91 vua is not a mobile",
			body: `{"consentHandle":"h-5","eventType":"DATA","eventStatus":"SESSION_EXPIRED","firstTimeFetch":"TRUE","vua":"+919876543210@onemoney"}`,
			want: finpro.WebhookEvent{Type: "DATA", Status: "SESSION_EXPIRED", ConsentHandle: "h-5", FirstTimeFetch: true},
		},
		{
			name: "null consent id, capitalised consentID key, lower-case values, unreadable timestamp",
			body: `{"timestamp":"yesterday","consentHandle":" h-3 ","eventType":"consent","eventStatus":"consent_resumed","consentID":null}`,
			want: finpro.WebhookEvent{
				Type: "CONSENT", Status: "CONSENT_RESUMED", ConsentStatus: finpro.ConsentActive,
				ConsentHandle: "h-3", RawTimestamp: "yesterday",
			},
		},
		{
			name: "empty consent id, paused",
			body: `{"consentHandle":"h-8","eventType":"CONSENT","eventStatus":"CONSENT_PAUSED","consentId":""}`,
			want: finpro.WebhookEvent{Type: "CONSENT", Status: "CONSENT_PAUSED", ConsentStatus: finpro.ConsentPaused, ConsentHandle: "h-8"},
		},
		{name: "malformed json", body: `{"consentHandle":`, wantErr: finpro.ErrWebhookMalformed},
		{name: "not an object", body: `[1,2]`, wantErr: finpro.ErrWebhookMalformed},
		{name: "a string", body: `"CONSENT"`, wantErr: finpro.ErrWebhookMalformed},
		{name: "null", body: `null`, wantErr: finpro.ErrWebhookMalformed},
		{name: "wrong field type", body: `{"consentHandle":42,"eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: finpro.ErrWebhookMalformed},
		{name: "missing handle", body: `{"eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: finpro.ErrWebhookMalformed},
		{name: "blank handle", body: `{"consentHandle":"  ","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: finpro.ErrWebhookMalformed},
		{name: "missing type", body: `{"consentHandle":"h","eventStatus":"CONSENT_APPROVED"}`, wantErr: finpro.ErrWebhookMalformed},
		{name: "missing status", body: `{"consentHandle":"h","eventType":"CONSENT"}`, wantErr: finpro.ErrWebhookMalformed},
		{name: "unknown consent status", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_MELTED"}`, wantErr: finpro.ErrWebhookUnsupported},
		{name: "data status under consent", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"DATA_READY"}`, wantErr: finpro.ErrWebhookUnsupported},
		{name: "consent status under data", body: `{"consentHandle":"h","eventType":"DATA","eventStatus":"CONSENT_APPROVED"}`, wantErr: finpro.ErrWebhookUnsupported},
		{name: "data ext", body: `{"consentHandle":"h","eventType":"DATA_EXT","eventStatus":"DATA_PUSH"}`, wantErr: finpro.ErrWebhookUnsupported},
		{name: "orchestration SUCCESS", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"SUCCESS"}`, wantErr: finpro.ErrWebhookUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := finpro.DecodeWebhook([]byte(tc.body))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("DecodeWebhook() error = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DecodeWebhook() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeWebhookErrorsDoNotQuoteTheBody: an error names the field or the
// offset, never the payload's values (which hold a VUA).
func TestDecodeWebhookErrorsDoNotQuoteTheBody(t *testing.T) {
	for _, body := range []string{
		`{"vua":"9876543210@onemoney","consentHandle":9876543210}`,
		`{"vua":"9876543210@onemoney","consentHandle":"h",`,
	} {
		_, err := finpro.DecodeWebhook([]byte(body))
		if err == nil {
			t.Fatalf("DecodeWebhook() error = nil, want one")
		}
		if msg := err.Error(); strings.Contains(msg, "9876543210") {
			t.Errorf("DecodeWebhook() error quotes the mobile: %s", msg)
		}
	}
}

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
		{"PENDING", "ACTIVE", "CONSENT_APPROVED"}, {"PAUSED", "ACTIVE", "CONSENT_RESUMED"},
		{"ACTIVE", "PAUSED", "CONSENT_PAUSED"}, {"ACTIVE", "REVOKED", "CONSENT_REVOKED"},
		{"ACTIVE", "EXPIRED", "CONSENT_EXPIRED"}, {"PENDING", "REJECTED", "CONSENT_REJECTED"},
		{"ACTIVE", "PENDING", ""},
	}
	for _, tc := range back {
		got, ok := finpro.EventStatusOf(tc.prev, tc.now)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("EventStatusOf(%s, %s) = %q, %t, want %q", tc.prev, tc.now, got, ok, tc.want)
		}
	}
}
