// Command subsoak measures what idle subscriptions cost the BFF (issue #16):
// it starts `finpro-bff serve` in sandbox mode, opens -n websockets, each
// with connection_init and one consentStatusChanged subscription that then
// stays idle, and reports the server's RSS, goroutines and Go heap before
// and after, per subscription. The clients run in this process and the
// server in its own, so the server's numbers are the server's alone.
//
//	go build -o /tmp/finpro-bff . && go run ./bench/cmd/subsoak -bff /tmp/finpro-bff -n 10000
//
// With -profile DIR it saves the server's goroutine and heap profiles taken
// with the subscriptions open; -gc collects the server's garbage before each
// sample (-gc N: N collections), so the heap figures are what is live and the
// idle goroutines' stacks have shrunk to fit.
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
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

const subscription = `subscription Idle { consentStatusChanged(productID: "PFM_DASHBOARD", mobileNumber: "9876543210") { consentHandle status cursor } }`

func main() {
	var (
		bff      = flag.String("bff", "", "path of a built finpro-bff binary (required)")
		n        = flag.Int("n", 10000, "idle subscriptions to open")
		workers  = flag.Int("workers", 32, "connections opened at once")
		protocol = flag.String("protocol", "graphql-transport-ws", "subprotocol: graphql-transport-ws or graphql-ws")
		settle   = flag.Duration("settle", 5*time.Second, "wait after the last subscription before measuring")
		profile  = flag.String("profile", "", "save the server's goroutine and heap profiles here")
		gc       = flag.Int("gc", 0, "garbage collections of the server (pprof heap?gc=1) before each sample")
	)
	flag.Parse()
	if *bff == "" {
		fmt.Fprintln(os.Stderr, "subsoak: -bff is required")
		os.Exit(2)
	}
	if err := run(*bff, *n, *workers, *protocol, *settle, *profile, *gc); err != nil {
		fmt.Fprintln(os.Stderr, "subsoak:", err)
		os.Exit(1)
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func run(bff string, n, workers int, protocol string, settle time.Duration, profile string, gc int) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	admin, err := freeAddr()
	if err != nil {
		return err
	}
	env := append(os.Environ(),
		"ADDR="+addr, "ADMIN_ADDR="+admin, "LOG_LEVEL=warn",
		"RATE_LIMIT_PER_SECOND=0", "WS_MAX_SOCKETS_PER_PRINCIPAL=0",
	)
	tok := exec.Command(bff, "token", "-sub", "subsoak", "-ttl", "24h")
	tok.Env = env
	out, err := tok.Output()
	if err != nil {
		return fmt.Errorf("mint token: %w", err)
	}
	token := strings.TrimSpace(string(out))

	srv := exec.Command(bff, "serve")
	// The server's output is dropped: in sandbox mode it prints dev tokens.
	srv.Env = env
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
	time.Sleep(time.Second)
	before, err := sample(srv.Process.Pid, admin, gc)
	if err != nil {
		return err
	}

	dialer := websocket.Dialer{Subprotocols: []string{protocol}, HandshakeTimeout: 30 * time.Second, ReadBufferSize: 512, WriteBufferSize: 512}
	url := "ws://" + addr + "/graphql"
	conns := make([]*websocket.Conn, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				c, err := open(dialer, url, protocol, token, i)
				if err != nil {
					errs <- fmt.Errorf("subscription %d: %w", i, err)
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	close(errs)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	if err := <-errs; err != nil {
		return err
	}
	opened := time.Since(start)
	// Keep reading (keepalive pings, "ka"), as a real client does; answer
	// graphql-transport-ws pings with pong.
	for _, c := range conns {
		go drain(c, protocol)
	}
	time.Sleep(settle)
	after, err := sample(srv.Process.Pid, admin, gc)
	if err != nil {
		return err
	}
	if profile != "" {
		// The heap profile shows the last collection's live heap: collect first.
		for p, q := range map[string]string{"goroutine": "goroutine", "heap": "heap?gc=1"} {
			if err := save(admin, q, filepath.Join(profile, p+".prof")); err != nil {
				return err
			}
		}
		if err := save(admin, "goroutine?debug=1", filepath.Join(profile, "goroutine.txt")); err != nil {
			return err
		}
	}
	per := func(a, b float64) float64 { return (a - b) / float64(n) }
	fmt.Printf("subscriptions: %d (%s, opened in %s, collections before samples: %d)\n", n, protocol, opened.Round(time.Millisecond), gc)
	fmt.Printf("server RSS:    %.1f MiB -> %.1f MiB (%.1f KiB per subscription)\n", before.rss/(1<<20), after.rss/(1<<20), per(after.rss, before.rss)/1024)
	fmt.Printf("goroutines:    %.0f -> %.0f (%.2f per subscription)\n", before.goroutines, after.goroutines, per(after.goroutines, before.goroutines))
	fmt.Printf("Go heap inuse: %.1f MiB -> %.1f MiB (%.1f KiB per subscription)\n", before.heap/(1<<20), after.heap/(1<<20), per(after.heap, before.heap)/1024)
	fmt.Printf("Go stacks:     %.1f MiB -> %.1f MiB (%.1f KiB per subscription)\n", before.stack/(1<<20), after.stack/(1<<20), per(after.stack, before.stack)/1024)
	return nil
}

// open dials, completes connection_init and starts the subscription.
func open(d websocket.Dialer, url, protocol, token string, i int) (*websocket.Conn, error) {
	c, _, err := d.Dial(url, nil)
	if err != nil {
		return nil, err
	}
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	send := func(v any) error { return c.WriteJSON(v) }
	if err := send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}}); err != nil {
		c.Close()
		return nil, err
	}
	for {
		var m struct{ Type string }
		if err := c.ReadJSON(&m); err != nil {
			c.Close()
			return nil, fmt.Errorf("waiting for connection_ack: %w", err)
		}
		if m.Type == "connection_ack" {
			break
		}
		if m.Type != "ka" && m.Type != "ping" && m.Type != "pong" {
			c.Close()
			return nil, fmt.Errorf("got %q before connection_ack", m.Type)
		}
	}
	typ := "subscribe"
	if protocol == "graphql-ws" {
		typ = "start"
	}
	if err := send(map[string]any{"type": typ, "id": strconv.Itoa(i), "payload": map[string]any{"query": subscription}}); err != nil {
		c.Close()
		return nil, err
	}
	_ = c.SetReadDeadline(time.Time{})
	return c, nil
}

