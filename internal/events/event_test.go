package events

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/webhookpayload"
)

// TestFromWebhook: a decoded webhook becomes a stored Event without the mobile
// or FinPro's message, in UTC, with the receipt time standing in for a
// missing timestamp.
func TestFromWebhook(t *testing.T) {
	received := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	body := `{ "timestamp": "2024-05-02 15:45:21", "consentHandle": "h-4",
		"eventType": "DATA", "eventStatus": "DATA_READY", "consentId": "c-4",
		"vua": "9876543210@onemoney", "eventMessage": "Data ready for 9876543210",
		"productID": "AGENT", "accountID": "AGENT1678429501561", "fetchType": "PERIODIC",
		"consentExpiry": "2025-05-02 10:14:40", "dataExpiry": "2024-05-09T10:15:21.000Z",
		"sessionId": "s-4", "firstTimeFetch": "true",
		"linkRefNumbers": [ { "linkRefNumber": "l-1", "fiStatus": "READY",
			"fipName": "HDFC Bank", "fipId": "HDFC-FIP", "maskedAccountNumber": "XXXXXXXX7300" } ] }`
	w, err := webhookpayload.Decode([]byte(body))
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
	got := FromWebhook(w, received)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FromWebhook() mismatch (-want +got):\n%s", diff)
	}
	if got.OccurredAt.Location() != time.UTC || got.ConsentExpiry.Location() != time.UTC {
		t.Errorf("FromWebhook() times in %v and %v, want UTC", got.OccurredAt.Location(), got.ConsentExpiry.Location())
	}
	stored, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), "9876543210") {
		t.Error("stored event contains the mobile")
	}

	noTime, err := webhookpayload.Decode([]byte(`{"consentHandle":"h-5","eventType":"CONSENT","eventStatus":"CONSENT_PAUSED"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := FromWebhook(noTime, received); !got.OccurredAt.Equal(received) {
		t.Errorf("FromWebhook() without a timestamp OccurredAt = %v, want the receipt time %v", got.OccurredAt, received)
	}
}

// TestWebhookID: a retry that re-serialises the same event has the same id;
// events that differ in any identifying field do not.
func TestWebhookID(t *testing.T) {
	id := func(body string) string {
		t.Helper()
		w, err := webhookpayload.Decode([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return WebhookID(w)
	}
	base := id(`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c"}`)
	if len(base) != 64 {
		t.Errorf("WebhookID() = %q, want 64 hex digits", base)
	}
	same := id(`{ "eventStatus":"CONSENT_APPROVED", "consentId":"c", "eventType":"CONSENT", "consentHandle":"h",
		"timestamp":"2024-05-02T10:15:01.120Z", "eventMessage":"reworded" }`)
	if same != base {
		t.Error("WebhookID() of a re-serialised retry differs")
	}
	for _, other := range []string{
		`{"timestamp":"2024-05-02T10:15:01.121Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c"}`,
		`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h2","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c"}`,
		`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_REVOKED","consentId":"c"}`,
		`{"timestamp":"2024-05-02T10:15:01.120Z","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED","consentId":"c2"}`,
	} {
		if id(other) == base {
			t.Errorf("WebhookID() of a different event equals the first: %s", other)
		}
	}
}

func TestHandleToken(t *testing.T) {
	for _, h := range []string{"7b1e6a2c-1f0e-4a7e-9a55-0c3f5f6b2d10", "a.b", "x*y", "with space", ">"} {
		tok := HandleToken(h)
		if !ValidToken(tok) {
			t.Errorf("HandleToken(%q) = %q, want a plain subject token", h, tok)
		}
	}
	if HandleToken("a.b") == HandleToken("a_b") {
		t.Errorf("HandleToken(%q) == HandleToken(%q), want distinct", "a.b", "a_b")
	}
}

func TestCursor(t *testing.T) {
	for _, seq := range []uint64{0, 1, 42, 1 << 63} {
		c := Event{Seq: seq}.Cursor()
		got, err := ParseCursor(c)
		if err != nil || got != seq {
			t.Errorf("ParseCursor(Event{Seq: %d}.Cursor()) = %d, %v, want %d, nil", seq, got, err, seq)
		}
	}
	if got, err := ParseCursor(""); got != 0 || err != nil {
		t.Errorf("ParseCursor(\"\") = %d, %v, want 0, nil", got, err)
	}
	for _, bad := range []string{"!!", "MTIz" /* "123" */, "ZXYxOi0x" /* "ev1:-1" */} {
		if _, err := ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) error = nil, want an error", bad)
		}
	}
}

// TestFromWebhookTimestampLayouts: an event's time is read by the client's one
// timestamp parser (finpro-upstream.md §4), so every layout FinPro sends gives
// the same instant, in UTC; only an unreadable one falls back to the receipt time.
func TestFromWebhookTimestampLayouts(t *testing.T) {
	received := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	at := time.Date(2024, 5, 2, 4, 50, 0, 0, time.UTC) // 10:20 IST
	tests := []struct {
		name, ts string
		want     time.Time
	}{
		{"UTC with Z", "2024-05-02T04:50:00Z", at},
		{"UTC with Z and milliseconds", "2024-05-02T04:50:00.000Z", at},
		{"+05:30", "2024-05-02T10:20:00+05:30", at},
		{"+0530 without a colon", "2024-05-02T10:20:00+0530", at},
		{"+0530 with milliseconds", "2024-05-02T10:20:00.000+0530", at},
		{"IST without a zone, space", "2024-05-02 10:20:00", at},
		{"IST without a zone, T", "2024-05-02T10:20:00", at},
		{"minute precision", "2024-05-02T10:20", at},
		{"minute precision with a space", "2024-05-02 10:20", at},
		{"unreadable: the receipt time", "02/05/2024 10:20", received},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := webhookpayload.Decode([]byte(`{"timestamp":"` + tt.ts + `","consentHandle":"h","eventType":"CONSENT","eventStatus":"CONSENT_APPROVED"}`))
			if err != nil {
				t.Fatal(err)
			}
			got := FromWebhook(w, received).OccurredAt
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("OccurredAt of %q = %v, want %v in UTC", tt.ts, got, tt.want)
			}
		})
	}
}
