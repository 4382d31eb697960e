package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
)

// Live feed timing. The consumer is recreated (after the last event it
// delivered) as soon as it is lost: a missed pair of heartbeats, its server
// gone, its stream's leader changed. While the stream has no leader (an
// election), creating fails and is retried every liveRetry, so the feed
// resumes within that of the new leader's election.
const (
	liveRetry   = 250 * time.Millisecond
	liveAttempt = time.Second
)

// runLive feeds the hub with every event stored from sequence next on, until
// the broker closes: one consumer per broker, not per subscriber. It calls
// started once its first consumer runs.
//
// It manages its consumer itself rather than through nats.go's ordered
// consumer, whose recreation backs off from 1 s to 10 s: after an election
// that could hold every live subscription for up to 10 s more. Like an
// ordered consumer it is ephemeral, unacknowledged and memory-backed, starts
// at a stream sequence (so a consumer lost before it delivered anything is
// recreated at the same place and skips nothing), and checks that delivery
// sequences follow each other, recreating itself after a gap.
func (b *Broker) runLive(next uint64, started func()) {
	hb := b.opts.LiveHeartbeat
	for b.ctx.Err() == nil {
		cons, err := b.liveConsumer(&next, started == nil)
		if err != nil {
			return // closed
		}
		lost := make(chan struct{}, 1)
		signal := func() {
			if b.opts.Cache != nil {
				b.opts.Cache.Suspend()
			}
			select {
			case lost <- struct{}{}:
			default:
			}
		}
		if b.opts.Cache != nil {
			b.relive.Store(&signal)
			b.opts.Cache.Restart(next - 1)
		}
		var delivered uint64 // consumer sequence of the last message handled
		cc, err := cons.Consume(func(m jetstream.Msg) {
			md, err := m.Metadata()
			if err != nil {
				b.logger.Warn("event without metadata", "err", err)
				return
			}
			if md.Sequence.Consumer != delivered+1 {
				signal() // a message went missing: start again after next-1
				return
			}
			delivered = md.Sequence.Consumer
			next = md.Sequence.Stream + 1
			ev, err := decodeEvent(m.Data(), md.Sequence.Stream)
			if err != nil {
				b.logger.Warn("undecodable event in stream", "seq", md.Sequence.Stream, "err", err)
				b.advance(md.Sequence.Stream)
				return
			}
			b.dispatch(ev)
		},
			jetstream.PullHeartbeat(hb),
			jetstream.PullExpiry(max(10*hb, time.Second)),
			jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
				if consumerLost(err) {
					b.logger.Debug("live feed lost its consumer; recreating it", "err", err)
					signal()
				}
			}))
		if err != nil {
			b.logger.Debug("live feed", "err", err)
			if b.opts.Cache != nil {
				b.opts.Cache.Suspend()
			}
			b.deleteConsumer(cons)
			if !b.pause(liveRetry) {
				return
			}
			continue
		}
		if started != nil {
			started()
			started = nil
		}
		select {
		case <-lost:
		case <-b.ctx.Done():
		}
		b.relive.Store(nil) // a reconnection from here on finds the next consumer being made
		cc.Stop()
		<-cc.Closed() // the handler is done with next
		b.deleteConsumer(cons)
	}
}

// consumerLost reports a Consume error after which the consumer will deliver
// nothing more.
func consumerLost(err error) bool {
	return errors.Is(err, jetstream.ErrNoHeartbeat) ||
		errors.Is(err, jetstream.ErrConsumerDeleted) ||
		errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, jetstream.ErrConsumerLeadershipChanged) ||
		errors.Is(err, nats.ErrNoResponders)
}

