// Command faultrun measures dashboards under FinPro faults (issue #16): it
// serves the FinPro sandbox in this process behind a fault injector that
// fails a share of FinPro calls (-fault-percent, 5 by default) with, in turn,
// the three failures FinPro's gateway gives under load: an HTML 503 with
// Retry-After: 1, a 429 RateLimitExceeded with Retry-After: 1 and a 500
// InternalError. It starts `finpro-bff serve` against it, sends Q-dashboard
// (bench/queries/dashboard.graphql) open-loop at -rate per second for
// -duration, and reports the latency percentiles and how many answers carried
// data: whole (no errors), partial (data and errors) or none.
//
//	go build -o /tmp/finpro-bff . && go run ./bench/cmd/faultrun -bff /tmp/finpro-bff
//
// Open loop: a request is sent every 1/rate whatever the answers take, as
// users do, so a slow answer cannot hide the ones queued behind it.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const (
	jwtSecret     = "faultrun-jwt-secret-0123456789abcdef0123456789"
	webhookSecret = "faultrun-webhook-secret-0123456789abcdef"
)

func main() {
	var o options
	flag.StringVar(&o.bff, "bff", "", "path of a built finpro-bff binary (required)")
	flag.StringVar(&o.query, "query", "bench/queries/dashboard.graphql", "the query to send")
	flag.IntVar(&o.rate, "rate", 100, "queries per second, open loop")
	flag.DurationVar(&o.duration, "duration", time.Minute, "how long to send")
	flag.IntVar(&o.faultPercent, "fault-percent", 5, "share of FinPro calls that fail (0..100)")
	flag.DurationVar(&o.latency, "latency", 20*time.Millisecond, "latency the sandbox adds to every FinPro call")
	flag.Func("env", "extra KEY=VALUE for the BFF (repeatable)", func(s string) error {
		if !strings.Contains(s, "=") {
			return errors.New("want KEY=VALUE")
		}
		o.env = append(o.env, s)
		return nil
	})
	flag.Parse()
	if o.bff == "" {
		fmt.Fprintln(os.Stderr, "faultrun: -bff is required")
		os.Exit(2)
	}
	if o.faultPercent < 0 || o.faultPercent > 100 || o.rate < 1 {
		fmt.Fprintln(os.Stderr, "faultrun: -fault-percent must be 0..100 and -rate at least 1")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "faultrun:", err)
		os.Exit(1)
	}
}

type options struct {
	bff, query   string
	rate         int
	duration     time.Duration
	faultPercent int
	latency      time.Duration
	env          []string
}

// faults is the injector: every FinPro call counts, and each one that falls
// in the failing share is answered with the next of kinds, through the
// sandbox's own fault injection so the bodies and headers are its
// documented ones.
type faults struct {
	sb      *sandbox.Sandbox
	next    http.Handler
	percent int
	on      atomic.Bool
	calls   atomic.Int64
	failed  [3]atomic.Int64
	// mu makes a failing call's inject-then-serve atomic: the other calls
	// hold it shared while the sandbox answers them (no latency is added
	// under it), so none can take another call's fault.
	mu sync.RWMutex
}

var kinds = [3]string{"html503", "RateLimitExceeded", "InternalError"}

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") || !f.on.Load() {
		f.next.ServeHTTP(w, r)
		return
	}
	serve := func() {
		f.mu.RLock()
		defer f.mu.RUnlock()
		f.next.ServeHTTP(w, r)
	}
	n := f.calls.Add(1)
	// Spread the failures evenly: call n fails when it crosses a multiple
	// of 100/percent (n*percent/100 increments).
	if f.percent > 0 && n*int64(f.percent)/100 != (n-1)*int64(f.percent)/100 {
		k := (n * int64(f.percent) / 100) % int64(len(kinds))
		f.failed[k].Add(1)
		// A fault rides on the sandbox's injection for the next call of
		// this path; this call must be that one.
		f.mu.Lock()
		defer f.mu.Unlock()
		err := f.sb.InjectFault(r.URL.Path, kinds[k], 1)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if kinds[k] == "RateLimitExceeded" {
			w = strayLimit{w}
		}
		f.next.ServeHTTP(w, r)
		return
	}
	serve()
}

// strayLimit passes a 429 on without X-RateLimit-Remaining: 0, as a gateway's
// burst limiter sends it: FinPro's own 429 says its quota is spent, and the
// client rightly holds the endpoint for its Retry-After; a fault run models
// failures scattered among calls FinPro still answers.
type strayLimit struct{ http.ResponseWriter }

func (s strayLimit) WriteHeader(code int) {
	if code == http.StatusTooManyRequests {
		s.Header().Del("X-RateLimit-Remaining")
	}
	s.ResponseWriter.WriteHeader(code)
}

