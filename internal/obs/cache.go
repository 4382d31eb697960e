package obs

import "github.com/prometheus/client_golang/prometheus"

// CacheStats are the counters of the cache of FinPro reads (internal/fpcache),
// as its Stats method gives them.
type CacheStats struct {
	Entries                           int
	Bytes                             int64
	Hits, Misses, Bypasses, Evictions int64
}

// ObserveCache exports the cache of FinPro reads, read from stats at every
// scrape:
//
//	bff_finpro_cache_reads_total{result}           counter: hit, or miss (FinPro was read)
//	bff_finpro_cache_bypassed_operations_total     counter: operations that read FinPro
//	                                               without the cache (its read barrier did
//	                                               not pass, or the feed may have missed events)
//	bff_finpro_cache_evictions_total               counter: entries dropped for room
//	bff_finpro_cache_entries                       gauge
//	bff_finpro_cache_bytes                         gauge: the estimated size, against
//	                                               FINPRO_CACHE_MAX_BYTES
//
// Call it once, and only when the cache is on.
func (m *Metrics) ObserveCache(stats func() CacheStats) {
	m.reg.MustRegister(cacheCollector{stats})
}

var (
	cacheReadsDesc = prometheus.NewDesc(Namespace+"_finpro_cache_reads_total",
		"FinPro reads through the cache, by result (hit, miss).", []string{"result"}, nil)
	cacheBypassDesc = prometheus.NewDesc(Namespace+"_finpro_cache_bypassed_operations_total",
		"Operations that read FinPro without the cache (read barrier not passed, feed not live).", nil, nil)
	cacheEvictionsDesc = prometheus.NewDesc(Namespace+"_finpro_cache_evictions_total",
		"Entries of the cache of FinPro reads dropped for room.", nil, nil)
	cacheEntriesDesc = prometheus.NewDesc(Namespace+"_finpro_cache_entries",
		"Entries in the cache of FinPro reads.", nil, nil)
	cacheBytesDesc = prometheus.NewDesc(Namespace+"_finpro_cache_bytes",
		"Estimated bytes held by the cache of FinPro reads.", nil, nil)
)

// cacheCollector reads the cache's counters once per scrape, so that the
// series of one scrape agree with each other.
type cacheCollector struct{ stats func() CacheStats }

func (cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cacheReadsDesc
	ch <- cacheBypassDesc
	ch <- cacheEvictionsDesc
	ch <- cacheEntriesDesc
	ch <- cacheBytesDesc
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	ch <- prometheus.MustNewConstMetric(cacheReadsDesc, prometheus.CounterValue, float64(s.Hits), "hit")
	ch <- prometheus.MustNewConstMetric(cacheReadsDesc, prometheus.CounterValue, float64(s.Misses), "miss")
	ch <- prometheus.MustNewConstMetric(cacheBypassDesc, prometheus.CounterValue, float64(s.Bypasses))
	ch <- prometheus.MustNewConstMetric(cacheEvictionsDesc, prometheus.CounterValue, float64(s.Evictions))
	ch <- prometheus.MustNewConstMetric(cacheEntriesDesc, prometheus.GaugeValue, float64(s.Entries))
	ch <- prometheus.MustNewConstMetric(cacheBytesDesc, prometheus.GaugeValue, float64(s.Bytes))
}
