// Package eventstest helps test the event packages against a real broker:
// it starts embedded brokers, signs and posts webhooks, and waits for events
// with a deadline that only guards against a hang.
package eventstest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
)

// Secret signs test webhooks.
var Secret = []byte("test-webhook-secret")

// Test customers. Tests never print mobiles in failure messages.
const (
	MobileA = "9876543210"
	MobileB = "9123456780"
)

// StartBroker starts a broker closed at the end of the test.
func StartBroker(t testing.TB, opts broker.Options) *broker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, opts)
	if err != nil {
		t.Fatalf("broker.Start() error = %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// Handler is the webhook intake of b with the test secret.
func Handler(b *broker.Broker) http.Handler {
	return webhook.Handler(b, webhook.Options{Secret: Secret})
}

// Sign is the hex HMAC-SHA256 of body under Secret.
func Sign(body []byte) string { return SignWith(Secret, body) }

// SignWith is the hex HMAC-SHA256 of body under key.
func SignWith(key, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

var handleCounter atomic.Int64

// NewHandle returns a fresh UUID-shaped consent handle.
func NewHandle() string {
	return fmt.Sprintf("7b1e6a2c-1f0e-4a7e-9a55-%012d", handleCounter.Add(1))
}

// Unique returns a number not returned before in this process.
func Unique() int64 { return handleCounter.Add(1) }

// Payload builds a webhook body from fields; nil values are left out. The
// timestamp is now unless fields set one.
func Payload(t testing.TB, fields map[string]any) []byte {
	t.Helper()
	m := map[string]any{"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ConsentPayload is a Type 1 CONSENT event for mobile's VUA.
func ConsentPayload(t testing.TB, handle, status, mobile string) []byte {
	return Payload(t, map[string]any{
		"consentHandle": handle,
		"eventType":     "CONSENT",
		"eventStatus":   status,
		"consentId":     "c0a8f3d2-5b6e-4c1a-9f7e-" + handle[len(handle)-12:],
		"vua":           mobile + "@onemoney",
		"eventMessage":  "Consent event",
	})
}

// Post sends a signed webhook through h and returns the status code.
func Post(t testing.TB, h http.Handler, body []byte) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/finpro", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.DefaultSignatureHeader, Sign(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// MustPost posts a signed webhook and fails unless it answers 200.
func MustPost(t testing.TB, h http.Handler, body []byte) {
	t.Helper()
	if code := Post(t, h, body); code != http.StatusOK {
		t.Fatalf("POST /webhooks/finpro = %d, want 200", code)
	}
}

// LastSeq is the sequence of the last stored event.
func LastSeq(t testing.TB, b *broker.Broker) uint64 {
	t.Helper()
	seq, err := b.LastSeq(context.Background())
	if err != nil {
		t.Fatalf("LastSeq() error = %v", err)
	}
	return seq
}

// Recv waits for the next event; the deadline only guards against a hang.
func Recv(t testing.TB, ch <-chan events.Event) events.Event {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed, want an event")
		}
		return ev
	case <-time.After(15 * time.Second):
		t.Fatal("no event within 15s")
	}
	return events.Event{}
}

// Subscribe subscribes and fails the test on error.
func Subscribe(t testing.TB, ctx context.Context, b *broker.Broker, f events.Filter) <-chan events.Event {
	t.Helper()
	ch, err := b.Subscribe(ctx, f)
	if err != nil {
		t.Fatalf("Subscribe() error = %v", err)
	}
	return ch
}

// WaitClosed waits until ch is closed, draining it.
func WaitClosed(t testing.TB, ch <-chan events.Event) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("subscription channel not closed within 15s")
		}
	}
}

// Cluster is n clustered nats-servers with JetStream on loopback, every
// connection (routes between nodes, clients to nodes) through a TCP proxy,
// so a test can cut a node off as a crash or a partition would: abruptly,
// without the leadership hand-over of a graceful shutdown.
type Cluster struct {
	Nodes []*server.Server
	// clients[i] fronts node i's client port; routes[i][j] carries node i's
	// route to node j.
	clients []*Proxy
	routes  [][]*Proxy
	t       testing.TB
}

