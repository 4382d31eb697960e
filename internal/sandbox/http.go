package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// apiVersion is the "ver" of every envelope.
const apiVersion = "1.21.0"

// FinPro paths the sandbox serves (all POST).
const (
	pathBalance       = "/getfibalance"
	pathFIData        = "/getfidata"
	pathAllFIData     = "/getallfidata"
	pathLatestFIData  = "/getalllatestfidata"
	pathConsentList   = "/v1/accounts/getconsentslist"
	pathRequest       = "/v2/requestconsent"
	pathRevoke        = "/revokeconsent"
	pathFIRequest     = "/fi/request"
	pathFIRequestStat = "/consent/firequest/status"
)

// apiFunc handles one FinPro call whose body has passed the common checks.
type apiFunc func(w http.ResponseWriter, r *http.Request, body []byte)

// codeStatus is the HTTP status of each FinPro errorCode (docs/upstream-decisions.md).
var codeStatus = map[string]int{
	"InvalidRequest":         http.StatusBadRequest,
	"InvalidPayload":         http.StatusBadRequest,
	"InvalidMobileNumber":    http.StatusBadRequest,
	"InvalidStatus":          http.StatusBadRequest,
	"InvalidPageNumber":      http.StatusBadRequest,
	"InvalidPageSize":        http.StatusBadRequest,
	"InvalidConsentId":       http.StatusBadRequest,
	"InvalidLinkReference":   http.StatusBadRequest,
	"ConsentNotActive":       http.StatusBadRequest,
	"DataNotAvailable":       http.StatusBadRequest,
	"NoDataAvailable":        http.StatusBadRequest,
	"NoDataFound":            http.StatusBadRequest,
	"DataIsDeleted":          http.StatusBadRequest,
	"NoIncrementalData":      http.StatusBadRequest,
	"Unauthorized":           http.StatusUnauthorized,
	"AuthenticationFailed":   http.StatusUnauthorized,
	"RateLimitExceeded":      http.StatusTooManyRequests,
	"InternalError":          http.StatusInternalServerError,
	"missingConsentInfo":     http.StatusBadRequest,
	"invalid_consent_handle": http.StatusBadRequest,
	"FP0024":                 http.StatusBadRequest,
	"InvalidAA":              http.StatusBadRequest,
}

// codeMessage is the default errorMsg of each errorCode (from the seed pages).
var codeMessage = map[string]string{
	"InvalidRequest":         "Invalid request",
	"InvalidPayload":         "Either consentID or accountID must be provided",
	"InvalidMobileNumber":    "Mobile number must be 10 digits",
	"InvalidStatus":          "Invalid status",
	"InvalidPageNumber":      "Invalid page number",
	"InvalidPageSize":        "Invalid page size",
	"InvalidConsentId":       "Consent ID does not exist",
	"InvalidLinkReference":   "Link Reference Number does not exist",
	"ConsentNotActive":       "Consent is not in active state",
	"DataNotAvailable":       "Data not available",
	"NoDataAvailable":        "Data is not available for the given consent",
	"NoDataFound":            "Data is not available",
	"DataIsDeleted":          "Data is deleted for this consent",
	"NoIncrementalData":      "No new data available",
	"Unauthorized":           "Invalid credentials",
	"AuthenticationFailed":   "Invalid credentials",
	"RateLimitExceeded":      "Too many requests",
	"InternalError":          "Internal Server Error",
	"missingConsentInfo":     "FP0021: consentHandle is required",
	"invalid_consent_handle": "FP0024: invalid consent handle",
	"FP0024":                 "FP0024: consent handles belong to different users",
	"InvalidAA":              "FP0029: the AA of userid is not in the registry",
}

// html503 is the gateway page FinPro's load balancer answers when overloaded.
const html503 = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"

