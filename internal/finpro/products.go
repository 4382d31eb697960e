package finpro

import (
	"strings"
	"time"
)

// Frequency is how often a consent allows its data to be fetched: at most
// Value fetches per Unit (ReBIT's HOUR, DAY, MONTH, YEAR). An AA refuses
// fetches beyond it.
type Frequency struct {
	Unit  string
	Value int
}

// Interval is the shortest even spacing of fetches the frequency allows
// (MONTH counts 30 days, YEAR 365), or 0 when the frequency is unknown.
func (f Frequency) Interval() time.Duration {
	if f.Value <= 0 {
		return 0
	}
	var per time.Duration
	switch strings.ToUpper(strings.TrimSpace(f.Unit)) {
	case "HOUR":
		per = time.Hour
	case "DAY":
		per = 24 * time.Hour
	case "MONTH":
		per = 30 * 24 * time.Hour
	case "YEAR":
		per = 365 * 24 * time.Hour
	default:
		return 0
	}
	return per / time.Duration(f.Value)
}
