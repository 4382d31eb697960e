package replay

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// KV is a [Store] in a JetStream key-value bucket (the broker's SYNC_REPLAY:
// memory storage, a bucket TTL), shared by every replica. Keys are hashed
// (any string is fine); values larger than one NATS message are split into
// chunks. Entries carry their own expiry, so a Put's ttl shorter than the
// bucket's is honoured. It is safe for concurrent use.
type KV struct {
	kv    jetstream.KeyValue
	chunk int
	max   time.Duration
	now   func() time.Time
}

// NewKV returns a store over kv, whose bucket TTL is maxTTL (the longest an
// entry can live), writing messages of at most maxPayload bytes (the
// connection's MaxPayload).
func NewKV(kv jetstream.KeyValue, maxTTL time.Duration, maxPayload int64) *KV {
	// Leave room in each message for the subject and headers.
	chunk := int(maxPayload) - 8<<10
	return &KV{kv: kv, chunk: max(chunk, 1<<10), max: maxTTL, now: time.Now}
}

// A head entry is a one-byte kind and an 8-byte expiry (Unix nanoseconds),
// then the value (inline) or a manifest (chunked).
const (
	replayInline  = 0
	replayChunked = 1
	headerLen     = 9
)

func replayKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Get returns the value stored under key; false when there is none (never
// stored, expired, or a chunk expired first).
func (s *KV) Get(ctx context.Context, key string) ([]byte, bool, error) {
	hk := replayKey(key)
	e, err := s.kv.Get(ctx, hk)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("replay get: %w", err)
	}
	v := e.Value()
	if len(v) < headerLen {
		return nil, false, nil
	}
	if exp := int64(binary.BigEndian.Uint64(v[1:headerLen])); s.now().UnixNano() >= exp {
		return nil, false, nil
	}
	switch v[0] {
	case replayInline:
		return bytes.Clone(v[headerLen:]), true, nil
	case replayChunked:
		return s.getChunks(ctx, hk, v[headerLen:])
	}
	return nil, false, fmt.Errorf("replay get: unknown entry kind %d", v[0])
}

// manifest: uvarint chunk count, then the SHA-256 of the whole value.
func (s *KV) getChunks(ctx context.Context, hk string, manifest []byte) ([]byte, bool, error) {
	n, k := binary.Uvarint(manifest)
	if k <= 0 || len(manifest[k:]) != sha256.Size {
		return nil, false, errors.New("replay get: bad manifest")
	}
	var out []byte
	for i := range n {
		e, err := s.kv.Get(ctx, hk+"."+strconv.FormatUint(i, 10))
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("replay get: %w", err)
		}
		out = append(out, e.Value()...)
	}
	if sum := sha256.Sum256(out); !bytes.Equal(sum[:], manifest[k:]) {
		// A Put of a different value under the same key is under way.
		return nil, false, nil
	}
	return out, true, nil
}

// Put stores value under key for ttl, replacing any earlier value. A ttl of
// zero or beyond the bucket's TTL is the bucket's TTL.
func (s *KV) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 || ttl > s.max {
		ttl = s.max
	}
	head := make([]byte, headerLen, headerLen+min(len(value), s.chunk))
	binary.BigEndian.PutUint64(head[1:], uint64(s.now().Add(ttl).UnixNano()))
	hk := replayKey(key)
	if len(value)+headerLen <= s.chunk {
		head[0] = replayInline
		if _, err := s.kv.Put(ctx, hk, append(head, value...)); err != nil {
			return fmt.Errorf("replay put: %w", err)
		}
		return nil
	}
	// Chunks first, head last: a reader sees either no head or all chunks.
	var n uint64
	for off := 0; off < len(value); off += s.chunk {
		end := min(off+s.chunk, len(value))
		if _, err := s.kv.Put(ctx, hk+"."+strconv.FormatUint(n, 10), value[off:end]); err != nil {
			return fmt.Errorf("replay put: %w", err)
		}
		n++
	}
	sum := sha256.Sum256(value)
	head[0] = replayChunked
	head = binary.AppendUvarint(head, n)
	head = append(head, sum[:]...)
	if _, err := s.kv.Put(ctx, hk, head); err != nil {
		return fmt.Errorf("replay put: %w", err)
	}
	return nil
}
