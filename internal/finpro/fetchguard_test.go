package finpro_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fetchguard"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

// fiRequestServer answers /fi/request with a new session per call (s-1, s-2,
// ...) for the consent in the body, or with the failure fail returns for call n.
func fiRequestServer(t *testing.T, fail func(n int64) (int, string)) (*finpro.Client, *fakeClock, func() int64) {
	t.Helper()
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if fail != nil {
			if status, code := fail(n); status != 0 {
				reply(w, status, failBody(code, "no"))
				return
			}
		}
		var req struct{ ConsentID string }
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &req)
		reply(w, 200, `{"ver":"1.21.0","response":"ok","data":{"consentId":"`+req.ConsentID+`","sessionId":"s-`+strconv.FormatInt(n, 10)+`"}}`)
	})
	c, clk := newClient(t, srv.URL, nil)
	return c, clk, hits.Load
}

func TestFetchGuardStorm(t *testing.T) {
	c, clk, hits := fiRequestServer(t, nil)
	g := fetchguard.New(c, time.Minute)
	ctx := t.Context()
	req := finpro.FIRequest{ConsentID: "consent-1"}

	first, err := g.RequestFI(ctx, req, 0)
	if err != nil || first.SessionID != "s-1" || first.Reused || !first.RequestedAt.Equal(clk.Now()) {
		t.Fatalf("first RequestFI() = %+v, %v; want new session s-1 requested now", first, err)
	}
	for i := range 4 {
		clk.Advance(10 * time.Second)
		s, err := g.RequestFI(ctx, req, 0)
		if err != nil || s.SessionID != "s-1" || !s.Reused || !s.RequestedAt.Equal(first.RequestedAt) {
			t.Fatalf("repeat %d: RequestFI() = %+v, %v; want session s-1 reused", i+1, s, err)
		}
	}
	if n := hits(); n != 1 {
		t.Fatalf("five requests reached FinPro %d times, want 1", n)
	}
	// Another consent has its own window.
	if s, err := g.RequestFI(ctx, finpro.FIRequest{ConsentID: "consent-2"}, 0); err != nil || s.Reused || hits() != 2 {
		t.Errorf("other consent: RequestFI() = %+v, %v after %d requests, want a new session", s, err, hits())
	}
	// A different range inside the window is refused, with the time left.
	from := clk.Now().AddDate(0, -6, 0)
	_, err = g.RequestFI(ctx, finpro.FIRequest{ConsentID: "consent-1", From: from, To: clk.Now()}, 0)
	var ae *finpro.APIError
	if !errors.As(err, &ae) || !errors.Is(err, finpro.ErrRateLimited) || ae.RetryAfter != 20*time.Second || hits() != 2 {
		t.Errorf("other range: error = %#v after %d requests, want %v with RetryAfter 20s and no request", err, hits(), finpro.ErrRateLimited)
	}
	// Past the cooldown, a request goes out again.
	clk.Advance(20 * time.Second)
	if s, err := g.RequestFI(ctx, req, 0); err != nil || s.SessionID != "s-3" || s.Reused {
		t.Errorf("after the cooldown: RequestFI() = %+v, %v; want new session s-3", s, err)
	}
}

func TestFetchGuardMinInterval(t *testing.T) {
	c, clk, hits := fiRequestServer(t, nil)
	g := fetchguard.New(c, time.Minute)
	ctx := t.Context()
	req := finpro.FIRequest{ConsentID: "consent-1"}
	daily := journey.Frequency{Unit: "DAY", Value: 1}.Interval()
	if daily != 24*time.Hour {
		t.Fatalf("Frequency{DAY, 1}.Interval() = %v, want 24h", daily)
	}
	g.RequestFI(ctx, req, daily)
	clk.Advance(2 * time.Hour)
	s, err := g.RequestFI(ctx, req, daily)
	if err != nil || !s.Reused || hits() != 1 {
		t.Errorf("2h into a daily consent: RequestFI() = %+v, %v after %d requests, want the session reused", s, err, hits())
	}
	// A caller that does not know the frequency still gets the longer window
	// the first one set.
	if s, err := g.RequestFI(ctx, req, 0); err != nil || !s.Reused || hits() != 1 {
		t.Errorf("without the interval: RequestFI() = %+v, %v after %d requests, want the session reused", s, err, hits())
	}
	clk.Advance(22 * time.Hour)
	if s, err := g.RequestFI(ctx, req, daily); err != nil || s.Reused || hits() != 2 {
		t.Errorf("a day later: RequestFI() = %+v, %v after %d requests, want a new session", s, err, hits())
	}
}

