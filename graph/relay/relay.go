// Package relay maps Relay connection arguments (first/after, last/before) onto
// offset windows and encodes the opaque cursors of the graph's connections.
//
// A cursor is base64url("c1:" + scope + ":" + index) where index is the item's
// 0-based position in the upstream list and scope binds the cursor to one list
// (an account's link reference number, a consent list's filter). A cursor
// decoded for another scope is rejected with BAD_USER_INPUT. The "c1" prefix
// versions the format.
package relay

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
)

// MaxPage is the largest first or last a client may ask for.
const MaxPage = 100

// DefaultPage is the page size when a client gives neither first nor last.
const DefaultPage = 20

const cursorVersion = "c1"

// EncodeCursor returns the cursor of the item at index in scope.
func EncodeCursor(scope string, index int) string {
	// Both buffers stay on the stack for the usual scopes (a 36-character
	// link reference number): one allocation, the string.
	var raw [96]byte
	b := append(raw[:0], cursorVersion...)
	b = append(b, ':')
	b = append(b, scope...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(index), 10)
	var enc [128]byte
	return string(base64.RawURLEncoding.AppendEncode(enc[:0], b))
}

// DecodeCursor returns the index a cursor of scope points at. Malformed cursors
// and cursors of another scope are BAD_USER_INPUT errors naming arg.
func DecodeCursor(arg, cursor, scope string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, apierr.BadInput("%s is not a valid cursor", arg)
	}
	s := string(raw)
	rest, ok := strings.CutPrefix(s, cursorVersion+":")
	if !ok {
		return 0, apierr.BadInput("%s is not a valid cursor", arg)
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return 0, apierr.BadInput("%s is not a valid cursor", arg)
	}
	if rest[:i] != scope {
		return 0, apierr.BadInput("%s is a cursor of another list", arg)
	}
	n, err := strconv.Atoi(rest[i+1:])
	if err != nil || n < 0 {
		return 0, apierr.BadInput("%s is not a valid cursor", arg)
	}
	return n, nil
}

// CursorScope returns the scope a well-formed cursor was issued in, so a
// caller can tell a cursor of another filter of the same list from one of
// another list.
func CursorScope(cursor string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", false
	}
	rest, ok := strings.CutPrefix(string(raw), cursorVersion+":")
	if !ok {
		return "", false
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return "", false
	}
	return rest[:i], true
}

// Args are a connection field's paging arguments.
type Args struct {
	First  *int
	After  *string
	Last   *int
	Before *string
}

// Bounds are Args resolved against a scope: the items in [Lo, Hi) are eligible
// (Hi < 0: unbounded), and the page is the first N of them (FromEnd false) or
// the last N (FromEnd true).
type Bounds struct {
	Lo, Hi  int
	N       int
	FromEnd bool
	// HasBefore is set when Hi comes from a before cursor, so an item exists at Hi.
	HasBefore bool
}

// Resolve validates a and decodes its cursors for scope.
func Resolve(a Args, scope string) (Bounds, error) {
	b := Bounds{Hi: -1}
	if a.First != nil && a.Last != nil {
		return b, apierr.BadInput("first and last cannot be combined")
	}
	if a.First != nil && (*a.First < 1 || *a.First > MaxPage) {
		return b, apierr.BadInput("first must be between 1 and %d", MaxPage)
	}
	if a.Last != nil && (*a.Last < 1 || *a.Last > MaxPage) {
		return b, apierr.BadInput("last must be between 1 and %d", MaxPage)
	}
	if a.After != nil {
		i, err := DecodeCursor("after", *a.After, scope)
		if err != nil {
			return b, err
		}
		b.Lo = i + 1
	}
	if a.Before != nil {
		i, err := DecodeCursor("before", *a.Before, scope)
		if err != nil {
			return b, err
		}
		b.Hi = i
		b.HasBefore = true
		if b.Hi < b.Lo {
			b.Hi = b.Lo
		}
	}
	switch {
	case a.Last != nil:
		b.N, b.FromEnd = *a.Last, true
	case a.First != nil:
		b.N = *a.First
	default:
		b.N = DefaultPage
	}
	return b, nil
}
