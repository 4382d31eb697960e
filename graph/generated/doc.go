// Package generated is gqlgen's executable schema for the graph: the parser,
// validator and field executor of every type in graph/*.graphqls. It is
// written by `go generate ./graph/...` (gqlgen, then gqlgenpatch) and never
// edited by hand; this file is the only hand-written one.
package generated
