// Package broker stores FinPro's events in NATS JetStream and streams them to
// subscribers on every replica.
//
// [Start] connects to the NATS cluster at Options.URL or, when it is empty,
// starts an embedded nats-server in-process (no client port; the connection
// is in-process) so `go run .` needs nothing; after connecting both run the
// same code. Start creates or updates:
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
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/events/hub"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Names of the JetStream assets the broker creates (or updates) at start.
const (
	StreamName   = "FINPRO_EVENTS"
	ReplayBucket = "SYNC_REPLAY"
	MetaBucket   = "FINPRO_META"
	HandleBucket = "FINPRO_HANDLES"
)

const saltKey = "customer_key_salt"

// ErrClosed is returned by a Broker's methods after Close.
var ErrClosed = errors.New("broker: closed")

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
}

// Broker stores FinPro events in JetStream and fans them out to subscribers.
// It is safe for concurrent use.
type Broker struct {
	opts    Options
	logger  *slog.Logger
	ns      *server.Server // nil with an external URL
	tempDir string
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	replay  jetstream.KeyValue
	handles jetstream.KeyValue
	salt    []byte
	live    jetstream.ConsumeContext
	hub     *hub.Hub

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	once   sync.Once
}

// Start connects to NATS (starting the embedded server when opts.URL is
// empty), creates or updates the stream and buckets, and starts the live feed
// that serves subscribers. In a fresh cluster it waits, until ctx ends, for
// JetStream to elect a leader.
func Start(ctx context.Context, opts Options) (_ *Broker, err error) {
	opts.setDefaults()
	bctx, cancel := context.WithCancel(context.Background())
	b := &Broker{opts: opts, logger: opts.Logger, ctx: bctx, cancel: cancel}
	b.hub = hub.New(opts.SubscriberBuffer, reader{b}, opts.Logger)
	defer func() {
		if err != nil {
			b.Close()
		}
	}()

	var connOpts []nats.Option
	url := opts.URL
	if url == "" {
		if err := b.startServer(); err != nil {
			return nil, err
		}
		connOpts = append(connOpts, nats.InProcessServer(b.ns))
	}
	connOpts = append(connOpts,
		nats.Name("finpro-bff"),
		nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				b.logger.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) { b.logger.Info("nats reconnected") }),
	)
	b.nc, err = nats.Connect(url, connOpts...)
	if err != nil {
		return nil, fmt.Errorf("broker: connect to nats: %w", err)
	}
	b.js, err = jetstream.New(b.nc)
	if err != nil {
		return nil, fmt.Errorf("broker: jetstream: %w", err)
	}
	if err := b.setup(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

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

// ClusterAddr is the embedded server's route listener, or "" without one.
func (b *Broker) ClusterAddr() string {
	if b.ns == nil {
		return ""
	}
	if a := b.ns.ClusterAddr(); a != nil {
		return a.String()
	}
	return ""
}

// setup creates the stream and buckets, reads the salt and starts the live
// feed, retrying while a new cluster has no JetStream leader yet.
func (b *Broker) setup(ctx context.Context) error {
	o := b.opts
	storage := b.storage()
	retry := func(what string, f func(ctx context.Context) error) error {
		delay := 100 * time.Millisecond
		for {
			actx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := f(actx)
			cancel()
			if err == nil {
				return nil
			}
			if permanent(err) {
				return fmt.Errorf("broker: %s: %w", what, err)
			}
			b.logger.DebugContext(ctx, "jetstream not ready", "step", what, "err", err)
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("broker: %s: %w (last error: %w)", what, ctx.Err(), err)
			case <-t.C:
			}
			delay = min(2*delay, 2*time.Second)
		}
	}
	err := retry("create stream "+StreamName, func(ctx context.Context) (err error) {
		storage := storage
		if s, err := b.js.Stream(ctx, StreamName); err == nil {
			storage = s.CachedInfo().Config.Storage // cannot be changed
		}
		b.stream, err = b.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
			Name:        StreamName,
			Description: "FinPro webhook events (no PII; customers are keyed hashes)",
			Subjects:    events.StreamSubjects(),
			Storage:     storage,
			Replicas:    o.Replicas,
			MaxAge:      o.StreamMaxAge,
			Duplicates:  o.DuplicateWindow,
			Discard:     jetstream.DiscardOld,
			MaxMsgSize:  1 << 20,
			AllowDirect: true,
		})
		return err
	})
	if err != nil {
		return err
	}
	err = retry("create bucket "+ReplayBucket, func(ctx context.Context) (err error) {
		b.replay, err = b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      ReplayBucket,
			Description: "syncIncrementalData results by hashed idempotency key",
			TTL:         o.ReplayTTL,
			Storage:     jetstream.MemoryStorage,
			Replicas:    o.Replicas,
		})
		return err
	})
	if err != nil {
		return err
	}
	err = retry("create bucket "+HandleBucket, func(ctx context.Context) (err error) {
		storage := storage
		if kv, err := b.js.KeyValue(ctx, HandleBucket); err == nil {
			if st, err := kv.Status(ctx); err == nil {
				if bs, ok := st.(*jetstream.KeyValueBucketStatus); ok {
					storage = bs.StreamInfo().Config.Storage
				}
			}
		}
		b.handles, err = b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      HandleBucket,
			Description: "consent handle -> customer key",
			TTL:         o.HandleTTL,
			Storage:     storage,
			Replicas:    o.Replicas,
		})
		return err
	})
	if err != nil {
		return err
	}
	if len(o.CustomerKeySalt) > 0 {
		b.salt = o.CustomerKeySalt
	} else if err := retry("read customer key salt", b.loadSalt); err != nil {
		return err
	}
	return retry("start live feed", b.startLive)
}

