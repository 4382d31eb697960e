package graph_test

import (
	"testing"
)

// BenchmarkDashboard runs the dashboard operation in process: the real handler
// over HTTP, the finpro client and the embedded sandbox.
func BenchmarkDashboard(b *testing.B) {
	e := newEnv(b, envOptions{})
	vars := demoVars()
	for b.Loop() {
		r := e.post(b, dashboardQuery, vars)
		if len(r.Errors) > 0 {
			b.Fatalf("errors: %+v", r.Errors)
		}
	}
}
