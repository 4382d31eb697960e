package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/graph"
	"github.com/moneyone-bff/finpro-bff/graph/resolvers"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/events/webhook"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/returnurl"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// safety bounds every blocking step so a broken server fails a test instead
// of hanging it. It is a deadlock guard, not a timing assertion.
const safety = 20 * time.Second

// webhookSecret signs the sandbox's webhooks to the BFFs under test.
const webhookSecret = "graph-test-webhook-secret"

// Test customers (sandbox customers with fixed identifiers). Mobiles never
// appear in failure messages.
const (
	mobileA = sandbox.DemoMobile
	mobileB = "9123456780"
	product = sandbox.DemoProductID
)

// Protocols are the websocket subprotocols every subscription test runs over.
var protocols = []string{"graphql-transport-ws", "graphql-ws"}

// spySource is the broker as the graph sees it, reporting every subscription
// it opens (so a test triggers events only once the subscriber listens) and
// counting the ones still open.
type spySource struct {
	*broker.Broker
	subscribed chan struct{}

	mu      sync.Mutex
	open    int
	changed chan struct{} // closed and replaced whenever open changes
}

func (s *spySource) Subscribe(ctx context.Context, f events.Filter) (<-chan events.Event, error) {
	ch, err := s.Broker.Subscribe(ctx, f)
	if err != nil {
		return nil, err
	}
	s.add(1)
	context.AfterFunc(ctx, func() { s.add(-1) })
	s.subscribed <- struct{}{}
	return ch, nil
}

// add changes the count of open subscriptions by d and wakes waitOpen.
func (s *spySource) add(d int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open += d
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// waitSubscribed waits until n more subscriptions reached the broker.
func (s *spySource) waitSubscribed(t testing.TB, n int) {
	t.Helper()
	for range n {
		select {
		case <-s.subscribed:
		case <-time.After(safety):
			t.Fatal("subscription never reached the broker")
		}
	}
}

// waitOpen waits until exactly n subscriptions are open at the broker,
// woken by every change of the count rather than polling it.
func (s *spySource) waitOpen(t testing.TB, n int) {
	t.Helper()
	deadline := time.After(safety)
	for {
		s.mu.Lock()
		open := s.open
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		changed := s.changed
		s.mu.Unlock()
		if open == n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("open subscriptions at the broker = %d, want %d", open, n)
		}
	}
}

// bff is one BFF replica: a graph handler and the webhook route on one
// httptest server, its own broker, and a FinPro client of the shared sandbox.
type bff struct {
	srv      *httptest.Server
	mux      *http.ServeMux
	broker   *broker.Broker
	source   *spySource
	shutdown context.CancelFunc // cancels the server's BaseContext
	// returns, when set before serve, are the AA return addresses.
	returns *returnurl.List
}

// newBFF starts a replica on broker; the graph handler is attached by serve.
func newBFF(t testing.TB, broker *broker.Broker) *bff {
	t.Helper()
	b := &bff{mux: http.NewServeMux(), broker: broker}
	b.source = &spySource{Broker: broker, subscribed: make(chan struct{}, 1024)}
	b.mux.Handle("/webhooks/finpro", webhook.Handler(broker, webhook.Options{Secret: []byte(webhookSecret)}))
	b.srv = httptest.NewUnstartedServer(b.mux)
	base, cancel := context.WithCancel(context.Background())
	b.srv.Config.BaseContext = func(net.Listener) context.Context { return base }
	b.shutdown = cancel
	b.srv.Start()
	t.Cleanup(func() {
		cancel()
		b.srv.Close()
	})
	return b
}

// serve mounts the graph handler for fp with ws settings on /graphql. Without
// an InitFunc, testInit makes the connections' principals.
func (b *bff) serve(fp *finpro.Client, ws graph.WebsocketConfig) {
	if ws.InitFunc == nil {
		ws.InitFunc = testInit
	}
	h := graph.NewHandler(graph.Config{Options: resolvers.Options{FinPro: fp, Events: b.source, Replay: b.broker.ReplayStore(), Returns: b.returns}, Websocket: ws})
	b.mux.Handle("/graphql", ws.CheckOrigin(asPartner(h)))
}

