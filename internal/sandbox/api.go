package sandbox

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// consentRef validates a consentID field: required, a GUID.
func consentRef(p *problems, field, v string) {
	switch {
	case v == "":
		p.add(field + " is required")
	case !isGUID(v):
		p.add(field + " must be a valid GUID")
	}
}

// linkRef validates an optional or required linkReferenceNumber.
func linkRefProblem(p *problems, v string, required bool) {
	switch {
	case v == "" && required:
		p.add("linkReferenceNumber is required")
	case v != "" && !isGUID(v):
		p.add("linkReferenceNumber must be a valid UUID")
	}
}

// accountUnder finds linkRef among k's accounts, or writes InvalidLinkReference.
func (s *Sandbox) accountUnder(w http.ResponseWriter, k *consent, linkRef string) *account {
	for _, a := range k.accounts {
		if a.linkRef == linkRef {
			return a
		}
	}
	msg := "Link Reference Number does not exist"
	if _, ok := s.byLinkRef[linkRef]; ok {
		msg = "Link Reference Number not associated with this consent"
	}
	s.failCode(w, "InvalidLinkReference", msg)
	return nil
}

// balanceJSON is one getfibalance element.
type balanceJSON struct {
	LinkReferenceNumber string `json:"linkReferenceNumber"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
	FIType              string `json:"fiType"`
	FIPID               string `json:"fipId"`
	FIPName             string `json:"fipName"`
	Balance             string `json:"balance"`
	Currency            string `json:"currency"`
}

func (s *Sandbox) balanceOf(a *account) balanceJSON {
	return balanceJSON{a.linkRef, a.masked, s.fiTypeOut(a.fiType), a.fipID, a.fipName, money(a.balance), "INR"}
}

// readTarget is the shared front half of getfibalance and getfidata: it decodes
// {consentID, linkReferenceNumber}, validates them, and finds the ACTIVE consent
// with fetched data and, when a link reference is given, its account. On any
// problem it answers the documented error (notReady is the endpoint's
// DataNotAvailable message) and returns ok false. The caller holds s.mu.
func (s *Sandbox) readTarget(w http.ResponseWriter, body []byte, linkRequired bool, notReady string) (k *consent, a *account, ok bool) {
	var req struct {
		ConsentID *string `json:"consentID"`
		LinkRef   *string `json:"linkReferenceNumber"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return nil, nil, false
	}
	var p problems
	linkRefProblem(&p, str(req.LinkRef), linkRequired)
	consentRef(&p, "consentID", str(req.ConsentID))
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return nil, nil, false
	}
	if k = s.byConsentID[*req.ConsentID]; k == nil {
		s.failCode(w, "InvalidConsentId", "")
		return nil, nil, false
	}
	if lr := str(req.LinkRef); lr != "" {
		if a = s.accountUnder(w, k, lr); a == nil {
			return nil, nil, false
		}
	}
	if k.status != statusActive {
		s.failCode(w, "ConsentNotActive", "")
		return nil, nil, false
	}
	if !k.dataReady(s.now()) || (a != nil && !k.has(a)) {
		s.failCode(w, "DataNotAvailable", notReady)
		return nil, nil, false
	}
	return k, a, true
}

// getFIBalance serves POST /getfibalance (seed 000).
func (s *Sandbox) getFIBalance(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, one, ok := s.readTarget(w, body, false, "Balance data not available")
	if !ok {
		return
	}
	if one != nil {
		s.success(w, encodeJSON(s.balanceOf(one)), "")
		return
	}
	out := make([]balanceJSON, 0, len(k.accounts))
	for _, a := range k.accounts {
		if k.has(a) {
			out = append(out, s.balanceOf(a))
		}
	}
	s.success(w, encodeJSON(out), "")
}

// pageParam parses getfidata's limit/offset: a number, or the documented
// booleans ("true" = the platform page size for limit, 0 for offset).
func pageParam(v string, whenTrue int) (n int, set, ok bool) {
	switch v {
	case "", "false":
		return 0, false, true
	case "true":
		return whenTrue, true, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false, false
	}
	return n, true, true
}