// StartCluster starts the cluster and waits until JetStream has a meta
// leader. The nodes' own ports are random; each node reaches the others
// through proxies listening on 127.0.0.1:0, so no port is guessed. Nodes
// advertise no client URLs (cluster no_advertise), and gossip a route
// address that refuses every connection (cluster advertise): a node that
// learns of a peer from a third one must not dial it directly, around the
// proxies, or cutting that peer off would leave it a route (a partial
// partition, with elections that never settle). Everything stops at the end of the test.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	c := &Cluster{routes: make([][]*Proxy, n), t: t}
	nowhere := refuser(t)
	// The nodes' route listeners come up only with the nodes, so each
	// route proxy learns its target once that node has started.
	targets := make([]chan string, n)
	for j := range targets {
		targets[j] = make(chan string, 1)
	}
	for i := range n {
		c.routes[i] = make([]*Proxy, n)
		for j := range n {
			if i != j {
				c.routes[i][j] = newLazyProxy(t, targets[j])
			}
		}
	}
	for i := range n {
		var routes []string
		for j := range n {
			if i != j {
				routes = append(routes, "nats-route://"+c.routes[i][j].Addr())
			}
		}
		s, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("nats-%d", i),
			Host:       "127.0.0.1",
			Port:       server.RANDOM_PORT,
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "bff-test", Host: "127.0.0.1", Port: server.RANDOM_PORT, NoAdvertise: true, Advertise: nowhere},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
		})
		if err != nil {
			t.Fatal(err)
		}
		go s.Start()
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
		c.Nodes = append(c.Nodes, s)
	}
	for j, s := range c.Nodes {
		deadline := time.Now().Add(10 * time.Second)
		for s.ClusterAddr() == nil {
			if time.Now().After(deadline) {
				t.Fatalf("nats node %d has no route listener within 10s", j)
			}
			time.Sleep(5 * time.Millisecond)
		}
		for range n - 1 {
			targets[j] <- s.ClusterAddr().String()
		}
	}
	for i, s := range c.Nodes {
		if !s.ReadyForConnections(30 * time.Second) {
			t.Fatalf("nats node %d not ready within 30s", i)
		}
		c.clients = append(c.clients, NewProxy(t, s.Addr().String()))
	}
	deadline := time.Now().Add(30 * time.Second)
	for !c.formed() {
		if time.Now().After(deadline) {
			t.Fatal("JetStream meta group not formed within 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return c
}

// refuser listens on 127.0.0.1:0 and closes every connection at once, until
// the test ends: an address that is never a server.
func refuser(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// formed reports whether a meta leader knows every node as a JetStream peer
// (before that, R3 assets have "no suitable peers for placement").
func (c *Cluster) formed() bool {
	for _, s := range c.Nodes {
		if s.JetStreamIsLeader() {
			return len(s.JetStreamClusterPeers()) == len(c.Nodes)
		}
	}
	return false
}

// ClientURLs is the comma-separated client URLs of the nodes (their
// proxies), as NATS_URL takes them; skip leaves out nodes by index.
func (c *Cluster) ClientURLs(skip ...int) string {
	var urls []string
	for i, p := range c.clients {
		if !slices.Contains(skip, i) {
			urls = append(urls, "nats://"+p.Addr())
		}
	}
	return strings.Join(urls, ",")
}

// Index is the index of the node named name, -1 if none.
func (c *Cluster) Index(name string) int {
	for i, s := range c.Nodes {
		if s.Name() == name {
			return i
		}
	}
	return -1
}

// Cut isolates node i at once, as a crash looks to its peers and clients:
// its route and client connections are reset and no new ones get through.
// The node itself keeps running, unaware, until the test ends. Cut fails
// the test if the node still has a route a second later (one that went
// around the proxies).
func (c *Cluster) Cut(i int) {
	c.clients[i].Close()
	for j := range c.routes {
		if j != i {
			c.routes[i][j].Close()
			c.routes[j][i].Close()
		}
	}
	deadline := time.Now().Add(time.Second)
	for c.Nodes[i].NumRoutes() > 0 {
		if time.Now().After(deadline) {
			c.t.Errorf("nats node %d still has %d routes after being cut off:\n%s", i, c.Nodes[i].NumRoutes(), c.State())
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Proxy forwards TCP connections from a loopback listener to a target until
// closed.
type Proxy struct {
	ln     net.Listener
	target func() string

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

// NewProxy listens on 127.0.0.1:0 and forwards to target; it closes at the
// end of the test.
func NewProxy(t testing.TB, target string) *Proxy {
	return newProxy(t, func() string { return target })
}

// newLazyProxy forwards to the address that arrives on target (once).
func newLazyProxy(t testing.TB, target chan string) *Proxy {
	var once sync.Once
	var addr string
	return newProxy(t, func() string {
		once.Do(func() { addr = <-target })
		return addr
	})
}

func newProxy(t testing.TB, target func() string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	t.Cleanup(p.Close)
	go p.accept()
	return p
}

// Addr is the proxy's listening address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

func (p *Proxy) accept() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(in)
	}
}

func (p *Proxy) forward(in net.Conn) {
	out, err := net.Dial("tcp", p.target())
	if err != nil {
		in.Close()
		return
	}
	if !p.track(in, out) {
		in.Close()
		out.Close()
		return
	}
	go func() { io.Copy(out, in); out.Close(); in.Close() }()
	io.Copy(in, out)
	in.Close()
	out.Close()
	p.mu.Lock()
	delete(p.conns, in)
	delete(p.conns, out)
	p.mu.Unlock()
}

func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

// Close stops the proxy and resets every connection through it.
func (p *Proxy) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	p.ln.Close()
	for c := range p.conns {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // a reset, as from a dead process
		}
		c.Close()
	}
}

// State describes each node for a failing test's log: its routes, whether it
// leads JetStream, and the state of every Raft group it runs (meta, streams,
// consumers), so a stalled election shows who votes for whom.
func (c *Cluster) State() string {
	var b strings.Builder
	for i, s := range c.Nodes {
		fmt.Fprintf(&b, "node %d %s: routes %d, meta leader %t\n", i, s.Name(), s.NumRoutes(), s.JetStreamIsLeader())
		st := s.Raftz(&server.RaftzOptions{})
		if st == nil {
			continue
		}
		for _, groups := range *st {
			for name, g := range groups {
				fmt.Fprintf(&b, "  group %s: %s term %d leader %q voted %q peers %d quorum %d applied %d/%d\n",
					name, g.State, g.Term, g.Leader, g.Vote, g.Size, g.QuorumNeeded, g.Applied, g.Committed)
			}
		}
	}
	return b.String()
}
