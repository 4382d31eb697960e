package journey

import (
	"context"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro/wire"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/paths"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/internal/transport"
)

// Product is a consent template of /productslist: what a consent created with
// it asks the user for, so an app can show it before sending them to the AA.
// Where FinPro's field names are not public, docs/upstream-decisions.md says
// what the client reads.
type Product struct {
	ID          string // productCode, the productID of consent requests
	Name        string
	Description string
	Purpose     Purpose
	FITypes     []finpro.FIType
	// ConsentTypes are the parts of each account shared: PROFILE, SUMMARY,
	// TRANSACTIONS.
	ConsentTypes []string
	FetchType    string    // ONETIME or PERIODIC
	Frequency    Frequency // fetches allowed per unit; zero for ONETIME
	// DataFrom and DataTo are the range of data a consent asks for
	// (consentFrom, consentTo); zero when FinPro sent none.
	DataFrom, DataTo time.Time
	// ConsentValidity is how long a consent lasts once approved, and DataLife
	// how long fetched data may be kept; zero when not sent.
	ConsentValidity Duration
	DataLife        Duration
	// ConsentMode is VIEW (data is not stored), STORE, QUERY or STREAM.
	ConsentMode string
}

// Purpose is a consent's ReBIT purpose: a code and its text.
type Purpose struct {
	Code string
	Text string
}

// Duration is a ReBIT span: Value units (DAY, MONTH, YEAR, ...).
type Duration struct {
	Unit  string
	Value int
}

type productWire struct {
	ProductCode        string                 `json:"productCode"`
	ProductID          string                 `json:"productId"`
	ProductName        string                 `json:"productName"`
	ProductDescription string                 `json:"productDescription"`
	Purpose            purposeWire            `json:"purpose"`
	PurposeCode        wire.String            `json:"purposeCode"`
	PurposeText        string                 `json:"purposeText"`
	FITypes            wire.OneOrMany[string] `json:"fiTypes"`
	ConsentTypes       wire.OneOrMany[string] `json:"consentTypes"`
	FetchType          string                 `json:"fetchType"`
	Frequency          spanWire               `json:"frequency"`
	ConsentFrom        string                 `json:"consentFrom"`
	ConsentTo          string                 `json:"consentTo"`
	ConsentDuration    spanWire               `json:"consentDuration"`
	DataLife           spanWire               `json:"dataLife"`
	ConsentMode        string                 `json:"consentMode"`
}

type purposeWire struct {
	Code wire.String `json:"code"`
	Text string      `json:"text"`
}

type spanWire struct {
	Unit  string   `json:"unit"`
	Value wire.Int `json:"value"`
}

type productsBody struct {
	ProductID string `json:"productId,omitempty"`
}

// Products lists the FIU's consent templates (/productslist), or the one with
// productID when it is not empty (none when FinPro has no such product). An
// idempotent read (retried).
func Products(ctx context.Context, c *finpro.Client, productID string) ([]Product, error) {
	ep := paths.Products
	productID = strings.TrimSpace(productID)
	for i := 0; i < len(productID); i++ {
		if ch := productID[i]; !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-' || ch == '.') {
			return nil, transport.Invalid(ep, "productId may hold only letters, digits, _ - .")
		}
	}
	env, err := transport.Call[wire.OneOrMany[productWire]](ctx, c.Transport(), ep, "", productsBody{ProductID: productID})
	if err != nil {
		return nil, err
	}
	out := make([]Product, 0, len(env.Data))
	for i := range env.Data {
		p := env.Data[i].toProduct()
		if productID != "" && p.ID != productID {
			continue // a filter FinPro ignored, as the consent list's is (§5)
		}
		out = append(out, p)
	}
	return out, nil
}

func (w *productWire) toProduct() Product {
	p := Product{
		ID:          strings.TrimSpace(wire.FirstNonEmpty(w.ProductCode, w.ProductID)),
		Name:        w.ProductName,
		Description: w.ProductDescription,
		Purpose: Purpose{
			Code: strings.TrimSpace(string(wire.FirstNonEmpty(w.Purpose.Code, w.PurposeCode))),
			Text: wire.FirstNonEmpty(w.Purpose.Text, w.PurposeText),
		},
		FetchType:       strings.ToUpper(strings.TrimSpace(w.FetchType)),
		Frequency:       Frequency(w.Frequency.span()),
		DataFrom:        wire.LenientTime(w.ConsentFrom),
		DataTo:          wire.LenientTime(w.ConsentTo),
		ConsentValidity: w.ConsentDuration.span(),
		DataLife:        w.DataLife.span(),
		ConsentMode:     strings.ToUpper(strings.TrimSpace(w.ConsentMode)),
	}
	for _, t := range w.FITypes {
		p.FITypes = append(p.FITypes, finpro.NormFIType(t))
	}
	for _, t := range w.ConsentTypes {
		p.ConsentTypes = append(p.ConsentTypes, strings.ToUpper(strings.TrimSpace(t)))
	}
	return p
}

func (s spanWire) span() Duration {
	return Duration{Unit: strings.ToUpper(strings.TrimSpace(s.Unit)), Value: int(s.Value)}
}

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