func drain(c *websocket.Conn, protocol string) {
	for {
		_, b, err := c.ReadMessage()
		if err != nil {
			return
		}
		var m struct{ Type string }
		if json.Unmarshal(b, &m) == nil {
			switch m.Type {
			case "ping":
				_ = c.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
			case "error", "complete", "next", "data":
				fmt.Fprintf(os.Stderr, "subsoak: unexpected message on an idle subscription: %s\n", b)
			}
		}
	}
}

func waitReady(url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("the server did not become ready")
}

type stats struct{ rss, goroutines, heap, stack float64 }

// sample reads the server's RSS from /proc and its runtime numbers from
// /metrics, after gcs garbage collections.
func sample(pid int, admin string, gcs int) (stats, error) {
	var s stats
	// Each collection halves the stacks that use less than a quarter of
	// theirs: a few let the idle goroutines' stacks shrink to fit, as the
	// runtime's periodic collections do over time.
	for range gcs {
		if err := save(admin, "heap?gc=1", os.DevNull); err != nil {
			return s, err
		}
		time.Sleep(500 * time.Millisecond)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			s.rss = kb * 1024
		}
	}
	resp, err := http.Get("http://" + admin + "/metrics")
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			continue
		}
		switch name {
		case "go_goroutines":
			s.goroutines = f
		case "go_memstats_heap_inuse_bytes":
			s.heap = f
		case "go_memstats_stack_inuse_bytes":
			s.stack = f
		}
	}
	if s.goroutines == 0 {
		return s, errors.New("no go_goroutines on /metrics")
	}
	return s, sc.Err()
}

func save(admin, profile, path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+admin+"/debug/pprof/"+profile, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, resp.Body); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
