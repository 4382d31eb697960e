package broker

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events/broker/provision"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
)

// setup looks up, creates or updates the stream and buckets and reads the
// salt (provision.Ensure, which retries each step until it succeeds, fails
// for good or ctx ends), and keeps them. It returns the stream's last
// sequence, where the live feed starts.
func (b *Broker) setup(ctx context.Context) (uint64, error) {
	o := b.opts
	started := time.Now()
	a, err := provision.Ensure(ctx, b.js, provision.Config{
		Storage:         b.storage(),
		Replicas:        o.Replicas,
		StreamMaxAge:    o.StreamMaxAge,
		DuplicateWindow: o.DuplicateWindow,
		ReplayTTL:       o.ReplayTTL,
		HandleTTL:       o.HandleTTL,
		Salt:            o.CustomerKeySalt,
		Logger:          b.logger,
	})
	if err != nil {
		return 0, fmt.Errorf("broker: %w", err)
	}
	b.stream, b.handles, b.salt = a.Stream, a.Handles, a.Salt
	b.replay = replay.NewKV(a.Replay, o.ReplayTTL, b.nc.MaxPayload())
	b.logger.Debug("events broker ready", "took", time.Since(started).String())
	return a.LastSeq, nil
}

// storage is the storage of the stream and the durable buckets.
func (b *Broker) storage() jetstream.StorageType {
	if b.opts.URL != "" || b.opts.StoreDir != "" {
		return jetstream.FileStorage
	}
	return jetstream.MemoryStorage
}
