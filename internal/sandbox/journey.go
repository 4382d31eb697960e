package sandbox

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The consent journey through the AA (finpro-upstream.md §1a, §4.16): a v3
// consent request or getEncryptedUrl returns the AA page's URL, with the
// request sealed in its query (ecreq, reqdate, fi); the page (aapage.go) sends
// the user back to the redirect URL with the answer sealed the same way
// (ecres, resdate, fi), which decryptUrl opens. The sealing is the sandbox's
// own (docs/upstream-decisions.md): AES-256-GCM under a key made at New, the
// date and fi bound as additional data, base64url without padding.

// Journey paths.
const (
	pathRequestV3    = "/v3/requestconsent"
	pathEncryptedURL = "/webRedirection/getEncryptedUrl"
	pathDecryptURL   = "/webRedirection/decryptUrl"
	pathAAPage       = "/_sandbox/aa/consent"
)

// redirectTTL is how long an AA link stays valid.
const redirectTTL = time.Hour

// redirectClaims is what ecreq and ecres carry (the ReBIT web redirection
// fields; status and errorcode on the way back only).
type redirectClaims struct {
	TxnID     string `json:"txnid"`
	SessionID string `json:"sessionid"`
	UserID    string `json:"userid"`
	Redirect  string `json:"redirect"`
	SrcRef    string `json:"srcref"` // consent handles, comma-separated
	Status    string `json:"status,omitempty"`
	ErrorCode string `json:"errorcode,omitempty"`
	Issued    int64  `json:"iat"`
}

func (c *redirectClaims) handles() []string { return strings.Split(c.SrcRef, ",") }

// redirectDate is ReBIT's reqdate/resdate: ddMMyyyyHHmmssSSS in IST.
func redirectDate(t time.Time) string {
	t = t.In(ist)
	return t.Format("02012006150405") + fmt.Sprintf("%03d", t.Nanosecond()/int(time.Millisecond))
}

// fiParam is the fi parameter: the FIU's organisation id, base64url.
func (s *Sandbox) fiParam() string {
	return base64.RawURLEncoding.EncodeToString([]byte(s.cfg.OrganisationID))
}

// seal encrypts v for kind ("ecreq" or "ecres") bound to date and fi.
func (s *Sandbox) seal(kind, date, fi string, v any) string {
	block, _ := aes.NewCipher(s.redirectKey)
	gcm, _ := cipher.NewGCM(block)
	nonce := make([]byte, gcm.NonceSize())
	rand.Read(nonce)
	out := gcm.Seal(nonce, nonce, encodeJSON(v), []byte(kind+"|"+date+"|"+fi))
	return base64.RawURLEncoding.EncodeToString(out)
}

// open decrypts a sealed token into c, reporting whether it is authentic, for
// kind, date and fi, and not expired.
func (s *Sandbox) open(kind, token, date, fi string, c *redirectClaims) bool {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(token) > 8<<10 {
		return false
	}
	block, _ := aes.NewCipher(s.redirectKey)
	gcm, _ := cipher.NewGCM(block)
	if len(raw) < gcm.NonceSize() {
		return false
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(kind+"|"+date+"|"+fi))
	if err != nil || json.Unmarshal(plain, c) != nil {
		return false
	}
	age := s.now().Sub(time.Unix(c.Issued, 0))
	return age < redirectTTL && age > -redirectTTL
}

// baseURL is the sandbox's URL as the browser sees it: Config.PublicURL, else
// the scheme and Host of r.
func (s *Sandbox) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// aaPageURL seals a request for handles and returns the AA page's URL.
func (s *Sandbox) aaPageURL(r *http.Request, handles []string, vua, redirect string) string {
	now := s.now()
	date, fi := redirectDate(now), s.fiParam()
	ecreq := s.seal("ecreq", date, fi, redirectClaims{
		TxnID: uuid.NewString(), SessionID: uuid.NewString(), UserID: vua, Redirect: redirect,
		SrcRef: strings.Join(handles, ","), Issued: now.Unix(),
	})
	return s.baseURL(r) + pathAAPage + "?" + url.Values{"fi": {fi}, "reqdate": {date}, "ecreq": {ecreq}}.Encode()
}

