// Command benchrun is the benchmark harness behind bench/run.sh (issue #7).
//
// It builds the BFF and the Go floor, then for each sandbox latency starts the
// standalone sandbox (`finpro-bff sandbox`) and, one at a time, each system
// under test: the BFF, the floor (bench/cmd/floor), Apollo Server
// (bench/peers/apollo/start.sh) and Tailcall with dedupe off and on
// (bench/peers/tailcall/start.sh). Each system must first answer Q-dashboard
// with exactly the BFF's bytes; a system that differs is marked and a diff is
// printed. Then, per query, it warms up, resets the sandbox's call counters,
// runs wrk and reads the system's CPU time (/proc utime+stime of its process
// tree), peak RSS (VmHWM, reset through clear_refs before each query) and the
// sandbox's upstream call counts. It prints one markdown table and the ratios.
//
// Processes are pinned with taskset when it exists and the machine has two or
// more CPUs: the system under test on CPU 0, the sandbox and wrk on CPU 1.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// Secrets of the benchmark's own BFF instance (not production values).
const (
	jwtSecret     = "bench-hs256-secret-0123456789abcdef0123"
	jwtIssuer     = "finpro-bff-bench"
	jwtAudience   = "finpro-bff"
	webhookSecret = "bench-webhook-secret-0123456789abcdef"
)

// query is one benchmark query: its name in the table, its operation name and
// its file under bench/queries.
type query struct{ name, op, file string }

var queries = []query{
	{"Q-dashboard", "Dashboard", "dashboard.graphql"},
	{"Q-consents", "Consents", "consents.graphql"},
	{"Q-trivial", "Trivial", "trivial.graphql"},
}

// criticalPath is the number of sequential upstream round trips a query needs.
var criticalPath = map[string]int{"Q-dashboard": 2, "Q-consents": 1, "Q-trivial": 0}

// system is one system under test.
type system struct {
	name  string
	cmd   []string // run in the repository root
	env   []string // added to the harness's sandbox and port settings
	ready time.Duration
}

// result is one table row.
type result struct {
	latency             time.Duration
	system, query       string
	rps                 float64
	p50, p95, p99       time.Duration
	p50c1               time.Duration // p50 with one connection (unloaded)
	sandboxCPUPerQuery  float64       // microseconds
	upstreamUnderLoad   float64       // sandbox calls during the measured run ÷ its requests
	cpuPerQuery         float64       // microseconds
	peakRSS             int64         // KiB
	upstreamPerQuery    float64
	errRate             float64
	requests            int64
	identical, measured bool
}

