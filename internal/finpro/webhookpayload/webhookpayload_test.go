package webhookpayload_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
)

// TestDecode decodes finpro-upstream.md §2d's payloads, then the
// oddities §2b, §2c and §4 report (string booleans, "<NULL>" consent ids,
// keys in another case, SESSION_EXPIRED without accounts) and what must be
// refused. Expected values are read off the payloads by hand.
func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    webhookpayload.Event
		wantErr error
	}{
		{
			name: "§2d type 1 approved",
			body: `{ "timestamp": "2024-05-02T10:15:01.120Z", "consentHandle": "7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10",
				"eventType": "CONSENT", "eventStatus": "CONSENT_APPROVED",
				"consentId": "c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12", "vua": "9999999999@onemoney",
				"eventMessage": "Consent approved for consent id c0a8f3d2-5b6e-4c1a-9f7e-2d4b6a8c0e12" }`,
			want: webhookpayload.Event{
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
			want: webhookpayload.Event{
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
			want: webhookpayload.Event{
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
			want: webhookpayload.Event{
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
			want: webhookpayload.Event{
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
			want: webhookpayload.Event{
				Type: "DATA", Status: "SESSION_FAILED", ConsentHandle: "h-7", ConsentID: "c-7",
				Timestamp: time.Date(2024, 5, 2, 4, 50, 0, 0, time.UTC), RawTimestamp: "2024-05-02T10:20:00+0530",
				SessionID: "s-7",
				Accounts:  []finpro.FIAccountStatus{{LinkReferenceNumber: "l-1", FIStatus: "TIMEOUT", FIPID: "SBI-FIP"}},
			},
		},
		{
			name: "session expired without accounts; a +91 vua is not a mobile",
			body: `{"consentHandle":"h-5","eventType":"DATA","eventStatus":"SESSION_EXPIRED","firstTimeFetch":"TRUE","vua":"+919876543210@onemoney"}`,
			want: webhookpayload.Event{Type: "DATA", Status: "SESSION_EXPIRED", ConsentHandle: "h-5", FirstTimeFetch: true},
		},
		{
			name: "null consent id, capitalised consentID key, lower-case values, unreadable timestamp",
			body: `{"timestamp":"yesterday","consentHandle":" h-3 ","eventType":"consent","eventStatus":"consent_resumed","consentID":null}`,
			want: webhookpayload.Event{
				Type: "CONSENT", Status: "CONSENT_RESUMED", ConsentStatus: finpro.ConsentActive,
				ConsentHandle: "h-3", RawTimestamp: "yesterday",
			},
		},
		{
			name: "empty consent id, paused",
			body: `{"consentHandle":"h-8","eventType":"CONSENT","eventStatus":"CONSENT_PAUSED","consentId":""}`,
			want: webhookpayload.Event{Type: "CONSENT", Status: "CONSENT_PAUSED", ConsentStatus: finpro.ConsentPaused, ConsentHandle: "h-8"},
		},
		{name: "malformed json", body: `{"consentHandle":`, wantErr: webhookpayload.ErrMalformed},
		{name: "not an object", body: `[1,2]`, wantErr: webhookpayload.ErrMalformed},
		{name: "a string", body: `"CONSENT"`, wantErr: webhookpayload.ErrMalformed},
		{name: "null", body: `null`, wantErr: webhookpayload.ErrMalformed},
		{name: "wrong field type", body: `{"consentHandle":42,"eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: webhookpayload.ErrMalformed},
		{name: "missing handle", body: `{"eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: webhookpayload.ErrMalformed},
		{name: "blank handle", body: `{"consentHandle":"  ","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: webhookpayload.ErrMalformed},
		{name: "missing type", body: `{"consentHandle":"h","eventStatus":"CONSENT_APPROVED"}`, wantErr: webhookpayload.ErrMalformed},
		{name: "missing status", body: `{"consentHandle":"h","eventType":"CONSENT"}`, wantErr: webhookpayload.ErrMalformed},
		{name: "unknown consent status", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_MELTED"}`, wantErr: webhookpayload.ErrUnsupported},
		{name: "data status under consent", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"DATA_READY"}`, wantErr: webhookpayload.ErrUnsupported},
		{name: "consent status under data", body: `{"consentHandle":"h","eventType":"DATA","eventStatus":"CONSENT_APPROVED"}`, wantErr: webhookpayload.ErrUnsupported},
		{name: "data ext", body: `{"consentHandle":"h","eventType":"DATA_EXT","eventStatus":"DATA_PUSH"}`, wantErr: webhookpayload.ErrUnsupported},
		{name: "orchestration SUCCESS", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"SUCCESS"}`, wantErr: webhookpayload.ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := webhookpayload.Decode([]byte(tc.body))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Decode() error = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Decode() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeErrorsDoNotQuoteTheBody: an error names the field or the
// offset, never the payload's values (which hold a VUA).
func TestDecodeErrorsDoNotQuoteTheBody(t *testing.T) {
	for _, body := range []string{
		`{"vua":"9876543210@onemoney","consentHandle":9876543210}`,
		`{"vua":"9876543210@onemoney","consentHandle":"h",`,
	} {
		_, err := webhookpayload.Decode([]byte(body))
		if err == nil {
			t.Fatalf("Decode() error = nil, want one")
		}
		if msg := err.Error(); strings.Contains(msg, "9876543210") {
			t.Errorf("Decode() error quotes the mobile: %s", msg)
		}
	}
}