// redirectProblem checks a redirect URL: absolute http(s), no user info or
// fragment, at most 2048 bytes, on a registered host when RedirectHosts is set.
func (s *Sandbox) redirectProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "redirectUrl is required"
	case len(raw) > 2048 || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "redirectUrl must be an absolute http(s) URL"
	case u.User != nil || u.Fragment != "":
		return "redirectUrl must not carry user info or a fragment"
	case len(s.cfg.RedirectHosts) > 0 && !slices.Contains(s.cfg.RedirectHosts, u.Hostname()):
		return "redirectUrl is not on a registered domain"
	}
	return ""
}

// fipIDsProblem checks an optional fipID array.
func fipIDsProblem(ids []string) string {
	if len(ids) > 50 {
		return "fipID holds too many ids"
	}
	for _, id := range ids {
		if strings.TrimSpace(id) == "" || len(id) > 64 {
			return "fipID must hold non-empty FIP ids"
		}
	}
	return ""
}

// panProblem checks an optional pan: ^[A-Z]{5}[0-9]{4}[A-Z]$.
func panProblem(pan *string) string {
	if pan == nil || *pan == "" {
		return ""
	}
	if !isPAN(*pan) || strings.ToUpper(*pan) != *pan {
		return "pan must match ^[A-Z]{5}[0-9]{4}[A-Z]$"
	}
	return ""
}