func (b *bff) wsURL() string { return "ws" + strings.TrimPrefix(b.srv.URL, "http") + "/graphql" }

// startBroker starts an embedded broker closed at the end of the test.
func startBroker(t testing.TB, opts broker.Options) *broker.Broker {
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

// newSandbox starts a sandbox that sends its webhooks to hook and returns
// it with a FinPro client of it.
func newSandbox(t testing.TB, hook *bff, configure ...func(*sandbox.Config)) (*sandbox.Sandbox, *finpro.Client) {
	t.Helper()
	cfg := sandbox.Config{
		WebhookURL:    hook.srv.URL + "/webhooks/finpro",
		WebhookSecret: webhookSecret,
	}
	for _, f := range configure {
		f(&cfg)
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatalf("sandbox.New: %v", err)
	}
	t.Cleanup(func() { sb.Close() })
	up := httptest.NewServer(sb.Handler())
	t.Cleanup(up.Close)
	fp, err := finpro.New(finpro.Options{BaseURL: up.URL, Credentials: sandboxCredentials(), MaxRetries: -1})
	if err != nil {
		t.Fatalf("finpro.New: %v", err)
	}
	return sb, fp
}

// testInit is the InitFunc of the tests, standing in for token checks: the
// payload's "mobile", "scope" (space-separated; every scope when absent),
// "products" (space-separated) and "ttlMillis" make the principal; "reject"
// refuses the connection; "anonymous" accepts it without a principal.
func testInit(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	if p["reject"] != nil {
		return ctx, nil, apierr.New(apierr.Unauthenticated, "invalid token")
	}
	if p["anonymous"] != nil {
		return ctx, nil, nil
	}
	pr := auth.Principal{Subject: "ws-test", Scopes: auth.DevScopes()}
	if s, ok := p["scope"].(string); ok {
		pr.Scopes = strings.Fields(s)
	}
	if s, ok := p["products"].(string); ok {
		pr.Products = strings.Fields(s)
	}
	if m, ok := p["mobile"].(string); ok {
		pr.Mobile = m
	}
	if v, ok := p["ttlMillis"].(string); ok { // a string: no floats in graph/
		ms, err := strconv.Atoi(v)
		if err != nil {
			return ctx, nil, err
		}
		pr.ExpiresAt = time.Now().Add(time.Duration(ms) * time.Millisecond)
	}
	return auth.WithPrincipal(ctx, pr), nil, nil
}

// wsMsg is a message of either protocol.
type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient is a gorilla websocket client speaking one subprotocol. A reader
// goroutine answers graphql-transport-ws pings and queues everything else.
type wsClient struct {
	conn     *websocket.Conn
	protocol string
	msgs     chan wsMsg
	closed   chan struct{} // closed when reading fails
	readErr  error         // set before closed is closed

	// pending holds messages of other operations read while waiting for
	// one; used by the test goroutine only.
	pending map[string][]wsMsg

	wmu      sync.Mutex
	pings    int  // pings received; guarded by wmu
	autoPong bool // answer pings; guarded by wmu
}

// dialWS opens a websocket to url with protocol; header may carry an Origin.
func dialWS(t testing.TB, url, protocol string, header http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: safety, Subprotocols: []string{protocol}}
	conn, resp, err := d.DialContext(t.Context(), url, header)
	if resp != nil {
		resp.Body.Close()
	}
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{conn: conn, protocol: protocol, msgs: make(chan wsMsg, 256), closed: make(chan struct{}), autoPong: true, pending: make(map[string][]wsMsg)}
	t.Cleanup(func() { conn.Close() })
	go c.read()
	return c, resp, nil
}

func (c *wsClient) read() {
	defer close(c.closed)
	for {
		var m wsMsg
		if err := c.conn.ReadJSON(&m); err != nil {
			c.readErr = err
			return
		}
		if m.Type == "ping" && c.protocol == "graphql-transport-ws" {
			c.wmu.Lock()
			c.pings++
			auto := c.autoPong
			c.wmu.Unlock()
			if auto {
				c.write(wsMsg{Type: "pong"})
			}
			continue
		}
		c.msgs <- m
	}
}

