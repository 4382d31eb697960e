package relay

// PageInfo is the GraphQL PageInfo type (bound in gqlgen.yml).
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Window is the part of a list one connection page shows: n items from
// Start, whether items follow them, and the list's length when known.
type Window struct {
	Start   int
	HasNext bool
	// Total is the list's length; negative when unknown.
	Total int
}

// Page is what every connection of the graph needs beside its nodes: their
// cursors (scope-bound, see EncodeCursor), its PageInfo and its totalCount.
type Page struct {
	Cursors    []string
	Info       *PageInfo
	TotalCount *int
}

// Page returns the page of n items of w in scope. A known Total decides
// HasNextPage, whatever w.HasNext says.
func (w Window) Page(scope string, n int) Page {
	p := Page{Cursors: make([]string, n), Info: &PageInfo{HasNextPage: w.HasNext, HasPreviousPage: w.Start > 0}}
	for i := range p.Cursors {
		p.Cursors[i] = EncodeCursor(scope, w.Start+i)
	}
	if w.Total >= 0 {
		total := w.Total
		p.TotalCount = &total
		p.Info.HasNextPage = w.Start+n < total
	}
	if n > 0 {
		p.Info.StartCursor = &p.Cursors[0]
		p.Info.EndCursor = &p.Cursors[n-1]
	}
	return p
}

// Slice returns the window of a list of known length that b selects: the
// items [start, end).
func (b Bounds) Slice(length int) (start, end int, w Window) {
	hi := length
	if b.Hi >= 0 {
		hi = min(b.Hi, length)
	}
	lo := min(b.Lo, hi)
	if b.FromEnd {
		start, end = max(lo, hi-b.N), hi
	} else {
		start, end = lo, min(hi, lo+b.N)
	}
	return start, end, Window{Start: start, Total: length}
}