func (s *Sandbox) routes() http.Handler {
	api := map[string]apiFunc{
		pathBalance:       s.getFIBalance,
		pathFIData:        s.getFIData,
		pathAllFIData:     s.getAllFIData,
		pathLatestFIData:  s.getAllLatestFIData,
		pathConsentList:   s.consentList,
		pathConsentListV3: s.consentListV3,
		pathRequest:       s.requestConsent,
		pathRevoke:        s.revokeConsent,
		pathFIRequest:     s.fiRequest,
		pathFIRequestStat: s.fiRequestStatus,
		pathRequestV3:     s.requestConsentV3,
		pathEncryptedURL:  s.encryptedURL,
		pathDecryptURL:    s.decryptURL,
		pathAAList:        s.aaList,
		pathProducts:      s.productsList,
	}
	for p := range api {
		s.calls[p] = new(atomic.Int64)
	}
	admin := s.adminRoutes()
	return s.recoverer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
			admin.ServeHTTP(w, r)
			return
		}
		fn, ok := api[r.URL.Path]
		if !ok {
			s.fail(w, http.StatusNotFound, "NotFound", "No such API path")
			return
		}
		s.calls[r.URL.Path].Add(1)
		s.serveAPI(w, r, fn)
	}))
}

// recoverer turns a panic into a 500 InternalError envelope. Tests assert none
// happen; it exists so a bug never kills a benchmark's upstream.
func (s *Sandbox) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Logger.Error("sandbox: panic", "path", r.URL.Path, "panic", v)
				s.fail(w, http.StatusInternalServerError, "InternalError", codeMessage["InternalError"])
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// serveAPI runs the checks every FinPro path shares, in the order a gateway
// would: rate limit, method, latency, gateway errors, credentials, injected
// faults, content type, body size.
func (s *Sandbox) serveAPI(w http.ResponseWriter, r *http.Request, fn apiFunc) {
	if !s.rateLimit(w, r) {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "Method not allowed")
		return
	}
	// Read the body first: only then does net/http watch the connection, so
	// a client that gives up cancels r.Context() during the latency below.
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if d := s.cfg.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if p := s.cfg.ErrorPercent; p > 0 && int(splitmix(uint64(s.cfg.Seed)^s.reqCount.Add(1))%100) < p {
		writeHTML503(w, "1")
		return
	}
	if !s.authorised(r) {
		code := "Unauthorized"
		if r.URL.Path == pathConsentList {
			code = "AuthenticationFailed"
		}
		s.fail(w, http.StatusUnauthorized, code, codeMessage[code])
		return
	}
	if s.takeFault(w, r.URL.Path) {
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		s.fail(w, http.StatusBadRequest, "InvalidRequest", "Content-Type must be application/json")
		return
	}
	if readErr != nil {
		var mbe *http.MaxBytesError
		if errors.As(readErr, &mbe) {
			s.fail(w, http.StatusBadRequest, "InvalidRequest", "Request body too large")
			return
		}
		s.fail(w, http.StatusBadRequest, "InvalidRequest", "Request body could not be read")
		return
	}
	fn(w, r, body)
}

// authorised checks the four credential headers (header names match
// case-insensitively, as in any HTTP server; values exactly).
func (s *Sandbox) authorised(r *http.Request) bool {
	h := r.Header
	return header(h, "client_id") == s.cfg.ClientID &&
		header(h, "client_secret") == s.cfg.ClientSecret &&
		header(h, "organisationId") == s.cfg.OrganisationID &&
		header(h, "appIdentifier") == s.cfg.AppIdentifier
}

// header finds name case-insensitively, also among keys a caller set directly
// in the map without canonicalising them (in-process requests).
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if len(v) > 0 && strings.EqualFold(k, name) {
			return v[0]
		}
	}
	return ""
}

func writeHTML503(w http.ResponseWriter, retryAfter string) {
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Retry-After", retryAfter)
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, html503)
}

// splitmix is a tiny integer hash (SplitMix64) for the deterministic error rate.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// window is one client's fixed rate-limit window.
type window struct {
	mu    sync.Mutex
	start time.Time
	n     int
}

