package wsgorilla_test

import (
	"runtime"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
	"github.com/moneyone-bff/finpro-bff/internal/wstest"
)

// BenchmarkOpenSubscription measures what an idle open subscription costs.
// One op opens a websocket, completes connection_init and starts a
// subscription, which then stays open while the next ones open. Reported:
//
//	heapB/sub        live heap per open subscription after GC
//	stackB/sub       goroutine stack memory per open subscription
//	goroutines/sub   goroutines per open subscription
//
// Both include the in-process gorilla client, whose buffers are cut to 512
// bytes each to keep it small; ns/op and B/op (allocations, not retained
// memory) cover the whole handshake. Subscriptions are opened in batches of
// at most 500 and closed between batches, to stay within file descriptor
// limits.
func BenchmarkOpenSubscription(b *testing.B) {
	for _, p := range protocols {
		b.Run(p.Name, func(b *testing.B) {
			h := wsgorillatest.Start(b, gorillaconn.Options{}, transport.Websocket{})
			h.Dialer.ReadBufferSize, h.Dialer.WriteBufferSize = 512, 512
			const batch = 500
			var heap, stack, goroutines int64
			var before, after runtime.MemStats
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; {
				n := min(batch, b.N-i)
				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&before)
				g := runtime.NumGoroutine()
				b.StartTimer()

				conns := make([]*wstest.Conn, n)
				for j := range conns {
					conns[j] = h.Init(b, p)
					conns[j].Send(b, wsgorillatest.SubscribeMsg(p, "1"))
					h.NextSub(b)
				}

				b.StopTimer()
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap += int64(after.HeapAlloc) - int64(before.HeapAlloc)
				stack += int64(after.StackInuse) - int64(before.StackInuse)
				goroutines += int64(runtime.NumGoroutine() - g)
				for _, c := range conns {
					c.Close()
				}
				for range conns {
					h.WaitDone(b)
				}
				b.StartTimer()
				i += n
			}
			b.ReportMetric(float64(heap)/float64(b.N), "heapB/sub")
			b.ReportMetric(float64(stack)/float64(b.N), "stackB/sub")
			b.ReportMetric(float64(goroutines)/float64(b.N), "goroutines/sub")
		})
	}
}
