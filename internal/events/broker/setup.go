package broker

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/replay"
)

// Setup timing. An attempt is short because a request can go unanswered
// (two replicas creating the same stream at once: one of them waits for a
// reply that never comes), and each attempt first looks the asset up, so the
// next one finds what the other replica created.
const (
	setupAttempt  = 2 * time.Second
	setupBackoff  = 100 * time.Millisecond
	setupMaxPause = time.Second
	// waitingLog is how often a setup that keeps failing says so at warn
	// level (NATS unreachable, a cluster without quorum).
	waitingLog = 10 * time.Second
)

// setup looks up, creates or updates the stream and buckets and reads the
// salt, retrying each step until it succeeds, fails for good or ctx ends. It
// returns the stream's last sequence, where the live feed starts. Against an
// existing, up-to-date cluster it only reads (a few milliseconds).
func (b *Broker) setup(ctx context.Context) (uint64, error) {
	o := b.opts
	started := time.Now()
	lastWarn := started
	retry := func(what string, f func(ctx context.Context) error) error {
		delay := setupBackoff
		for {
			actx, cancel := context.WithTimeout(ctx, setupAttempt)
			err := f(actx)
			cancel()
			if err == nil {
				return nil
			}
			if permanent(err) {
				return fmt.Errorf("broker: %s: %w", what, err)
			}
			if time.Since(lastWarn) >= waitingLog {
				lastWarn = time.Now()
				b.logger.WarnContext(ctx, "waiting for NATS JetStream", "step", what, "waited", time.Since(started).Round(time.Second).String(), "err", err)
			} else {
				b.logger.DebugContext(ctx, "jetstream not ready", "step", what, "err", err)
			}
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("broker: %s: %w (last error: %w)", what, ctx.Err(), err)
			case <-t.C:
			}
			delay = min(2*delay, setupMaxPause)
		}
	}
	var stream jetstream.Stream
	err := retry("stream "+StreamName, func(ctx context.Context) (err error) {
		stream, err = b.ensureStream(ctx, jetstream.StreamConfig{
			Name:        StreamName,
			Description: "FinPro webhook events (no PII; customers are keyed hashes)",
			Subjects:    events.StreamSubjects(),
			Storage:     b.storage(),
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
		return 0, err
	}
	var replayKV, handles jetstream.KeyValue
	err = retry("bucket "+ReplayBucket, func(ctx context.Context) (err error) {
		replayKV, err = b.ensureBucket(ctx, jetstream.KeyValueConfig{
			Bucket:      ReplayBucket,
			Description: "syncIncrementalData results by hashed idempotency key",
			TTL:         o.ReplayTTL,
			Storage:     jetstream.MemoryStorage,
			Replicas:    o.Replicas,
		})
		return err
	})
	if err != nil {
		return 0, err
	}
	err = retry("bucket "+HandleBucket, func(ctx context.Context) (err error) {
		handles, err = b.ensureBucket(ctx, jetstream.KeyValueConfig{
			Bucket:      HandleBucket,
			Description: "consent handle -> customer key and product",
			TTL:         o.HandleTTL,
			Storage:     b.storage(),
			Replicas:    o.Replicas,
		})
		return err
	})
	if err != nil {
		return 0, err
	}
	salt := o.CustomerKeySalt
	if len(salt) == 0 {
		err = retry("customer key salt", func(ctx context.Context) (err error) {
			salt, err = b.loadSalt(ctx)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	var last uint64
	err = retry("stream position", func(ctx context.Context) error {
		info, err := stream.Info(ctx)
		if err == nil {
			last = info.State.LastSeq
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	b.stream, b.handles, b.salt = stream, handles, salt
	b.replay = replay.NewKV(replayKV, o.ReplayTTL, b.nc.MaxPayload())
	b.logger.Debug("events broker ready", "took", time.Since(started).String())
	return last, nil
}

// errRetryNow marks a race with another replica that the next attempt
// resolves (it finds what the other one created).
var errRetryNow = errors.New("created concurrently by another replica")

// ensureStream returns the stream, creating it or updating it only when its
// configuration differs from want. An existing stream keeps its storage
// (JetStream cannot change it).
func (b *Broker) ensureStream(ctx context.Context, want jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := b.js.Stream(ctx, want.Name)
	switch {
	case err == nil:
		have := s.CachedInfo().Config
		want.Storage = have.Storage
		if streamUpToDate(have, want) {
			return s, nil
		}
		return b.js.UpdateStream(ctx, want)
	case errors.Is(err, jetstream.ErrStreamNotFound):
		s, err = b.js.CreateStream(ctx, want)
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return nil, errRetryNow
		}
		return s, err
	}
	return nil, err
}

// streamUpToDate compares the settings the broker manages.
func streamUpToDate(have, want jetstream.StreamConfig) bool {
	return slices.Equal(have.Subjects, want.Subjects) && have.Replicas == want.Replicas &&
		have.MaxAge == want.MaxAge && have.Duplicates == want.Duplicates && have.Discard == want.Discard &&
		have.MaxMsgSize == want.MaxMsgSize && have.AllowDirect == want.AllowDirect && have.Description == want.Description
}

// ensureBucket returns the bucket, creating it or updating it only when its
// TTL, replicas or description differ from want. An existing bucket keeps its
// storage.
func (b *Broker) ensureBucket(ctx context.Context, want jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := b.js.KeyValue(ctx, want.Bucket)
	switch {
	case err == nil:
		st, err := kv.Status(ctx)
		if err != nil {
			return nil, err
		}
		if bs, ok := st.(*jetstream.KeyValueBucketStatus); ok {
			have := bs.StreamInfo().Config
			want.Storage = have.Storage
			if have.MaxAge == want.TTL && have.Replicas == want.Replicas && have.Description == want.Description {
				return kv, nil
			}
		}
		return b.js.UpdateKeyValue(ctx, want)
	case errors.Is(err, jetstream.ErrBucketNotFound):
		kv, err = b.js.CreateKeyValue(ctx, want)
		if errors.Is(err, jetstream.ErrBucketExists) || errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return nil, errRetryNow
		}
		return kv, err
	}
	return nil, err
}

// permanent reports a JetStream error that waiting will not fix: a
// configuration conflict with an existing stream or bucket, or a bad request.
// A cluster without a leader yet answers 503 or not at all.
func permanent(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if apiErr.ErrorCode == 10005 { // JSClusterNoPeersErr
		// "no suitable peers for placement": a cluster still forming (or
		// missing a node) for an R3 asset; it heals.
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
func (b *Broker) loadSalt(ctx context.Context) ([]byte, error) {
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
		return nil, err
	}
	salt := make([]byte, 32)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return nil, err
	}
	if _, err := kv.Create(ctx, saltKey, salt); err == nil {
		return salt, nil
	} else if !errors.Is(err, jetstream.ErrKeyExists) {
		return nil, err
	}
	e, err := kv.Get(ctx, saltKey)
	if err != nil {
		return nil, err
	}
	if len(e.Value()) == 0 {
		return nil, errors.New("empty customer key salt")
	}
	return e.Value(), nil
}
