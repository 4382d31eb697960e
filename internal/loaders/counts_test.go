package loaders_test

import (
	"testing"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

func TestCounts(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := loaders.NewCounts(loaders.CountsOptions{TTL: time.Minute, Max: 10, Now: func() time.Time { return now }})
	c.Put("c1", "a", 300)
	c.Put("c1", "b", 0)
	c.Put("c2", "a", 7)
	c.Put("c1", "neg", -1) // unknown counts are not stored

	for _, tc := range []struct {
		consent, link string
		advance       time.Duration
		want          int
		ok            bool
	}{
		{"c1", "a", 0, 300, true},
		{"c1", "b", 0, 0, true},
		{"c2", "a", 0, 7, true},    // keyed by consent and account
		{"c2", "b", 0, 0, false},   // never seen
		{"c1", "neg", 0, 0, false}, // a negative count means unknown
		{"c1", "a", 59 * time.Second, 300, true},
		{"c1", "a", time.Second, 0, false}, // the TTL has passed
	} {
		now = now.Add(tc.advance)
		if got, ok := c.Get(tc.consent, tc.link); got != tc.want || ok != tc.ok {
			t.Errorf("Get(%s, %s) after +%v = %d, %v; want %d, %v", tc.consent, tc.link, tc.advance, got, ok, tc.want, tc.ok)
		}
	}
}
