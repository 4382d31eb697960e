package gorillaconn_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

func TestSubscription(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
			c := h.Init(t, p)

			// Stopped by the client.
			c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
			s := h.NextSub(t)
			for _, name := range []string{"a", "b"} {
				s.Events <- `{"name":"` + name + `"}`
				got := c.Expect(t, p.Next)
				want := msg{Type: p.Next, ID: "1", Payload: json.RawMessage(`{"data":{"name":"` + name + `"}}`)}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("event %q (-want +got):\n%s", name, diff)
				}
			}
			c.Send(t, msg{Type: p.Stop, ID: "1"})
			wsgorillatest.WaitEnded(t, s)
			if p == wstest.GraphQLWS {
				// subscriptions-transport-ws confirms a stop.
				if got := c.Expect(t, "complete"); got.ID != "1" {
					t.Errorf("complete id = %q, want %q", got.ID, "1")
				}
			} else if got := c.Ping(t); len(got) != 0 {
				// graphql-transport-ws sends nothing after the client's complete.
				t.Errorf("after complete got %v, want nothing", got)
			}

			// Completed by the server.
			c.Send(t, wsgorillatest.SubscribeMsg(p, "2"))
			s = h.NextSub(t)
			s.Events <- `{"name":"c"}`
			if got := c.Expect(t, p.Next); got.ID != "2" {
				t.Errorf("%s id = %q, want %q", p.Next, got.ID, "2")
			}
			close(s.Events)
			if got := c.Expect(t, "complete"); got.ID != "2" {
				t.Errorf("complete id = %q, want %q", got.ID, "2")
			}
		})
	}
}

func TestSubprotocolNegotiation(t *testing.T) {
	h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
	tests := []struct {
		offer []string
		want  string
	}{
		{offer: []string{gorillaconn.GraphQLTransportWS}, want: gorillaconn.GraphQLTransportWS},
		{offer: []string{gorillaconn.GraphQLWS}, want: gorillaconn.GraphQLWS},
		{offer: []string{gorillaconn.GraphQLWS, gorillaconn.GraphQLTransportWS}, want: gorillaconn.GraphQLTransportWS},
		{offer: []string{"mqtt", gorillaconn.GraphQLWS}, want: gorillaconn.GraphQLWS},
		{offer: nil, want: ""},
		{offer: []string{"mqtt"}, want: ""},
	}
	for _, tc := range tests {
		c, _, err := h.Dial(t, nil, tc.offer...)
		if err != nil {
			t.Fatalf("Dial(%q) error = %v", tc.offer, err)
		}
		if got := c.Subprotocol(); got != tc.want {
			t.Errorf("Dial(%q).Subprotocol() = %q, want %q", tc.offer, got, tc.want)
		}
		// gqlgen speaks graphql-ws when nothing was negotiated.
		c.Send(t, msg{Type: "connection_init"})
		c.Expect(t, "connection_ack")
	}
}

func TestInitTimeout(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{InitTimeout: 50 * time.Millisecond})
			c := h.Connect(t, p) // and never send connection_init
			ce := c.ReadClose(t)
			want := &websocket.CloseError{Code: gorillaconn.CloseConnectionInitialisationTimeout, Text: "Connection initialisation timeout"}
			if diff := cmp.Diff(want, ce); diff != "" {
				t.Errorf("close (-want +got):\n%s", diff)
			}
			h.WaitDone(t)
		})
	}
}

