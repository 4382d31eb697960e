// Package broker stores FinPro's events in NATS JetStream and streams them to
// subscribers on every replica.
//
// [Start] connects to the NATS cluster at Options.URL or, when it is empty,
// starts an embedded nats-server in-process (package embedded; no client
// port, the connection is in-process) so `go run .` needs nothing; after
// connecting both run the same code. Start creates or updates (package
// provision, converging when replicas start at once):
//
//   - the stream FINPRO_EVENTS, subjects finpro.consent.<customerKey>.<handle>
//     and finpro.data.<customerKey>.<handle>, bounded by Options.StreamMaxAge
//     (24h) and deduplicating by Nats-Msg-Id over Options.DuplicateWindow (1h);
//   - the KV bucket SYNC_REPLAY behind [Broker.ReplayStore] (memory, with a
//     TTL);
//   - the KV bucket FINPRO_HANDLES behind [Broker.RememberConsent];
//   - the KV bucket FINPRO_META holding the deployment's customer-key salt.
//
// The embedded server keeps memory storage and a temporary directory unless
// Options.StoreDir is set (then events survive a restart).
//
// Each Broker runs one ordered consumer over the whole stream and feeds an
// in-memory [hub.Hub], which serves its subscribers ([Broker.Subscribe]);
// webhooks come in through [Broker.StoreWebhook] (internal/events/webhook),
// polled changes through [Broker.PublishConsentStatus]
// (internal/events/poller).
package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker/embedded"
	"github.com/moneyone-bff/finpro-bff/internal/events/broker/provision"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
)

// Names of the JetStream assets the broker creates (or updates) at start
// (package provision).
const (
	StreamName   = provision.StreamName
	ReplayBucket = provision.ReplayBucket
	MetaBucket   = provision.MetaBucket
	HandleBucket = provision.HandleBucket
)

// Errors of a Broker's methods.
var (
	// ErrClosed: the broker was closed.
	ErrClosed = errors.New("broker: closed")
	// ErrNotReady: the broker has not reached NATS and set up its stream and
	// buckets yet (NATS unreachable, or a new cluster without a JetStream
	// leader).
	ErrNotReady = errors.New("broker: not ready: NATS JetStream not reached yet")
	// ErrDisconnected: the connection to NATS is down (the client reconnects
	// by itself).
	ErrDisconnected = errors.New("broker: NATS connection lost, reconnecting")
)

// Options configure Start. Zero values get the defaults in brackets.
type Options struct {
	// URL of an external NATS cluster with JetStream; empty starts an embedded
	// in-process server (no client port) and connects to it in-process.
	URL string
	// StoreDir holds the embedded server's JetStream files; the event stream,
	// the handle index and the salt use file storage there. Empty: a
	// temporary directory removed by Close, and memory storage. With URL set
	// StoreDir is ignored and file storage is used (the server owns its
	// files). An existing stream or bucket keeps the storage it was created
	// with.
	StoreDir string
	// StreamMaxAge bounds how long events are kept, and so how far back a
	// subscriber can resume [24h].
	StreamMaxAge time.Duration
	// DuplicateWindow is how long JetStream remembers an event id to drop a
	// FinPro retry [1h, at most StreamMaxAge].
	DuplicateWindow time.Duration
	// Replicas of the stream and buckets on an external cluster [1].
	Replicas int
	// CustomerKeySalt keys the hash of mobiles in subjects. Empty: a random
	// salt created once per deployment and shared through the FINPRO_META
	// bucket, so every replica derives the same keys.
	CustomerKeySalt []byte
	// ReplayTTL is how long a replay store entry lives [24h].
	ReplayTTL time.Duration
	// HandleTTL is how long RememberConsent's handle->customer entries live [90 days].
	HandleTTL time.Duration
	// SubscriberBuffer is the number of events queued for a slow subscriber
	// before it falls back to reading the stream [256].
	SubscriberBuffer int
	// Logger receives the broker's (and the embedded server's warnings); nil
	// discards.
	Logger *slog.Logger

	// LiveHeartbeat is the idle heartbeat of the live feed's consumer: two
	// missed heartbeats (a lost NATS node, a consumer gone with its server)
	// make the broker recreate the consumer after the last event it saw
	// [500ms, so a stall is noticed within about a second].
	LiveHeartbeat time.Duration
	// ReconnectWait is the pause between reconnection attempts to the NATS
	// servers [250ms; a server that closed the connection is noticed at once,
	// one that went silent after two missed pings, 2s apart].
	ReconnectWait time.Duration

	// Cache, when set, hears every event of the live feed before the hub
	// dispatches it, and when the feed may have missed events (see
	// [Invalidator]): internal/fpcache drops what the events invalidate.
	Cache Invalidator

	// ServerName names the embedded server [random].
	ServerName string
	// ClusterName, ClusterListen and Routes make the embedded server join a
	// NATS cluster over routes (JetStream clustered); used by tests and small
	// self-hosted setups. ClusterListen is host:port (port 0 = random). A
	// clustered embedded server also accepts clients on a random loopback
	// port (nats-server starts routing only after its client listener).
	ClusterName   string
	ClusterListen string
	Routes        []string
}

