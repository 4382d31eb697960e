package graph_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const profilesQuery = `query Q($p: ID!) { me(productID: $p) { accounts { linkReferenceNumber maskedAccountNumber
  profile { holdersType holders { name dob mobile nominee landline address email pan ckycCompliant } } } } }`

type holderJSON struct {
	Name          string  `json:"name"`
	Dob           *string `json:"dob"`
	Mobile        *string `json:"mobile"`
	Nominee       *string `json:"nominee"`
	Landline      *string `json:"landline"`
	Address       *string `json:"address"`
	Email         *string `json:"email"`
	Pan           *string `json:"pan"`
	CkycCompliant bool    `json:"ckycCompliant"`
}

type profilesJSON struct {
	Me struct {
		Accounts []struct {
			LinkReferenceNumber string `json:"linkReferenceNumber"`
			MaskedAccountNumber string `json:"maskedAccountNumber"`
			Profile             *struct {
				Holders []holderJSON `json:"holders"`
			} `json:"profile"`
		} `json:"accounts"`
	} `json:"me"`
}

// upstreamHolders returns the demo customer's holders as FinPro sends them,
// by link reference number, and their masked account numbers.
func upstreamHolders(t *testing.T, e *env) (map[string][]finpro.Holder, map[string]string) {
	t.Helper()
	holders := make(map[string][]finpro.Holder)
	masked := make(map[string]string)
	for _, k := range activeConsents(e.demo(t)) {
		accs, err := e.fp.AllFIData(t.Context(), k.ConsentID)
		if err != nil {
			t.Fatalf("AllFIData: %v", err)
		}
		for _, a := range accs {
			masked[a.LinkReferenceNumber] = a.MaskedAccountNumber
			if a.Profile != nil {
				holders[a.LinkReferenceNumber] = a.Profile.Holders
			}
		}
	}
	if len(holders) == 0 {
		t.Fatal("sandbox sent no holders")
	}
	return holders, masked
}

// holderFromFinpro is what the API shows of h: in the clear, or masked.
func holderFromFinpro(h finpro.Holder, clear bool) holderJSON {
	m := &model.Holder{
		Name: h.Name, Dob: model.DatePtr(h.DOB), Mobile: model.StringPtr(h.Mobile),
		Landline: model.StringPtr(h.Landline), Address: model.StringPtr(h.Address), Email: model.StringPtr(h.Email),
		Pan: model.StringPtr(h.PAN), CkycCompliant: h.CKYCCompliant,
	}
	if !clear {
		fitype.MaskHolder(m)
	}
	// The schema's NomineeStatus spells FinPro's NOT-REGISTERED with an underscore.
	out := holderJSON{Name: m.Name, Mobile: m.Mobile, Nominee: model.StringPtr(strings.ReplaceAll(strings.ToUpper(h.Nominee), "-", "_")), Landline: m.Landline,
		Address: m.Address, Email: m.Email, Pan: m.Pan, CkycCompliant: m.CkycCompliant}
	if m.Dob != nil {
		s := h.DOB
		out.Dob = &s
	}
	return out
}

