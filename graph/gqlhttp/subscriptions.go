package gqlhttp

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// Media types of the HTTP subscription formats.
const (
	MediaEventStream = "text/event-stream"
	// subscriptionBoundary is the boundary Apollo Client and Apollo Router
	// use for multipart subscriptions.
	subscriptionBoundary    = "graphql"
	subscriptionContentType = `multipart/mixed; boundary="` + subscriptionBoundary + `"; subscriptionSpec="1.0"`
	subscriptionDelimiter   = "\r\n--" + subscriptionBoundary // ends every part (see partEnd)
)

// Subscriptions serves subscription operations over plain HTTP, for clients
// that cannot open a websocket (some corporate proxies, serverless edges,
// Apollo Client's HTTP link), in the two formats those clients speak:
//
//   - graphql-sse's distinct connections mode: POST with Accept:
//     text/event-stream; each result is an "event: next" whose data is the
//     result's JSON, the end an "event: complete"; a comment line keeps an
//     idle stream alive.
//   - Apollo's multipart HTTP subscriptions: POST with Accept:
//     multipart/mixed;subscriptionSpec=1.0; each result is a part
//     {"payload": <result>}, an idle stream sends {} parts (heartbeats), and
//     the closing boundary ends it.
//
// The operation runs exactly as over a websocket: the same authentication
// (the HTTP middleware's), limits (gqlgen extensions), arguments (filters,
// the resume cursor after) and fresh loaders per event. A stream ends when
// the subscription does, when the client goes, when Draining closes
// (shutdown: every stream gets its complete), and at the principal's
// expiry. Use one Subscriptions for every request: it counts the streams of
// each principal.
type Subscriptions struct {
	o Options

	mu   sync.Mutex
	open map[string]int // streams per Key
}

// Options configures Subscriptions.
type Options struct {
	// Heartbeat is how often an idle stream sends a keep-alive, so that
	// proxies and load balancers do not cut it (default 10s).
	Heartbeat time.Duration
	// Draining, when it closes, ends every stream with its complete: the
	// server is shutting down, and HTTP/1.1 streams would otherwise hold
	// http.Server.Shutdown until its timeout.
	Draining <-chan struct{}
	// Key names the principal of a request for MaxPerKey ("" is not
	// counted); ExpiresAt, when set, is when its credential expires (zero:
	// never), after which the stream ends.
	Key       func(context.Context) string
	ExpiresAt func(context.Context) time.Time
	// MaxPerKey bounds the streams one principal holds at once (0: no
	// bound); one more is refused with RATE_LIMITED before it runs.
	MaxPerKey int
	// Established, when set, is called once a stream is counted and about to
	// start: the server gives back the request's in-flight slot there
	// (httpguard.Release), since MaxPerKey bounds streams instead.
	Established func(context.Context)
}

// NewSubscriptions returns the HTTP subscription transport of o.
func NewSubscriptions(o Options) *Subscriptions {
	if o.Heartbeat <= 0 {
		o.Heartbeat = 10 * time.Second
	}
	return &Subscriptions{o: o, open: map[string]int{}}
}

var _ SubscriptionTransport = (*Subscriptions)(nil)

// format is how a stream is written.
type format int

const (
	formatNone format = iota
	formatSSE
	formatMultipart
)

// formatOf reads which HTTP subscription format the Accept header asks for
// (see negotiate).
func formatOf(r *http.Request) format { return negotiate(r.Header.Values("Accept")).stream }

// Accepts reports whether r asks for one of the HTTP subscription formats.
func (s *Subscriptions) Accepts(r *http.Request) bool { return formatOf(r) != formatNone }