func (c *wsClient) write(m wsMsg) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.conn.WriteJSON(m)
}

// connect dials url and completes connection_init with payload.
func connect(t testing.TB, url, protocol string, payload map[string]any) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, url, protocol, nil)
	if err != nil {
		t.Fatalf("Dial(%s) error = %v", protocol, err)
	}
	c.init(t, payload)
	return c
}

func (c *wsClient) init(t testing.TB, payload map[string]any) {
	t.Helper()
	m := wsMsg{Type: "connection_init"}
	if payload != nil {
		b, _ := json.Marshal(payload)
		m.Payload = b
	}
	if err := c.write(m); err != nil {
		t.Fatalf("write connection_init: %v", err)
	}
	if got := c.next(t); got.Type != "connection_ack" {
		t.Fatalf("after connection_init got %q, want connection_ack", got.Type)
	}
}

// next returns the next message other than a graphql-ws keep-alive. The
// reader queues every message before it closes c.closed, so a closed
// connection still yields what was read before the close: select picks at
// random among ready cases, and a message followed at once by the close
// frame must not be lost to it.
func (c *wsClient) next(t testing.TB) wsMsg {
	t.Helper()
	for {
		select {
		case m := <-c.msgs:
			if m.Type == "ka" {
				continue
			}
			return m
		case <-c.closed:
			select {
			case m := <-c.msgs:
				if m.Type == "ka" {
					continue
				}
				return m
			default:
			}
			t.Fatalf("connection closed (%v), want a message", c.readErr)
		case <-time.After(safety):
			t.Fatal("no message within the safety bound")
		}
	}
}

// waitClosed waits until the server closed the connection and returns the
// close error.
func (c *wsClient) waitClosed(t testing.TB) error {
	t.Helper()
	c.untilClosed(t)
	return c.readErr
}

// untilClosed returns every message the server sent until it closed the
// connection, those queued before the close included (c.readErr is then the
// close error).
func (c *wsClient) untilClosed(t testing.TB) []wsMsg {
	t.Helper()
	var out []wsMsg
	for {
		select {
		case m := <-c.msgs:
			out = append(out, m)
		case <-c.closed:
			for {
				select {
				case m := <-c.msgs:
					out = append(out, m)
				default:
					return out
				}
			}
		case <-time.After(safety):
			t.Fatal("connection still open")
			return nil
		}
	}
}

// subscribe starts operation id.
func (c *wsClient) subscribe(t testing.TB, id, query string, vars map[string]any) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	typ := "subscribe"
	if c.protocol == "graphql-ws" {
		typ = "start"
	}
	if err := c.write(wsMsg{ID: id, Type: typ, Payload: b}); err != nil {
		t.Fatalf("write %s: %v", typ, err)
	}
}

// stop ends operation id from the client side.
func (c *wsClient) stop(t testing.TB, id string) {
	t.Helper()
	typ := "complete"
	if c.protocol == "graphql-ws" {
		typ = "stop"
	}
	if err := c.write(wsMsg{ID: id, Type: typ}); err != nil {
		t.Fatalf("write %s: %v", typ, err)
	}
}

// result is one message of an operation: an event, an error or completion.
type result struct {
	kind   string // "next", "error" or "complete"
	event  eventJSON
	errors []gqlError
}

type eventJSON struct {
	ConsentHandle string  `json:"consentHandle"`
	ConsentID     *string `json:"consentID"`
	Status        string  `json:"status"`
	EventStatus   string  `json:"eventStatus"`
	OccurredAt    string  `json:"occurredAt"`
	Cursor        string  `json:"cursor"`
	Consent       *struct {
		ConsentHandle string `json:"consentHandle"`
		ProductID     string `json:"productID"`
	} `json:"consent"`
}

