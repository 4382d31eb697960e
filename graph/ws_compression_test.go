package graph_test

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/graph"
)

// countingConn counts the bytes read from the network.
type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// TestWebsocketCompression checks permessage-deflate: negotiated only when
// the server enables it and the client offers it, and then a dashboard
// answer over the threshold crosses the network in a fraction of its size,
// while without it (or under the threshold) every byte does.
func TestWebsocketCompression(t *testing.T) {
	tests := []struct {
		name           string
		serverMin      int  // graph.WebsocketConfig.CompressMinBytes
		clientOffers   bool // the client offers permessage-deflate
		wantNegotiated bool
		wantCompressed bool // the dashboard answer
	}{
		{"negotiated", 512, true, true, true},
		{"answer under the threshold", 1 << 20, true, true, false},
		{"client does not offer", 512, false, false, false},
		{"server off", 0, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLiveEnv(t, graph.WebsocketConfig{CompressMinBytes: tt.serverMin})
			var read atomic.Int64
			d := websocket.Dialer{
				HandshakeTimeout:  safety,
				Subprotocols:      []string{"graphql-transport-ws"},
				EnableCompression: tt.clientOffers,
				NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
					if err != nil {
						return nil, err
					}
					return countingConn{c, &read}, nil
				},
			}
			ws, resp, err := d.DialContext(t.Context(), e.bff.wsURL(), nil)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			resp.Body.Close()
			t.Cleanup(func() { ws.Close() })
			if got := strings.Contains(resp.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate"); got != tt.wantNegotiated {
				t.Errorf("permessage-deflate negotiated = %v, want %v", got, tt.wantNegotiated)
			}
			c := &wsClient{conn: ws, protocol: "graphql-transport-ws", msgs: make(chan wsMsg, 256), closed: make(chan struct{}), autoPong: true, pending: map[string][]wsMsg{}}
			go c.read()
			c.init(t, nil)

			before := read.Load()
			c.subscribe(t, "1", dashboardQuery, demoVars())
			m := c.nextFor(t, "1")
			if m.Type != "next" {
				t.Fatalf("dashboard over the websocket: got %q, want next", m.Type)
			}
			// The message as the server wrote it, before any compression.
			size := int64(len(mustMarshal(t, m)))
			if size < 8<<10 {
				t.Fatalf("the dashboard answer is %d bytes; the test wants a large one", size)
			}
			if r := c.result(t, "1"); r.kind != "complete" {
				t.Fatalf("after the answer got %s, want complete", r.kind)
			}
			wire := read.Load() - before
			t.Logf("a %d-byte answer took %d bytes on the wire", size, wire)
			if compressed := wire < size/2; compressed != tt.wantCompressed {
				t.Errorf("a %d-byte answer took %d bytes on the wire; compressed = %v, want %v", size, wire, compressed, tt.wantCompressed)
			}
		})
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
