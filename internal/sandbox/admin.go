package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Errors of the admin API's Go methods.
var (
	// ErrNotFound: no consent with that handle, no account with that link
	// reference, or an unknown action.
	ErrNotFound = errors.New("sandbox: not found")
	// ErrIllegalTransition: the consent's status does not allow the action
	// (finpro-upstream §1b).
	ErrIllegalTransition = errors.New("sandbox: illegal consent transition")
	// ErrInvalid: a malformed transaction, fault or request.
	ErrInvalid = errors.New("sandbox: invalid input")
)

// Consent lifecycle actions of Transition and POST /_sandbox/consents/{handle}/{action}.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionPause   = "pause"
	ActionResume  = "resume"
	ActionRevoke  = "revoke"
	ActionExpire  = "expire"
)

// transitions maps each action to the statuses it may leave, the status it
// enters and the webhook eventStatus it fires.
var transitions = map[string]struct {
	from  []string
	to    string
	event string
	verb  string
}{
	ActionApprove: {[]string{statusPending}, statusActive, "CONSENT_APPROVED", "approved"},
	ActionReject:  {[]string{statusPending}, statusRejected, "CONSENT_REJECTED", "rejected"},
	ActionPause:   {[]string{statusActive}, statusPaused, "CONSENT_PAUSED", "paused"},
	ActionResume:  {[]string{statusPaused}, statusActive, "CONSENT_RESUMED", "resumed"},
	ActionRevoke:  {[]string{statusActive, statusPaused}, statusRevoked, "CONSENT_REVOKED", "revoked"},
	ActionExpire:  {[]string{statusActive}, statusExpired, "CONSENT_EXPIRED", "expired"},
}

// Transition moves the consent with handle through action (approve, reject,
// pause, resume, revoke, expire) and fires its webhooks. Approval assigns a
// consent ID, links the customer's accounts whose FI type the product covers
// (and, for a v3 request, at the FIPs it named and that the user picked), and
// starts the automatic first data fetch (after Config.FetchDelay, or
// DataReadyDelay when set).
func (s *Sandbox) Transition(ctx context.Context, handle, action string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.byHandle[handle]
	if k == nil {
		return fmt.Errorf("consent handle %q: %w", handle, ErrNotFound)
	}
	return s.transitionLocked(k, action)
}

// transitionLocked applies action to k. Callers hold mu for writing, which also
// keeps each consent's webhooks in order.
func (s *Sandbox) transitionLocked(k *consent, action string) error {
	tr, ok := transitions[action]
	if !ok {
		return fmt.Errorf("action %q: %w", action, ErrNotFound)
	}
	legal := false
	for _, f := range tr.from {
		legal = legal || k.status == f
	}
	if !legal {
		return fmt.Errorf("%s a %s consent: %w", action, k.status, ErrIllegalTransition)
	}
	now := s.now()
	k.status = tr.to
	switch action {
	case ActionApprove:
		k.id = uuid.NewSHA1(idSpace, []byte("approved/"+k.handle)).String()
		k.accounts = nil
		for _, a := range s.eligibleLocked(k) {
			if k.picked == nil || k.picked[a.linkRef] {
				k.accounts = append(k.accounts, a)
			}
		}
		s.indexConsent(k)
	case ActionExpire:
		k.expiry = now
	}
	id := k.id
	if action == ActionReject {
		id = "<NULL>"
	}
	s.hooks.send(hookEvent{
		ConsentHandle: k.handle, EventType: "CONSENT", EventStatus: tr.event, ConsentID: id, VUA: k.vua,
		EventMessage: "Consent " + tr.verb + " for consent id " + id,
	})
	if action == ActionApprove {
		// The template's "first data request automatic" (§4.16).
		delay := s.cfg.FetchDelay
		if s.cfg.DataReadyDelay > 0 {
			delay = s.cfg.DataReadyDelay
		}
		s.startFetchLocked(k, uuid.NewSHA1(idSpace, []byte(k.id+"/session/approval")).String(), delay)
	}
	return nil
}

