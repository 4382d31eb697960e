package main

import (
	"net/http"
	"strings"

	"github.com/gorilla/websocket"
	"github.com/klauspost/compress/gzhttp"
)

// compression compresses answers of at least minBytes with zstd or gzip, as
// the client's Accept-Encoding offers (zstd preferred: it is cheaper to
// compress at a better ratio), with Vary: Accept-Encoding. A mobile client's
// dashboard answer (15.3 KB) shrinks to 2.7 KB (BENCHMARKS.md). Streams
// (text/event-stream, multipart/mixed) pass uncompressed: a compressor
// buffers, and intermediaries handle compressed streams badly; so do
// websocket upgrades, which negotiate permessage-deflate themselves.
// minBytes < 0 turns compression off.
//
// A few random bytes are added to each compressed answer, keyed by its
// content (gzhttp's RandomJitter), so that its length tells an observer less
// about its content (BREACH-style guessing).
func compression(minBytes int) (func(http.Handler) http.Handler, error) {
	if minBytes < 0 {
		return func(h http.Handler) http.Handler { return h }, nil
	}
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(minBytes),
		gzhttp.ContentTypeFilter(func(ct string) bool {
			return !strings.HasPrefix(ct, "text/event-stream") && !strings.HasPrefix(ct, "multipart/") && gzhttp.DefaultContentTypeFilter(ct)
		}),
		gzhttp.RandomJitter(32, 0, false),
	)
	if err != nil {
		return nil, err
	}
	return func(h http.Handler) http.Handler {
		compressed := wrap(h)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if websocket.IsWebSocketUpgrade(r) {
				h.ServeHTTP(w, r)
				return
			}
			compressed.ServeHTTP(w, r)
		})
	}, nil
}
