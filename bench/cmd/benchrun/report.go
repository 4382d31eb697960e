package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// writeReport writes the machine, the table, the ratios and the notes as
// markdown.
func writeReport(w *bytes.Buffer, o options, rs []result, notes []string) {
	fmt.Fprintf(w, "## Run of %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(w, "Machine: %s\n\n", machine())
	pin := "not pinned (taskset missing or one CPU)"
	if o.pin {
		pin = "system under test on CPU 0; sandbox and wrk on CPU 1"
	}
	fmt.Fprintf(w, "Load: wrk -t1 -c%d, %v warm-up then %v measured per cell; %s. "+
		"p50 c=1 is a separate %v run with one connection (no queueing). "+
		"Upstream calls/query come from the sandbox's counters over 5 sequential queries; "+
		"under load is the counters over the measured run ÷ its completed requests (queries still in flight at the end add a little).\n\n",
		o.conns, o.warmup, o.duration, pin, o.probe)
	if o.unique {
		fmt.Fprintln(w, "Every request carries a unique value of an undeclared variable (`\"variables\":{\"request\":\"<n>\"}`; the query text is the same), so identical concurrent requests cannot be coalesced.")
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "| latency | system | query | req/s | p50 ms | p95 ms | p99 ms | p50 c=1 ms | CPU µs/query | sandbox CPU µs/query | peak RSS MiB | upstream calls/query | under load | errors | identical Q-dashboard |")
	fmt.Fprintln(w, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range rs {
		ident := "yes"
		if !r.identical {
			ident = "**NO**"
		}
		fmt.Fprintf(w, "| %v | %s | %s | %.0f | %s | %s | %s | %s | %.0f | %.0f | %.1f | %.2f | %.2f | %.2f%% | %s |\n",
			r.latency, r.system, r.query, r.rps, ms(r.p50), ms(r.p95), ms(r.p99), ms(r.p50c1),
			r.cpuPerQuery, r.sandboxCPUPerQuery, float64(r.peakRSS)/1024, r.upstreamPerQuery, r.upstreamUnderLoad, r.errRate*100, ident)
	}
	fmt.Fprintln(w)
	writeRatios(w, o, rs)
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

func find(rs []result, lat time.Duration, sys, q string) (result, bool) {
	for _, r := range rs {
		if r.latency == lat && r.system == sys && r.query == q && r.requests > 0 {
			return r, true
		}
	}
	return result{}, false
}

func writeRatios(w *bytes.Buffer, o options, rs []result) {
	fmt.Fprintln(w, "Ratios:")
	fmt.Fprintln(w)
	for _, l := range o.latencies {
		for _, q := range queries {
			bff, ok := find(rs, l, "bff", q.name)
			if !ok {
				continue
			}
			var parts []string
			if f, ok := find(rs, l, "floor", q.name); ok && f.cpuPerQuery > 0 {
				parts = append(parts, fmt.Sprintf("CPU/query BFF ÷ floor %.2fx", bff.cpuPerQuery/f.cpuPerQuery))
			}
			for _, peer := range []string{"floor", "apollo", "tailcall", "tailcall-dedupe"} {
				if p, ok := find(rs, l, peer, q.name); ok && p.rps > 0 {
					parts = append(parts, fmt.Sprintf("req/s BFF ÷ %s %.2fx", peer, bff.rps/p.rps))
				}
			}
			if l > 0 && bff.p50c1 > 0 {
				cp := time.Duration(criticalPath[q.name]) * l
				parts = append(parts, fmt.Sprintf("p50 c=1 over the critical path (%d × %v) %+.2f ms", criticalPath[q.name], l, float64(bff.p50c1-cp)/float64(time.Millisecond)))
				if f, ok := find(rs, l, "floor", q.name); ok && f.p50c1 > 0 {
					parts = append(parts, fmt.Sprintf("floor's %+.2f ms", float64(f.p50c1-cp)/float64(time.Millisecond)))
				}
			}
			if len(parts) > 0 {
				fmt.Fprintf(w, "- %v %s: %s\n", l, q.name, strings.Join(parts, "; "))
			}
			if warm, ok := find(rs, l, "bff-warm", q.name); ok {
				parts = []string{fmt.Sprintf("FinPro calls/query %.2f (cold %.2f)", warm.upstreamPerQuery, bff.upstreamPerQuery)}
				if bff.rps > 0 {
					parts = append(parts, fmt.Sprintf("req/s warm ÷ cold %.2fx", warm.rps/bff.rps))
				}
				if p, ok := find(rs, l, "apollo", q.name); ok && p.rps > 0 {
					parts = append(parts, fmt.Sprintf("req/s warm ÷ apollo %.2fx", warm.rps/p.rps))
				}
				if warm.p50c1 > 0 {
					parts = append(parts, fmt.Sprintf("p50 c=1 %.2f ms (cold %.2f ms)", float64(warm.p50c1)/float64(time.Millisecond), float64(bff.p50c1)/float64(time.Millisecond)))
				}
				fmt.Fprintf(w, "- %v %s, warm cache: %s\n", l, q.name, strings.Join(parts, "; "))
			}
		}
	}
}

// machine describes the host: CPUs, memory and tool versions.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for l := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for l := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				var kb int64
				fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
				mem = fmt.Sprintf(", %.1f GiB RAM", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%d × %s%s; %s; node %s; %s", runtime.NumCPU(), model, mem,
		version("go", "version"), version("node", "--version"), version("wrk", "-v"))
}

// version returns the first line of a tool's version output.
func version(argv ...string) string {
	out, _ := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if l == "" {
		return argv[0] + " missing"
	}
	return l
}
