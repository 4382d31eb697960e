package apierr_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// TestWriteHTTP pins the bytes of the refusal bodies: the members in gqlgen's
// order (message, then extensions with sorted keys), a final newline, and the
// headers every refusal carries beside the caller's own.
func TestWriteHTTP(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   apierr.Code
		msg    string
		ext    map[string]any
		preset map[string]string // headers the caller set first
		want   string
	}{
		{
			name: "unauthenticated", status: http.StatusUnauthorized, code: apierr.Unauthenticated,
			msg:    "authentication required",
			preset: map[string]string{"WWW-Authenticate": "Bearer"},
			want:   `{"errors":[{"message":"authentication required","extensions":{"code":"UNAUTHENTICATED"}}]}` + "\n",
		},
		{
			name: "rate limited with retry", status: http.StatusTooManyRequests, code: apierr.RateLimited,
			msg:    "too many requests; retry after 3 seconds",
			ext:    map[string]any{"retryAfterSeconds": 3},
			preset: map[string]string{"Retry-After": "3"},
			want:   `{"errors":[{"message":"too many requests; retry after 3 seconds","extensions":{"code":"RATE_LIMITED","retryAfterSeconds":3}}]}` + "\n",
		},
		{
			name: "extensions sorted around code", status: http.StatusServiceUnavailable, code: apierr.RateLimited,
			msg:  "busy",
			ext:  map[string]any{"zeta": "z", "alpha": true},
			want: `{"errors":[{"message":"busy","extensions":{"alpha":true,"code":"RATE_LIMITED","zeta":"z"}}]}` + "\n",
		},
		{
			name: "ext cannot replace the code", status: http.StatusBadRequest, code: apierr.BadUserInput,
			msg:  "batched requests are not supported",
			ext:  map[string]any{"code": "INTERNAL"},
			want: `{"errors":[{"message":"batched requests are not supported","extensions":{"code":"BAD_USER_INPUT"}}]}` + "\n",
		},
		{
			name: "message is JSON-escaped", status: http.StatusBadRequest, code: apierr.BadUserInput,
			msg:  `a "quoted" <b>`,
			want: `{"errors":[{"message":"a \"quoted\" \u003cb\u003e","extensions":{"code":"BAD_USER_INPUT"}}]}` + "\n",
		},
		{
			name: "unencodable extension keeps the code", status: http.StatusBadRequest, code: apierr.BadUserInput,
			msg:  "bad",
			ext:  map[string]any{"f": func() {}},
			want: `{"errors":[{"message":"bad","extensions":{"code":"BAD_USER_INPUT"}}]}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			for k, v := range tt.preset {
				rec.Header().Set(k, v)
			}
			apierr.WriteHTTP(rec, tt.status, tt.code, tt.msg, tt.ext)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Body.String(); got != tt.want {
				t.Errorf("body\n got %s\nwant %s", got, tt.want)
			}
			want := map[string]string{
				"Content-Type":           "application/json",
				"Cache-Control":          "no-store",
				"X-Content-Type-Options": "nosniff",
			}
			for k, v := range tt.preset {
				want[k] = v
			}
			for k, v := range want {
				if got := rec.Header().Values(k); len(got) != 1 || got[0] != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if len(rec.Header()) != len(want) {
				t.Errorf("headers = %v, want only %v", rec.Header(), want)
			}
		})
	}
}