// getFIData serves POST /getfidata?limit=&offset= (seed 002).
func (s *Sandbox) getFIData(w http.ResponseWriter, r *http.Request, body []byte) {
	q := r.URL.Query()
	limit, paged, ok1 := pageParam(q.Get("limit"), s.cfg.PageSize)
	offset, _, ok2 := pageParam(q.Get("offset"), 0)
	if !ok1 || !ok2 {
		s.failCode(w, "InvalidRequest", "[limit and offset must be non-negative numbers or true]")
		return
	}
	if paged && limit == 0 {
		paged = false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, a, ok := s.readTarget(w, body, true, "Financial data not available")
	if !ok {
		return
	}
	from, to := 0, len(a.txns)
	if paged {
		from = min(offset, to)
		to = min(from+limit, to)
	} else if offset > 0 {
		from = min(offset, to)
	}
	var b bytes.Buffer
	b.Grow(256 + (to-from)*300)
	b.WriteString(`{"linkReferenceNumber":`)
	b.Write(quote(a.linkRef))
	b.WriteString(`,"maskedAccountNumber":`)
	b.Write(quote(a.masked))
	b.WriteString(`,"balance":`)
	b.Write(quote(money(a.balance)))
	b.WriteString(`,"fipName":`)
	b.Write(quote(a.fipName))
	b.WriteString(`,"fipId":`)
	b.Write(quote(a.fipID))
	b.WriteString(`,"fiType":`)
	b.Write(quote(s.fiTypeOut(a.fiType)))
	b.WriteString(`,"fiData":[`)
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		b.Write(a.txnJSON[i])
	}
	b.WriteString("]}")
	extra := ""
	if paged {
		extra = `,"pageDetails":{"totalRecords":` + strconv.Itoa(len(a.txns)) + `,"limit":` + strconv.Itoa(limit) + `,"offset":` + strconv.Itoa(offset) + `}`
	}
	s.success(w, b.Bytes(), extra)
}

// parseISODate accepts an ISO 8601 date-time (RFC 3339) or date.
func parseISODate(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, ist); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// validConsentChars is getallfidata's documented consentID alphabet.
func validConsentChars(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// getAllFIData serves POST /getallfidata (finpro-upstream §1c).
func (s *Sandbox) getAllFIData(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		ConsentID *string `json:"consentID"`
		AccountID *string `json:"accountID"`
		Start     *string `json:"transactionsStartDate"`
		End       *string `json:"transactionsEndDate"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	cid, aid := str(req.ConsentID), str(req.AccountID)
	if (cid == "") == (aid == "") {
		s.failCode(w, "InvalidPayload", "Either consentID or accountID must be provided, not both")
		return
	}
	var p problems
	if cid != "" && (!validConsentChars(cid) || !isGUID(cid)) {
		p.add("consentID must be a valid GUID")
	}
	startDay, endDay := "", ""
	if v := str(req.Start); v != "" {
		t, ok := parseISODate(v)
		if !ok {
			p.add("transactionsStartDate must be an ISO 8601 date")
		}
		startDay = t.In(ist).Format(time.DateOnly)
	}
	if v := str(req.End); v != "" {
		t, ok := parseISODate(v)
		if !ok {
			p.add("transactionsEndDate must be an ISO 8601 date")
		}
		endDay = t.In(ist).Format(time.DateOnly)
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var k *consent
	if cid != "" {
		k = s.byConsentID[cid]
	} else {
		k = s.consentByAccountID(aid)
	}
	if k == nil {
		s.failCode(w, "InvalidConsentId", "Consent ID does not exist.")
		return
	}
	switch k.status {
	case statusActive:
	case statusRevoked:
		s.failCode(w, "InvalidRequest", "Consent ID is Revoked with consent type as VIEW")
		return
	case statusExpired:
		s.failCode(w, "DataIsDeleted", "")
		return
	default:
		s.failCode(w, "ConsentNotActive", "")
		return
	}
	if !k.dataReady(s.now()) {
		s.failCode(w, "NoDataAvailable", "")
		return
	}
	ranges := make([][2]int, len(k.accounts))
	size := 2
	for i, a := range k.accounts {
		if !k.has(a) {
			continue
		}
		from, to := 0, len(a.txns)
		if startDay != "" {
			from = sort.Search(len(a.txns), func(j int) bool { return a.txns[j].ValueDate >= startDay })
		}
		if endDay != "" {
			to = max(from, sort.Search(len(a.txns), func(j int) bool { return a.txns[j].ValueDate > endDay }))
		}
		ranges[i] = [2]int{from, to}
		size += rebitSize(a, from, to)
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteByte('[')
	n := 0
	for i, a := range k.accounts {
		if !k.has(a) {
			continue // its FIP denied or timed out: only delivered accounts
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		s.appendRebit(&b, a, ranges[i][0], ranges[i][1])
	}
	b.WriteByte(']')
	s.success(w, b.Bytes(), "")
}

// consentByAccountID is the newest ACTIVE consent with the FIU's accountID, or
// the newest of any status.
func (s *Sandbox) consentByAccountID(aid string) *consent {
	var best *consent
	for _, c := range s.customers {
		for _, k := range c.consents {
			if k.accountID != aid || k.id == "" {
				continue
			}
			switch {
			case best == nil:
				best = k
			case (k.status == statusActive) != (best.status == statusActive):
				if k.status == statusActive {
					best = k
				}
			case k.created.After(best.created):
				best = k
			}
		}
	}
	return best
}

// consentIDBody decodes and checks a {"consentID"} body, the whole request of
// getalllatestfidata and revokeconsent. On a problem it answers InvalidRequest
// and returns ok false.
func (s *Sandbox) consentIDBody(w http.ResponseWriter, body []byte) (consentID string, ok bool) {
	var req struct {
		ConsentID *string `json:"consentID"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return "", false
	}
	var p problems
	consentRef(&p, "consentID", str(req.ConsentID))
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return "", false
	}
	return *req.ConsentID, true
}