// nextFor returns the next message of operation id, keeping those of other
// operations for later.
func (c *wsClient) nextFor(t testing.TB, id string) wsMsg {
	t.Helper()
	if q := c.pending[id]; len(q) > 0 {
		c.pending[id] = q[1:]
		return q[0]
	}
	for {
		m := c.next(t)
		if m.ID == id {
			return m
		}
		if m.ID == "" {
			t.Fatalf("got %q while waiting for operation %q", m.Type, id)
		}
		c.pending[m.ID] = append(c.pending[m.ID], m)
	}
}

// result reads the next message of operation id.
func (c *wsClient) result(t testing.TB, id string) result {
	t.Helper()
	m := c.nextFor(t, id)
	switch m.Type {
	case "next", "data":
		var p struct {
			Data *struct {
				E eventJSON `json:"consentStatusChanged"`
			} `json:"data"`
			Errors []gqlError `json:"errors"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatalf("decode %s payload: %v", m.Type, err)
		}
		if len(p.Errors) > 0 {
			return result{kind: "error", errors: p.Errors}
		}
		if p.Data == nil {
			t.Fatalf("%s payload without data or errors", m.Type)
		}
		return result{kind: "next", event: p.Data.E}
	case "error":
		var errs []gqlError
		if err := json.Unmarshal(m.Payload, &errs); err != nil {
			t.Fatalf("decode error payload: %v", err)
		}
		return result{kind: "error", errors: errs}
	case "complete":
		return result{kind: "complete"}
	}
	t.Fatalf("unexpected message type %q", m.Type)
	return result{}
}

// event reads the next message of operation id, which must be an event.
func (c *wsClient) event(t testing.TB, id string) eventJSON {
	t.Helper()
	r := c.result(t, id)
	if r.kind != "next" {
		t.Fatalf("operation %s: got %s %+v, want an event", id, r.kind, r.errors)
	}
	return r.event
}

// errorCode reads the message ending operation id: an error (in an error
// message, or in a next/data message followed by complete) and returns its
// code.
func (c *wsClient) errorCode(t testing.TB, id string) string {
	t.Helper()
	r := c.result(t, id)
	if r.kind != "error" || len(r.errors) == 0 {
		t.Fatalf("operation %s: got %s, want an error", id, r.kind)
	}
	return r.errors[0].code()
}

const consentStatusChanged = `subscription S($product: ID!, $mobile: String, $handle: ID, $after: String) {
  consentStatusChanged(productID: $product, mobileNumber: $mobile, consentHandle: $handle, after: $after) {
    consentHandle consentID status eventStatus occurredAt cursor
    consent { consentHandle productID }
  }
}`

// subVars returns the variables of consentStatusChanged; empty strings are
// left out.
func subVars(mobile, handle, after string) map[string]any {
	v := map[string]any{"product": product}
	if mobile != "" {
		v["mobile"] = mobile
	}
	if handle != "" {
		v["handle"] = handle
	}
	if after != "" {
		v["after"] = after
	}
	return v
}

// requestConsent creates a PENDING consent of mobile through the BFF and
// returns its handle.
func requestConsent(t testing.TB, url, mobile string) string {
	t.Helper()
	var out struct {
		RequestConsent struct {
			ConsentHandle string `json:"consentHandle"`
		} `json:"requestConsent"`
	}
	mustData(t, postTo(t, url, `mutation R($m: String!, $p: ID!) { requestConsent(input: {mobileNumber: $m, productID: $p}) { consentHandle } }`,
		map[string]any{"m": mobile, "p": product}), &out)
	return out.RequestConsent.ConsentHandle
}

// transition moves a consent in the sandbox (which fires its webhook).
func transition(t testing.TB, sb *sandbox.Sandbox, handle string, actions ...string) {
	t.Helper()
	for _, a := range actions {
		if err := sb.Transition(t.Context(), handle, a); err != nil {
			t.Fatalf("Transition(%s) error = %v", a, err)
		}
	}
}

// isCloseCode reports whether err is a websocket close with code.
func isCloseCode(err error, code int) bool {
	var ce *websocket.CloseError
	return errors.As(err, &ce) && ce.Code == code
}