// Invalidator is what a cache of FinPro reads (internal/fpcache) needs from
// the live feed. Its methods must be fast: they run in the feed's path.
type Invalidator interface {
	// Apply sees every event, in stream order, before the hub dispatches it.
	Apply(ev events.Event)
	// Advance sees the sequence of a stored event that did not decode.
	Advance(seq uint64)
	// Restart says a live consumer starts after sequence seq (the first, or
	// one recreated after a loss or a reconnection).
	Restart(seq uint64)
	// Suspend says events may not arrive: the consumer is lost or the NATS
	// connection is down.
	Suspend()
}

func (o *Options) setDefaults() {
	if o.StreamMaxAge <= 0 {
		o.StreamMaxAge = 24 * time.Hour
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = time.Hour
	}
	o.DuplicateWindow = min(o.DuplicateWindow, o.StreamMaxAge)
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.ReplayTTL <= 0 {
		o.ReplayTTL = 24 * time.Hour
	}
	if o.HandleTTL <= 0 {
		o.HandleTTL = 90 * 24 * time.Hour
	}
	if o.SubscriberBuffer <= 0 {
		o.SubscriberBuffer = 256
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.LiveHeartbeat <= 0 {
		o.LiveHeartbeat = 500 * time.Millisecond
	}
	if o.ReconnectWait <= 0 {
		o.ReconnectWait = 250 * time.Millisecond
	}
}

// Broker stores FinPro events in JetStream and fans them out to subscribers.
// It is safe for concurrent use.
type Broker struct {
	opts   Options
	logger *slog.Logger
	ns     *embedded.Server // nil with an external URL
	nc     *nats.Conn
	js     jetstream.JetStream
	hub    *hub.Hub

	// Set by setup before ready is closed; read only after ready.
	stream  jetstream.Stream
	replay  *replay.KV
	handles jetstream.KeyValue
	salt    []byte

	// relive, while the live feed runs with a Cache, makes it recreate its
	// consumer (after a reconnection: the cache must hear Restart).
	relive atomic.Pointer[func()]

	ready    chan struct{} // closed once setup succeeded
	failed   chan struct{} // closed if setup failed for good (setupErr)
	setupErr error
	running  sync.WaitGroup // setup and the live feed

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	once   sync.Once
}

// New connects to NATS (starting the embedded server when opts.URL is empty)
// and returns at once: creating or updating the stream and buckets and
// starting the live feed go on in the background, retrying while NATS is
// unreachable or a new cluster has no JetStream leader yet. [Broker.Ready]
// says whether it got there; until then subscriptions and most methods fail
// with ErrNotReady, and StoreWebhook waits for it within its context.
func New(opts Options) (_ *Broker, err error) {
	opts.setDefaults()
	bctx, cancel := context.WithCancel(context.Background())
	b := &Broker{
		opts: opts, logger: opts.Logger, ctx: bctx, cancel: cancel,
		ready: make(chan struct{}), failed: make(chan struct{}),
	}
	b.hub = hub.New(opts.SubscriberBuffer, reader{b}, opts.Logger)
	defer func() {
		if err != nil {
			b.Close()
		}
	}()

	var connOpts []nats.Option
	url := opts.URL
	if url == "" {
		ns, err := embedded.Start(embedded.Options{
			StoreDir: opts.StoreDir, ServerName: opts.ServerName,
			ClusterName: opts.ClusterName, ClusterListen: opts.ClusterListen, Routes: opts.Routes,
			Logger: b.logger,
		})
		if err != nil {
			return nil, fmt.Errorf("broker: %w", err)
		}
		b.ns = ns
		connOpts = append(connOpts, ns.InProcess())
	} else {
		// Unreachable at start is not fatal: the process serves (and says it
		// is not ready) while the client keeps trying.
		connOpts = append(connOpts, nats.RetryOnFailedConnect(true))
	}
	connOpts = append(connOpts,
		nats.Name("finpro-bff"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(opts.ReconnectWait),
		nats.ReconnectJitter(opts.ReconnectWait/2, opts.ReconnectWait),
		nats.PingInterval(2*time.Second),
		nats.MaxPingsOutstanding(2),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				b.logger.Warn("nats disconnected", "err", err)
			}
			if opts.Cache != nil {
				opts.Cache.Suspend()
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			b.logger.Info("nats reconnected", "server", nc.ConnectedServerName())
			if f := b.relive.Load(); f != nil {
				(*f)()
			}
		}),
	)
	b.nc, err = nats.Connect(url, connOpts...)
	if err != nil {
		return nil, fmt.Errorf("broker: connect to nats: %w", err)
	}
	b.js, err = jetstream.New(b.nc)
	if err != nil {
		return nil, fmt.Errorf("broker: jetstream: %w", err)
	}
	b.running.Add(1)
	go func() {
		defer b.running.Done()
		b.run()
	}()
	return b, nil
}