// getAllLatestFIData serves POST /getalllatestfidata (seed 001). ONETIME
// consents get the full data every time. PERIODIC consents get everything on
// the first pull, then only transactions appended since the previous pull, or
// NoIncrementalData.
func (s *Sandbox) getAllLatestFIData(w http.ResponseWriter, r *http.Request, body []byte) {
	consentID, ok := s.consentIDBody(w, body)
	if !ok {
		return
	}
	s.mu.Lock() // a PERIODIC pull consumes the increment
	defer s.mu.Unlock()
	k := s.byConsentID[consentID]
	if k == nil {
		s.failCode(w, "InvalidConsentId", "")
		return
	}
	if k.status != statusActive {
		s.failCode(w, "ConsentNotActive", "")
		return
	}
	if !k.dataReady(s.now()) {
		s.failCode(w, "NoDataAvailable", "")
		return
	}
	size := 2
	for _, a := range k.accounts {
		size += rebitSize(a, 0, len(a.txns))
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteByte('[')
	n := 0
	for _, a := range k.accounts {
		if !k.has(a) {
			continue
		}
		from := 0
		if k.fetchType == "PERIODIC" && k.pulled {
			from = k.delivered[a.linkRef]
		}
		if k.fetchType == "PERIODIC" && k.pulled && from >= len(a.txns) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		s.appendRebit(&b, a, from, len(a.txns))
	}
	b.WriteByte(']')
	if n == 0 {
		s.failCode(w, "NoIncrementalData", "")
		return
	}
	if k.fetchType == "PERIODIC" {
		k.pulled = true
		if k.delivered == nil {
			k.delivered = map[string]int{}
		}
		for _, a := range k.accounts {
			if k.has(a) {
				k.delivered[a.linkRef] = len(a.txns)
			}
		}
	}
	s.success(w, b.Bytes(), "")
}

// consentRow is one row of /v1/accounts/getconsentslist (seed 003).
type consentRow struct {
	ConsentID           *string      `json:"consentID"`
	ConsentHandle       string       `json:"consentHandle"`
	Status              string       `json:"status"`
	ProductID           string       `json:"productID"`
	AccountID           string       `json:"accountID"`
	AAID                string       `json:"aaId"`
	VUA                 string       `json:"vua"`
	ConsentCreationData string       `json:"consentCreationData"`
	ConsentExpiry       string       `json:"consent_expiry"`
	FetchType           string       `json:"fetchType"`
	Accounts            []consentAcc `json:"accounts"`
}

type consentAcc struct {
	AccountID           string   `json:"accountId"`
	FIPID               string   `json:"fipId"`
	FIPName             string   `json:"fipName"`
	MaskedAccountNumber string   `json:"maskedAccountNumber"`
	AccountType         string   `json:"accountType"`
	FITypes             []string `json:"fiTypes"`
	FIType              string   `json:"fiType"`
	LinkRefNumber       string   `json:"linkRefNumber"`
}

var validStatus = map[string]bool{statusPending: true, statusActive: true, statusRejected: true, statusRevoked: true, statusExpired: true, statusPaused: true}

// consentList serves POST /v1/accounts/getconsentslist (seed 003).
func (s *Sandbox) consentList(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Mobile     *string         `json:"mobileNumber"`
		ProductID  *string         `json:"productID"`
		Status     json.RawMessage `json:"status"`
		PageNumber *int            `json:"pageNumber"`
		PageSize   *int            `json:"pageSize"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	var p problems
	if str(req.Mobile) == "" {
		p.add("mobileNumber is required")
	}
	if str(req.ProductID) == "" {
		p.add("productID is required")
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	if !mobile.Valid(*req.Mobile) {
		s.failCode(w, "InvalidMobileNumber", "mobileNumber must be a 10-digit number without country code")
		return
	}
	var want map[string]bool
	if len(req.Status) > 0 && string(req.Status) != "null" {
		var st []string
		if err := json.Unmarshal(req.Status, &st); err != nil {
			s.failCode(w, "InvalidStatus", "status must be an array of PENDING, ACTIVE, REJECTED, REVOKED, EXPIRED, PAUSED")
			return
		}
		want = map[string]bool{}
		for _, v := range st {
			if !validStatus[v] {
				s.failCode(w, "InvalidStatus", "Invalid status value; use PENDING, ACTIVE, REJECTED, REVOKED, EXPIRED, PAUSED")
				return
			}
			want[v] = true
		}
		if len(st) == 0 {
			want = nil // [] behaves as no filter
		}
	}
	if req.PageNumber != nil && *req.PageNumber < 1 {
		s.failCode(w, "InvalidPageNumber", "pageNumber must be 1 or more")
		return
	}
	if req.PageSize != nil && (*req.PageSize < 1 || *req.PageSize > 100) {
		s.failCode(w, "InvalidPageSize", "pageSize must be between 1 and 100")
		return
	}

	s.mu.RLock()
	var rows []consentRow
	if c := s.byMobile[*req.Mobile]; c != nil {
		for _, k := range c.consents {
			if k.productID != *req.ProductID && !s.cfg.Quirks.LeakyProductFilter {
				continue
			}
			if want != nil && !want[k.status] {
				continue
			}
			rows = append(rows, s.rowOf(k))
		}
	}
	s.mu.RUnlock()
	if rows == nil {
		rows = []consentRow{}
	}
	extra := ""
	if req.PageSize != nil {
		size, page := *req.PageSize, 1
		if req.PageNumber != nil {
			page = *req.PageNumber
		}
		total := len(rows)
		pages := (total + size - 1) / size
		if page > max(pages, 1) {
			s.failCode(w, "InvalidPageNumber", "pageNumber exceeds totalPages ("+strconv.Itoa(pages)+")")
			return
		}
		from := min((page-1)*size, total)
		rows = rows[from:min(from+size, total)]
		extra = `,"pageDetails":{"totalRecords":` + strconv.Itoa(total) + `,"currentPageNumber":` + strconv.Itoa(page) + `,"totalPages":` + strconv.Itoa(pages) + `}`
	}
	s.success(w, encodeJSON(rows), extra)
}

// rowOf renders k as a consent-list row. Callers hold mu.
func (s *Sandbox) rowOf(k *consent) consentRow {
	row := consentRow{
		ConsentHandle:       k.handle,
		Status:              k.status,
		ProductID:           k.productID,
		AccountID:           k.accountID,
		AAID:                "onemoney-aa",
		VUA:                 k.vua,
		ConsentCreationData: k.created.In(ist).Format(time.RFC3339),
		ConsentExpiry:       k.expiry.In(ist).Format(time.DateTime),
		FetchType:           k.fetchType,
		Accounts:            []consentAcc{},
	}
	if k.id != "" {
		id := k.id
		row.ConsentID = &id
	}
	for _, a := range k.accounts {
		t := s.fiTypeOut(a.fiType)
		row.Accounts = append(row.Accounts, consentAcc{
			AccountID: a.fipAccID, FIPID: a.fipID, FIPName: a.fipName, MaskedAccountNumber: a.masked,
			AccountType: a.accountType, FITypes: []string{t}, FIType: t, LinkRefNumber: a.linkRef,
		})
	}
	return row
}

// consentRequestFields are the body members /v2 and /v3/requestconsent share.
type consentRequestFields struct {
	ProductID  *string `json:"productID"`
	VUA        *string `json:"vua"`
	PartyType  *string `json:"partyIdentifierType"`
	PartyValue *string `json:"partyIdentifierValue"`
	AccountID  *string `json:"accountID"`
}

// check validates f into p and returns the product and the VUA's mobile.
func (f *consentRequestFields) check(p *problems) (product, string) {
	for _, m := range []struct {
		name string
		v    *string
	}{{"productID", f.ProductID}, {"vua", f.VUA}, {"partyIdentifierType", f.PartyType}, {"partyIdentifierValue", f.PartyValue}, {"accountID", f.AccountID}} {
		if str(m.v) == "" {
			p.add(m.name + " is required")
		}
	}
	if len(*p) > 0 {
		return product{}, ""
	}
	prod, ok := products[*f.ProductID]
	if !ok {
		p.add("productID is not a configured product")
	}
	vuaMobile, suffix, _ := strings.Cut(*f.VUA, "@")
	if !mobile.Valid(vuaMobile) || suffix != "onemoney" {
		p.add("vua must be a 10-digit vuaMobile number @onemoney")
	}
	switch v := *f.PartyValue; *f.PartyType {
	case "MOBILE":
		if !mobile.Valid(v) {
			p.add("partyIdentifierValue must be a 10-digit vuaMobile number")
		}
	case "EMAIL":
		if at := strings.IndexByte(v, '@'); at < 1 || !strings.Contains(v[at:], ".") {
			p.add("partyIdentifierValue must be an email address")
		}
	case "PAN":
		if !isPAN(v) {
			p.add("partyIdentifierValue must be a PAN (AAAAA9999A)")
		}
	default:
		p.add("partyIdentifierType must be one of MOBILE, EMAIL, PAN")
	}
	if aid := *f.AccountID; len(aid) > 64 || !validConsentChars(aid) {
		p.add("accountID must be at most 64 characters of A-Z a-z 0-9 _ . -")
	}
	return prod, vuaMobile
}

// createConsentLocked adds a PENDING consent for the customer behind
// vuaMobile (a new customer with one savings account when the mobile is
// unknown). Callers hold mu for writing.
func (s *Sandbox) createConsentLocked(prod product, vuaMobile, accountID string) *consent {
	c := s.byMobile[vuaMobile]
	if c == nil {
		c = s.newCustomer(vuaMobile)
	}
	s.created++
	now := s.now()
	k := &consent{
		handle:    uuid.NewSHA1(idSpace, []byte("seed/"+strconv.FormatInt(s.cfg.Seed, 10)+"/requested/"+strconv.Itoa(s.created))).String(),
		status:    statusPending,
		productID: prod.id,
		accountID: accountID,
		vua:       vuaMobile + "@onemoney",
		mobile:    vuaMobile,
		fetchType: prod.fetchType,
		created:   now,
		expiry:    now.AddDate(1, 0, 0),
	}
	c.consents = append(c.consents, k)
	s.indexConsent(k)
	return k
}

// requestConsent serves POST /v2/requestconsent: a PENDING consent for the
// customer behind the VUA (a new customer with one savings account when the
// mobile is unknown).
func (s *Sandbox) requestConsent(w http.ResponseWriter, r *http.Request, body []byte) {
	var req consentRequestFields
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	var p problems
	prod, vuaMobile := req.check(&p)
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	s.mu.Lock()
	k := s.createConsentLocked(prod, vuaMobile, *req.AccountID)
	s.mu.Unlock()
	s.success(w, encodeJSON(map[string]string{"status": statusPending, "consent_handle": k.handle}), "")
}

func isPAN(v string) bool {
	if len(v) != 10 {
		return false
	}
	for i := 0; i < 10; i++ {
		c := v[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
		digit := '0' <= c && c <= '9'
		if (i < 5 || i == 9) && !letter || i >= 5 && i < 9 && !digit {
			return false
		}
	}
	return true
}

// newCustomer creates and indexes a customer with one seeded savings account.
// Callers hold mu for writing.
func (s *Sandbox) newCustomer(mobile string) *customer {
	h := fnv.New64a()
	h.Write([]byte(mobile))
	g := newGen(s.cfg.Seed, 100+h.Sum64())
	c := &customer{mobile: mobile, name: g.pick(firsts) + " " + g.pick(lasts)}
	c.accounts = []*account{g.account(acctOpts{
		name: "new/" + mobile, seeded: true, kind: "savings", fip: bankFIPs[g.r.IntN(len(bankFIPs))],
		txns: 30, holders: []holder{g.fakeHolder(c.name, mobile)}, mobile: mobile,
	})}
	s.addCustomer(c)
	return c
}

// revokeConsent serves POST /revokeconsent: only ACTIVE or PAUSED consents.
func (s *Sandbox) revokeConsent(w http.ResponseWriter, r *http.Request, body []byte) {
	consentID, ok := s.consentIDBody(w, body)
	if !ok {
		return
	}
	s.mu.Lock()
	k := s.byConsentID[consentID]
	var err error
	if k != nil {
		err = s.transitionLocked(k, "revoke")
	}
	s.mu.Unlock()
	switch {
	case k == nil:
		s.failCode(w, "InvalidConsentId", "")
	case err != nil:
		s.failCode(w, "InvalidStatus", "Only ACTIVE or PAUSED consents can be revoked")
	default:
		writeJSON(w, http.StatusOK, []byte(`{"ver":"`+apiVersion+`","status":"success","message":"Consent revoked successfully","timestamp":"`+s.timestamp()+`"}`))
	}
}

// fiRequest serves POST /fi/request: a new data fetch session, done after
// Config.FetchDelay with the configured FIP outcomes (fetch.go), then its DATA
// webhook. Its envelope has "response":"ok" and no status.
func (s *Sandbox) fiRequest(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		ConsentID *string `json:"consentId"`
		From      *string `json:"fiDataRangeFrom"`
		To        *string `json:"fiDataRangeTo"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	var p problems
	consentRef(&p, "consentId", str(req.ConsentID))
	var from, to time.Time
	var okF, okT bool
	if v := str(req.From); v != "" {
		if from, okF = parseISODate(v); !okF {
			p.add("fiDataRangeFrom must be an ISO 8601 date-time")
		}
	}
	if v := str(req.To); v != "" {
		if to, okT = parseISODate(v); !okT {
			p.add("fiDataRangeTo must be an ISO 8601 date-time")
		}
	}
	if okF && okT && from.After(to) {
		p.add("fiDataRangeFrom must not be after fiDataRangeTo")
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	s.mu.Lock()
	k := s.byConsentID[*req.ConsentID]
	var session string
	switch {
	case k == nil:
	case k.status != statusActive:
	default:
		s.created++
		session = uuid.NewSHA1(idSpace, []byte(k.id+"/session/"+strconv.Itoa(s.created))).String()
		s.startFetchLocked(k, session, s.cfg.FetchDelay)
	}
	s.mu.Unlock()
	switch {
	case k == nil:
		s.failCode(w, "InvalidConsentId", "")
	case session == "":
		s.failCode(w, "ConsentNotActive", "")
	default:
		var b bytes.Buffer
		b.WriteString(`{"ver":"` + apiVersion + `","timestamp":"` + s.timestamp() + `","response":"ok","data":`)
		b.Write(encodeJSON(map[string]string{"consentId": k.id, "sessionId": session}))
		b.WriteByte('}')
		writeJSON(w, http.StatusOK, b.Bytes())
	}
}

// fiStatusJSON is /consent/firequest/status's data (finpro-upstream §1c).
type fiStatusJSON struct {
	Timestamp      string         `json:"timestamp"`
	ConsentHandle  string         `json:"consentHandle"`
	EventType      string         `json:"eventType"`
	EventStatus    string         `json:"eventStatus"`
	ConsentID      string         `json:"consentId"`
	VUA            string         `json:"vua"`
	EventMessage   string         `json:"eventMessage"`
	DataFetchDate  string         `json:"datafetchDate"`
	ProductID      string         `json:"productID"`
	AccountID      string         `json:"accountID"`
	FetchType      string         `json:"fetchType"`
	ConsentExpiry  string         `json:"consentExpiry"`
	SessionID      string         `json:"sessionId"`
	DataExpiry     string         `json:"dataExpiry"`
	FirstTimeFetch bool           `json:"firstTimeFetch"`
	LinkRefNumbers []fiStatusLink `json:"linkRefNumbers"`
}

type fiStatusLink struct {
	LinkRefNumber       string `json:"linkRefNumber"`
	FIStatus            string `json:"fiStatus"`
	FIPName             string `json:"fipName"`
	FIPID               string `json:"fipId"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
}

// fiRequestStatus serves POST /consent/firequest/status.
func (s *Sandbox) fiRequestStatus(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		ConsentID *string `json:"consentId"`
		Handle    *string `json:"consentHandle"`
		SessionID *string `json:"sessionId"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	cid, h, sid := str(req.ConsentID), str(req.Handle), str(req.SessionID)
	var p problems
	if cid == "" && h == "" && sid == "" {
		p.add("consentId or consentHandle or sessionId is required")
	}
	for _, f := range []struct{ name, v string }{{"consentId", cid}, {"consentHandle", h}, {"sessionId", sid}} {
		if f.v != "" && !isGUID(f.v) {
			p.add(f.name + " must be a valid GUID")
		}
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var k *consent
	switch {
	case cid != "":
		k = s.byConsentID[cid]
	case h != "":
		k = s.byHandle[h]
	default:
		k = s.bySession[sid]
	}
	if k == nil {
		s.failCode(w, "InvalidConsentId", "")
		return
	}
	ready := k.dataReady(s.now())
	d := fiStatusJSON{
		Timestamp: s.timestamp(), ConsentHandle: k.handle, EventType: "DATA", EventStatus: "PENDING",
		ConsentID: k.id, VUA: k.vua, ProductID: k.productID, AccountID: k.accountID, FetchType: k.fetchType,
		ConsentExpiry: k.expiry.In(ist).Format(time.DateTime), SessionID: k.sessionID,
		FirstTimeFetch: !k.pulled, LinkRefNumbers: []fiStatusLink{},
		EventMessage: "Data fetch pending for consent id " + k.id,
	}
	if !k.fetchedAt.IsZero() {
		d.DataFetchDate = k.fetchedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		d.DataExpiry = k.fetchedAt.AddDate(0, 0, 7).UTC().Format("2006-01-02T15:04:05.000Z")
	}
	f := k.fetch
	if sid != "" {
		f = s.sessions[sid] // that session, not necessarily the latest
	}
	if f != nil {
		s.sessionStatus(&d, f)
		s.success(w, encodeJSON(d), `,"message":"FI request status fetched successfully"`)
		return
	}
	st := "PENDING"
	if ready {
		d.EventStatus, st = "DATA_READY", "DELIVERED"
		d.EventMessage = "Data ready for consent id " + k.id
	}
	if k.sessionID != "" {
		for _, a := range k.accounts {
			d.LinkRefNumbers = append(d.LinkRefNumbers, fiStatusLink{a.linkRef, st, a.fipName, a.fipID, a.masked})
		}
	}
	s.success(w, encodeJSON(d), `,"message":"FI request status fetched successfully"`)
}
