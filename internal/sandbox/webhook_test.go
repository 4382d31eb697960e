package sandbox_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

func TestParseWebhookRetries(t *testing.T) {
	tests := []struct {
		in      string
		want    []time.Duration
		wantErr bool
	}{
		{"30s,2m,10m", []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute}, false},
		{" 1h ", []time.Duration{time.Hour}, false},
		{"0", []time.Duration{}, false},
		{"none", []time.Duration{}, false},
		{"30s,,2m", nil, true},
		{"soon", nil, true},
		{"-1s", nil, true},
		{"0s", nil, true},
	}
	for _, tc := range tests {
		got, err := sandbox.ParseWebhookRetries(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseWebhookRetries(%q) error = %v, want error %t", tc.in, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && (len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) || got == nil) {
			t.Errorf("ParseWebhookRetries(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	var total time.Duration
	for _, d := range sandbox.DefaultWebhookRetries {
		total += d
	}
	if total < time.Hour {
		t.Errorf("DefaultWebhookRetries span %v, want a provider's hours, not seconds", total)
	}
}

// syncBuffer is a log destination safe for the sender's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWebhookRetrySchedule: a receiver that fails is retried on the
// configured schedule, every failure is logged, and after the last retry the
// event is given up (logged as an error) and the next one goes out, in order.
func TestWebhookRetrySchedule(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	var statuses []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		body.ReadFrom(r.Body)
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		if strings.Contains(body.String(), "CONSENT_APPROVED") { // always refused
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		statuses = append(statuses, body.String())
		mu.Unlock()
	}))
	defer recv.Close()
	var logs syncBuffer
	sb, _ := newSandbox(t, sandbox.Config{
		WebhookURL: recv.URL, WebhookSecret: "s",
		WebhookRetries: []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond},
		Logger:         slog.New(slog.NewTextHandler(&logs, nil)),
	})
	k := findConsent(t, sb, "ACTIVE", sandbox.DemoProductID, "")
	pending := findConsent(t, sb, "PENDING", sandbox.DemoProductID, "")
	if err := sb.Transition(t.Context(), pending.ConsentHandle, "approve"); err != nil {
		t.Fatal(err)
	}
	if err := sb.Transition(t.Context(), k.ConsentHandle, "pause"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(statuses)
		mu.Unlock()
		if n >= 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(times) < 4 {
		t.Fatalf("deliveries = %d, want 4 attempts of the failing event first", len(times))
	}
	for i, want := range []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond} {
		if got := times[i+1].Sub(times[i]); got < want {
			t.Errorf("wait before retry %d = %v, want at least %v", i+1, got, want)
		}
	}
	if len(statuses) == 0 || strings.Contains(statuses[0], "CONSENT_APPROVED") {
		t.Errorf("first delivered event = %.80s, want the one after the given-up approval", statuses)
	}
	out := logs.String()
	if got := strings.Count(out, "webhook delivery failed; will retry"); got != 3 {
		t.Errorf("logged failed attempts = %d, want 3:\n%s", got, out)
	}
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "giving up") || !strings.Contains(out, "attempts=4") {
		t.Errorf("log lacks the give-up error after 4 attempts:\n%s", out)
	}
	if strings.Contains(out, sandbox.DemoMobile) {
		t.Error("the log names the customer")
	}
}
