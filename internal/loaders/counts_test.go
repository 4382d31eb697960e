package loaders_test

import (
	"fmt"
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

	// Full: expired counts go first, then arbitrary ones, down to 9/10 of Max.
	for i := range 10 {
		c.Put("c3", fmt.Sprint(i), i)
	}
	if n := c.Len(); n != 10 {
		t.Fatalf("Len = %d after filling, want 10 (the three expired counts dropped)", n)
	}
	c.Put("c3", "new", 1)
	if n := c.Len(); n > 10 || n < 9 {
		t.Errorf("Len = %d after one more, want 9 or 10", n)
	}
	if got, ok := c.Get("c3", "new"); !ok || got != 1 {
		t.Errorf("the newest count was dropped: %d, %v", got, ok)
	}
	c.Put("c3", "new", 2) // updating a held key evicts nothing
	if got, _ := c.Get("c3", "new"); got != 2 {
		t.Errorf("updated count = %d, want 2", got)
	}
}
