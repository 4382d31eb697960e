package sandbox

import (
	"encoding/json"
	"net/http"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// pathConsentListV3 is FinPro's Consent List V3 (finpro-upstream.md §1b): one
// of three modes, by party identifier (+ productID + accountID), by consent
// handles or by consent IDs. The BFF uses the last two to place a consent it
// is given by id (its product and customer) before acting on it.
const pathConsentListV3 = "/v3/getconsentslist"

// consentListV3 serves POST /v3/getconsentslist. Rows are those of the
// dedup list (consentRow), with the accounts nested.
func (s *Sandbox) consentListV3(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req struct {
		PartyIdentifierType  *string   `json:"partyIdentifierType"`
		PartyIdentifierValue *string   `json:"partyIdentifierValue"`
		ProductID            *string   `json:"productID"`
		AccountID            *string   `json:"accountID"`
		ConsentHandle        *[]string `json:"consentHandle"`
		ConsentID            *[]string `json:"consentID"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	byParty := req.PartyIdentifierType != nil || req.PartyIdentifierValue != nil
	modes := 0
	for _, on := range []bool{byParty, req.ConsentHandle != nil, req.ConsentID != nil} {
		if on {
			modes++
		}
	}
	if modes != 1 {
		s.failCode(w, "InvalidRequest", "use exactly one of partyIdentifierType/Value, consentHandle[] and consentID[]")
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rows := []consentRow{}
	switch {
	case byParty:
		var p problems
		if str(req.PartyIdentifierType) != "MOBILE" {
			p.add("partyIdentifierType must be MOBILE in the sandbox")
		}
		if str(req.ProductID) == "" {
			p.add("productID is required")
		}
		if str(req.AccountID) == "" {
			p.add("accountID is required")
		}
		if len(p) > 0 {
			s.failCode(w, "InvalidRequest", p.String())
			return
		}
		if !mobile.Valid(str(req.PartyIdentifierValue)) {
			s.failCode(w, "InvalidMobileNumber", "mobileNumber must be a 10-digit number without country code")
			return
		}
		if c := s.byMobile[*req.PartyIdentifierValue]; c != nil {
			for _, k := range c.consents {
				if k.productID == *req.ProductID && k.accountID == *req.AccountID {
					rows = append(rows, s.rowOf(k))
				}
			}
		}
	case req.ConsentHandle != nil:
		refs := *req.ConsentHandle
		if len(refs) == 0 || len(refs) > 100 {
			s.failCode(w, "InvalidRequest", "consentHandle must list 1 to 100 handles")
			return
		}
		for _, h := range refs {
			if k := s.byHandle[h]; k != nil {
				rows = append(rows, s.rowOf(k))
			}
		}
	default:
		refs := *req.ConsentID
		if len(refs) == 0 || len(refs) > 100 {
			s.failCode(w, "InvalidRequest", "consentID must list 1 to 100 consent IDs")
			return
		}
		for _, id := range refs {
			if k := s.byConsentID[id]; k != nil {
				rows = append(rows, s.rowOf(k))
			}
		}
	}
	b, _ := json.Marshal(rows)
	s.success(w, b, "")
}