type options struct {
	root        string
	duration    time.Duration
	warmup      time.Duration
	conns       int
	latencies   []time.Duration
	sandboxPt   int
	sutPort     int
	only        []string
	out         string
	workDir     string
	pin         bool
	verbose     bool
	peerReady   time.Duration
	probe       time.Duration
	sandboxPID  int
	unique      bool
	bffBinary   string
	floorBinary string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("benchrun", flag.ContinueOnError)
	var o options
	var lat, only string
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured wrk run per system and query")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured wrk run before each measurement")
	fs.IntVar(&o.conns, "connections", 16, "wrk connections")
	fs.DurationVar(&o.probe, "probe", 3*time.Second, "wrk run with one connection per system and query, for the unloaded p50 (0: skip)")
	fs.StringVar(&lat, "latencies", "0ms,20ms", "comma-separated sandbox latencies")
	fs.IntVar(&o.sandboxPt, "sandbox-port", 18090, "sandbox port")
	fs.IntVar(&o.sutPort, "port", 18080, "port of the system under test")
	fs.StringVar(&only, "systems", "", "comma-separated systems to run (default all): bff, bff-warm, floor, apollo, tailcall, tailcall-dedupe")
	fs.StringVar(&o.out, "out", "", "also write the report to this file")
	fs.StringVar(&o.workDir, "work", "", "directory for binaries, logs and responses (default a new temporary directory)")
	fs.DurationVar(&o.peerReady, "ready-timeout", 120*time.Second, "how long a system may take to answer its first query")
	fs.BoolVar(&o.verbose, "v", false, "print wrk's output")
	fs.BoolVar(&o.unique, "unique", true, "make every request unique with an undeclared variable (defeats coalescing of identical requests)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for l := range strings.SplitSeq(lat, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(l))
		if err != nil {
			return fmt.Errorf("bad -latencies: %w", err)
		}
		o.latencies = append(o.latencies, d)
	}
	if only != "" {
		o.only = strings.Split(only, ",")
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "bench", "queries")); err != nil {
		return errors.New("run from the repository root (bench/queries not found)")
	}
	o.root = root
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk not found: install it (apt-get install wrk) or use bench/run.sh")
	}
	_, tsErr := exec.LookPath("taskset")
	o.pin = tsErr == nil && runtime.NumCPU() >= 2
	if o.workDir == "" {
		if o.workDir, err = os.MkdirTemp("", "finpro-bench-"); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(o.workDir, 0o755); err != nil {
		return err
	}
	logf("work directory %s", o.workDir)

	o.bffBinary = filepath.Join(o.workDir, "finpro-bff")
	o.floorBinary = filepath.Join(o.workDir, "floor")
	for _, b := range [][2]string{{o.bffBinary, "."}, {o.floorBinary, "./bench/cmd/floor"}} {
		logf("go build -o %s %s", b[0], b[1])
		c := exec.CommandContext(ctx, "go", "build", "-o", b[0], b[1])
		c.Dir, c.Stdout, c.Stderr = root, os.Stderr, os.Stderr
		if err := c.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b[1], err)
		}
	}
	token, err := mintToken(ctx, o)
	if err != nil {
		return err
	}

	var results []result
	var notes []string
	for _, l := range o.latencies {
		rs, ns, err := runLatency(ctx, o, l, token)
		results = append(results, rs...)
		notes = append(notes, ns...)
		if err != nil {
			return err
		}
	}
	var rep bytes.Buffer
	writeReport(&rep, o, results, notes)
	os.Stdout.Write(rep.Bytes())
	if o.out != "" {
		return os.WriteFile(o.out, rep.Bytes(), 0o644)
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().UTC().Format("15:04:05")}, args...)...)
}