func run(o options) error {
	query, err := os.ReadFile(o.query)
	if err != nil {
		return err
	}
	// The latency is added in front of the injector, not by the sandbox
	// (which adds it before its fault check): under the injector's lock it
	// would serialise the failing calls.
	sb, err := sandbox.New(sandbox.Config{Seed: 1, WebhookSecret: webhookSecret})
	if err != nil {
		return err
	}
	inj := &faults{sb: sb, percent: o.faultPercent, next: sb.Handler()}
	sbl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sbSrv := &http.Server{Handler: delayed(o.latency, inj)}
	go sbSrv.Serve(sbl)
	defer sbSrv.Close()

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	admin, err := freeAddr()
	if err != nil {
		return err
	}
	env := append(os.Environ(),
		"ADDR="+addr, "ADMIN_ADDR="+admin, "LOG_LEVEL=error", "RATE_LIMIT_PER_SECOND=0",
		"FINPRO_BASE_URL=http://"+sbl.Addr().String(),
		"FINPRO_CLIENT_ID="+sandbox.DefaultClientID,
		"FINPRO_CLIENT_SECRET="+sandbox.DefaultClientSecret,
		"FINPRO_ORGANISATION_ID="+sandbox.DefaultOrganisationID,
		"FINPRO_APP_IDENTIFIER="+sandbox.DefaultAppIdentifier,
		"FINPRO_WEBHOOK_SECRET="+webhookSecret,
		"JWT_HS256_SECRET="+jwtSecret, "JWT_ISSUER=faultrun", "JWT_AUDIENCE=finpro-bff",
		// Every dashboard reaches FinPro and its faults, as before issue #16.1.
		"FINPRO_CACHE=off",
	)
	env = append(env, o.env...)
	tok := exec.Command(o.bff, "token", "-sub", "faultrun", "-ttl", "24h")
	tok.Env = env
	out, err := tok.Output()
	if err != nil {
		return fmt.Errorf("mint token: %w", err)
	}
	fields := strings.Fields(string(out))
	if len(fields) == 0 {
		return errors.New("mint token: no output")
	}
	token := fields[len(fields)-1]

	srv := exec.Command(o.bff, "serve")
	srv.Env = env
	srv.Stderr = os.Stderr
	srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		_ = syscall.Kill(-srv.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-srv.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}()
	if err := waitReady("http://" + addr + "/readyz"); err != nil {
		return err
	}

	body, _ := json.Marshal(map[string]any{"query": string(query)})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1024}, Timeout: 30 * time.Second}
	var codes sync.Map // error code → *atomic.Int64
	send := func() (time.Duration, outcome) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return time.Since(start), none
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if err != nil || resp.StatusCode != http.StatusOK {
			return d, none
		}
		return d, classify(b, &codes)
	}
	// Warm up without faults: the transaction counts and connections, as a
	// running replica has them.
	for range 5 {
		if _, oc := send(); oc != whole {
			return errors.New("warm-up: a dashboard without faults did not answer whole")
		}
	}
	inj.on.Store(true)

	total := int(o.duration.Seconds() * float64(o.rate))
	lat := make([]time.Duration, total)
	ocs := make([]outcome, total)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(o.rate))
	defer tick.Stop()
	began := time.Now()
	for i := range total {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[i], ocs[i] = send()
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	inj.on.Store(false)

	slices.Sort(lat)
	var counts [3]int
	for _, oc := range ocs {
		counts[oc]++
	}
	pct := func(p float64) time.Duration { return lat[min(int(p*float64(total)), total-1)] }
	share := func(n int) float64 { return 100 * float64(n) / float64(total) }
	calls := inj.calls.Load()
	fmt.Printf("queries: %d in %s (%d/s open loop), FinPro latency %s\n", total, elapsed.Round(time.Millisecond), o.rate, o.latency)
	fmt.Printf("FinPro calls: %d (%.2f per query), failed: %d html503, %d 429, %d 500 (%.2f%%)\n",
		calls, float64(calls)/float64(total), inj.failed[0].Load(), inj.failed[1].Load(), inj.failed[2].Load(),
		100*float64(inj.failed[0].Load()+inj.failed[1].Load()+inj.failed[2].Load())/float64(max(calls, 1)))
	fmt.Printf("latency: p50 %s, p90 %s, p99 %s, max %s\n", ms(pct(0.50)), ms(pct(0.90)), ms(pct(0.99)), ms(lat[total-1]))
	fmt.Printf("answers: %.2f%% whole, %.2f%% partial, %.2f%% without data (%.2f%% carry data)\n",
		share(counts[whole]), share(counts[partial]), share(counts[none]), share(counts[whole]+counts[partial]))
	var byCode []string
	codes.Range(func(k, v any) bool {
		byCode = append(byCode, fmt.Sprintf("%s %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	slices.Sort(byCode)
	fmt.Printf("errors by code: %s\n", strings.Join(byCode, ", "))
	return nil
}

type outcome int

const (
	whole outcome = iota
	partial
	none
)

// classify reads a GraphQL answer: data with no errors is whole; data with
// errors is partial (a field's error, the rest shown); no data is none.
func classify(b []byte, codes *sync.Map) outcome {
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	err := json.Unmarshal(b, &r)
	for _, e := range r.Errors {
		n, _ := codes.LoadOrStore(e.Extensions.Code, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
	if err != nil || len(r.Data) == 0 || string(r.Data) == "null" {
		return none
	}
	// A customer whose consents failed answers {"customer":{"consents":null}}
	// or {"customer":null}: no data a dashboard can show.
	var d struct {
		Customer *struct {
			Consents *json.RawMessage `json:"consents"`
		} `json:"customer"`
	}
	if json.Unmarshal(r.Data, &d) != nil || d.Customer == nil || d.Customer.Consents == nil {
		return none
	}
	if len(r.Errors) > 0 {
		return partial
	}
	return whole
}

func delayed(d time.Duration, h http.Handler) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/_sandbox/") {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(url string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready within 60s", url)
}