func TestKeepAlive(t *testing.T) {
	t.Run("graphql-transport-ws client ping", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
		c := h.Init(t, wstest.TransportWS)
		c.Send(t, msg{Type: "ping", Payload: json.RawMessage(`{"n":1}`)})
		got := c.Expect(t, "pong")
		if want := `{"n":1}`; string(got.Payload) != want {
			t.Errorf("pong payload = %s, want %s", got.Payload, want)
		}
	})

	// Server pings every interval and drops a client whose pong is missing
	// for two intervals. The third ping only goes out if the answered pings
	// kept the connection open past the first deadline.
	const interval = 250 * time.Millisecond
	t.Run("graphql-transport-ws server ping answered", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{PingPongInterval: interval})
		c := h.Init(t, wstest.TransportWS)
		for range 3 {
			c.Expect(t, "ping")
			c.Send(t, msg{Type: "pong"})
		}
	})
	t.Run("graphql-transport-ws server ping unanswered", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{PingPongInterval: interval})
		c := h.Init(t, wstest.TransportWS)
		c.ReadClose(t) // any close: the server gave up on the client
		h.WaitDone(t)
	})

	t.Run("graphql-ws ka", func(t *testing.T) {
		h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{KeepAlivePingInterval: 20 * time.Millisecond})
		c := h.Init(t, wstest.GraphQLWS)
		// gqlgen sends one "ka" right after the ack; more only on the timer.
		for range 3 {
			c.Expect(t, "ka")
		}
	})

	// Websocket-level ping frames are answered by gorilla while gqlgen reads.
	for _, p := range protocols {
		t.Run(p.Name+" control frame ping", func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
			c := h.Init(t, p)
			pong := make(chan string, 1)
			c.SetPongHandler(func(data string) error {
				pong <- data
				return nil
			})
			go func() {
				for {
					if _, _, err := c.ReadMessage(); err != nil {
						return
					}
				}
			}()
			if err := c.WriteControl(websocket.PingMessage, []byte("hi"), time.Now().Add(wsgorillatest.Safety)); err != nil {
				t.Fatalf("WriteControl(ping) error = %v", err)
			}
			select {
			case got := <-pong:
				if got != "hi" {
					t.Errorf("pong data = %q, want %q", got, "hi")
				}
			case <-time.After(wsgorillatest.Safety):
				t.Fatal("no pong frame")
			}
		})
	}
}

func TestOrigin(t *testing.T) {
	tests := []struct {
		name    string
		allowed []string
		origin  string // "" sends no Origin header
		want    int
	}{
		{"absent", []string{"https://app.example.com"}, "", http.StatusSwitchingProtocols},
		{"absent, nothing allowed", nil, "", http.StatusSwitchingProtocols},
		{"listed", []string{"https://app.example.com", "http://localhost:3000"}, "http://localhost:3000", http.StatusSwitchingProtocols},
		{"listed, other case, trailing slash in config", []string{"https://App.Example.com/"}, "https://app.example.com", http.StatusSwitchingProtocols},
		{"not listed", []string{"https://app.example.com"}, "https://evil.example.com", http.StatusForbidden},
		{"other scheme", []string{"https://app.example.com"}, "http://app.example.com", http.StatusForbidden},
		{"other port", []string{"https://app.example.com"}, "https://app.example.com:8443", http.StatusForbidden},
		{"suffix trick", []string{"https://app.example.com"}, "https://app.example.com.evil.io", http.StatusForbidden},
		{"null", []string{"https://app.example.com"}, "null", http.StatusForbidden},
		{"nothing allowed", nil, "https://app.example.com", http.StatusForbidden},
		{"wildcard", []string{"*"}, "https://anything.example", http.StatusSwitchingProtocols},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{AllowedOrigins: tc.allowed}, transport.Websocket{})
			dialOrigin(t, h, tc.origin, tc.want)
		})
		// The middleware alone, in front of an implementation allowing all.
		t.Run(tc.name+" CheckOrigin", func(t *testing.T) {
			h := wsgorillatest.StartFeed(t, gorillaconn.Options{AllowedOrigins: []string{"*"}}, transport.Websocket{},
				&wsgorillatest.Feed{}, gorillaconn.CheckOrigin(tc.allowed))
			dialOrigin(t, h, tc.origin, tc.want)
		})
	}
}

// dialOrigin dials h with Origin origin ("" for none) and checks the
// handshake's status, and that an accepted connection works.
func dialOrigin(t *testing.T, h *wsgorillatest.Harness, origin string, want int) {
	t.Helper()
	header := http.Header{}
	if origin != "" {
		header.Set("Origin", origin)
	}
	c, resp, err := h.Dial(t, header, gorillaconn.GraphQLTransportWS)
	if resp == nil {
		t.Fatalf("Dial(Origin %q) error = %v, want an HTTP response", origin, err)
	}
	if resp.StatusCode != want {
		t.Fatalf("Dial(Origin %q) status = %d, want %d", origin, resp.StatusCode, want)
	}
	if c != nil {
		c.Send(t, msg{Type: "connection_init"})
		c.Expect(t, "connection_ack")
	}
}