// liveConsumer creates the live feed's consumer at stream sequence *next,
// retrying every liveRetry until it succeeds or the broker closes. Creating
// a consumer needs the JetStream meta leader, whose election after a node
// loss may end seconds after the stream's: meanwhile, once the feed has run
// (bridge), it reads what the stream stored from *next on by direct get,
// which any current replica of the stream answers, and moves *next past it.
func (b *Broker) liveConsumer(next *uint64, bridge bool) (jetstream.Consumer, error) {
	for {
		ctx, cancel := context.WithTimeout(b.ctx, liveAttempt)
		cons, err := b.js.CreateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
			Description:       "finpro-bff live feed",
			DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
			OptStartSeq:       *next,
			AckPolicy:         jetstream.AckNonePolicy,
			InactiveThreshold: 30 * time.Second, // a replica that died leaves nothing behind
			Replicas:          1,
			MemoryStorage:     true,
		})
		cancel()
		if err == nil {
			return cons, nil
		}
		b.logger.Debug("live feed consumer not created yet", "err", err)
		if bridge {
			b.readDirect(next)
		}
		if !b.pause(liveRetry) {
			return nil, ErrClosed
		}
	}
}

// readDirect dispatches the events stored from *next on, read one by one
// by direct get, and moves *next past them; it stops at the stream's end or
// at the first failure (the consumer, once created, goes on from *next).
func (b *Broker) readDirect(next *uint64) {
	for b.ctx.Err() == nil {
		ctx, cancel := context.WithTimeout(b.ctx, liveAttempt)
		msg, err := b.stream.GetMsg(ctx, *next, jetstream.WithGetMsgSubject(">"))
		cancel()
		if err != nil {
			if !errors.Is(err, jetstream.ErrMsgNotFound) {
				b.logger.Debug("live feed: direct read", "err", err)
			}
			return
		}
		*next = msg.Sequence + 1
		ev, err := decodeEvent(msg.Data, msg.Sequence)
		if err != nil {
			b.logger.Warn("undecodable event in stream", "seq", msg.Sequence, "err", err)
			b.advance(msg.Sequence)
			continue
		}
		b.dispatch(ev)
	}
}

// dispatch hands a stored event to the cache, then to the hub: a subscriber
// that reads again on the event finds nothing it invalidated.
func (b *Broker) dispatch(ev events.Event) {
	if b.opts.Cache != nil {
		b.opts.Cache.Apply(ev)
	}
	b.hub.Dispatch(ev)
}

// advance passes over a stored event that does not decode.
func (b *Broker) advance(seq uint64) {
	if b.opts.Cache != nil {
		b.opts.Cache.Advance(seq)
	}
	b.hub.Advance(seq)
}

// deleteConsumer removes a replaced consumer in the background (its server
// may be gone; the inactive threshold cleans up what this cannot).
func (b *Broker) deleteConsumer(cons jetstream.Consumer) {
	name := cons.CachedInfo().Name
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.js.DeleteConsumer(ctx, StreamName, name)
	}()
}

// pause waits d; false when the broker closed meanwhile.
func (b *Broker) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-b.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// decodeEvent decodes a stored event and sets its sequence.
func decodeEvent(data []byte, seq uint64) (events.Event, error) {
	var ev events.Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return events.Event{}, fmt.Errorf("decode event %d: %w", seq, err)
	}
	ev.Seq = seq
	return ev, nil
}

// reader is the hub's view of the stream, for subscribers that catch up.
type reader struct{ b *Broker }

// LastSeq implements hub.Reader.
func (r reader) LastSeq(ctx context.Context) (uint64, error) {
	if err := r.b.isReady(); err != nil {
		return 0, err
	}
	info, err := r.b.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

// Next implements hub.Reader: it reads the stream message by message (direct
// get, next by subject), skipping (and logging) events that do not decode.
func (r reader) Next(ctx context.Context, after uint64, subject string) (events.Event, bool, error) {
	if err := r.b.isReady(); err != nil {
		return events.Event{}, false, err
	}
	for {
		msg, err := r.b.stream.GetMsg(ctx, after+1, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return events.Event{}, false, nil
		}
		if err != nil {
			return events.Event{}, false, err
		}
		ev, err := decodeEvent(msg.Data, msg.Sequence)
		if err != nil {
			r.b.logger.Warn("undecodable event in stream", "seq", msg.Sequence, "err", err)
			after = msg.Sequence
			continue
		}
		return ev, true, nil
	}
}

// LastSeq is the sequence of the last event stored in the stream.
func (b *Broker) LastSeq(ctx context.Context) (uint64, error) { return reader{b}.LastSeq(ctx) }
