package obs_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/obs"
)

// syncBuffer is a bytes.Buffer safe for the handler's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// lines returns the JSON log lines written so far.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(s.b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v", err)
		}
		out = append(out, m)
	}
	return out
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestRequestID(t *testing.T) {
	tests := []struct {
		name      string
		header    string
		wantEcho  bool // the caller's id is kept
		wantFresh bool // a generated id replaces it
	}{
		{"none", "", false, true},
		{"well formed", "abc-123_x.y", true, false},
		{"64 characters", strings.Repeat("a", 64), true, false},
		{"65 characters", strings.Repeat("a", 65), false, true},
		{"space", "abc 123", false, true},
		{"newline injection", "abc\r\nX-Evil: 1", false, true},
		{"unicode", "ab\u00e9", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf syncBuffer
			logger := slog.New(slog.NewJSONHandler(&buf, nil))
			mux := http.NewServeMux()
			var ctxID string
			mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
				ctxID = obs.RequestIDFrom(r.Context())
				obs.Logger(r.Context()).Info("inside")
				w.WriteHeader(http.StatusTeapot)
				w.Write([]byte("hello"))
			})
			h := obs.RequestID(logger)(mux)
			req := httptest.NewRequest(http.MethodGet, "/items/9876543210?token=s3cret", nil)
			if tc.header != "" {
				req.Header[obs.RequestIDHeader] = []string{tc.header}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			got := rec.Header().Get(obs.RequestIDHeader)
			if tc.wantEcho && got != tc.header {
				t.Errorf("response %s = %q, want the caller's %q", obs.RequestIDHeader, got, tc.header)
			}
			if tc.wantFresh && !generatedID.MatchString(got) {
				t.Errorf("response %s = %q, want 32 hex digits", obs.RequestIDHeader, got)
			}
			if ctxID != got {
				t.Errorf("RequestIDFrom(ctx) = %q, want the response's %q", ctxID, got)
			}
			lines := buf.lines(t)
			if len(lines) != 2 {
				t.Fatalf("got %d log lines, want 2 (handler, access)", len(lines))
			}
			for _, l := range lines {
				if l["request_id"] != got {
					t.Errorf("log line %q: request_id = %v, want %q", l["msg"], l["request_id"], got)
				}
			}
			access := lines[1]
			delete(access, "time")
			delete(access, "duration")
			want := map[string]any{
				"level": "INFO", "msg": "request", "request_id": got,
				"method": "GET", "route": "GET /items/{id}", "status": float64(http.StatusTeapot), "bytes": float64(5),
			}
			if diff := cmp.Diff(want, access); diff != "" {
				t.Errorf("access log line (-want +got):\n%s", diff)
			}
			raw := buf.b.String()
			for _, leak := range []string{"9876543210", "s3cret", "token"} {
				if strings.Contains(raw, leak) {
					t.Errorf("the logs contain the request's path or query (%q)", leak)
				}
			}
		})
	}
}

// TestRequestIDUnmatched checks the access log of a request no route matches.
func TestRequestIDUnmatched(t *testing.T) {
	var buf syncBuffer
	h := obs.RequestID(slog.New(slog.NewJSONHandler(&buf, nil)))(http.NotFoundHandler())
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/secret/9876543210", nil))
	lines := buf.lines(t)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1", len(lines))
	}
	if got, want := lines[0]["route"], "unmatched"; got != want {
		t.Errorf("route = %v, want %q", got, want)
	}
	if got, want := lines[0]["status"], float64(http.StatusNotFound); got != want {
		t.Errorf("status = %v, want %v", got, want)
	}
}

// TestLoggerDefault checks Logger outside a request.
func TestLoggerDefault(t *testing.T) {
	if got := obs.Logger(t.Context()); got != slog.Default() {
		t.Errorf("Logger(ctx without a request) = %p, want slog.Default()", got)
	}
}
