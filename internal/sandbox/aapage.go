package sandbox

import (
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The AA consent page: what the user sees at the Account Aggregator. GET
// /_sandbox/aa/consent?fi=&reqdate=&ecreq= shows the request (per consent: the
// product, its purpose, FI types, data range, frequency, validity and the
// accounts to link, each ticked) with Approve and Reject buttons; the form
// POSTs back to the same path, which answers 303 to the redirect URL with
// ecres, resdate and fi. The page is self-contained: inline CSS, no scripts,
// no external assets, a CSP that allows nothing else.

var aaPage = template.Must(template.New("aa").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Title}}{{.Title}}{{else}}Approve data sharing{{end}} · OneMoney sandbox</title>
<style>
body{font:16px/1.45 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2430}
main{max-width:34rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.35rem;margin:.2rem 0 1rem}
.card{background:#fff;border-radius:.6rem;padding:1rem 1.2rem;margin:0 0 1rem;box-shadow:0 1px 3px #0002}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .8rem;margin:.5rem 0}
dt{color:#5a6675}dd{margin:0}
label{display:block;padding:.35rem 0}
.buttons{display:flex;gap:.8rem}
button{flex:1;font:inherit;padding:.7rem;border-radius:.45rem;border:1px solid #1d5fd1;cursor:pointer}
.approve{background:#1d5fd1;color:#fff}.reject{background:#fff;color:#1d5fd1}
.note{color:#5a6675;font-size:.9rem}.error{color:#b3261e}
</style></head>
<body><main>
<p class="note">OneMoney · sandbox Account Aggregator</p>
{{if .Message}}<h1>{{.Title}}</h1><div class="card"><p{{if .Error}} class="error"{{end}}>{{.Message}}</p></div>
{{else}}<h1>{{.FIU}} asks to see your financial data</h1>
<form method="post" action="{{.Action}}">
<input type="hidden" name="fi" value="{{.FI}}"><input type="hidden" name="reqdate" value="{{.ReqDate}}"><input type="hidden" name="ecreq" value="{{.ECReq}}">
{{range .Consents}}<section class="card" id="consent-{{.Handle}}">
<h2>{{.Product.ProductName}}</h2>
<p>{{.Product.ProductDescription}}</p>
<dl>
<dt>Purpose</dt><dd data-field="purpose">{{.Product.Purpose.Text}} ({{.Product.Purpose.Code}})</dd>
<dt>Information</dt><dd data-field="fiTypes">{{.FITypes}}</dd>
<dt>Data from</dt><dd data-field="range">{{.From}} to {{.To}}</dd>
<dt>How often</dt><dd data-field="frequency">{{.Frequency}}</dd>
<dt>Consent valid</dt><dd data-field="validity">until {{.Expiry}}</dd>
<dt>Shared</dt><dd>{{.ConsentTypes}}</dd>
</dl>
<fieldset><legend>Accounts to link</legend>
{{range .Accounts}}<label><input type="checkbox" name="account" value="{{.LinkRef}}" checked> {{.FIPName}} · {{.FIType}} · {{.Masked}}</label>
{{else}}<p class="error">No account at the requested banks can be linked.</p>{{end}}
</fieldset></section>
{{end}}
<div class="buttons">
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button class="reject" type="submit" name="decision" value="reject">Reject</button>
</div>
<p class="note">You are signed in as {{.User}}. You can revoke this consent at any time.</p>
</form>{{end}}
</main></body></html>
`))

type aaPageData struct {
	Title, Message string
	Error          bool

	FIU, User, Action  string
	FI, ReqDate, ECReq string
	Consents           []aaPageConsent
}

type aaPageConsent struct {
	Handle       string
	Product      productJSON
	FITypes      string
	From, To     string
	Frequency    string
	Expiry       string
	ConsentTypes string
	Accounts     []aaPageAccount
}

type aaPageAccount struct{ LinkRef, FIPName, FIType, Masked string }

// writeAAPage renders the page with status and its security headers.
func writeAAPage(w http.ResponseWriter, status int, d aaPageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	aaPage.Execute(w, d)
}

func aaMessage(w http.ResponseWriter, status int, title, msg string) {
	writeAAPage(w, status, aaPageData{Title: title, Message: msg, Error: status >= 400})
}

// serveAAPage serves GET and POST /_sandbox/aa/consent.
func (s *Sandbox) serveAAPage(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.showAAPage(w, r)
	case http.MethodPost:
		s.submitAAPage(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		aaMessage(w, http.StatusMethodNotAllowed, "Not allowed", "Use the link your app opened.")
	}
}

func (s *Sandbox) showAAPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var c redirectClaims
	if !s.open("ecreq", q.Get("ecreq"), q.Get("reqdate"), q.Get("fi"), &c) {
		aaMessage(w, http.StatusBadRequest, "Link not valid", "This link is not valid or has expired. Go back to your app and start again.")
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	d := aaPageData{
		FIU: s.cfg.AppIdentifier, User: c.UserID, Action: pathAAPage,
		FI: q.Get("fi"), ReqDate: q.Get("reqdate"), ECReq: q.Get("ecreq"),
	}
	for _, h := range c.handles() {
		k := s.byHandle[h]
		if k == nil {
			aaMessage(w, http.StatusNotFound, "Request not found", "This consent request does not exist.")
			return
		}
		if k.status != statusPending {
			aaMessage(w, http.StatusConflict, "Already answered", "This consent request was already answered ("+strings.ToLower(k.status)+").")
			return
		}
		p := s.productOf(k.productID, now)
		pc := aaPageConsent{
			Handle: k.handle, Product: p, FITypes: strings.Join(p.FITypes, ", "),
			From: isoDay(p.ConsentFrom), To: isoDay(p.ConsentTo), Frequency: "once",
			Expiry: k.expiry.In(ist).Format("2 Jan 2006"), ConsentTypes: strings.ToLower(strings.Join(p.ConsentTypes, ", ")),
		}
		if p.Frequency != nil {
			pc.Frequency = frequencyText(*p.Frequency)
		}
		for _, a := range s.eligibleLocked(k) {
			pc.Accounts = append(pc.Accounts, aaPageAccount{a.linkRef, a.fipName, s.fiTypeOut(a.fiType), a.masked})
		}
		d.Consents = append(d.Consents, pc)
	}
	writeAAPage(w, http.StatusOK, d)
}

func isoDay(ts string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return t.In(ist).Format("2 Jan 2006")
}

func frequencyText(f span) string {
	unit := strings.ToLower(f.Unit)
	if f.Value == 1 {
		return "once a " + unit
	}
	return "up to " + strconv.Itoa(f.Value) + " times a " + unit
}

func (s *Sandbox) submitAAPage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		aaMessage(w, http.StatusBadRequest, "Something went wrong", "The form could not be read.")
		return
	}
	var c redirectClaims
	if !s.open("ecreq", r.PostForm.Get("ecreq"), r.PostForm.Get("reqdate"), r.PostForm.Get("fi"), &c) {
		aaMessage(w, http.StatusBadRequest, "Link not valid", "This link is not valid or has expired. Go back to your app and start again.")
		return
	}
	decision := r.PostForm.Get("decision")
	if decision != "approve" && decision != "reject" {
		aaMessage(w, http.StatusBadRequest, "Something went wrong", "Choose Approve or Reject.")
		return
	}
	picked := slices.Compact(slices.Sorted(slices.Values(r.PostForm["account"])))
	s.mu.Lock()
	back, err := s.answerLocked(&c, decision == "approve", picked)
	s.mu.Unlock()
	switch {
	case errors.Is(err, ErrIllegalTransition):
		aaMessage(w, http.StatusConflict, "Already answered", "This consent request was already answered.")
	case errors.Is(err, ErrInvalid):
		aaMessage(w, http.StatusBadRequest, "Choose an account", "Tick at least one account to link for each request, or reject it.")
	case errors.Is(err, ErrNotFound):
		aaMessage(w, http.StatusNotFound, "Request not found", "This consent request does not exist.")
	case err != nil:
		aaMessage(w, http.StatusInternalServerError, "Something went wrong", "Try again from your app.")
	default:
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Location", back)
		w.WriteHeader(http.StatusSeeOther)
	}
}
