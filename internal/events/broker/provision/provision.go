// Package provision creates or updates the JetStream assets of the events
// broker and reads the deployment's customer-key salt, converging when
// replicas start at once: each step looks its asset up first, creates or
// updates it only when it is missing or its settings differ, and is retried
// until it succeeds, fails for good (a configuration conflict) or the
// context ends.
package provision

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
)

// Names of the JetStream assets Ensure creates (or updates).
const (
	StreamName   = "FINPRO_EVENTS"
	ReplayBucket = "SYNC_REPLAY"
	MetaBucket   = "FINPRO_META"
	HandleBucket = "FINPRO_HANDLES"
)

const saltKey = "customer_key_salt"

// Config is what Ensure creates: the settings of the stream and buckets.
type Config struct {
	// Storage of the stream, the handle bucket and the meta bucket (the
	// replay bucket is in memory). An existing asset keeps its own.
	Storage  jetstream.StorageType
	Replicas int
	// StreamMaxAge and DuplicateWindow are the stream's MaxAge and
	// Duplicates.
	StreamMaxAge, DuplicateWindow time.Duration
	// ReplayTTL and HandleTTL are the buckets' TTLs.
	ReplayTTL, HandleTTL time.Duration
	// Salt, when not empty, is the customer-key salt; empty: the one in the
	// meta bucket, created on first start.
	Salt []byte
	// Logger hears of steps that keep failing; it must not be nil.
	Logger *slog.Logger
}

// Assets are what Ensure found or created.
type Assets struct {
	Stream          jetstream.Stream
	Replay, Handles jetstream.KeyValue
	Salt            []byte
	// LastSeq is the stream's last sequence, where a live feed starts.
	LastSeq uint64
}

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

// Ensure looks up, creates or updates the stream and buckets of o and reads
// the salt, retrying each step until it succeeds, fails for good or ctx ends.
// Against an existing, up-to-date cluster it only reads (a few
// milliseconds). Its errors name the step ("stream FINPRO_EVENTS: ...").
func Ensure(ctx context.Context, js jetstream.JetStream, o Config) (Assets, error) {
	p := provisioner{js: js, o: o}
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
				return fmt.Errorf("%s: %w", what, err)
			}
			if time.Since(lastWarn) >= waitingLog {
				lastWarn = time.Now()
				o.Logger.WarnContext(ctx, "waiting for NATS JetStream", "step", what, "waited", time.Since(started).Round(time.Second).String(), "err", err)
			} else {
				o.Logger.DebugContext(ctx, "jetstream not ready", "step", what, "err", err)
			}
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%s: %w (last error: %w)", what, ctx.Err(), err)
			case <-t.C:
			}
			delay = min(2*delay, setupMaxPause)
		}
	}
	var stream jetstream.Stream
	err := retry("stream "+StreamName, func(ctx context.Context) (err error) {
		stream, err = p.ensureStream(ctx, jetstream.StreamConfig{
			Name:        StreamName,
			Description: "FinPro webhook events (no PII; customers are keyed hashes)",
			Subjects:    events.StreamSubjects(),
			Storage:     o.Storage,
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
		return Assets{}, err
	}
	var replayKV, handles jetstream.KeyValue
	err = retry("bucket "+ReplayBucket, func(ctx context.Context) (err error) {
		replayKV, err = p.ensureBucket(ctx, jetstream.KeyValueConfig{
			Bucket:      ReplayBucket,
			Description: "syncIncrementalData results by hashed idempotency key",
			TTL:         o.ReplayTTL,
			Storage:     jetstream.MemoryStorage,
			Replicas:    o.Replicas,
		})
		return err
	})
	if err != nil {
		return Assets{}, err
	}
	err = retry("bucket "+HandleBucket, func(ctx context.Context) (err error) {
		handles, err = p.ensureBucket(ctx, jetstream.KeyValueConfig{
			Bucket:      HandleBucket,
			Description: "consent handle -> customer key and product",
			TTL:         o.HandleTTL,
			Storage:     o.Storage,
			Replicas:    o.Replicas,
		})
		return err
	})
	if err != nil {
		return Assets{}, err
	}
	salt := o.Salt
	if len(salt) == 0 {
		err = retry("customer key salt", func(ctx context.Context) (err error) {
			salt, err = p.loadSalt(ctx)
			return err
		})
		if err != nil {
			return Assets{}, err
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
		return Assets{}, err
	}
	return Assets{Stream: stream, Replay: replayKV, Handles: handles, Salt: salt, LastSeq: last}, nil
}

// provisioner is one Ensure's connection and settings.
type provisioner struct {
	js jetstream.JetStream
	o  Config
}

// errRetryNow marks a race with another replica that the next attempt
// resolves (it finds what the other one created).
var errRetryNow = errors.New("created concurrently by another replica")

// ensureStream returns the stream, creating it or updating it only when its
// configuration differs from want. An existing stream keeps its storage
// (JetStream cannot change it).
func (p provisioner) ensureStream(ctx context.Context, want jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := p.js.Stream(ctx, want.Name)
	switch {
	case err == nil:
		have := s.CachedInfo().Config
		want.Storage = have.Storage
		if streamUpToDate(have, want) {
			return s, nil
		}
		return p.js.UpdateStream(ctx, want)
	case errors.Is(err, jetstream.ErrStreamNotFound):
		s, err = p.js.CreateStream(ctx, want)
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
func (p provisioner) ensureBucket(ctx context.Context, want jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := p.js.KeyValue(ctx, want.Bucket)
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
		return p.js.UpdateKeyValue(ctx, want)
	case errors.Is(err, jetstream.ErrBucketNotFound):
		kv, err = p.js.CreateKeyValue(ctx, want)
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

// loadSalt reads the deployment's salt, creating it on first start. Two
// replicas racing here agree: Create fails for the loser, which then reads.
func (p provisioner) loadSalt(ctx context.Context) ([]byte, error) {
	kv, err := p.js.KeyValue(ctx, MetaBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		kv, err = p.js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      MetaBucket,
			Description: "deployment-wide settings of the BFF",
			Storage:     p.o.Storage,
			Replicas:    p.o.Replicas,
		})
		if errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = p.js.KeyValue(ctx, MetaBucket)
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