// eligibleLocked lists the accounts an approval of k may link: the customer's
// accounts whose FI type k's product covers, at the FIPs k's v3 request named
// (any when it named none). Callers hold mu.
func (s *Sandbox) eligibleLocked(k *consent) []*account {
	var out []*account
	for _, a := range s.byMobile[k.mobile].accounts {
		if !products[k.productID].fiTypes[a.fiType] {
			continue
		}
		if len(k.fipIDs) > 0 && !slices.Contains(k.fipIDs, a.fipID) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// NewTransaction is a transaction to append with AppendTransactions. Type is
// CREDIT or DEBIT for deposits (or the FI type's ReBIT types: OPENING, INTEREST,
// TDS, INSTALLMENT, CLOSING for term/recurring deposits, BUY or SELL for mutual
// funds); Amount a positive decimal with at most two decimals; Mode defaults to
// OTHERS.
type NewTransaction struct {
	Type      string `json:"type"`
	Amount    string `json:"amount"`
	Mode      string `json:"mode"`
	Narration string `json:"narration"`
	Reference string `json:"reference"`
}

// AppendTransactions appends txns (all or none) to the account with linkRef,
// timestamped by the sandbox clock, with running balances that reconcile. They
// are new incremental data for every PERIODIC consent linking the account.
func (s *Sandbox) AppendTransactions(linkRef string, txns ...NewTransaction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.byLinkRef[linkRef]
	if a == nil {
		return fmt.Errorf("link reference %q: %w", linkRef, ErrNotFound)
	}
	if len(txns) == 0 {
		return fmt.Errorf("no transactions: %w", ErrInvalid)
	}
	okType := map[string]bool{}
	for _, t := range txnTypesByFI[a.fiType] {
		okType[t] = true
	}
	for i, t := range txns {
		if !okType[t.Type] {
			return fmt.Errorf("transaction %d: type %q not valid for %s: %w", i, t.Type, a.fiType, ErrInvalid)
		}
		if _, err := parseAmount(t.Amount); err != nil {
			return fmt.Errorf("transaction %d: %v: %w", i, err, ErrInvalid)
		}
		if t.Mode != "" && !txnModes[t.Mode] {
			return fmt.Errorf("transaction %d: mode %q not valid: %w", i, t.Mode, ErrInvalid)
		}
		if len(t.Narration) > 256 || len(t.Reference) > 64 {
			return fmt.Errorf("transaction %d: narration or reference too long: %w", i, ErrInvalid)
		}
	}
	old := len(a.txns)
	at := s.now()
	l := ledger{a}
	for _, t := range txns {
		if last := a.txns[len(a.txns)-1].at; !at.After(last) {
			at = last.Add(time.Second)
		}
		amt, _ := parseAmount(t.Amount)
		mode := t.Mode
		if mode == "" {
			mode = "OTHERS"
		}
		narr := t.Narration
		if narr == "" {
			narr = "SANDBOX " + t.Type
		}
		l.post(at, t.Type, mode, amt, narr, t.Reference)
	}
	a.summary.setBalance(money(a.balance), a.txns[len(a.txns)-1].TransactionTimestamp)
	s.rebuild(a, old)
	return nil
}

// fault is an injected failure for the next calls of one path.
type fault struct {
	code       string
	left       int
	retryAfter int // seconds of Retry-After on 429 and 503; 0: the default 1
}

// InjectFault makes the next count calls of path (a FinPro path such as
// "/getfibalance") fail with errorCode code and its documented HTTP status, or
// with the HTML 503 page for the pseudo-code "html503". Faults apply after the
// credential check. RateLimitExceeded and html503 carry Retry-After: 1.
func (s *Sandbox) InjectFault(path, code string, count int) error {
	return s.injectFault(path, code, count, 0)
}

// InjectRateLimit makes the next count calls of path answer 429
// RateLimitExceeded with Retry-After retryAfter (whole seconds, at least 1).
func (s *Sandbox) InjectRateLimit(path string, retryAfter time.Duration, count int) error {
	return s.injectFault(path, "RateLimitExceeded", count, max(int((retryAfter+time.Second-1)/time.Second), 1))
}

func (s *Sandbox) injectFault(path, code string, count, retryAfter int) error {
	if _, ok := s.calls[path]; !ok {
		return fmt.Errorf("path %q is not a FinPro path: %w", path, ErrInvalid)
	}
	if _, ok := codeStatus[code]; !ok && code != "html503" {
		return fmt.Errorf("errorCode %q unknown: %w", code, ErrInvalid)
	}
	if count < 1 {
		return fmt.Errorf("count %d: %w", count, ErrInvalid)
	}
	if retryAfter < 0 || retryAfter > 86400 {
		return fmt.Errorf("retryAfter %d: %w", retryAfter, ErrInvalid)
	}
	s.faultMu.Lock()
	s.faults[path] = &fault{code, count, retryAfter}
	s.faultMu.Unlock()
	return nil
}

// ClearFaults removes every injected fault.
func (s *Sandbox) ClearFaults() {
	s.faultMu.Lock()
	clear(s.faults)
	s.faultMu.Unlock()
}

// takeFault answers with path's injected fault, if any, and reports whether it did.
func (s *Sandbox) takeFault(w http.ResponseWriter, path string) bool {
	s.faultMu.Lock()
	f := s.faults[path]
	var code string
	retryAfter := "1"
	if f != nil {
		code = f.code
		if f.retryAfter > 0 {
			retryAfter = strconv.Itoa(f.retryAfter)
		}
		if f.left--; f.left <= 0 {
			delete(s.faults, path)
		}
	}
	s.faultMu.Unlock()
	switch code {
	case "":
		return false
	case "html503":
		writeHTML503(w, retryAfter)
	case "RateLimitExceeded":
		// FinPro's 429: the quota spent (whatever the rate limiter's own
		// count says) and when to come back.
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("X-RateLimit-Remaining", "0")
		s.failCode(w, code, "")
	default:
		s.failCode(w, code, "")
	}
	return true
}

// Stats returns the number of requests per FinPro path since the last reset,
// rejected ones included; paths never called are absent.
func (s *Sandbox) Stats() map[string]int64 {
	out := map[string]int64{}
	for p, c := range s.calls {
		if n := c.Load(); n > 0 {
			out[p] = n
		}
	}
	return out
}

// ResetStats zeroes the call counters.
func (s *Sandbox) ResetStats() {
	for _, c := range s.calls {
		c.Store(0)
	}
}

// CustomerInfo describes one seeded customer for humans and tests.
type CustomerInfo struct {
	Mobile   string        `json:"mobile"`
	Name     string        `json:"name"`
	Products []string      `json:"products"`
	Consents []ConsentInfo `json:"consents"`
	Accounts []AccountInfo `json:"accounts"`
}

// ConsentInfo describes one consent.
type ConsentInfo struct {
	ConsentHandle string   `json:"consentHandle"`
	ConsentID     string   `json:"consentID,omitempty"` // empty until approved
	Status        string   `json:"status"`
	ProductID     string   `json:"productID"`
	FetchType     string   `json:"fetchType"`
	AccountID     string   `json:"accountID"`
	DataReady     bool     `json:"dataReady"`
	LinkRefs      []string `json:"linkRefs"`
	// Fetch is the latest data fetch; nil for consents fetched before the
	// sandbox started (the seeded ones).
	Fetch *FetchInfo `json:"fetch,omitempty"`
}

// AccountInfo describes one account.
type AccountInfo struct {
	LinkReferenceNumber string `json:"linkReferenceNumber"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
	FIType              string `json:"fiType"`
	FIPID               string `json:"fipId"`
	FIPName             string `json:"fipName"`
	AccountType         string `json:"accountType"`
	HoldersType         string `json:"holdersType"`
	Holders             int    `json:"holders"`
	Transactions        int    `json:"transactions"`
	Balance             string `json:"balance"`
}

// Customers lists every customer with its consents and accounts, in a stable
// order (the demo customer first, then 9123456780, then seeded ones).
func (s *Sandbox) Customers() []CustomerInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	out := make([]CustomerInfo, 0, len(s.customers))
	for _, c := range s.customers {
		ci := CustomerInfo{Mobile: c.mobile, Name: c.name, Products: []string{}, Consents: []ConsentInfo{}, Accounts: []AccountInfo{}}
		seen := map[string]bool{}
		for _, k := range c.consents {
			if !seen[k.productID] {
				seen[k.productID] = true
				ci.Products = append(ci.Products, k.productID)
			}
			ci.Consents = append(ci.Consents, s.consentInfo(k, now))
		}
		for _, a := range c.accounts {
			ci.Accounts = append(ci.Accounts, AccountInfo{
				LinkReferenceNumber: a.linkRef, MaskedAccountNumber: a.masked, FIType: a.fiType, FIPID: a.fipID,
				FIPName: a.fipName, AccountType: a.accountType, HoldersType: a.holdersType, Holders: len(a.holders),
				Transactions: len(a.txns), Balance: money(a.balance),
			})
		}
		out = append(out, ci)
	}
	return out
}

// Consent describes the consent with handle.
func (s *Sandbox) Consent(handle string) (ConsentInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k := s.byHandle[handle]
	if k == nil {
		return ConsentInfo{}, fmt.Errorf("consent handle %q: %w", handle, ErrNotFound)
	}
	return s.consentInfo(k, s.now()), nil
}

func (s *Sandbox) consentInfo(k *consent, now time.Time) ConsentInfo {
	ki := ConsentInfo{
		ConsentHandle: k.handle, ConsentID: k.id, Status: k.status, ProductID: k.productID,
		FetchType: k.fetchType, AccountID: k.accountID, DataReady: k.id != "" && k.dataReady(now), LinkRefs: []string{},
		Fetch: fetchInfo(k.fetch),
	}
	for _, a := range k.accounts {
		ki.LinkRefs = append(ki.LinkRefs, a.linkRef)
	}
	return ki
}

// adminRoutes serves /_sandbox/ (JSON in and out).
func (s *Sandbox) adminRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_sandbox/stats", only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, map[string]any{"calls": s.Stats()})
	}))
	mux.HandleFunc("/_sandbox/stats/reset", only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		s.ResetStats()
		adminJSON(w, http.StatusOK, map[string]any{"calls": s.Stats()})
	}))
	mux.HandleFunc("/_sandbox/customers", only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusOK, map[string]any{"customers": s.Customers()})
	}))
	mux.HandleFunc("/_sandbox/consents/{handle}/{action}", only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		h := r.PathValue("handle")
		if err := s.Transition(r.Context(), h, r.PathValue("action")); err != nil {
			adminError(w, err)
			return
		}
		ki, err := s.Consent(h)
		if err != nil {
			adminError(w, err)
			return
		}
		adminJSON(w, http.StatusOK, ki)
	}))
	mux.HandleFunc("/_sandbox/accounts/{linkRef}/transactions", only(http.MethodPost, func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Transactions []NewTransaction `json:"transactions"`
		}
		if !readAdmin(w, r, &req) {
			return
		}
		lr := r.PathValue("linkRef")
		if err := s.AppendTransactions(lr, req.Transactions...); err != nil {
			adminError(w, err)
			return
		}
		s.mu.RLock()
		a := s.byLinkRef[lr]
		info := map[string]any{"linkReferenceNumber": lr, "balance": money(a.balance), "transactions": len(a.txns)}
		s.mu.RUnlock()
		adminJSON(w, http.StatusOK, info)
	}))
	mux.HandleFunc("/_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			var req struct {
				Path       string `json:"path"`
				ErrorCode  string `json:"errorCode"`
				Count      *int   `json:"count"`
				RetryAfter int    `json:"retryAfter"`
			}
			if !readAdmin(w, r, &req) {
				return
			}
			n := 1
			if req.Count != nil {
				n = *req.Count
			}
			if err := s.injectFault(req.Path, req.ErrorCode, n, req.RetryAfter); err != nil {
				adminError(w, err)
				return
			}
			out := map[string]any{"path": req.Path, "errorCode": req.ErrorCode, "count": n}
			if req.RetryAfter > 0 {
				out["retryAfter"] = req.RetryAfter
			}
			adminJSON(w, http.StatusOK, out)
		case http.MethodDelete:
			s.ClearFaults()
			adminJSON(w, http.StatusOK, map[string]any{"cleared": true})
		default:
			w.Header().Set("Allow", "POST, DELETE")
			adminJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		}
	})
	s.journeyRoutes(mux)
	mux.HandleFunc("/_sandbox/", func(w http.ResponseWriter, r *http.Request) {
		adminJSON(w, http.StatusNotFound, map[string]string{"error": "no such admin path"})
	})
	return mux
}

// only restricts h to one method, answering 405 JSON otherwise.
func only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			adminJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
			return
		}
		h(w, r)
	}
}

func readAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		adminJSON(w, http.StatusBadRequest, map[string]string{"error": "malformed JSON body"})
		return false
	}
	return true
}

func adminError(w http.ResponseWriter, err error) {
	st := http.StatusInternalServerError
	switch {
	case errors.Is(err, ErrNotFound):
		st = http.StatusNotFound
	case errors.Is(err, ErrIllegalTransition):
		st = http.StatusConflict
	case errors.Is(err, ErrInvalid):
		st = http.StatusBadRequest
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		st = http.StatusServiceUnavailable
	}
	adminJSON(w, st, map[string]string{"error": err.Error()})
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	b := encodeJSON(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}
