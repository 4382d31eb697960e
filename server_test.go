package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer safe for the server's goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingRE = regexp.MustCompile(`serving on (http://[0-9.:]+)`)

// startRun runs the program with args and env and returns its base URL, once it
// has printed it, and a function that stops it and returns run's error.
func startRun(t *testing.T, args []string, env map[string]string) (base string, stop func() error, logs *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	logs = &syncBuffer{}
	errc := make(chan error, 1)
	go func() {
		err := run(ctx, args, func(k string) string { return env[k] }, pw, logs)
		pw.CloseWithError(io.EOF)
		errc <- err
	}()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urlc <- m[1]:
				default:
				}
			}
		}
		close(urlc)
	}()
	select {
	case base = <-urlc:
	case err := <-errc:
		cancel()
		t.Fatalf("run(%q) = %v before serving; logs:\n%s", args, err, logs)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("run(%q) printed no address in 30s; logs:\n%s", args, logs)
	}
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-errc:
			case <-time.After(30 * time.Second):
				t.Fatalf("run(%q) did not return 30s after cancel", args)
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	return base, stop, logs
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeSandboxMode(t *testing.T) {
	base, stop, logs := startRun(t, []string{"-addr", "127.0.0.1:0"}, nil)

	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/healthz", 200, `"ok"`},
		{"/readyz", 200, `"ready"`},
		{"/_sandbox/stats", 200, `"calls"`},
		{"/no-such-route", 404, ""},
	}
	for _, tc := range tests {
		status, body := get(t, base+tc.path)
		if status != tc.wantStatus || !strings.Contains(body, tc.wantBody) {
			t.Errorf("GET %s = %d %q, want %d containing %q", tc.path, status, body, tc.wantStatus, tc.wantBody)
		}
	}

	// One real query through the whole stack: gqlgen -> loaders -> finpro ->
	// the embedded sandbox over loopback HTTP.
	resp, err := http.Post(base+"/graphql", "application/json", strings.NewReader(
		`{"query":"{ customer(mobileNumber: \"9876543210\", productID: \"PFM_DASHBOARD\") { accounts { linkReferenceNumber balance { amount currency } } } }"}`))
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	var out struct {
		Data struct {
			Customer struct {
				Accounts []struct {
					LinkReferenceNumber string
					Balance             struct{ Amount, Currency string }
				}
			}
		}
		Errors []json.RawMessage
	}
	err = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(out.Errors) > 0 {
		t.Fatalf("POST /graphql = %d, %v, errors %s", resp.StatusCode, err, out.Errors)
	}
	if len(out.Data.Customer.Accounts) < 3 {
		t.Errorf("demo customer has %d accounts, want at least 3", len(out.Data.Customer.Accounts))
	}
	for _, a := range out.Data.Customer.Accounts {
		if a.LinkReferenceNumber == "" || a.Balance.Amount == "" || a.Balance.Currency == "" {
			t.Errorf("account %+v lacks a link reference or balance", a)
		}
	}

	if err := stop(); err != nil {
		t.Errorf("run after cancel = %v, want nil", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Errorf("GET /healthz after shutdown succeeded, want connection refused")
	}
	if strings.Contains(logs.String(), "sandbox-secret") {
		t.Errorf("logs contain the FinPro client secret")
	}
}

func TestServeSandboxCommand(t *testing.T) {
	base, stop, _ := startRun(t, []string{"sandbox", "-addr", "127.0.0.1:0"}, nil)
	status, body := get(t, base+"/_sandbox/stats")
	if status != 200 || !strings.Contains(body, "calls") {
		t.Errorf("GET /_sandbox/stats = %d %q, want 200 with calls", status, body)
	}
	if err := stop(); err != nil {
		t.Errorf("run(sandbox) after cancel = %v, want nil", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string // substrings, all required
	}{
		{
			name:    "real FinPro without credentials names every missing setting",
			env:     map[string]string{"FINPRO_BASE_URL": "https://tenant-uat.moneyone.in"},
			wantErr: []string{"FINPRO_CLIENT_ID", "FINPRO_CLIENT_SECRET", "FINPRO_ORGANISATION_ID", "FINPRO_APP_IDENTIFIER", "FINPRO_WEBHOOK_SECRET"},
		},
		{
			name:    "bad values are all reported",
			env:     map[string]string{"LOG_LEVEL": "loud", "SANDBOX_LATENCY": "soon", "SANDBOX_SEED": "x"},
			wantErr: []string{"LOG_LEVEL", "SANDBOX_LATENCY", "SANDBOX_SEED"},
		},
		{
			name:    "unknown command",
			args:    []string{"frobnicate"},
			wantErr: []string{`unknown command "frobnicate"`},
		},
		{
			name:    "unknown flag",
			args:    []string{"-no-such-flag"},
			wantErr: []string{"no-such-flag"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(t.Context(), tc.args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
			if err == nil {
				t.Fatalf("run(%q) = nil, want an error", tc.args)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("run(%q) = %q, want it to mention %q", tc.args, err, want)
				}
			}
		})
	}
}