// Serve runs the subscription oc and streams its results to w.
func (s *Subscriptions) Serve(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, oc *graphql.OperationContext) {
	f := formatOf(r)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	key := ""
	if s.o.Key != nil {
		key = s.o.Key(ctx)
	}
	if !s.claim(key) {
		w.Header().Set("Retry-After", "1")
		writeRequestError(ctx, w, exec, negotiation{media: MediaJSON}, http.StatusTooManyRequests,
			apierr.New(apierr.RateLimited, "too many open subscriptions for this token (limit %d); end one first", s.o.MaxPerKey))
		return
	}
	defer s.release(key)
	if s.o.Established != nil {
		s.o.Established(r.Context())
	}

	var expired <-chan time.Time
	if s.o.ExpiresAt != nil {
		if at := s.o.ExpiresAt(ctx); !at.IsZero() {
			t := time.NewTimer(time.Until(at))
			defer t.Stop()
			expired = t.C
		}
	}

	end := &endError{}
	ctx = context.WithValue(ctx, endErrorKey{}, end)
	responses, ctx := exec.DispatchOperation(graphql.WithOperationContext(ctx, oc), oc)
	results := make(chan *graphql.Response)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			resp := responses(ctx)
			if resp == nil {
				return
			}
			// gqlgen writes every event of a subscription into one buffer:
			// Data is valid only until the next call of responses.
			resp.Data = bytes.Clone(resp.Data)
			select {
			case results <- resp:
			case <-ctx.Done():
				return
			}
		}
	}()
	// The operation ends with the handler, whichever way it ends.
	defer func() {
		cancel()
		<-done
	}()

	h := w.Header()
	if f == formatSSE {
		h.Set("Content-Type", MediaEventStream+"; charset=utf-8")
	} else {
		h.Set("Content-Type", subscriptionContentType)
	}
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	st := &stream{w: w, f: f}
	if f == formatMultipart {
		st.buf.WriteString(subscriptionDelimiter)
	}
	st.write()

	heartbeat := time.NewTicker(s.o.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case resp := <-results:
			if !st.next(resp) {
				return // the client is gone
			}
		case <-done:
			// The subscription ended (its channel closed). results is
			// unbuffered, so nothing it produced is left unsent; the error
			// it ended with, if any, goes last.
			if err := end.get(); err != nil {
				st.next(&graphql.Response{Errors: gqlerror.List{err}})
			}
			st.complete()
			return
		case <-heartbeat.C:
			if !st.heartbeat() {
				return
			}
		case <-expired:
			st.next(&graphql.Response{Errors: gqlerror.List{{
				Message:    "token expired",
				Extensions: map[string]any{"code": string(apierr.Unauthenticated)},
			}}})
			st.complete()
			return
		case <-s.o.Draining:
			st.complete()
			return
		case <-r.Context().Done():
			return
		}
	}
}

// claim counts a stream of key, false when key holds MaxPerKey already.
func (s *Subscriptions) claim(key string) bool {
	if key == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.o.MaxPerKey > 0 && s.open[key] >= s.o.MaxPerKey {
		return false
	}
	s.open[key]++
	return true
}

func (s *Subscriptions) release(key string) {
	if key == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open[key]--; s.open[key] <= 0 {
		delete(s.open, key)
	}
}

// Open returns the number of streams open now (for tests and metrics).
func (s *Subscriptions) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.open {
		n += c
	}
	return n
}

// stream writes one subscription's messages in its format.
type stream struct {
	w   http.ResponseWriter
	f   format
	buf bytes.Buffer
	err error
}

func (st *stream) next(resp *graphql.Response) bool {
	if st.f == formatSSE {
		st.buf.WriteString("event: next\ndata: ")
		appendResponse(&st.buf, resp, false) // one line: JSON has no raw newlines
		st.buf.WriteString("\n\n")
	} else {
		st.buf.WriteString(partHeader + `{"payload":`)
		appendResponse(&st.buf, resp, false)
		st.buf.WriteString("}" + subscriptionDelimiter)
	}
	return st.write()
}

func (st *stream) heartbeat() bool {
	if st.f == formatSSE {
		st.buf.WriteString(":\n\n")
	} else {
		st.buf.WriteString(partHeader + "{}" + subscriptionDelimiter)
	}
	return st.write()
}

func (st *stream) complete() {
	if st.f == formatSSE {
		st.buf.WriteString("event: complete\ndata: \n\n")
	} else {
		st.buf.WriteString(multipartClose)
	}
	st.write()
}

func (st *stream) write() bool {
	if st.err == nil {
		_, st.err = st.w.Write(st.buf.Bytes())
	}
	st.buf.Reset()
	st.flush()
	return st.err == nil
}

func (st *stream) flush() {
	if fl, ok := st.w.(http.Flusher); ok && st.err == nil {
		fl.Flush()
	}
}

type endErrorKey struct{}

// endError is the error a subscription ended with (see EndWithError).
type endError struct {
	mu  sync.Mutex
	err *gqlerror.Error
}

func (e *endError) get() *gqlerror.Error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

// EndWithError records err as the error the HTTP subscription of ctx ends
// with, sent as its last result before complete (gqlgen's
// transport.AddSubscriptionError does the same for websockets). It reports
// false when ctx is not an HTTP subscription's.
func EndWithError(ctx context.Context, err *gqlerror.Error) bool {
	e, ok := ctx.Value(endErrorKey{}).(*endError)
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
	return true
}
