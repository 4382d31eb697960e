package events

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func TestParseWebhook(t *testing.T) {
	received := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		body       string
		want       Event
		wantMobile string
		wantErr    error
	}{
		{
			name: "type 1 approved",
			body: `{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h-1","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED",
				"consentId":"c-1","vua":"9876543210@onemoney","eventMessage":"Consent approved"}`,
			want: Event{
				Type: TypeConsent, Status: StatusConsentApproved, ConsentStatus: finpro.ConsentActive,
				ConsentHandle: "h-1", ConsentID: "c-1", Source: SourceWebhook,
				OccurredAt: time.Date(2024, 5, 2, 10, 15, 1, 120e6, time.UTC),
			},
			wantMobile: "9876543210",
		},
		{
			name: "rejected with <NULL> consent id and no vua",
			body: `{"timestamp":"2024-05-02T10:15:09.800Z","consentHandle":"h-2","eventType":"CONSENT",
				"eventStatus":"CONSENT_REJECTED","consentId":"<NULL>","eventMessage":"Consent rejected"}`,
			want: Event{
				Type: TypeConsent, Status: StatusConsentRejected, ConsentStatus: finpro.ConsentRejected,
				ConsentHandle: "h-2", Source: SourceWebhook,
				OccurredAt: time.Date(2024, 5, 2, 10, 15, 9, 800e6, time.UTC),
			},
		},
		{
			name: "null consent id, capitalised consentID key, lowercase values",
			body: `{"consentHandle":"h-3","eventType":"consent","eventStatus":"consent_resumed","consentID":null}`,
			want: Event{
				Type: TypeConsent, Status: StatusConsentResumed, ConsentStatus: finpro.ConsentActive,
				ConsentHandle: "h-3", Source: SourceWebhook, OccurredAt: received,
			},
		},
		{
			name: "type 2 data ready, masked vua, string boolean, naive expiry",
			body: `{"timestamp":"2024-05-02T10:15:21.146Z","consentHandle":"h-4","eventType":"DATA","eventStatus":"DATA_READY",
				"consentId":"c-4","vua":"XXXXXX9999@onemoney","eventMessage":"Data ready","productID":"AGENT",
				"accountID":"AGENT1678429501561","fetchType":"PERIODIC","consentExpiry":"2025-05-02 10:14:40",
				"dataExpiry":"2024-05-09T10:15:21.000Z","sessionId":"s-4","firstTimeFetch":"true",
				"linkRefNumbers":[{"linkRefNumber":"l-1","fiStatus":"READY","fipName":"HDFC Bank","fipID":"HDFC-FIP","maskedAccountNumber":"XXXXXXXX7300"}]}`,
			want: Event{
				Type: TypeData, Status: StatusDataReady, ConsentHandle: "h-4", ConsentID: "c-4", Source: SourceWebhook,
				OccurredAt: time.Date(2024, 5, 2, 10, 15, 21, 146e6, time.UTC),
				ProductID:  "AGENT", AccountID: "AGENT1678429501561", FetchType: "PERIODIC",
				ConsentExpiry: time.Date(2025, 5, 2, 4, 44, 40, 0, time.UTC),
				DataExpiry:    time.Date(2024, 5, 9, 10, 15, 21, 0, time.UTC),
				SessionID:     "s-4", FirstTimeFetch: true,
				Accounts: []AccountStatus{{LinkReferenceNumber: "l-1", FIStatus: "READY", FIPID: "HDFC-FIP", FIPName: "HDFC Bank", MaskedAccountNumber: "XXXXXXXX7300"}},
			},
		},
		{
			name: "session expired without accounts, boolean false string",
			body: `{"consentHandle":"h-5","eventType":"DATA","eventStatus":"SESSION_EXPIRED","firstTimeFetch":"false","vua":"+919876543210@onemoney"}`,
			want: Event{
				Type: TypeData, Status: StatusSessionExpired, ConsentHandle: "h-5", Source: SourceWebhook, OccurredAt: received,
			},
			wantMobile: "9876543210",
		},
		{name: "malformed json", body: `{"consentHandle":`, wantErr: errMalformed},
		{name: "not an object", body: `[1,2]`, wantErr: errMalformed},
		{name: "wrong field type", body: `{"consentHandle":42,"eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: errMalformed},
		{name: "missing handle", body: `{"eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`, wantErr: errMalformed},
		{name: "missing type", body: `{"consentHandle":"h","eventStatus":"CONSENT_APPROVED"}`, wantErr: errMalformed},
		{name: "missing status", body: `{"consentHandle":"h","eventType":"CONSENT"}`, wantErr: errMalformed},
		{name: "unknown consent status", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_MELTED"}`, wantErr: errUnsupported},
		{name: "data status under consent", body: `{"consentHandle":"h","eventType":"CONSENT","eventStatus":"DATA_READY"}`, wantErr: errUnsupported},
		{name: "data ext", body: `{"consentHandle":"h","eventType":"DATA_EXT","eventStatus":"DATA_PUSH"}`, wantErr: errUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, mobile, id, err := parseWebhook([]byte(tc.body), received)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("parseWebhook() error = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parseWebhook() event mismatch (-want +got):\n%s", diff)
			}
			if mobile != tc.wantMobile {
				t.Errorf("parseWebhook() mobile match = %t, want %t", mobile != "", tc.wantMobile != "")
			}
			if len(id) != 64 {
				t.Errorf("parseWebhook() id = %q, want 64 hex digits", id)
			}
		})
	}
}

