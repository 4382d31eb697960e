package cors_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/cors"
)

func TestHandler(t *testing.T) {
	opts := cors.Options{
		Origins:       []string{"https://app.example.in/", "HTTPS://Admin.Example.in"},
		ExposeHeaders: []string{"Retry-After", "RateLimit"},
		MaxAge:        time.Hour,
	}
	tests := []struct {
		name   string
		opts   cors.Options
		method string
		header map[string]string
		// want
		status      int
		reached     bool
		allowOrigin string
		allowHdrs   bool
		expose      string
	}{
		{
			name: "preflight from an allowed origin", opts: opts, method: "OPTIONS",
			header: map[string]string{"Origin": "https://app.example.in", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"},
			status: 204, allowOrigin: "https://app.example.in", allowHdrs: true,
		},
		{
			name: "preflight matches origins case-insensitively", opts: opts, method: "OPTIONS",
			header: map[string]string{"Origin": "https://admin.example.in", "Access-Control-Request-Method": "GET"},
			status: 204, allowOrigin: "https://admin.example.in", allowHdrs: true,
		},
		{
			name: "preflight from another origin", opts: opts, method: "OPTIONS",
			header: map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
			status: 403,
		},
		{
			name: "preflight for a method GraphQL does not use", opts: opts, method: "OPTIONS",
			header: map[string]string{"Origin": "https://app.example.in", "Access-Control-Request-Method": "DELETE"},
			status: 403,
		},
		{
			name: "preflight for a header not allowed", opts: opts, method: "OPTIONS",
			header: map[string]string{"Origin": "https://app.example.in", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, x-admin"},
			status: 403,
		},
		{
			name: "preflight from the null origin under *", opts: cors.Options{Origins: []string{"*"}}, method: "OPTIONS",
			header: map[string]string{"Origin": "null", "Access-Control-Request-Method": "POST"},
			status: 403,
		},
		{
			name: "preflight under * echoes the origin", opts: cors.Options{Origins: []string{"*"}}, method: "OPTIONS",
			header: map[string]string{"Origin": "https://any.example", "Access-Control-Request-Method": "POST"},
			status: 204, allowOrigin: "https://any.example", allowHdrs: true,
		},
		{
			name: "no origins configured refuses browsers", opts: cors.Options{}, method: "OPTIONS",
			header: map[string]string{"Origin": "https://app.example.in", "Access-Control-Request-Method": "POST"},
			status: 403,
		},
		{
			name: "actual request from an allowed origin", opts: opts, method: "POST",
			header: map[string]string{"Origin": "https://app.example.in"},
			status: 200, reached: true, allowOrigin: "https://app.example.in", expose: "Retry-After, RateLimit",
		},
		{
			name: "actual request from another origin reaches the handler without CORS headers", opts: opts, method: "POST",
			header: map[string]string{"Origin": "https://evil.example"},
			status: 200, reached: true,
		},
		{
			name: "same-origin or native request", opts: opts, method: "GET",
			status: 200, reached: true,
		},
		{
			name: "plain OPTIONS is not a preflight", opts: opts, method: "OPTIONS",
			header: map[string]string{"Origin": "https://app.example.in"},
			status: 200, reached: true, allowOrigin: "https://app.example.in", expose: "Retry-After, RateLimit",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reached := false
			h := cors.Handler(tt.opts)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached = true
			}))
			r := httptest.NewRequest(tt.method, "/graphql", nil)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			res := w.Result()
			if res.StatusCode != tt.status || reached != tt.reached {
				t.Fatalf("status %d, reached %v; want %d, %v", res.StatusCode, reached, tt.status, tt.reached)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Errorf("Allow-Origin %q, want %q", got, tt.allowOrigin)
			}
			if got := res.Header.Get("Access-Control-Allow-Credentials"); got != "" {
				t.Errorf("Allow-Credentials %q: the BFF never uses credentials", got)
			}
			if got := res.Header.Get("Access-Control-Allow-Headers") != ""; got != tt.allowHdrs {
				t.Errorf("Allow-Headers present %v, want %v", got, tt.allowHdrs)
			}
			if tt.allowHdrs {
				if got := res.Header.Get("Access-Control-Allow-Methods"); got != "GET, POST" {
					t.Errorf("Allow-Methods %q", got)
				}
				if got, want := res.Header.Get("Access-Control-Max-Age"), "600"; tt.opts.MaxAge == time.Hour {
					want = "3600"
					if got != want {
						t.Errorf("Max-Age %q, want %q", got, want)
					}
				} else if got != want {
					t.Errorf("Max-Age %q, want %q", got, want)
				}
			}
			if got := res.Header.Get("Access-Control-Expose-Headers"); got != tt.expose {
				t.Errorf("Expose-Headers %q, want %q", got, tt.expose)
			}
			if res.Header.Get("Vary") == "" {
				t.Error("no Vary: a shared cache could serve one origin's headers to another")
			}
		})
	}
}
