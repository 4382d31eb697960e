// Package embedded runs the in-process nats-server with JetStream that
// package broker connects to when no NATS URL is configured, so `go run .`
// needs nothing: no client port (the connection is in-process) unless it
// joins a cluster of such servers, its files in Options.StoreDir or a
// temporary directory, its log on slog.
package embedded

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Options configure Start.
type Options struct {
	// StoreDir holds the server's JetStream files; empty: a temporary
	// directory, removed by Close.
	StoreDir string
	// ServerName names the server; empty: random.
	ServerName string
	// ClusterName, ClusterListen and Routes make the server join a cluster
	// of embedded servers. ClusterListen is host:port (port 0 = random);
	// Routes are nats-route:// URLs of other members.
	ClusterName   string
	ClusterListen string
	Routes        []string
	// Logger receives the server's notices (at debug level), warnings and
	// errors; it must not be nil.
	Logger *slog.Logger
}

// Server is a running embedded server.
type Server struct {
	ns      *server.Server
	tempDir string
}

// Start starts the server and waits until it accepts connections. Its
// errors say which step failed ("store dir: ...", "embedded nats: ...").
func Start(o Options) (_ *Server, err error) {
	s := &Server{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	dir := o.StoreDir
	if dir == "" {
		d, err := os.MkdirTemp("", "finpro-bff-nats-")
		if err != nil {
			return nil, fmt.Errorf("store dir: %w", err)
		}
		s.tempDir, dir = d, d
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
			return nil, fmt.Errorf("cluster listen address: %w", err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("cluster listen port: %w", err)
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
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	ns.SetLoggerV2(serverLogger{o.Logger}, false, false, false)
	ns.Start()
	s.ns = ns
	if !ns.ReadyForConnections(30 * time.Second) {
		return nil, errors.New("embedded nats did not become ready")
	}
	return s, nil
}

// InProcess is the nats.Option that connects a client to the server
// in-process.
func (s *Server) InProcess() nats.Option { return nats.InProcessServer(s.ns) }

// ClusterAddr is the server's route listener, or "" without one.
func (s *Server) ClusterAddr() string {
	if a := s.ns.ClusterAddr(); a != nil {
		return a.String()
	}
	return ""
}

// Close stops the server and removes its temporary directory, if it made
// one. Close clients first.
func (s *Server) Close() {
	if s.ns != nil {
		s.ns.Shutdown()
		s.ns.WaitForShutdown()
	}
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
	}
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