func TestConsentStatusOfEveryConsentEvent(t *testing.T) {
	want := map[string]finpro.ConsentStatus{
		"CONSENT_APPROVED": "ACTIVE", "CONSENT_REJECTED": "REJECTED", "CONSENT_PAUSED": "PAUSED",
		"CONSENT_RESUMED": "ACTIVE", "CONSENT_REVOKED": "REVOKED", "CONSENT_EXPIRED": "EXPIRED",
	}
	if diff := cmp.Diff(want, consentStatusOf); diff != "" {
		t.Errorf("consentStatusOf mismatch (-want +got):\n%s", diff)
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-05-02T10:15:01.120Z", time.Date(2024, 5, 2, 10, 15, 1, 120e6, time.UTC), true},
		{"2024-05-02T15:45:01+05:30", time.Date(2024, 5, 2, 10, 15, 1, 0, time.UTC), true},
		{"2024-05-03 10:14:40", time.Date(2024, 5, 3, 4, 44, 40, 0, time.UTC), true},
		{"2024-05-03T10:14:40", time.Date(2024, 5, 3, 4, 44, 40, 0, time.UTC), true},
		{"2024-05-03 10:14:40.500", time.Date(2024, 5, 3, 4, 44, 40, 500e6, time.UTC), true},
		{"", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := parseTime(tc.in)
		if !got.Equal(tc.want) || ok != tc.ok {
			t.Errorf("parseTime(%q) = %v, %t, want %v, %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMobileFromVUA(t *testing.T) {
	tests := []struct {
		vua  string
		want bool
	}{
		{"9876543210@onemoney", true},
		{"919876543210@onemoney", true},
		{"+919876543210@onemoney", true},
		{"XXXXXX9999@onemoney", false},
		{"XXXXXXX773@onemoney", false},
		{"98765@onemoney", false},
		{"", false},
		{"someone@example.com", false},
	}
	for _, tc := range tests {
		got, ok := mobileFromVUA(tc.vua)
		if ok != tc.want || (ok && len(got) != 10) {
			t.Errorf("mobileFromVUA(%q) ok = %t, want %t", tc.vua, ok, tc.want)
		}
	}
}

func TestValidSignature(t *testing.T) {
	body := []byte(`{"a":1}`)
	good := sign(body)
	tests := []struct {
		name string
		sig  string
		want bool
	}{
		{"hex", good, true},
		{"sha256 prefix", "sha256=" + good, true},
		{"uppercase hex", upper(good), true},
		{"empty", "", false},
		{"not hex", "zz" + good[2:], false},
		{"short", good[:10], false},
		{"other body", sign([]byte(`{"a":2}`)), false},
	}
	for _, tc := range tests {
		if got := validSignature(testSecret, body, tc.sig); got != tc.want {
			t.Errorf("validSignature(%s) = %t, want %t", tc.name, got, tc.want)
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestHandleToken(t *testing.T) {
	for _, h := range []string{"7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10", "a.b", "x*y", "with space", ">"} {
		tok := handleToken(h)
		if !plainToken.MatchString(tok) {
			t.Errorf("handleToken(%q) = %q, want a plain subject token", h, tok)
		}
	}
	if handleToken("a.b") == handleToken("a_b") {
		t.Errorf("handleToken(%q) == handleToken(%q), want distinct", "a.b", "a_b")
	}
}