// Start is New followed by WaitReady: it returns once the broker is set up,
// or with an error when ctx ends first or the setup fails for good (a stream
// or bucket configured in a way this version cannot change).
func Start(ctx context.Context, opts Options) (*Broker, error) {
	b, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := b.WaitReady(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// WaitReady waits until the broker is set up, ctx ends, the setup fails for
// good or the broker closes.
func (b *Broker) WaitReady(ctx context.Context) error {
	select {
	case <-b.ready:
		return nil
	case <-b.failed:
		return b.setupErr
	case <-b.ctx.Done():
		return ErrClosed
	case <-ctx.Done():
		return fmt.Errorf("%w (%w)", ErrNotReady, ctx.Err())
	}
}

// Ready reports whether the broker can store and stream events now: nil once
// set up and connected; ErrNotReady while starting, ErrDisconnected while the
// connection is down, the setup's error if it failed for good, ErrClosed
// after Close. /readyz answers with it.
func (b *Broker) Ready() error {
	if b.ctx.Err() != nil { // checked first: a select picks at random
		return ErrClosed
	}
	select {
	case <-b.failed:
		return b.setupErr
	case <-b.ready:
		if !b.nc.IsConnected() {
			return ErrDisconnected
		}
		return nil
	default:
		return ErrNotReady
	}
}

// isReady reports whether setup is done (the fields it sets may be read).
func (b *Broker) isReady() error {
	if b.ctx.Err() != nil {
		return ErrClosed
	}
	select {
	case <-b.ready:
		return nil
	default:
		return ErrNotReady
	}
}

// run sets the broker up, then runs the live feed until Close; the broker is
// ready once the live feed has its consumer.
func (b *Broker) run() {
	last, err := b.setup(b.ctx)
	if err != nil {
		if b.ctx.Err() == nil {
			b.setupErr = err
			b.logger.Error("events broker setup failed; live updates and webhooks are off", "err", err)
			close(b.failed)
		}
		return
	}
	b.runLive(last+1, func() { close(b.ready) })
}

// ClusterAddr is the embedded server's route listener, or "" without one.
func (b *Broker) ClusterAddr() string {
	if b.ns == nil {
		return ""
	}
	return b.ns.ClusterAddr()
}

// Close ends every subscription (their channels close), waits for their
// goroutines, and disconnects; it stops the embedded server. Safe to call
// more than once.
func (b *Broker) Close() {
	b.once.Do(func() {
		b.cancel()
		b.hub.Close()
		b.running.Wait()
		if b.nc != nil {
			b.nc.Close()
		}
		if b.ns != nil {
			b.ns.Close()
		}
	})
}