func mintToken(ctx context.Context, o options) (string, error) {
	c := exec.CommandContext(ctx, o.bffBinary, "token", "-sub", "bench", "-ttl", "24h")
	c.Env = append(os.Environ(), bffEnv(o)...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, os.Stderr
	if err := c.Run(); err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	lines := strings.Fields(strings.TrimSpace(out.String()))
	if len(lines) == 0 {
		return "", errors.New("mint token: no output")
	}
	return lines[len(lines)-1], nil
}

func sandboxURL(o options) string { return fmt.Sprintf("http://127.0.0.1:%d", o.sandboxPt) }

// upstreamEnv is what every system under test gets: its port and the sandbox.
func upstreamEnv(o options) []string {
	return []string{
		"PORT=" + strconv.Itoa(o.sutPort),
		"FINPRO_BASE_URL=" + sandboxURL(o),
		"FINPRO_CLIENT_ID=" + sandbox.DefaultClientID,
		"FINPRO_CLIENT_SECRET=" + sandbox.DefaultClientSecret,
		"FINPRO_ORGANISATION_ID=" + sandbox.DefaultOrganisationID,
		"FINPRO_APP_IDENTIFIER=" + sandbox.DefaultAppIdentifier,
	}
}

func bffEnv(o options) []string {
	return append(upstreamEnv(o),
		"ADDR=127.0.0.1:"+strconv.Itoa(o.sutPort),
		"FINPRO_WEBHOOK_SECRET="+webhookSecret,
		"JWT_HS256_SECRET="+jwtSecret,
		"JWT_ISSUER="+jwtIssuer,
		"JWT_AUDIENCE="+jwtAudience,
		"RATE_LIMIT_PER_SECOND=0",
		"LOG_LEVEL=warn",
		"OTEL_SDK_DISABLED=true",
	)
}

func systems(o options) []system {
	all := []system{
		// bff reads FinPro for every query (the cache of FinPro reads off, as
		// before issue #16.1); bff-warm serves repeated reads from it.
		{name: "bff", cmd: []string{o.bffBinary, "serve"}, env: append(bffEnv(o), "FINPRO_CACHE=off"), ready: 30 * time.Second},
		{name: "bff-warm", cmd: []string{o.bffBinary, "serve"}, env: append(bffEnv(o), "FINPRO_CACHE=on"), ready: 30 * time.Second},
		{name: "floor", cmd: []string{o.floorBinary}, ready: 30 * time.Second},
		{name: "apollo", cmd: []string{"bash", "bench/peers/apollo/start.sh"}, ready: o.peerReady},
		{name: "tailcall", cmd: []string{"bash", "bench/peers/tailcall/start.sh"}, env: []string{"TAILCALL_DEDUPE=false"}, ready: o.peerReady},
		{name: "tailcall-dedupe", cmd: []string{"bash", "bench/peers/tailcall/start.sh"}, env: []string{"TAILCALL_DEDUPE=true"}, ready: o.peerReady},
	}
	if len(o.only) == 0 {
		return all
	}
	var out []system
	for _, s := range all {
		if slices.Contains(o.only, s.name) {
			out = append(out, s)
		}
	}
	return out
}

// proc is a started process group.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func start(o options, name string, cpu int, argv, env []string) (*proc, error) {
	if o.pin {
		argv = append([]string{"taskset", "-c", strconv.Itoa(cpu)}, argv...)
	}
	logFile, err := os.Create(filepath.Join(o.workDir, name+".log"))
	if err != nil {
		return nil, err
	}
	c := exec.Command(argv[0], argv[1:]...)
	c.Dir = o.root
	c.Env = append(os.Environ(), env...)
	c.Stdout, c.Stderr = logFile, logFile
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{cmd: c, done: make(chan struct{})}
	go func() {
		p.err = c.Wait()
		logFile.Close()
		close(p.done)
	}()
	return p, nil
}

// stop ends the process group: SIGTERM, then SIGKILL after 5 s.
func (p *proc) stop() {
	pgid := p.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// A child that ignored SIGTERM after its parent exited.
	syscall.Kill(-pgid, syscall.SIGKILL)
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func runLatency(ctx context.Context, o options, lat time.Duration, token string) ([]result, []string, error) {
	logf("sandbox latency %v", lat)
	sb, err := start(o, fmt.Sprintf("sandbox-%v", lat), 1, []string{o.bffBinary, "sandbox"}, []string{
		fmt.Sprintf("ADDR=127.0.0.1:%d", o.sandboxPt),
		"SANDBOX_LATENCY=" + lat.String(),
		"LOG_LEVEL=warn",
		"FINPRO_WEBHOOK_SECRET=" + webhookSecret,
	})
	if err != nil {
		return nil, nil, err
	}
	defer sb.stop()
	o.sandboxPID = sb.cmd.Process.Pid
	if err := waitFor(ctx, sb, 30*time.Second, func() bool {
		_, err := sandboxCalls()(o)
		return err == nil
	}); err != nil {
		return nil, nil, fmt.Errorf("sandbox: %w", err)
	}

	var (
		results []result
		notes   []string
		ref     []byte // the BFF's Q-dashboard answer
	)
	for _, s := range systems(o) {
		if err := ctx.Err(); err != nil {
			return results, notes, err
		}
		if len(s.cmd) == 2 && s.cmd[0] == "bash" {
			if _, err := os.Stat(filepath.Join(o.root, s.cmd[1])); err != nil {
				notes = append(notes, fmt.Sprintf("%s (%v): not run, %s does not exist", s.name, lat, s.cmd[1]))
				continue
			}
		}
		rs, note, body, err := runSystem(ctx, o, lat, s, token, ref)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s (%v): %v", s.name, lat, err))
			logf("%s: %v", s.name, err)
			continue
		}
		if note != "" {
			notes = append(notes, fmt.Sprintf("%s (%v): %s", s.name, lat, note))
		}
		if s.name == "bff" {
			ref = body
			os.WriteFile(filepath.Join(o.workDir, "dashboard.json"), body, 0o644)
		}
		results = append(results, rs...)
	}
	return results, notes, nil
}