// TestCheckOriginNotUpgrade checks that CheckOrigin leaves requests other
// than websocket upgrades to the handler (CORS is not its business).
func TestCheckOriginNotUpgrade(t *testing.T) {
	reached := false
	h := gorillaconn.CheckOrigin(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
	}))
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{name}"}`))
	r.Header.Set("Origin", "https://evil.example.com")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if !reached || w.Code != http.StatusOK {
		t.Errorf("POST with a refused Origin: reached handler %t, status %d; want true, %d", reached, w.Code, http.StatusOK)
	}
}

func TestReadLimit(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{PayloadReadLimit: ptr[int64](512)})
			c := h.Init(t, p)
			// Over the limit, yet small enough for the client to send in one
			// write: the server drops the connection on reading the frame
			// header and would reset a client still writing.
			big := wsgorillatest.SubscribeMsg(p, "1")
			big.Payload = json.RawMessage(`{"query":"subscription { name }","extensions":{"pad":"` + strings.Repeat("x", 2048) + `"}}`)
			c.Send(t, big)
			ce := c.ReadClose(t)
			if ce.Code != websocket.CloseMessageTooBig {
				t.Errorf("close code = %d, want %d", ce.Code, websocket.CloseMessageTooBig)
			}
			h.WaitDone(t)
		})
	}
}

// TestSlowReader checks that a client which stops reading while its
// subscription pushes large messages costs the server at most the write
// timeout: the connection is closed and gqlgen's goroutines end.
func TestSlowReader(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			f := &wsgorillatest.Feed{Flood: []byte(`{"name":"` + strings.Repeat("x", 256<<10) + `"}`)}
			h := wsgorillatest.StartFeed(t, gorillaconn.Options{WriteTimeout: 100 * time.Millisecond}, transport.Websocket{}, f, nil)
			c := h.Init(t, p)
			c.Send(t, wsgorillatest.SubscribeMsg(p, "1"))
			s := h.NextSub(t)
			// From here on the client reads nothing.
			wsgorillatest.WaitEnded(t, s)
			h.WaitDone(t)
		})
	}
}

func TestShutdown(t *testing.T) {
	for _, p := range protocols {
		// Every operation gets complete, then the close says "going away".
		t.Run(p.Name+" subscribed", func(t *testing.T) {
			const conns, each = 4, 25
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
			cs := make([]*wstest.Conn, conns)
			var subs []*wsgorillatest.Sub
			for i := range cs {
				cs[i] = h.Init(t, p)
				for j := range each {
					cs[i].Send(t, wsgorillatest.SubscribeMsg(p, fmt.Sprint("s", j)))
					subs = append(subs, h.NextSub(t))
				}
			}
			h.Shutdown()
			for i, c := range cs {
				ce, got := c.ReadToClose(t)
				want := &websocket.CloseError{Code: websocket.CloseGoingAway, Text: "server shutting down"}
				if diff := cmp.Diff(want, ce); diff != "" {
					t.Errorf("connection %d: close (-want +got):\n%s", i, diff)
				}
				completed := map[string]int{}
				for _, m := range got {
					if m.Type == "complete" {
						completed[m.ID]++
					}
				}
				for j := range each {
					if id := fmt.Sprint("s", j); completed[id] != 1 {
						t.Errorf("connection %d: %s got %d completes, want 1", i, id, completed[id])
					}
				}
			}
			for _, s := range subs {
				wsgorillatest.WaitEnded(t, s)
			}
			for range cs {
				h.WaitDone(t)
			}
		})
		// gqlgen does not watch the context before connection_init; the
		// implementation does.
		t.Run(p.Name+" before connection_init", func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{})
			c := h.Connect(t, p)
			h.Shutdown()
			ce := c.ReadClose(t)
			if ce.Code != websocket.CloseGoingAway {
				t.Errorf("close code = %d, want %d", ce.Code, websocket.CloseGoingAway)
			}
			h.WaitDone(t)
		})
	}
}

