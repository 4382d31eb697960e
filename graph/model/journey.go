package model

import (
	"cmp"
	"strings"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/journey"
)

// The consent journey's answers in the GraphQL types.

// ProductFromFinpro converts one of FinPro's products (consent templates):
// a product without a name is shown by its id, FI types this version does not
// know are UNKNOWN, blank consent types are dropped.
func ProductFromFinpro(p journey.Product) *Product {
	m := &Product{
		ID:              p.ID,
		Name:            cmp.Or(p.Name, p.ID),
		Description:     StringPtr(p.Description),
		PurposeCode:     StringPtr(p.Purpose.Code),
		PurposeText:     StringPtr(p.Purpose.Text),
		FiTypes:         []FIType{},
		ConsentTypes:    []string{},
		FetchType:       EnumPtr(p.FetchType, FetchTypeUnknown),
		Frequency:       period(p.Frequency.Unit, p.Frequency.Value),
		DataFrom:        TimePtr(p.DataFrom),
		DataTo:          TimePtr(p.DataTo),
		ConsentValidity: period(p.ConsentValidity.Unit, p.ConsentValidity.Value),
		DataLife:        period(p.DataLife.Unit, p.DataLife.Value),
		ConsentMode:     StringPtr(p.ConsentMode),
	}
	for _, t := range p.FITypes {
		v, _ := EnumOf(string(t), FITypeUnknown)
		m.FiTypes = append(m.FiTypes, v)
	}
	for _, t := range p.ConsentTypes {
		if t = strings.TrimSpace(t); t != "" {
			m.ConsentTypes = append(m.ConsentTypes, t)
		}
	}
	return m
}

func period(unit string, value int) *ProductPeriod {
	if unit == "" {
		return nil
	}
	return &ProductPeriod{Unit: unit, Value: value}
}

// DataStatusFromFinpro converts the FI status of the consent c as it stands
// at now (FIStatus.State).
// DataStatusFromFinpro converts the FI status of the consent c as it stands
// at now (FIStatus.State).
func DataStatusFromFinpro(s *finpro.FIStatus, c *Consent, now time.Time) *DataStatus {
	st, _ := EnumOf(string(s.State(now)), DataStateUnknown)
	out := &DataStatus{
		State:         st,
		SessionID:     StringPtr(s.SessionID),
		FetchedAt:     TimePtr(s.FetchedAt),
		DataExpiresAt: TimePtr(s.DataExpiry),
		FirstFetch:    s.FirstTimeFetch,
		Accounts:      []*AccountDataStatus{},
	}
	for _, a := range s.Accounts {
		st := accountDataStatus(a)
		st.Consent = c
		out.Accounts = append(out.Accounts, st)
	}
	return out
}

// accountDataStatus converts one account's fiStatus (of the FI status or
// of a DATA event).
func accountDataStatus(a finpro.FIAccountStatus) *AccountDataStatus {
	return &AccountDataStatus{
		LinkReferenceNumber: a.LinkReferenceNumber,
		MaskedAccountNumber: StringPtr(a.MaskedAccountNumber),
		FipID:               StringPtr(a.FIPID),
		FipName:             StringPtr(a.FIPName),
		State:               accountDataState(a.FIStatus),
	}
}

// accountDataState maps an account's fiStatus; the DATA webhook's READY is
// the status page's DELIVERED.
func accountDataState(s string) AccountDataState {
	if strings.EqualFold(strings.TrimSpace(s), "READY") {
		return AccountDataStateDelivered
	}
	v, _ := EnumOf(strings.ToUpper(s), AccountDataStateUnknown)
	return v
}