// requestConsentV3 serves POST /v3/requestconsent: /v2's consent plus the AA
// page's URL (webRedirectionUrl), restricted to fipID's FIPs when given.
func (s *Sandbox) requestConsentV3(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		ProductID   *string  `json:"productID"`
		VUA         *string  `json:"vua"`
		PartyType   *string  `json:"partyIdentifierType"`
		PartyValue  *string  `json:"partyIdentifierValue"`
		AccountID   *string  `json:"accountID"`
		FIPID       []string `json:"fipID"`
		RedirectURL *string  `json:"redirectUrl"`
		PAN         *string  `json:"pan"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	var p problems
	f := consentRequestFields{req.ProductID, req.VUA, req.PartyType, req.PartyValue, req.AccountID}
	prod, vuaMobile := f.check(&p)
	for _, msg := range []string{s.redirectProblem(str(req.RedirectURL)), fipIDsProblem(req.FIPID), panProblem(req.PAN)} {
		if msg != "" {
			p.add(msg)
		}
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	s.mu.Lock()
	k := s.createConsentLocked(prod, vuaMobile, *req.AccountID)
	k.fipIDs = slices.Clone(req.FIPID)
	s.mu.Unlock()
	data := encodeJSON(map[string]string{
		"webRedirectionUrl": s.aaPageURL(r, []string{k.handle}, k.vua, *req.RedirectURL),
		"status":            statusPending,
		"consent_handle":    k.handle,
	})
	s.success(w, data, `,"message":"Consent request created successfully"`)
}

// aaHandles maps a VUA's handle (after the @) to its AA's id; getEncryptedUrl
// answers InvalidAA (FP0029) for any other.
var aaHandles = map[string]string{"onemoney": "onemoney-aa", "finvu": "finvu-aa", "anumati": "anumati-aa"}

// isUUID reports whether s is a UUID that is not all zeros. FinPro asks for
// v4; the sandbox's own handles are name-based (v5) so that they are the same
// for every run, so any RFC 4122 version passes.
func isUUID(s string) bool {
	return isGUID(s) && strings.Trim(s, "0-") != ""
}

// encryptedURL serves POST /webRedirection/getEncryptedUrl (finpro-upstream.md
// §1a) with its documented errors: missingConsentInfo (FP0021) without a
// handle, InvalidRequest for a handle that is not a UUID or a bad redirectUrl,
// pan or fipID, InvalidAA (FP0029) for a userid whose AA is unknown,
// invalid_consent_handle (FP0024) for an unknown handle and FP0024 for handles
// of different users (or not the userid's). A consent no longer PENDING is
// InvalidRequest.
func (s *Sandbox) encryptedURL(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		ConsentHandle json.RawMessage `json:"consentHandle"`
		RedirectURL   *string         `json:"redirectUrl"`
		UserID        *string         `json:"userid"`
		FIPID         []string        `json:"fipID"`
		PAN           *string         `json:"pan"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	var handles []string
	if raw := bytes.TrimSpace(req.ConsentHandle); len(raw) > 0 && raw[0] == '[' {
		if json.Unmarshal(raw, &handles) != nil {
			s.failCode(w, "InvalidRequest", "[consentHandle must be a UUID or an array of UUIDs]")
			return
		}
	} else if len(raw) > 0 && string(raw) != "null" {
		var h string
		if json.Unmarshal(raw, &h) != nil {
			s.failCode(w, "InvalidRequest", "[consentHandle must be a UUID or an array of UUIDs]")
			return
		}
		if h != "" {
			handles = []string{h}
		}
	}
	if len(handles) == 0 {
		s.failCode(w, "missingConsentInfo", "FP0021: consentHandle is required")
		return
	}
	var p problems
	if len(handles) > 20 {
		p.add("consentHandle holds more than 20 handles")
	}
	for _, h := range handles {
		if !isUUID(h) {
			p.add("consentHandle must be a valid UUIDv4")
			break
		}
	}
	for _, msg := range []string{s.redirectProblem(str(req.RedirectURL)), fipIDsProblem(req.FIPID), panProblem(req.PAN)} {
		if msg != "" {
			p.add(msg)
		}
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	userID := strings.TrimSpace(str(req.UserID))
	if userID != "" {
		if _, aa, _ := strings.Cut(userID, "@"); aaHandles[aa] == "" {
			s.failCode(w, "InvalidAA", "FP0029: the AA of userid is not in the registry")
			return
		}
	}
	s.mu.Lock()
	var ks []*consent
	code, msg := "", ""
	for _, h := range handles {
		k := s.byHandle[h]
		switch {
		case k == nil:
			code, msg = "invalid_consent_handle", "FP0024: invalid consent handle"
		case len(ks) > 0 && k.vua != ks[0].vua, userID != "" && k.vua != userID:
			code, msg = "FP0024", "FP0024: consent handles belong to different users"
		case k.status != statusPending:
			code, msg = "InvalidRequest", "[consent request "+k.handle+" is no longer PENDING]"
		}
		if code != "" {
			break
		}
		ks = append(ks, k)
	}
	if code == "" && len(req.FIPID) > 0 {
		for _, k := range ks {
			k.fipIDs = slices.Clone(req.FIPID)
		}
	}
	s.mu.Unlock()
	if code != "" {
		s.failCode(w, code, msg)
		return
	}
	u := s.aaPageURL(r, handles, ks[0].vua, *req.RedirectURL)
	s.success(w, encodeJSON(map[string]string{"webRedirectionUrl": u}), `,"message":"Encrypted URL generated successfully"`)
}

// decryptURL serves POST /webRedirection/decryptUrl: it opens the ecres the
// AA page appended to the redirect URL. A missing, tampered, foreign or
// expired parameter is InvalidRequest.
func (s *Sandbox) decryptURL(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Params *struct {
			ECRes   string `json:"ecres"`
			ResDate string `json:"resdate"`
			FI      string `json:"fi"`
		} `json:"webRedirectionURL"`
	}
	if msg, ok := decodeBody(body, &req); !ok {
		s.failCode(w, "InvalidRequest", msg)
		return
	}
	var p problems
	if req.Params == nil {
		p.add("webRedirectionURL is required")
	} else {
		for _, f := range []struct{ name, v string }{{"ecres", req.Params.ECRes}, {"resdate", req.Params.ResDate}, {"fi", req.Params.FI}} {
			if f.v == "" {
				p.add("webRedirectionURL." + f.name + " is required")
			}
		}
	}
	if len(p) > 0 {
		s.failCode(w, "InvalidRequest", p.String())
		return
	}
	if req.Params.FI != s.fiParam() {
		s.failCode(w, "InvalidRequest", "[fi does not match this FIU]")
		return
	}
	var c redirectClaims
	if !s.open("ecres", req.Params.ECRes, req.Params.ResDate, req.Params.FI, &c) || c.Status == "" {
		s.failCode(w, "InvalidRequest", "[ecres could not be decrypted]")
		return
	}
	data := encodeJSON(map[string]string{
		"status": c.Status, "errorcode": c.ErrorCode, "txnid": c.TxnID, "sessionid": c.SessionID,
		"srcref": c.SrcRef, "userid": c.UserID, "redirect": c.Redirect,
	})
	s.success(w, data, `,"message":"Decrypted successfully"`)
}

