package auth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

const unauthorizedBody = `{"errors":[{"message":"authentication required","extensions":{"code":"UNAUTHENTICATED"}}]}` + "\n"

// whoami answers with the principal's subject, or "anonymous".
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		_, _ = io.WriteString(w, "anonymous")
		return
	}
	_, _ = io.WriteString(w, "sub="+p.Subject)
})

func TestMiddleware(t *testing.T) {
	v := newVerifier(t, auth.Config{HS256Secret: testSecret}, newClock())
	h := auth.Middleware(v, nil)(whoami)
	valid := hs(nil)(t)
	expired := hs(map[string]any{"exp": t0.Add(-2 * testLeeway).Unix()})(t)

	tests := []struct {
		name       string
		method     string
		header     http.Header
		wantStatus int
		wantBody   string
		wantChall  string // WWW-Authenticate
	}{
		{"valid", "POST", http.Header{"Authorization": {"Bearer " + valid}}, 200, "sub=user-1", ""},
		{"lower-case scheme", "POST", http.Header{"Authorization": {"bearer " + valid}}, 200, "sub=user-1", ""},
		{"upper-case scheme", "GET", http.Header{"Authorization": {"BEARER " + valid}}, 200, "sub=user-1", ""},
		{"no header", "POST", nil, 401, unauthorizedBody, "Bearer"},
		{"empty header", "POST", http.Header{"Authorization": {""}}, 401, unauthorizedBody, "Bearer"},
		{"scheme only", "POST", http.Header{"Authorization": {"Bearer"}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"scheme and spaces", "POST", http.Header{"Authorization": {"Bearer  "}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"basic", "POST", http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"token without scheme", "POST", http.Header{"Authorization": {valid}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"two tokens", "POST", http.Header{"Authorization": {"Bearer " + valid + " " + valid}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"two headers", "POST", http.Header{"Authorization": {"Bearer " + valid, "Bearer " + valid}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"expired", "POST", http.Header{"Authorization": {"Bearer " + expired}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"garbage", "POST", http.Header{"Authorization": {"Bearer x.y.z"}}, 401, unauthorizedBody, `Bearer error="invalid_token"`},
		{"websocket upgrade", "GET", http.Header{"Connection": {"keep-alive, Upgrade"}, "Upgrade": {"websocket"}}, 200, "anonymous", ""},
		{"websocket upgrade with bad token", "GET", http.Header{"Connection": {"Upgrade"}, "Upgrade": {"WebSocket"}, "Authorization": {"Bearer x"}}, 200, "anonymous", ""},
		{"POST pretending to upgrade", "POST", http.Header{"Connection": {"Upgrade"}, "Upgrade": {"websocket"}}, 401, unauthorizedBody, "Bearer"},
		{"GET upgrade without Connection", "GET", http.Header{"Upgrade": {"websocket"}}, 401, unauthorizedBody, "Bearer"},
		{"GET upgrade to h2c", "GET", http.Header{"Connection": {"Upgrade"}, "Upgrade": {"h2c"}}, 401, unauthorizedBody, "Bearer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/query", strings.NewReader(`{"query":"{__typename}"}`))
			for k, vs := range tc.header {
				for _, v := range vs {
					r.Header.Add(k, v)
				}
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tc.wantStatus)
			}
			if got := w.Body.String(); got != tc.wantBody {
				t.Errorf("body = %q, want %q", got, tc.wantBody)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tc.wantChall {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tc.wantChall)
			}
			if tc.wantStatus == 401 {
				if got := w.Header().Get("Content-Type"); got != "application/json" {
					t.Errorf("Content-Type = %q, want application/json", got)
				}
				if got := w.Header().Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control = %q, want no-store", got)
				}
			}
		})
	}
}

func TestMiddlewareOnError(t *testing.T) {
	v := newVerifier(t, auth.Config{HS256Secret: testSecret}, newClock())
	var got error
	h := auth.Middleware(v, func(w http.ResponseWriter, r *http.Request, err error) {
		got = err
		w.WriteHeader(http.StatusTeapot)
	})(whoami)

	for _, tc := range []struct {
		name   string
		header string
		want   error
	}{
		{"missing", "", auth.ErrMissingToken},
		{"invalid", "Bearer x.y.z", auth.ErrInvalidToken},
	} {
		got = nil
		r := httptest.NewRequest("POST", "/query", nil)
		if tc.header != "" {
			r.Header.Set("Authorization", tc.header)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusTeapot {
			t.Errorf("%s: status = %d, want %d (from onError)", tc.name, w.Code, http.StatusTeapot)
		}
		if !errors.Is(got, tc.want) {
			t.Errorf("%s: onError got %v, want %v", tc.name, got, tc.want)
		}
	}
}

type rejectedKey struct{}

func reject(ctx context.Context) context.Context {
	return context.WithValue(ctx, rejectedKey{}, true)
}

func TestWebsocketInit(t *testing.T) {
	v := newVerifier(t, auth.Config{HS256Secret: testSecret}, newClock())
	init := auth.WebsocketInit(v, reject)
	valid := "Bearer " + hs(map[string]any{"mobile": "9876543210"})(t)

	tests := []struct {
		name    string
		payload transport.InitPayload
		want    error // nil: accepted
	}{
		{"Authorization", transport.InitPayload{"Authorization": valid}, nil},
		{"authorization", transport.InitPayload{"authorization": valid}, nil},
		{"AUTHORIZATION", transport.InitPayload{"AUTHORIZATION": valid, "other": 1}, nil},
		{"nil payload", nil, auth.ErrMissingToken},
		{"empty payload", transport.InitPayload{}, auth.ErrMissingToken},
		{"empty value", transport.InitPayload{"Authorization": ""}, auth.ErrMissingToken},
		{"no scheme", transport.InitPayload{"Authorization": strings.TrimPrefix(valid, "Bearer ")}, auth.ErrInvalidToken},
		{"not a string", transport.InitPayload{"Authorization": map[string]any{"token": valid}}, auth.ErrInvalidToken},
		{"two spellings", transport.InitPayload{"Authorization": valid, "authorization": "Bearer x"}, auth.ErrInvalidToken},
		{"invalid token", transport.InitPayload{"Authorization": "Bearer x.y.z"}, auth.ErrInvalidToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, ack, err := init(t.Context(), tc.payload)
			if ack != nil {
				t.Errorf("ack payload = %v, want nil", ack)
			}
			_, rejected := ctx.Value(rejectedKey{}).(bool)
			p, hasP := auth.PrincipalFrom(ctx)
			if tc.want == nil {
				if err != nil || rejected || !hasP {
					t.Fatalf("init = (rejected %v, principal %v, err %v), want accepted", rejected, hasP, err)
				}
				want := auth.Principal{Subject: "user-1", Mobile: "9876543210", Scopes: []string{"balances:read", "consents:read"}, ExpiresAt: t0.Add(time.Hour)}
				if diff := cmp.Diff(want, p); diff != "" {
					t.Errorf("principal mismatch (-want +got):\n%s", diff)
				}
				for k := range tc.payload {
					if strings.EqualFold(k, "authorization") {
						t.Errorf("payload still holds %q after init", k)
					}
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("init error = %v, want %v", err, tc.want)
			}
			if err != nil && err.Error() != auth.PublicMessage {
				t.Errorf("init error text = %q, want %q", err.Error(), auth.PublicMessage)
			}
			if !rejected {
				t.Errorf("init ctx not passed through reject")
			}
			if hasP {
				t.Errorf("init ctx carries a principal after failure")
			}
		})
	}
}
