package finpro

import (
	"context"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/fidata"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// SetClock replaces c's clock and its sleep between retries, so tests neither
// wait nor depend on the wall clock.
func SetClock(c *Client, now func() time.Time, sleep func(context.Context, time.Duration) error) {
	c.t.Now, c.t.Sleep = now, sleep
}

// SetJitter replaces c's random source for backoff jitter (uniform in [0, n)).
func SetJitter(c *Client, f func(n int64) int64) { c.t.Jitter = f }

// DecodeFIData decodes a getfidata response body as FIData would.
func DecodeFIData(body []byte, req FIDataRequest) (*AccountData, error) {
	var env transport.Envelope[fidata.AccountDataWire]
	if err := transport.Decode(body, &env); err != nil {
		return nil, err
	}
	return fidata.AccountDataFrom(&env, req.LinkReferenceNumber, req.Limit, req.Offset), nil
}