func waitFor(ctx context.Context, p *proc, timeout time.Duration, ok func() bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if ok() {
			return nil
		}
		if p.exited() {
			return fmt.Errorf("exited before it was ready: %v", p.err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %v", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func sandboxCalls() func(o options) (map[string]int64, error) {
	return func(o options) (map[string]int64, error) {
		resp, err := http.Get(sandboxURL(o) + "/_sandbox/stats")
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var v struct {
			Calls map[string]int64 `json:"calls"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return nil, err
		}
		return v.Calls, nil
	}
}

func resetSandbox(o options) error {
	resp, err := http.Post(sandboxURL(o)+"/_sandbox/stats/reset", "application/json", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reset sandbox stats: %s", resp.Status)
	}
	return nil
}

func body(o options, q query) ([]byte, error) {
	text, err := os.ReadFile(filepath.Join(o.root, "bench", "queries", q.file))
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]string{"query": string(text), "operationName": q.op})
}

// bodyUnique returns q's request body with an undeclared variable "request"
// whose value is uniqueMark (see luaScript). GraphQL ignores variables the
// operation does not declare.
func bodyUnique(o options, q query) ([]byte, error) {
	text, err := os.ReadFile(filepath.Join(o.root, "bench", "queries", q.file))
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"query": string(text), "operationName": q.op, "variables": map[string]string{"request": uniqueMark}})
}

func post(o options, q query, token string) ([]byte, int, error) {
	b, err := body(o, q)
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("http://127.0.0.1:%d/graphql", o.sutPort), bytes.NewReader(b))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return out, resp.StatusCode, err
}

func runSystem(ctx context.Context, o options, lat time.Duration, s system, token string, ref []byte) (rs []result, note string, dash []byte, err error) {
	logf("%s: starting", s.name)
	p, err := start(o, fmt.Sprintf("%s-%v", s.name, lat), 0, s.cmd, append(upstreamEnv(o), s.env...))
	if err != nil {
		return nil, "", nil, err
	}
	defer p.stop()
	trivial := queries[2]
	if err := waitFor(ctx, p, s.ready, func() bool {
		_, code, err := post(o, trivial, token)
		return err == nil && code == http.StatusOK
	}); err != nil {
		return nil, "", nil, fmt.Errorf("start: %w (log: %s)", err, filepath.Join(o.workDir, fmt.Sprintf("%s-%v.log", s.name, lat)))
	}
	dash, code, err := post(o, queries[0], token)
	if err != nil {
		return nil, "", nil, fmt.Errorf("dashboard query: %w", err)
	}
	os.WriteFile(filepath.Join(o.workDir, fmt.Sprintf("dashboard-%s-%v.json", s.name, lat)), dash, 0o644)
	identical := true
	switch {
	case code != http.StatusOK:
		identical = false
		note = fmt.Sprintf("Q-dashboard answered HTTP %d", code)
	case ref != nil && !bytes.Equal(dataOf(dash), dataOf(ref)):
		identical = false
		note = "Q-dashboard's data differs from the BFF's: " + firstDiff(dataOf(ref), dataOf(dash))
	case ref == nil && s.name != "bff":
		note = "no BFF answer to compare Q-dashboard with"
	}
	if !identical {
		logf("%s: NOT byte-identical: %s", s.name, note)
	}
	pid := p.cmd.Process.Pid
	for _, q := range queries {
		r, err := measure(ctx, o, q, pid, token)
		if err != nil {
			return rs, note, dash, fmt.Errorf("%s: %w", q.name, err)
		}
		r.latency, r.system, r.identical = lat, s.name, identical
		rs = append(rs, r)
		logf("%s %s: %.0f req/s p50 %v cpu %.0f µs/q", s.name, q.name, r.rps, r.p50, r.cpuPerQuery)
	}
	return rs, note, dash, nil
}

// firstDiff describes where b first differs from a.
// dataOf returns the bytes of an answer's "data" member, as the server wrote
// them: answers compare by their data, since extensions differ by design (the
// BFF's carry extensions.cost). An answer that is not a JSON object with data
// is returned whole.
func dataOf(answer []byte) []byte {
	var a struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(answer, &a); err != nil || a.Data == nil {
		return answer
	}
	return a.Data
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	ctx := func(x []byte) string {
		lo, hi := max(0, i-60), min(len(x), i+60)
		return strconv.Quote(string(x[lo:hi]))
	}
	return fmt.Sprintf("lengths %d and %d, first difference at byte %d: BFF %s, this system %s", len(a), len(b), i, ctx(a), ctx(b))
}

// luaScript returns a wrk script that posts body with the token, counts non-200
// answers and answers carrying GraphQL errors, and prints one BENCH line.
//
// With unique, every request carries a different value of an undeclared
// variable (replacing uniqueMark with a counter): the query text and the
// answer stay the same, but a server that coalesces identical requests cannot
// serve one query's upstream calls to the next, as it could not with real,
// varied traffic.
func luaScript(body []byte, token string, unique bool) string {
	req := ""
	if unique {
		req = `local n = 0
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, (string.gsub(wrk.body, "` + uniqueMark + `", tostring(n))))
end
`
	}
	return fmt.Sprintf(`wrk.method = "POST"
wrk.body = %s
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
bad = 0
%slocal threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d bad=%%d socket_errors=%%d p50=%%d p95=%%d p99=%%d\n",
    summary.requests, summary.duration, b, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
`, luaString(string(body)), token, req)
}

// uniqueMark is replaced by a per-request counter in the query's trailing
// comment (see luaScript).
const uniqueMark = "BENCHREQUEST"

// luaString quotes s as a Lua long string.
func luaString(s string) string {
	eq := ""
	for strings.Contains(s, "]"+eq+"]") {
		eq += "="
	}
	return "[" + eq + "[" + s + "]" + eq + "]"
}

func wrk(ctx context.Context, o options, script string, conns int, d time.Duration) (map[string]int64, error) {
	argv := []string{"wrk", "-t1", "-c" + strconv.Itoa(conns), "-d" + d.String(), "--timeout", "10s", "-s", script,
		fmt.Sprintf("http://127.0.0.1:%d/graphql", o.sutPort)}
	if o.pin {
		argv = append([]string{"taskset", "-c", "1"}, argv...)
	}
	c := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	if err := c.Run(); err != nil {
		return nil, fmt.Errorf("wrk: %w: %s", err, out.String())
	}
	if o.verbose {
		os.Stderr.Write(out.Bytes())
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "BENCH ")
		if !ok {
			continue
		}
		m := make(map[string]int64)
		for f := range strings.FieldsSeq(line) {
			k, v, _ := strings.Cut(f, "=")
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("wrk output %q: %w", f, err)
			}
			m[k] = n
		}
		return m, nil
	}
	return nil, fmt.Errorf("wrk printed no BENCH line: %s", out.String())
}

func measure(ctx context.Context, o options, q query, pid int, token string) (result, error) {
	r := result{query: q.name, measured: true}
	b, err := body(o, q)
	if err != nil {
		return r, err
	}
	script := filepath.Join(o.workDir, q.op+".lua")
	if o.unique {
		if b, err = bodyUnique(o, q); err != nil {
			return r, err
		}
	}
	if err := os.WriteFile(script, []byte(luaScript(b, token, o.unique)), 0o600); err != nil {
		return r, err
	}
	// Upstream calls per query, exactly: a few sequential queries, nothing else
	// in flight.
	if err := drain(ctx, o); err != nil {
		return r, err
	}
	if err := resetSandbox(o); err != nil {
		return r, err
	}
	const sequential = 5
	for range sequential {
		if _, _, err := post(o, q, token); err != nil {
			return r, err
		}
	}
	calls, err := sandboxCalls()(o)
	if err != nil {
		return r, err
	}
	var up int64
	for _, n := range calls {
		up += n
	}
	r.upstreamPerQuery = float64(up) / sequential

	if o.probe > 0 {
		m, err := wrk(ctx, o, script, 1, o.probe)
		if err != nil {
			return r, err
		}
		r.p50c1 = time.Duration(m["p50"]) * time.Microsecond
	}
	if o.warmup > 0 {
		if _, err := wrk(ctx, o, script, o.conns, o.warmup); err != nil {
			return r, err
		}
	}
	if err := drain(ctx, o); err != nil {
		return r, err
	}
	if err := resetSandbox(o); err != nil {
		return r, err
	}
	resetPeak(pid)
	cpu0, sbCPU0 := treeCPU(pid), treeCPU(o.sandboxPID)
	m, err := wrk(ctx, o, script, o.conns, o.duration)
	if err != nil {
		return r, err
	}
	cpu1, sbCPU1 := treeCPU(pid), treeCPU(o.sandboxPID)
	r.peakRSS = treePeakRSS(pid)
	if err := drain(ctx, o); err != nil {
		return r, err
	}
	if calls, err = sandboxCalls()(o); err != nil {
		return r, err
	}
	up = 0
	for _, n := range calls {
		up += n
	}
	r.requests = m["requests"]
	if r.requests > 0 {
		n := float64(r.requests)
		r.rps = n / (float64(m["duration_us"]) / 1e6)
		r.cpuPerQuery = float64(cpu1-cpu0) * 1e6 / float64(clockTicks) / n
		r.sandboxCPUPerQuery = float64(sbCPU1-sbCPU0) * 1e6 / float64(clockTicks) / n
		r.upstreamUnderLoad = float64(up) / n
		r.errRate = float64(m["bad"]+m["socket_errors"]) / n
	}
	r.p50 = time.Duration(m["p50"]) * time.Microsecond
	r.p95 = time.Duration(m["p95"]) * time.Microsecond
	r.p99 = time.Duration(m["p99"]) * time.Microsecond
	return r, nil
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's utime and stime (100
// on every Linux architecture Go supports).
const clockTicks = 100

// tree returns pid and its live descendants.
func tree(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	children := make(map[int][]int)
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		f, ok := statFields(p)
		if !ok || len(f) < 2 {
			continue
		}
		pp, _ := strconv.Atoi(f[1]) // field 4, ppid
		children[pp] = append(children[pp], p)
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// statFields returns /proc/<pid>/stat's fields after the command name (field 3
// onwards).
func statFields(pid int) ([]string, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, false
	}
	return strings.Fields(string(b[i+1:])), true
}

// treeCPU returns the user+system clock ticks of pid's tree, including the
// children it has reaped.
func treeCPU(pid int) int64 {
	var sum int64
	for _, p := range tree(pid) {
		f, ok := statFields(p)
		if !ok || len(f) < 15 {
			continue
		}
		for _, i := range []int{11, 12, 13, 14} { // utime stime cutime cstime
			n, _ := strconv.ParseInt(f[i], 10, 64)
			sum += n
		}
	}
	return sum
}

// resetPeak resets VmHWM of pid's tree (needs write access to clear_refs).
func resetPeak(pid int) {
	for _, p := range tree(pid) {
		os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p), []byte("5"), 0)
	}
}

// treePeakRSS sums VmHWM (KiB) over pid's tree.
func treePeakRSS(pid int) int64 {
	var sum int64
	for _, p := range tree(pid) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p))
		if err != nil {
			continue
		}
		for l := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				sum += n
			}
		}
	}
	return sum
}

// drain waits until the sandbox's counters stop moving: the queries a finished
// wrk run left in flight have made their upstream calls.
func drain(ctx context.Context, o options) error {
	deadline := time.Now().Add(30 * time.Second)
	prev, err := sandboxCalls()(o)
	for err == nil && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
		var cur map[string]int64
		if cur, err = sandboxCalls()(o); err == nil && maps.Equal(cur, prev) {
			return nil
		}
		prev = cur
	}
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	return errors.New("drain: the sandbox is still being called after 30s")
}