// acceptServer serves fn with a connection accepted by a bare implementation,
// without gqlgen's transport, to test the WebsocketConn contract itself.
func acceptServer(t *testing.T, fn func(transport.WebsocketConn)) string {
	t.Helper()
	im := gorillaconn.New(gorillaconn.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := im.Accept(w, r, transport.WebsocketAcceptOptions{
			ResponseHeader: http.Header{},
			Subprotocols:   []string{gorillaconn.GraphQLWS, gorillaconn.GraphQLTransportWS},
		})
		if err != nil {
			t.Errorf("Accept() error = %v", err)
			return
		}
		defer c.Close()
		fn(c)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func dialURL(t *testing.T, url string) *wstest.Conn {
	t.Helper()
	c, _, err := wstest.Dial(t, url, nil)
	if err != nil {
		t.Fatalf("Dial(%s) error = %v", url, err)
	}
	return c
}

// TestConcurrentWrites writes from many goroutines at once, which gorilla
// forbids on its own (it panics or interleaves frames).
func TestConcurrentWrites(t *testing.T) {
	const writers, each = 8, 50
	url := acceptServer(t, func(c transport.WebsocketConn) {
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for n := range each {
					if err := c.WriteJSON(map[string]int{"w": w, "n": n}); err != nil {
						t.Errorf("WriteJSON() error = %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		if err := c.WriteClose(websocket.CloseNormalClosure, "done"); err != nil {
			t.Errorf("WriteClose() error = %v", err)
		}
	})
	c := dialURL(t, url)
	got := 0
	for {
		if err := c.SetReadDeadline(time.Now().Add(wsgorillatest.Safety)); err != nil {
			t.Fatal(err)
		}
		var m map[string]int
		err := c.ReadJSON(&m)
		if websocket.IsCloseError(err, websocket.CloseNormalClosure) {
			break
		}
		if err != nil {
			t.Fatalf("ReadJSON() after %d messages error = %v", got, err)
		}
		got++
	}
	if got != writers*each {
		t.Errorf("read %d messages, want %d", got, writers*each)
	}
}

func TestNextReaderClose(t *testing.T) {
	tests := []struct {
		code       int
		wantClosed bool
	}{
		{websocket.CloseNormalClosure, true},
		{websocket.CloseGoingAway, true},
		{websocket.CloseNoStatusReceived, true},
		{websocket.CloseInternalServerErr, false},
		{4000, false},
	}
	for _, tc := range tests {
		errc := make(chan error, 1)
		url := acceptServer(t, func(c transport.WebsocketConn) {
			_, _, err := c.NextReader()
			errc <- err
		})
		c := dialURL(t, url)
		payload := websocket.FormatCloseMessage(tc.code, "")
		if err := c.WriteControl(websocket.CloseMessage, payload, time.Now().Add(wsgorillatest.Safety)); err != nil {
			t.Fatalf("WriteControl(close %d) error = %v", tc.code, err)
		}
		select {
		case err := <-errc:
			if got := errors.Is(err, transport.ErrWebsocketClosed); got != tc.wantClosed {
				t.Errorf("peer closed with %d: NextReader() error = %v, want ErrWebsocketClosed %t", tc.code, err, tc.wantClosed)
			}
		case <-time.After(wsgorillatest.Safety):
			t.Fatalf("peer closed with %d: NextReader() did not return", tc.code)
		}
	}
}

func TestWriteCloseLongReason(t *testing.T) {
	reason := strings.Repeat("é", 100) // 200 bytes; a close frame holds 123
	url := acceptServer(t, func(c transport.WebsocketConn) {
		if err := c.WriteClose(4400, reason); err != nil {
			t.Errorf("WriteClose(4400, %d bytes) error = %v", len(reason), err)
		}
	})
	c := dialURL(t, url)
	ce := c.ReadClose(t)
	if ce.Code != 4400 || !strings.HasPrefix(reason, ce.Text) || len(ce.Text) < 120 || !utf8.ValidString(ce.Text) {
		t.Errorf("close = %d %q, want 4400 and a valid UTF-8 prefix of at least 120 bytes", ce.Code, ce.Text)
	}
}

func ptr[T any](v T) *T { return &v }
