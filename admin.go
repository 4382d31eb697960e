package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events/broker"
	"github.com/moneyone-bff/finpro-bff/internal/obs"
)

// adminHandler is the operator surface: Prometheus metrics, the Go profiler
// and the health checks. It is served on its own listener (ADMIN_ADDR), never
// on the public one: metrics name every operation and FinPro endpoint, and a
// CPU profile costs the server what it measures.
func adminHandler(metrics *obs.Metrics, ready *atomic.Bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	handleHealth(mux, ready, nil)
	return mux
}

// handleHealth registers GET /healthz (the process answers) and GET /readyz
// on mux. readyz fails while starting and from the moment shutdown begins, so
// a load balancer stops sending traffic before the listener closes. With
// events (the broker's Ready, on the public listener) it also holds a replica
// whose broker never got set up out of rotation: it would refuse every
// webhook and subscription, and a rollout holds at it. One that had NATS and
// lost it (broker.ErrDisconnected) stays in: every replica loses it together,
// and queries need only FinPro; the body says so.
func handleHealth(mux *http.ServeMux, ready *atomic.Bool, events func() error) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
			return
		}
		var err error
		if events != nil {
			err = events()
		}
		switch {
		case errors.Is(err, broker.ErrDisconnected):
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "events": err.Error()})
		case err != nil:
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
		default:
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
		}
	})
}

// writeJSON writes v as a JSON answer with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// startAdmin serves h on addr until stop is called; stop waits a few seconds
// for requests in progress, then cuts them (a CPU profile runs for 30 s).
func startAdmin(addr string, h http.Handler, stdout io.Writer, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on ADMIN_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("admin listener stopped", "err", err)
		}
	}()
	url := "http://" + loopbackAddr(ln.Addr())
	logger.Info("admin listener", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "finpro-bff admin on %s (/metrics, /debug/pprof/)\n", url)
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Warn("admin listener off loopback: metrics and pprof are reachable by whoever reaches this address; restrict it (deploy/networkpolicy.yaml)", "addr", ln.Addr().String())
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
	}, nil
}
