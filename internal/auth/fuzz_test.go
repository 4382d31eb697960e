package auth_test

import (
	"errors"
	"testing"

	"github.com/moneyone-bff/finpro-bff/internal/auth"
)

// FuzzVerify feeds arbitrary strings to every static verifier: Verify must
// not panic, must fail with one of its two error classes, and must never
// accept a token without a subject.
func FuzzVerify(f *testing.F) {
	for _, tc := range verifyCases() {
		f.Add(tc.token(f))
	}
	f.Add("Bearer x")
	f.Add("..")
	f.Add("eyJhbGciOiJIUzI1NiJ9..")
	clk := newClock()
	vs := staticVerifiers(f, clk)
	f.Fuzz(func(t *testing.T, tok string) {
		for name, v := range vs {
			p, err := v.Verify(t.Context(), tok)
			switch {
			case err == nil:
				if p.Subject == "" {
					t.Errorf("%s: Verify(%s) accepted a token without subject", name, desc(tok))
				}
			case !errors.Is(err, auth.ErrInvalidToken) && !errors.Is(err, auth.ErrMissingToken):
				t.Errorf("%s: Verify(%s) error = %v, want ErrInvalidToken or ErrMissingToken", name, desc(tok), err)
			}
		}
	})
}
