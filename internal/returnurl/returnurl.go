// Package returnurl holds the allow-list of addresses the Account Aggregator
// may send a customer back to (CONSENT_REDIRECT_URLS). FinPro accepts only
// return addresses on the domain registered with MoneyOne, and an address
// taken from a client as is would let anyone send a customer, with the AA's
// answer in the query, to a site of their choosing: every address the BFF
// gives FinPro is one of the configured ones, or below one.
package returnurl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// MaxLen bounds an address (FinPro's own limit is not public; browsers keep
// far longer ones, but a return address never needs more).
const MaxLen = 2048

// ErrNotAllowed is the answer for an address outside the allow-list.
var ErrNotAllowed = errors.New("returnurl: not an allowed return address")

// List is the allow-list. The zero List allows nothing.
type List struct {
	bases []*url.URL
}

// Parse checks the configured addresses: absolute http(s) URLs (https unless
// the host is a loopback one: a sandbox or a developer's machine) with no
// user info, query or fragment. Empty entries are skipped.
func Parse(addrs []string) (*List, error) {
	l := &List{}
	for _, a := range addrs {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		u, err := url.Parse(a)
		switch {
		case err != nil || u.Host == "" || u.Opaque != "":
			return nil, fmt.Errorf("return address %q: want an absolute http(s) URL", a)
		case u.Scheme != "https" && (u.Scheme != "http" || !loopback(u.Hostname())):
			return nil, fmt.Errorf("return address %q: want https (http only for localhost)", a)
		case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
			return nil, fmt.Errorf("return address %q: want no user info, query or fragment", a)
		}
		if u.Path == "" {
			u.Path = "/"
		}
		l.bases = append(l.bases, u)
	}
	return l, nil
}

func loopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// Empty reports whether no address is allowed.
func (l *List) Empty() bool { return l == nil || len(l.bases) == 0 }

// Default is the first configured address, "" when there is none.
func (l *List) Default() string {
	if l.Empty() {
		return ""
	}
	return l.bases[0].String()
}

// Pick returns the address to give FinPro for the client's choice s: the
// first configured address when s is empty, else s itself when it is allowed
// (see Allowed), normalised.
func (l *List) Pick(s string) (string, error) {
	if s == "" {
		if l.Empty() {
			return "", ErrNotAllowed
		}
		return l.Default(), nil
	}
	u, err := l.Allowed(s)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Allowed parses s and reports whether it is a configured address or below
// one: the same scheme and host (port included), and the same path or a path
// under it (a base ending in "/" covers everything under it; one that does
// not, itself and what is under it after a "/"). Any query is allowed (apps
// carry their own state in it); user info and a fragment are not.
func (l *List) Allowed(s string) (*url.URL, error) {
	if len(s) > MaxLen || l.Empty() {
		return nil, ErrNotAllowed
	}
	u, err := url.Parse(s)
	if err != nil || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, ErrNotAllowed
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if strings.Contains(path, "/../") || strings.HasSuffix(path, "/..") || strings.Contains(path, "/./") || strings.Contains(path, "%2") || strings.Contains(path, "%5") {
		// Dot segments and encoded separators could climb out of a base.
		return nil, ErrNotAllowed
	}
	for _, b := range l.bases {
		if !strings.EqualFold(u.Scheme, b.Scheme) || !strings.EqualFold(u.Host, b.Host) {
			continue
		}
		base := b.EscapedPath()
		if path == base || strings.HasPrefix(path, strings.TrimSuffix(base, "/")+"/") {
			return u, nil
		}
	}
	return nil, ErrNotAllowed
}