func TestFetchGuardFailuresAreNotRemembered(t *testing.T) {
	c, _, hits := fiRequestServer(t, func(n int64) (int, string) {
		if n == 1 {
			return 400, "ConsentNotActive"
		}
		return 0, ""
	})
	g := fetchguard.New(c, time.Minute)
	req := finpro.FIRequest{ConsentID: "consent-1"}
	if _, err := g.RequestFI(t.Context(), req, 0); !errors.Is(err, finpro.ErrConsentInactive) {
		t.Fatalf("first RequestFI() error = %v, want %v", err, finpro.ErrConsentInactive)
	}
	if s, err := g.RequestFI(t.Context(), req, 0); err != nil || s.Reused || hits() != 2 {
		t.Errorf("after a failure: RequestFI() = %+v, %v after %d requests, want a new session", s, err, hits())
	}
	if _, err := g.RequestFI(t.Context(), finpro.FIRequest{}, 0); !errors.Is(err, finpro.ErrInvalidRequest) || hits() != 2 {
		t.Errorf("empty consent: error = %v after %d requests, want %v and no request", err, hits(), finpro.ErrInvalidRequest)
	}
}

func TestFetchGuardConcurrentAndDetached(t *testing.T) {
	arrived := make(chan struct{}, 10)
	release := make(chan struct{})
	srv, hits := fakeServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		arrived <- struct{}{}
		<-release
		reply(w, 200, `{"ver":"1.21.0","response":"ok","data":{"consentId":"consent-1","sessionId":"s-`+strconv.FormatInt(n, 10)+`"}}`)
	})
	c, _ := newClient(t, srv.URL, nil)
	g := fetchguard.New(c, time.Minute)
	req := finpro.FIRequest{ConsentID: "consent-1"}

	// The first caller gives up while its request is in flight.
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := g.RequestFI(ctx, req, 0)
		errc <- err
	}()
	<-arrived
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled RequestFI() error = %v, want context.Canceled", err)
	}
	// Others arriving meanwhile wait for the same request.
	var wg sync.WaitGroup
	sessions := make(chan *finpro.FISession, 5)
	for range 5 {
		wg.Go(func() {
			s, err := g.RequestFI(t.Context(), req, 0)
			if err != nil {
				t.Errorf("concurrent RequestFI() error = %v", err)
				return
			}
			sessions <- s
		})
	}
	close(release)
	wg.Wait()
	close(sessions)
	for s := range sessions {
		if s.SessionID != "s-1" || !s.Reused {
			t.Errorf("concurrent RequestFI() = %+v, want session s-1 reused", s)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestFetchGuardOff(t *testing.T) {
	c, _, hits := fiRequestServer(t, nil)
	g := fetchguard.New(c, -1)
	for range 3 {
		if s, err := g.RequestFI(t.Context(), finpro.FIRequest{ConsentID: "consent-1"}, 0); err != nil || s.Reused {
			t.Fatalf("RequestFI() = %+v, %v; want a new session", s, err)
		}
	}
	if n := hits(); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
}

func TestFetchGuardAgainstSandbox(t *testing.T) {
	c, sb, _ := newSandbox(t, sandbox.Config{}, nil)
	k := demoConsents(t, c)["ACTIVE/PERIODIC"]
	g := fetchguard.New(c, 0)
	sb.ResetStats()
	var ids []string
	for range 5 {
		s, err := g.RequestFI(t.Context(), finpro.FIRequest{ConsentID: k.ConsentID}, 0)
		if err != nil {
			t.Fatalf("RequestFI() error = %v", err)
		}
		ids = append(ids, s.SessionID)
	}
	if n := sb.Stats()["/fi/request"]; n != 1 {
		t.Errorf("sandbox /fi/request calls = %d, want 1", n)
	}
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Errorf("session IDs = %v, want one session", ids)
			break
		}
	}
}
