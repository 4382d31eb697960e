package events

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// TestEventOf: a decoded webhook becomes a stored Event without the mobile
// or FinPro's message, in UTC, with the receipt time standing in for a
// missing timestamp.
func TestEventOf(t *testing.T) {
	received := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	body := `{ "timestamp": "2024-05-02 15:45:21", "consentHandle": "h-4",
		"eventType": "DATA", "eventStatus": "DATA_READY", "consentId": "c-4",
		"vua": "9876543210@onemoney", "eventMessage": "Data ready for 9876543210",
		"productID": "AGENT", "accountID": "AGENT1678429501561", "fetchType": "PERIODIC",
		"consentExpiry": "2025-05-02 10:14:40", "dataExpiry": "2024-05-09T10:15:21.000Z",
		"sessionId": "s-4", "firstTimeFetch": "true",
		"linkRefNumbers": [ { "linkRefNumber": "l-1", "fiStatus": "READY",
			"fipName": "HDFC Bank", "fipId": "HDFC-FIP", "maskedAccountNumber": "XXXXXXXX7300" } ] }`
	w, err := finpro.DecodeWebhook([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := Event{
		Type: TypeData, Status: finpro.EventDataReady, ConsentHandle: "h-4", ConsentID: "c-4", Source: SourceWebhook,
		OccurredAt: time.Date(2024, 5, 2, 10, 15, 21, 0, time.UTC),
		ProductID:  "AGENT", AccountID: "AGENT1678429501561", FetchType: "PERIODIC",
		ConsentExpiry: time.Date(2025, 5, 2, 4, 44, 40, 0, time.UTC),
		DataExpiry:    time.Date(2024, 5, 9, 10, 15, 21, 0, time.UTC),
		SessionID:     "s-4", FirstTimeFetch: true,
		Accounts: []AccountStatus{{LinkReferenceNumber: "l-1", FIStatus: "READY", FIPID: "HDFC-FIP", FIPName: "HDFC Bank", MaskedAccountNumber: "XXXXXXXX7300"}},
	}
	got := eventOf(w, received)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("eventOf() mismatch (-want +got):\n%s", diff)
	}
	if got.OccurredAt.Location() != time.UTC || got.ConsentExpiry.Location() != time.UTC {
		t.Errorf("eventOf() times in %v and %v, want UTC", got.OccurredAt.Location(), got.ConsentExpiry.Location())
	}
	stored, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), "9876543210") {
		t.Error("stored event contains the mobile")
	}

	noTime, err := finpro.DecodeWebhook([]byte(`{"consentHandle":"h-5","eventType":"CONSENT","eventStatus":"CONSENT_PAUSED"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := eventOf(noTime, received); !got.OccurredAt.Equal(received) {
		t.Errorf("eventOf() without a timestamp OccurredAt = %v, want the receipt time %v", got.OccurredAt, received)
	}
}

// TestWebhookID: a retry that re-serialises the same event has the same id;
// events that differ in any identifying field do not.
func TestWebhookID(t *testing.T) {
	id := func(body string) string {
		t.Helper()
		w, err := finpro.DecodeWebhook([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return webhookID(w)
	}
	base := id(`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c"}`)
	if len(base) != 64 {
		t.Errorf("webhookID() = %q, want 64 hex digits", base)
	}
	same := id(`{ "eventStatus":"CONSENT_APPROVED", "consentId":"c", "eventType":"CONSENT", "consentHandle":"h",
		"timestamp":"2024-05-02T10:15:01.120Z", "eventMessage":"reworded" }`)
	if same != base {
		t.Error("webhookID() of a re-serialised retry differs")
	}
	for _, other := range []string{
		`{"timestamp":"2024-05-02T10:15:01.121Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c"}`,
		`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h2","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c"}`,
		`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_REVOKED","consentId":"c"}`,
		`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c2"}`,
	} {
		if id(other) == base {
			t.Errorf("webhookID() of a different event equals the first: %s", other)
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
