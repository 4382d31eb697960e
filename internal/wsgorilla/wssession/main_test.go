package wssession_test

import (
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// TestMain runs every test twice: on gqlgen's websocket transport, then on
// wsgorilla.Transport, which keeps the same protocol.
func TestMain(m *testing.M) { wsgorillatest.Main(m) }

type msg = wstest.Message

var protocols = wstest.Protocols()
