package graph_test

import (
	"os"
	"testing"
)

// BenchmarkDashboard runs a dashboard operation in process: the real handler
// over HTTP, the finpro client and the embedded sandbox. first20 is the e2e
// tests' dashboard (the oldest 20 transactions per account); Q-dashboard is
// bench/queries/dashboard.graphql, the query of BENCHMARKS.md (the latest 20).
func BenchmarkDashboard(b *testing.B) {
	q, err := os.ReadFile("../bench/queries/dashboard.graphql")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		query string
	}{
		{"first20", dashboardQuery},
		{"Q-dashboard", string(q)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, envOptions{})
			vars := demoVars()
			for b.Loop() {
				r := e.post(b, bc.query, vars)
				if len(r.Errors) > 0 {
					b.Fatalf("errors: %+v", r.Errors)
				}
			}
		})
	}
}