// permanent reports a JetStream error that waiting will not fix: a
// configuration conflict with an existing stream or bucket, or a bad request.
// A cluster without a leader yet answers 503 or not at all.
func permanent(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == 10052 || apiErr.Code == 400 // JSStreamInvalidConfigF
}

// storage is the storage of the stream and the durable buckets.
func (b *Broker) storage() jetstream.StorageType {
	if b.opts.URL != "" || b.opts.StoreDir != "" {
		return jetstream.FileStorage
	}
	return jetstream.MemoryStorage
}

// loadSalt reads the deployment's salt, creating it on first start. Two
// replicas racing here agree: Create fails for the loser, which then reads.
func (b *Broker) loadSalt(ctx context.Context) error {
	kv, err := b.js.KeyValue(ctx, MetaBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = b.js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      MetaBucket,
			Description: "deployment-wide settings of the BFF",
			Storage:     b.storage(),
			Replicas:    b.opts.Replicas,
		})
		if errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = b.js.KeyValue(ctx, MetaBucket)
		}
	}
	if err != nil {
		return err
	}
	salt := make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return err
	}
	if _, err := kv.Create(ctx, saltKey, salt); err == nil {
		b.salt = salt
		return nil
	} else if !errors.Is(err, jetstream.ErrKeyExists) {
		return err
	}
	e, err := kv.Get(ctx, saltKey)
	if err != nil {
		return err
	}
	if len(e.Value()) == 0 {
		return errors.New("empty customer key salt")
	}
	b.salt = e.Value()
	return nil
}

// Close ends every subscription (their channels close), waits for their
// goroutines, and disconnects; it stops the embedded server. Safe to call
// more than once.
func (b *Broker) Close() {
	b.once.Do(func() {
		b.cancel()
		b.hub.Close()
		if b.live != nil {
			b.live.Stop()
			<-b.live.Closed()
		}
		if b.nc != nil {
			b.nc.Close()
		}
		if b.ns != nil {
			b.ns.Shutdown()
			b.ns.WaitForShutdown()
		}
		if b.tempDir != "" {
			_ = os.RemoveAll(b.tempDir)
		}
	})
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
