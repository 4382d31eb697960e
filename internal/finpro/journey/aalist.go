package journey

import (
	"context"
	"strings"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// AccountAggregator is one AA of /accountaggregatorlist.
type AccountAggregator struct {
	ID      string // aaId, e.g. "onemoney-aa"
	Name    string
	WebURL  string
	APKURL  string
	LogoURL string
	BaseURL string
	// Status is FinPro's, as sent ("Active", "Inactive"); Active reports it.
	Status string
	Active bool
}

type aaWire struct {
	AAID    string `json:"aaId"`
	Name    string `json:"name"`
	WebURL  string `json:"webUrl"`
	APKURL  string `json:"apkUrl"`
	LogoURL string `json:"logoUrl"`
	BaseURL string `json:"baseUrl"`
	Status  string `json:"status"`
}

// AccountAggregators lists the AAs FinPro works with (/accountaggregatorlist).
// An idempotent read (retried).
func AccountAggregators(ctx context.Context, c *finpro.Client) ([]AccountAggregator, error) {
	env, err := transport.Call[wire.OneOrMany[aaWire]](ctx, c.Transport(), paths.AAList, "", struct{}{})
	if err != nil {
		return nil, err
	}
	out := make([]AccountAggregator, 0, len(env.Data))
	for _, w := range env.Data {
		out = append(out, AccountAggregator{
			ID: strings.TrimSpace(w.AAID), Name: w.Name, WebURL: w.WebURL, APKURL: w.APKURL,
			LogoURL: w.LogoURL, BaseURL: w.BaseURL, Status: w.Status,
			Active: strings.EqualFold(strings.TrimSpace(w.Status), "active"),
		})
	}
	return out, nil
}
