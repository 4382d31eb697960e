package broker

import "github.com/nats-io/nats.go/jetstream"

// HubSize is the hub's subscriber and index counts.
func HubSize(b *Broker) (subscribers, entries int) { return b.hub.Size() }

// Stream is the broker's event stream.
func Stream(b *Broker) jetstream.Stream { return b.stream }