// secrets returns the personal data of holders: what must never show
// without profile:read, nor in any log.
func secrets(holders map[string][]finpro.Holder) []string {
	out := []string{sandbox.DemoMobile, mobileB}
	for _, hs := range holders {
		for _, h := range hs {
			for _, s := range []string{h.Name, h.DOB, h.Mobile, h.Landline, h.Address, h.Email, h.PAN} {
				if len(s) >= 4 {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// TestProfileMasking checks that holders' personal data is masked without
// profile:read and exactly FinPro's with it, while masked account numbers
// stay as FinPro sent them.
func TestProfileMasking(t *testing.T) {
	e := newEnv(t, envOptions{})
	holders, masked := upstreamHolders(t, e)
	for _, clear := range []bool{false, true} {
		name := "masked"
		scopes := without(auth.ScopeProfileRead)
		if clear {
			name, scopes = "clear", auth.DevScopes()
		}
		t.Run(name, func(t *testing.T) {
			e.principal = customerToken(sandbox.DemoMobile, scopes...)
			r := e.post(t, profilesQuery, map[string]any{"p": sandbox.DemoProductID})
			var got profilesJSON
			mustData(t, r, &got)
			n := 0
			for _, a := range got.Me.Accounts {
				if a.MaskedAccountNumber != masked[a.LinkReferenceNumber] {
					t.Errorf("account %s maskedAccountNumber = %q, want FinPro's %q", a.LinkReferenceNumber, a.MaskedAccountNumber, masked[a.LinkReferenceNumber])
				}
				want, ok := holders[a.LinkReferenceNumber]
				if !ok || a.Profile == nil {
					continue
				}
				n++
				wantJSON := make([]holderJSON, len(want))
				for i, h := range want {
					wantJSON[i] = holderFromFinpro(h, clear)
				}
				// Values are personal data: report which fields differ, not their values.
				if !cmp.Equal(wantJSON, a.Profile.Holders) {
					t.Errorf("account %s holders differ from FinPro's %s holders", a.LinkReferenceNumber, name)
				}
			}
			if n == 0 {
				t.Fatal("no account with a profile")
			}
			if clear {
				return
			}
			body := string(r.Data)
			for _, s := range secrets(holders) {
				if strings.Contains(body, s) {
					t.Errorf("masked response shows personal data (%d characters)", len(s))
				}
			}
		})
	}
}

// lockedBuffer is a log sink safe for concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestNoPIIInLogsOrErrors runs the authorization and profile paths, denials
// and upstream failures included, and checks that neither the handler's log
// nor any error message carries a mobile number or a holder's personal data.
func TestNoPIIInLogsOrErrors(t *testing.T) {
	var logs lockedBuffer
	e := newEnv(t, envOptions{logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	holders, _ := upstreamHolders(t, e)
	other := consentOf(t, e.sb, mobileB, product, "ACTIVE")
	type step struct {
		principal *auth.Principal
		fault     string // a FinPro path made to fail once (HTML 503)
		query     string
		vars      map[string]any
	}
	steps := []step{
		{customerToken(mobileA), "", profilesQuery, map[string]any{"p": product}},
		{customerToken(mobileA, without(auth.ScopeProfileRead)...), "", profilesQuery, map[string]any{"p": product}},
		{customerToken(mobileA), pathAllFIData, profilesQuery, map[string]any{"p": product}},
		{customerToken(mobileA), pathConsents, profilesQuery, map[string]any{"p": product}},
		{customerToken(mobileA), "", `query Q($m: String!) { customer(mobileNumber: $m, productID: "PFM_DASHBOARD") { totalBalance { amount } } }`, map[string]any{"m": mobileB}},
		{customerToken(mobileA), "", `mutation M($m: String!) { requestConsent(input: {mobileNumber: $m, productID: "PFM_DASHBOARD"}) { consentHandle } }`, map[string]any{"m": mobileB}},
		{customerToken(mobileA), "", `mutation M($c: ID!) { revokeConsent(input: {consentID: $c, productID: "PFM_DASHBOARD"}) { consent { status } } }`, map[string]any{"c": other.ConsentID}},
		{customerToken(mobileA), pathConsents, `mutation M($c: ID!) { requestData(input: {consentID: $c, productID: "PFM_DASHBOARD"}) { sessionID } }`, map[string]any{"c": other.ConsentID}},
		{partner(), pathRequest, `mutation M($m: String!) { requestConsent(input: {mobileNumber: $m, productID: "PFM_DASHBOARD"}) { consentHandle } }`, map[string]any{"m": mobileB}},
		{partner(), "", `query Q($m: String!) { customer(mobileNumber: $m, productID: "PFM_DASHBOARD") { mobileNumber } }`, map[string]any{"m": "12345"}},
		{nil, "", `query Q($m: String!) { customer(mobileNumber: $m, productID: "PFM_DASHBOARD") { mobileNumber } }`, map[string]any{"m": mobileA}},
	}
	var messages []string
	for _, s := range steps {
		e.principal = s.principal
		if s.fault != "" {
			if err := e.sb.InjectFault(s.fault, "html503", 1); err != nil {
				t.Fatal(err)
			}
		}
		r := e.post(t, s.query, s.vars)
		for _, err := range r.Errors {
			b, _ := json.Marshal(err)
			messages = append(messages, string(b))
		}
	}
	if !strings.Contains(logs.String(), "graphql upstream error") {
		t.Fatal("no upstream failure was logged: the test checks nothing")
	}
	if len(messages) < len(steps)-2 {
		t.Fatalf("errors = %d, want at least %d: the test checks nothing", len(messages), len(steps)-2)
	}
	errText := strings.Join(messages, "\n")
	for i, s := range secrets(holders) {
		if strings.Contains(logs.String(), s) {
			t.Errorf("log carries personal data #%d (%d characters)", i, len(s))
		}
		if strings.Contains(errText, s) {
			t.Errorf("an error carries personal data #%d (%d characters)", i, len(s))
		}
	}
}
