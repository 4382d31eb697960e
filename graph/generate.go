// Package graph serves the BFF's GraphQL API: the schema (*.graphqls), the gqlgen
// handler with its transports, error presenter and per-operation loaders.
package graph

//go:generate go tool gqlgen generate
//go:generate go run ./internal/gqlgenpatch generated
