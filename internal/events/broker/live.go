package broker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/moneyone-bff/finpro-bff/internal/events"
)

// startLive starts the one ordered consumer per broker that feeds the hub with
// every new event; subscribers are served from the hub, not from their own
// consumers.
//
// The consumer starts at a stream sequence, not "new messages": an ordered
// consumer that is reset (a missed heartbeat, a stream leader change, its
// consumer deleted) before it has delivered anything is recreated with its
// original start, and "new" would then skip whatever was stored in between.
func (b *Broker) startLive(ctx context.Context) error {
	info, err := b.stream.Info(ctx)
	if err != nil {
		return err
	}
	cons, err := b.js.OrderedConsumer(ctx, StreamName, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   info.State.LastSeq + 1,
	})
	if err != nil {
		return err
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		md, err := m.Metadata()
		if err != nil {
			b.logger.Warn("event without metadata", "err", err)
			return
		}
		ev, err := decodeEvent(m.Data(), md.Sequence.Stream)
		if err != nil {
			b.logger.Warn("undecodable event in stream", "seq", md.Sequence.Stream, "err", err)
			b.hub.Advance(md.Sequence.Stream)
			return
		}
		b.hub.Dispatch(ev)
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		b.logger.Debug("live feed", "err", err)
	}))
	if err != nil {
		return err
	}
	b.live = cc
	return nil
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
	info, err := r.b.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

// Next implements hub.Reader: it reads the stream message by message (direct
// get, next by subject), skipping (and logging) events that do not decode.
func (r reader) Next(ctx context.Context, after uint64, subject string) (events.Event, bool, error) {
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