// answerLocked applies the user's decision at the AA page to the consents of
// c (picked: the link references the user ticked) and returns the URL to send
// them back to. Callers hold mu for writing.
func (s *Sandbox) answerLocked(c *redirectClaims, approve bool, picked []string) (string, error) {
	var ks []*consent
	for _, h := range c.handles() {
		k := s.byHandle[h]
		if k == nil {
			return "", fmt.Errorf("consent handle %q: %w", h, ErrNotFound)
		}
		if k.status != statusPending {
			return "", fmt.Errorf("consent request already answered (%s): %w", k.status, ErrIllegalTransition)
		}
		ks = append(ks, k)
	}
	status, code := "F", "1"
	if approve {
		status, code = "S", "0"
		chosen := map[string]bool{}
		for _, lr := range picked {
			chosen[lr] = true
		}
		for _, k := range ks {
			n := 0
			for _, a := range s.eligibleLocked(k) {
				if chosen[a.linkRef] {
					n++
				}
			}
			if n == 0 {
				return "", fmt.Errorf("no account chosen for consent %s: %w", k.handle, ErrInvalid)
			}
		}
		for _, k := range ks {
			k.picked = chosen
			err := s.transitionLocked(k, ActionApprove)
			k.picked = nil
			if err != nil {
				return "", err
			}
		}
	} else {
		for _, k := range ks {
			if err := s.transitionLocked(k, ActionReject); err != nil {
				return "", err
			}
		}
	}
	now := s.now()
	date, fi := redirectDate(now), s.fiParam()
	back := *c
	back.Status, back.ErrorCode, back.Issued = status, code, now.Unix()
	ecres := s.seal("ecres", date, fi, back)
	u, err := url.Parse(c.Redirect)
	if err != nil {
		return "", fmt.Errorf("redirect URL: %w", ErrInvalid)
	}
	q := u.Query()
	q.Set("ecres", ecres)
	q.Set("resdate", date)
	q.Set("fi", fi)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// AnswerAA plays the user at the AA page of pageURL (a webRedirectionUrl):
// approve links the accounts with the given link references (nil: every
// account the page offers), or rejects. It returns the URL the AA sends the
// user back to, with ecres, resdate and fi. Tests use it instead of a browser.
func (s *Sandbox) AnswerAA(pageURL string, approve bool, linkRefs []string) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("page URL: %w", ErrInvalid)
	}
	q := u.Query()
	var c redirectClaims
	if !s.open("ecreq", q.Get("ecreq"), q.Get("reqdate"), q.Get("fi"), &c) {
		return "", fmt.Errorf("page URL is not a valid AA link: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if approve && linkRefs == nil {
		for _, h := range c.handles() {
			if k := s.byHandle[h]; k != nil {
				for _, a := range s.eligibleLocked(k) {
					linkRefs = append(linkRefs, a.linkRef)
				}
			}
		}
	}
	return s.answerLocked(&c, approve, linkRefs)
}
