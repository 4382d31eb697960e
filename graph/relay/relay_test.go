package relay

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		scope string
		index int
	}{{"f1df5348-f122", 0}, {"a:b:c", 7}, {"", 299}, {"consents:P:ACTIVE", 1 << 20}} {
		c := EncodeCursor(tc.scope, tc.index)
		got, err := DecodeCursor("after", c, tc.scope)
		if err != nil || got != tc.index {
			t.Errorf("DecodeCursor(EncodeCursor(%q, %d)) = %d, %v, want %d, nil", tc.scope, tc.index, got, err, tc.index)
		}
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	for _, tc := range []struct{ name, cursor, scope string }{
		{"another scope", EncodeCursor("acct-1", 3), "acct-2"},
		{"not base64", "%%%", "acct-1"},
		{"no version", "YWNjdC0xOjM", "acct-1"}, // "acct-1:3"
		{"negative", EncodeCursor("acct-1", -1), "acct-1"},
		{"empty", "", "acct-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeCursor("after", tc.cursor, tc.scope)
			e, ok := apierr.As(err)
			if !ok || e.Code != apierr.BadUserInput {
				t.Errorf("DecodeCursor(%q) error = %v, want BAD_USER_INPUT", tc.cursor, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestResolve(t *testing.T) {
	c5 := EncodeCursor("s", 5)
	tests := []struct {
		name    string
		args    Args
		want    Bounds
		wantErr bool
	}{
		{"default", Args{}, Bounds{Hi: -1, N: DefaultPage}, false},
		{"first", Args{First: ptr(7)}, Bounds{Hi: -1, N: 7}, false},
		{"first after", Args{First: ptr(7), After: &c5}, Bounds{Lo: 6, Hi: -1, N: 7}, false},
		{"last", Args{Last: ptr(3)}, Bounds{Hi: -1, N: 3, FromEnd: true}, false},
		{"last before", Args{Last: ptr(3), Before: &c5}, Bounds{Hi: 5, N: 3, FromEnd: true, HasBefore: true}, false},
		{"after and before cross", Args{First: ptr(3), After: &c5, Before: ptr(EncodeCursor("s", 2))}, Bounds{Lo: 6, Hi: 6, N: 3, HasBefore: true}, false},
		{"first 0", Args{First: ptr(0)}, Bounds{}, true},
		{"first 101", Args{First: ptr(101)}, Bounds{}, true},
		{"last 0", Args{Last: ptr(0)}, Bounds{}, true},
		{"first and last", Args{First: ptr(1), Last: ptr(1)}, Bounds{}, true},
		{"foreign cursor", Args{First: ptr(1), After: ptr(EncodeCursor("t", 1))}, Bounds{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.args, "s")
			if tc.wantErr {
				if e, ok := apierr.As(err); !ok || e.Code != apierr.BadUserInput {
					t.Errorf("Resolve() error = %v, want BAD_USER_INPUT", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve() (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(EncodeCursor("acct", 3), "acct")
	f.Add("%%%", "x")
	f.Add("YzE6OjA", "")
	f.Fuzz(func(t *testing.T, cursor, scope string) {
		i, err := DecodeCursor("after", cursor, scope)
		if err != nil {
			return
		}
		if i < 0 {
			t.Fatalf("DecodeCursor(%q, %q) = %d, want >= 0", cursor, scope, i)
		}
		if got, err := DecodeCursor("after", EncodeCursor(scope, i), scope); err != nil || got != i {
			t.Fatalf("round trip of %d = %d, %v", i, got, err)
		}
	})
}

func BenchmarkCursor(b *testing.B) {
	const scope = "f1df5348-f122-5e81-b4e7-6578e22af488"
	for i := 0; b.Loop(); i++ {
		c := EncodeCursor(scope, i)
		if _, err := DecodeCursor("after", c, scope); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConnectionPage resolves the arguments of one page (last 20 before
// a cursor: a decode and the window) and encodes its 20 cursors, the relay
// work of one account's transactions page.
func BenchmarkConnectionPage(b *testing.B) {
	const scope = "f1df5348-f122-5e81-b4e7-6578e22af488"
	last, before := 20, EncodeCursor(scope, 280)
	b.ReportAllocs()
	for b.Loop() {
		bd, err := Resolve(Args{Last: &last, Before: &before}, scope)
		if err != nil {
			b.Fatal(err)
		}
		start := max(bd.Lo, bd.Hi-bd.N)
		if p := (Window{Start: start, Total: 300}).Page(scope, bd.Hi-start); len(p.Cursors) != 20 {
			b.Fatalf("%d cursors, want 20", len(p.Cursors))
		}
	}
}
