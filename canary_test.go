package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/config"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// Every server the tests of this package start registers its log here; after
// the whole suite, TestMain greps all of it for secrets and personal data.
var (
	serverLogsMu sync.Mutex
	serverLogs   []*syncBuffer
)

func registerLogs(b *syncBuffer) {
	serverLogsMu.Lock()
	defer serverLogsMu.Unlock()
	serverLogs = append(serverLogs, b)
}

// canaries are patterns that must never reach a log line: credentials,
// tokens, and the shapes of Indian mobile numbers, PANs and emails.
var canaries = []struct {
	name string
	re   *regexp.Regexp
}{
	{"FinPro client secret", regexp.MustCompile(regexp.QuoteMeta(sandbox.DefaultClientSecret))},
	{"sandbox JWT secret", regexp.MustCompile(regexp.QuoteMeta(config.SandboxJWTSecret))},
	{"test JWT secret", regexp.MustCompile(regexp.QuoteMeta(testSecret))},
	{"bearer token", regexp.MustCompile(`(?i)bearer\s+\S`)},
	{"JWT", regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}`)},
	{"PAN", regexp.MustCompile(`(^|[^A-Z])[A-Z]{5}[0-9]{4}[A-Z]([^A-Z]|$)`)},
	{"email", regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}`)},
}

// natsIdentity matches a NATS server's name and ID as nats-server logs
// them at startup: its public nkey, 56 random base32 characters. It is not
// personal data, but it can hold a run of the PAN shape (by an estimate of
// the odds, in about one run in several hundred), so lines are matched with
// it blanked (see unmasked).
var natsIdentity = regexp.MustCompile(`\bN[A-Z2-7]{55}\b`)

// unmasked is line as the canaries read it.
func unmasked(line string) string { return natsIdentity.ReplaceAllString(line, "<nats-server-id>") }

// withSeededMobiles adds a canary per mobile number of the sandbox's seeded
// customers (any 10-digit run would also match request ids and durations).
func withSeededMobiles() {
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		panic(err)
	}
	defer sb.Close()
	for _, c := range sb.Customers() {
		canaries = append(canaries, struct {
			name string
			re   *regexp.Regexp
		}{"seeded customer's mobile number", regexp.MustCompile(`(^|[^0-9])` + c.Mobile + `([^0-9]|$)`)})
	}
}

func TestMain(m *testing.M) {
	withSeededMobiles()
	code := m.Run()
	serverLogsMu.Lock()
	var all strings.Builder
	for _, b := range serverLogs {
		all.WriteString(b.String())
	}
	serverLogsMu.Unlock()
	lines := strings.Split(all.String(), "\n")
	leaks := 0
	// CANARY_DUMP=<file> writes the offending lines to a file for a developer
	// (never to the test output, which CI keeps).
	var dump *os.File
	if path := os.Getenv("CANARY_DUMP"); path != "" {
		dump, _ = os.Create(path)
		defer dump.Close()
	}
	for _, c := range canaries {
		for i, line := range lines {
			if c.re.MatchString(unmasked(line)) {
				// Say where, never what: the match itself is the secret.
				fmt.Fprintf(os.Stderr, "canary: a server log line (%d of %d) contains a %s\n", i+1, len(lines), c.name)
				leaks++
				if dump != nil {
					fmt.Fprintf(dump, "%s: %s\n", c.name, line)
				}
			}
		}
	}
	if code == 0 && leaks > 0 {
		code = 1
	}
	if code == 0 && len(lines) < 10 {
		fmt.Fprintf(os.Stderr, "canary: only %d log lines were collected; the log capture is broken\n", len(lines))
		code = 1
	}
	os.Exit(code)
}

// TestCanaryPatterns checks that the canaries recognise what they guard.
func TestCanaryPatterns(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`{"msg":"x","mobile":"9876543210"}`, "seeded customer's mobile number"},
		{`{"msg":"x","m":"9123456780"}`, "seeded customer's mobile number"},
		{`pan=ABCDE1234F`, "PAN"},
		{`to ananya.rao@example.com`, "email"},
		{`Authorization: Bearer abc`, "bearer token"},
		{`tok eyJhbGciOiJIUzI1NiJ9`, "JWT"},
		{`secret=` + sandbox.DefaultClientSecret, "FinPro client secret"},
		{`{"msg":"nats:   ID:       NCEZTHVOQER5O26A6RDEN7NTI7UB3LJWSHGOUVBX5ZOHKOQOXX742RFT","pan":"ABCDE1234F"}`, "PAN"},
	} {
		var got []string
		for _, c := range canaries {
			if c.re.MatchString(unmasked(tc.line)) {
				got = append(got, c.name)
			}
		}
		if !strings.Contains(strings.Join(got, ","), tc.want) {
			t.Errorf("canaries matching %q = %v, want %s", tc.line, got, tc.want)
		}
	}
	for _, clean := range []string{
		`{"level":"INFO","msg":"serving","addr":"127.0.0.1:8080"}`,
		`consent 3458bdb5-72e1-59f0-bba8-3c55faa11106 took 12ms`,
		`{"request_id":"56d6668c51c6f8b35d7660988482a81f","duration":1234567890}`,
		// A server nkey whose random run looks like a PAN (AAAAA2345B).
		`{"msg":"nats:   ID:       NCEZTHVOQER5O26A6RDEN7NTI7UB3LJWSHGOUVBX5ZOHK7AAAAA2345B"}`,
	} {
		for _, c := range canaries {
			if c.re.MatchString(unmasked(clean)) {
				t.Errorf("canary %s matches the clean line %q", c.name, clean)
			}
		}
	}
}
