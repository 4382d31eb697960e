package wsgorilla_test

import (
	"fmt"
	"os"
	"testing"
)

// ownTransport makes the harness serve wsgorilla.Transport instead of
// gqlgen's transport.Websocket (with its keep-alive intervals moved to
// Options.PingInterval and Options.KeepAlive).
var ownTransport bool

// TestMain runs every test twice: on gqlgen's websocket transport, then on
// wsgorilla.Transport, which keeps the same protocol.
func TestMain(m *testing.M) {
	if code := m.Run(); code != 0 {
		os.Exit(code)
	}
	ownTransport = true
	fmt.Println("wsgorilla: the tests again, on wsgorilla.Transport")
	os.Exit(m.Run())
}