// rateLimit sets the X-RateLimit-* headers and answers 429 when the caller's
// window is used up. It reports whether the request may go on.
func (s *Sandbox) rateLimit(w http.ResponseWriter, r *http.Request) bool {
	key := header(r.Header, "client_id")
	if key != s.cfg.ClientID {
		key = "\x00other" // unknown ids share one window: bounded memory
	}
	v, ok := s.limits.Load(key)
	if !ok {
		v, _ = s.limits.LoadOrStore(key, new(window))
	}
	win := v.(*window)
	limit := s.cfg.RateLimit
	if limit <= 0 {
		limit = math.MaxInt32
	}
	now := s.now()
	win.mu.Lock()
	if start := now.Truncate(s.cfg.RateWindow); !start.Equal(win.start) {
		win.start, win.n = start, 0
	}
	win.n++
	n, reset := win.n, win.start.Add(s.cfg.RateWindow)
	win.mu.Unlock()

	resetSec := reset.Unix()
	if reset.Nanosecond() > 0 {
		resetSec++
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(limit-n, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(resetSec, 10))
	if n <= limit {
		return true
	}
	wait := int64(math.Ceil(reset.Sub(now).Seconds()))
	h.Set("Retry-After", strconv.FormatInt(max(wait, 1), 10))
	s.fail(w, http.StatusTooManyRequests, "RateLimitExceeded", codeMessage["RateLimitExceeded"])
	return false
}

// timestamp is the response timestamp.
func (s *Sandbox) timestamp() string { return s.now().UTC().Format("2006-01-02T15:04:05.000Z") }

// fail writes FinPro's failure envelope.
func (s *Sandbox) fail(w http.ResponseWriter, status int, code, msg string) {
	var b bytes.Buffer
	b.WriteString(`{"ver":"` + apiVersion + `","timestamp":"` + s.timestamp() + `","errorCode":`)
	b.Write(quote(code))
	b.WriteString(`,"errorMsg":`)
	b.Write(quote(msg))
	b.WriteString(`,"status":"failure"}`)
	writeJSON(w, status, b.Bytes())
}

// failCode writes the failure envelope for code with its documented status.
func (s *Sandbox) failCode(w http.ResponseWriter, code, msg string) {
	st, ok := codeStatus[code]
	if !ok {
		st = http.StatusBadRequest
	}
	if msg == "" {
		msg = codeMessage[code]
	}
	s.fail(w, st, code, msg)
}

const successHead = `{"ver":"` + apiVersion + `","status":"success","data":`

// success writes {"ver","status":"success","data":data<extra>,"timestamp"};
// extra is pre-rendered JSON members starting with a comma, or empty.
func (s *Sandbox) success(w http.ResponseWriter, data []byte, extra string) {
	ts := s.timestamp()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(successHead)+len(data)+len(extra)+len(ts)+len(`,"timestamp":""}`)))
	w.WriteHeader(http.StatusOK)
	// Written in pieces: data can be megabytes and is not copied again.
	io.WriteString(w, successHead)
	w.Write(data)
	io.WriteString(w, extra+`,"timestamp":"`+ts+`"}`)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// decodeBody decodes a JSON object body into v. On failure it returns FinPro's
// InvalidRequest message.
func decodeBody(body []byte, v any) (string, bool) {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return "Request body is required", false
	}
	if t[0] != '{' {
		return "Request body must be a JSON object", false
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(t, &raw); err != nil {
		return "Malformed JSON body", false
	}
	// FinPro matches member names exactly (consentID is not consentId);
	// encoding/json folds case, so drop near-misses before decoding.
	keys := jsonKeys(reflect.TypeOf(v).Elem())
	dropped := false
	for k := range raw {
		if !keys[k] {
			delete(raw, k)
			dropped = true
		}
	}
	if dropped {
		t, _ = json.Marshal(raw)
	}
	if err := json.Unmarshal(t, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return "[" + te.Field + " has an invalid type]", false
		}
		return "Malformed JSON body", false
	}
	return "", true
}

var keyCache sync.Map // reflect.Type -> map[string]bool

// jsonKeys is the set of exact JSON member names of struct type t.
func jsonKeys(t reflect.Type) map[string]bool {
	if v, ok := keyCache.Load(t); ok {
		return v.(map[string]bool)
	}
	keys := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys[name] = true
	}
	keyCache.Store(t, keys)
	return keys
}

// isGUID reports whether s is a canonical 8-4-4-4-12 hex GUID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// problems collects bracketed validation messages ("[consentID is required]").
type problems []string

func (p *problems) add(msg string) { *p = append(*p, "["+msg+"]") }
func (p problems) String() string  { return strings.Join(p, " ") }

// str returns *p or "".
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
