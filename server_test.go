package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
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

var servingRE = regexp.MustCompile(`(?:sandbox serving on|GraphQL) +(http://[0-9.:]+)`)

// startRun runs the program with args and env and returns its base URL, once it
// has printed it, and a function that stops it and returns run's error.
func startRun(t *testing.T, args []string, env map[string]string) (base string, stop func() error, logs, stdout *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	logs, stdout = &syncBuffer{}, &syncBuffer{}
	registerLogs(logs)
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
			stdout.Write([]byte(sc.Text() + "\n"))
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
	return base, stop, logs, stdout
}

var bearerRE = regexp.MustCompile(`Bearer (\S+)`)

// devTokens waits for the dev tokens serve prints in sandbox mode.
func devTokens(t *testing.T, stdout *syncBuffer) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var toks []string
		for _, m := range bearerRE.FindAllStringSubmatch(stdout.String(), -1) {
			toks = append(toks, m[1])
		}
		if len(toks) >= 2 {
			return toks
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed %d dev tokens, want 2", len(toks))
		}
		time.Sleep(10 * time.Millisecond)
	}
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
	base, stop, logs, stdout := startRun(t, []string{"-addr", "127.0.0.1:0"}, nil)
	toks := devTokens(t, stdout)
	if !strings.Contains(stdout.String(), "sandbox mode: listening on loopback only") {
		t.Error("sandbox mode does not say it listens on loopback only")
	}
	for _, want := range []string{"finpro-bff listening on 127.0.0.1:", "GraphQL     " + base + "/graphql", "playground  " + base + "/playground"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the banner lacks %q", want)
		}
	}

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
	const dashboard = `{"query":"{ customer(mobileNumber: \"9876543210\", productID: \"PFM_DASHBOARD\") { accounts { linkReferenceNumber balance { amount currency } } } }"}`
	if status, _ := post(t, base+"/graphql", "", dashboard); status != http.StatusUnauthorized {
		t.Errorf("POST /graphql without a token = %d, want 401", status)
	}
	resp, err := postResp(t, base+"/graphql", toks[0], dashboard)
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

	// The metrics of what just happened, and nothing personal in them.
	status, metricsText := get(t, base+"/metrics")
	if status != 200 {
		t.Errorf("GET /metrics = %d", status)
	}
	for _, series := range []string{
		"bff_graphql_operations_total", "bff_graphql_operation_duration_seconds", "bff_graphql_subscriptions_open",
		`bff_finpro_calls_total{class="ok",endpoint="/getfibalance",status="200"}`, "bff_finpro_call_duration_seconds",
		"bff_loader_loads_total", `bff_http_requests_total{method="POST",route="/graphql",status="200"}`,
	} {
		if !strings.Contains(metricsText, series) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	for _, c := range canaries {
		if c.re.MatchString(metricsText) {
			t.Errorf("/metrics contains a %s", c.name)
		}
	}
	// The playground is there: built (200) or telling how to build it (503).
	if status, body := get(t, base+"/playground"); status != 200 && !(status == 503 && strings.Contains(body, "make playground")) {
		t.Errorf("GET /playground = %d %.200s", status, body)
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
	base, stop, _, _ := startRun(t, []string{"sandbox", "-addr", "127.0.0.1:0"}, nil)
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

func postResp(t *testing.T, url, token, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return http.DefaultClient.Do(req)
}

func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	resp, err := postResp(t, url, token, body)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTokenCommand(t *testing.T) {
	// A token minted by the token command verifies on a server started with
	// the same environment: here, sandbox mode's defaults.
	var out bytes.Buffer
	if err := run(t.Context(), []string{"token", "-sub", "alice", "-scope", "consents:read", "-mobile", "9876543210"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("run(token) = %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	tok := lines[len(lines)-1]
	base, _, _, _ := startRun(t, []string{"-addr", "127.0.0.1:0"}, nil)
	status, body := post(t, base+"/graphql", tok, `{"query":"{ me(productID: \"PFM_DASHBOARD\") { mobileNumber } }"}`)
	if status != 200 || !strings.Contains(body, `"mobileNumber":"9876543210"`) {
		t.Errorf("me with a minted token = %d %s, want the bound customer", status, body)
	}

	err := run(t.Context(), []string{"token"}, func(k string) string {
		return map[string]string{"FINPRO_BASE_URL": "https://tenant-uat.moneyone.in"}[k]
	}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "JWT_HS256_SECRET") {
		t.Errorf("run(token) outside sandbox mode without a secret = %v, want an error naming JWT_HS256_SECRET", err)
	}
}

// TestSandboxApprovalReachesSubscription drives the whole live path of `go run .`:
// the sandbox's admin API approves a consent, the sandbox fires its signed
// webhook at /webhooks/finpro, the event goes through JetStream, and a websocket
// subscription authenticated in connection_init sees it.
func TestSandboxApprovalReachesSubscription(t *testing.T) {
	base, _, logs, stdout := startRun(t, []string{"-addr", "127.0.0.1:0"}, nil)
	toks := devTokens(t, stdout)
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/graphql"

	// A handle of a PENDING consent of the demo customer.
	_, body := get(t, base+"/_sandbox/customers")
	var seeded struct {
		Customers []struct {
			Mobile   string
			Consents []struct{ ConsentHandle, Status, ProductID string }
		}
	}
	if err := json.Unmarshal([]byte(body), &seeded); err != nil {
		t.Fatalf("decode /_sandbox/customers: %v", err)
	}
	var pending, active string
	for _, c := range seeded.Customers {
		for _, cs := range c.Consents {
			if c.Mobile != "9876543210" || cs.ProductID != "PFM_DASHBOARD" {
				continue
			}
			switch cs.Status {
			case "PENDING":
				pending = cs.ConsentHandle
			case "ACTIVE":
				active = cs.ConsentHandle
			}
		}
	}
	if pending == "" || active == "" {
		t.Fatal("the demo customer lacks a PENDING or an ACTIVE consent")
	}

	dial := func(token string) *websocket.Conn {
		t.Helper()
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
		conn, _, err := d.DialContext(t.Context(), wsURL, nil)
		if err != nil {
			t.Fatalf("dial %s: %v", wsURL, err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		init := map[string]any{"type": "connection_init"}
		if token != "" {
			init["payload"] = map[string]string{"Authorization": "Bearer " + token}
		}
		if err := conn.WriteJSON(init); err != nil {
			t.Fatal(err)
		}
		return conn
	}

	// No token: the connection is closed with 4403.
	anon := dial("")
	_, _, err := anon.ReadMessage()
	if ce := new(websocket.CloseError); !errors.As(err, &ce) || ce.Code != 4403 {
		t.Errorf("connection_init without a token: read = %v, want close 4403", err)
	}

	subscribe := func() *websocket.Conn {
		conn := dial(toks[1]) // bound to the demo customer
		var msg struct{ Type string }
		if err := conn.ReadJSON(&msg); err != nil || msg.Type != "connection_ack" {
			t.Fatalf("after connection_init: %v %+v, want connection_ack", err, msg)
		}
		// No mobileNumber: the token's customer.
		if err := conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
			"query": `subscription { consentStatusChanged(productID: "PFM_DASHBOARD") { consentHandle status eventStatus cursor } }`,
		}}); err != nil {
			t.Fatal(err)
		}
		return conn
	}
	conn := subscribe()
	var msg struct {
		Type    string
		Payload json.RawMessage
	}
	// gqlgen starts a subscription's resolver on its own goroutine, so the
	// server may not listen yet. Pause and resume an ACTIVE consent until the
	// subscriber sees an event: from then on it misses nothing, in order.
	for i := 0; ; i++ {
		if i == 50 {
			t.Fatal("no event reached the subscription after 50 pause/resume rounds")
		}
		if status, body := post(t, base+"/_sandbox/consents/"+active+"/pause", "", ""); status != 200 {
			t.Fatalf("pause = %d %s", status, body)
		}
		conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		err := conn.ReadJSON(&msg)
		if status, body := post(t, base+"/_sandbox/consents/"+active+"/resume", "", ""); status != 200 {
			t.Fatalf("resume = %d %s", status, body)
		}
		if err == nil {
			break
		}
		if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
			t.Fatalf("waiting for the first event: %v", err)
		}
		// gorilla's connection is unusable after a read error: reconnect.
		conn = subscribe()
	}
	if status, body := post(t, base+"/_sandbox/consents/"+pending+"/approve", "", ""); status != 200 {
		t.Fatalf("approve = %d %s", status, body)
	}
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	want := `"consentHandle":"` + pending + `","status":"ACTIVE","eventStatus":"CONSENT_APPROVED"`
	for {
		if err := conn.ReadJSON(&msg); err != nil || msg.Type != "next" {
			t.Fatalf("after approval: %v %+v, want next; logs:\n%s", err, msg, logs)
		}
		if strings.Contains(string(msg.Payload), pending) {
			break
		}
	}
	if !strings.Contains(string(msg.Payload), want) {
		t.Errorf("event = %s, want it to contain %s", msg.Payload, want)
	}
}

// TestTokenHelp checks that token -h prints a usage saying every flag is
// optional and is no failure (flag.ErrHelp, which main exits 0 on).
func TestTokenHelp(t *testing.T) {
	var stderr bytes.Buffer
	err := run(t.Context(), []string{"token", "-h"}, func(string) string { return "" }, io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("token -h = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"usage: finpro-bff token", "Every flag is optional", "-mobile", "-ttl"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("token -h usage lacks %q", want)
		}
	}
}
