package broker

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startServer starts the embedded NATS server.
func (b *Broker) startServer() error {
	o := b.opts
	dir := o.StoreDir
	if dir == "" {
		d, err := os.MkdirTemp("", "finpro-bff-nats-")
		if err != nil {
			return fmt.Errorf("broker: store dir: %w", err)
		}
		b.tempDir, dir = d, d
	}
	sopts := &server.Options{
		ServerName: o.ServerName,
		DontListen: true,
		JetStream:  true,
		StoreDir:   dir,
		NoSigs:     true,
		// JetStream's own reserve: keep the embedded server modest.
		JetStreamMaxMemory: 512 << 20,
	}
	if o.ClusterName != "" || o.ClusterListen != "" {
		host, port, err := net.SplitHostPort(o.ClusterListen)
		if err != nil {
			return fmt.Errorf("broker: cluster listen address: %w", err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return fmt.Errorf("broker: cluster listen port: %w", err)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		sopts.Cluster = server.ClusterOpts{Name: o.ClusterName, Host: host, Port: p}
		// Routing starts only once the client listener is up, so a clustered
		// server listens for clients too (on a random loopback port).
		sopts.DontListen = false
		sopts.Host = "127.0.0.1"
		sopts.Port = server.RANDOM_PORT
		for _, r := range o.Routes {
			rs := server.RoutesFromStr(r)
			sopts.Routes = append(sopts.Routes, rs...)
		}
	}
	ns, err := server.NewServer(sopts)
	if err != nil {
		return fmt.Errorf("broker: embedded nats: %w", err)
	}
	ns.SetLoggerV2(serverLogger{b.logger}, false, false, false)
	ns.Start()
	b.ns = ns
	if !ns.ReadyForConnections(30 * time.Second) {
		return errors.New("broker: embedded nats did not become ready")
	}
	return nil
}

// serverLogger sends the embedded server's notices to slog at debug level and
// its warnings and errors at their own levels.
type serverLogger struct{ l *slog.Logger }

func (s serverLogger) Noticef(format string, v ...any) {
	s.l.Debug("nats: " + fmt.Sprintf(format, v...))
}

func (s serverLogger) Warnf(format string, v ...any) {
	s.l.Warn("nats: " + fmt.Sprintf(format, v...))
}

func (s serverLogger) Fatalf(format string, v ...any) {
	s.l.Error("nats: " + fmt.Sprintf(format, v...))
}

func (s serverLogger) Errorf(format string, v ...any) {
	s.l.Error("nats: " + fmt.Sprintf(format, v...))
}

func (s serverLogger) Debugf(format string, v ...any) {
	s.l.Debug("nats: " + fmt.Sprintf(format, v...))
}

func (s serverLogger) Tracef(string, ...any) {}
