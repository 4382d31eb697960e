package fi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// The fixtures under ../testdata/rebit/<schema>/example.json are the example
// XML beside each ReBIT XSD (Sahamati/account-aggregator-standards,
// schemas/<schema>/), every attribute and value kept, rendered the way FinPro
// renders the deposit schema: attributes as fields, capitalised elements,
// repeatable elements as arrays, every value a string. The tests below decode
// them through the real client and check that every attribute reaches a field
// with its value.

// examples maps each schema folder to the FI type its fixture declares and the
// Go type it must decode to.
var examples = map[string]struct {
	fiType finpro.FIType
	goType any
}{
	"deposit":                          {fi.TypeDeposit, &deposits.Deposit{}},
	"term_deposit":                     {fi.TypeTermDeposit, &deposits.TermDeposit{}},
	"recurring_deposit":                {fi.TypeRecurringDeposit, &deposits.RecurringDeposit{}},
	"mutual_funds":                     {fi.TypeMutualFunds, &funds.MutualFunds{}},
	"equity_shares":                    {fi.TypeEquities, &securities.Equities{}},
	"systematic_investment_plan":       {fi.TypeSIP, &funds.SIP{}},
	"commercial_paper":                 {fi.TypeCP, &securities.CommercialPaper{}},
	"government_securities":            {fi.TypeGovtSecurities, &securities.GovtSecurities{}},
	"bonds":                            {fi.TypeBonds, &securities.Bonds{}},
	"debentures":                       {fi.TypeDebentures, &securities.Debentures{}},
	"exchange_traded_funds":            {fi.TypeETF, &funds.ETF{}},
	"indian_depository_receipts":       {fi.TypeIDR, &securities.IDR{}},
	"collective_investment_schemes":    {fi.TypeCIS, &funds.CIS{}},
	"alternative_investment_funds":     {fi.TypeAIF, &funds.AIF{}},
	"insurance_policies":               {fi.TypeInsurancePolicies, &insurance.InsurancePolicies{}},
	"national_pension_system":          {fi.TypeNPS, &pension.NPS{}},
	"infrastructure_investment_trusts": {fi.TypeInvIT, &funds.InvIT{}},
	"real_estate_investment_trusts":    {fi.TypeREIT, &funds.REIT{}},
}

func readExample(t *testing.T, folder string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "rebit", folder, "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fetch serves accounts as getallfidata's data and returns what the client
// decodes.
func fetch(t *testing.T, accounts ...[]byte) []finpro.FIAccount {
	t.Helper()
	body := `{"ver":"1.21.0","status":"success","data":[` + string(joinBytes(accounts)) + `]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/getallfidata" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := finpro.New(finpro.Options{BaseURL: srv.URL, Credentials: finpro.Credentials{
		ClientID: "fp_test_x", ClientSecret: "s", OrganisationID: "ORG1", AppIdentifier: "app",
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AllFIData(t.Context(), "consent-1")
	if err != nil {
		t.Fatalf("AllFIData() error = %v", err)
	}
	if len(got) != len(accounts) {
		t.Fatalf("AllFIData() = %d accounts, want %d", len(got), len(accounts))
	}
	return got
}

func joinBytes(bs [][]byte) []byte {
	var out []byte
	for i, b := range bs {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, b...)
	}
	return out
}

// TestExamplesDecode decodes every schema's example through the client and
// checks every attribute value of the example reached the decoded struct:
// nothing dropped, nothing renamed, no value altered.
func TestExamplesDecode(t *testing.T) {
	for folder, ex := range examples {
		t.Run(folder, func(t *testing.T) {
			raw := readExample(t, folder)
			acc := fetch(t, raw)[0]
			if acc.FIType != ex.fiType {
				t.Fatalf("FIType = %s, want %s", acc.FIType, ex.fiType)
			}
			if got := fi.Schema(acc.FIType); got != folder {
				t.Errorf("Schema(%s) = %q, want %q", acc.FIType, got, folder)
			}
			data, issues := fi.Decode(acc)
			if len(issues.Malformed) != 0 {
				t.Errorf("Decode() malformed = %v, want none", issues.Malformed)
			}
			if reflect.TypeOf(data) != reflect.TypeOf(ex.goType) {
				t.Fatalf("Decode() = %T, want %T", data, ex.goType)
			}
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, k := range []string{"Profile", "Summary", "Transactions"} {
				n += checkLeaves(t, k, doc[k], reflect.ValueOf(data).Elem())
			}
			if n < 25 {
				t.Errorf("checked %d attributes; the fixture is too small to prove anything", n)
			}
		})
	}
}

// checkLeaves resolves every scalar under the fixture element at path against
// the decoded struct root and compares values; it returns how many it checked.
func checkLeaves(t *testing.T, path string, v any, root reflect.Value) int {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		n := 0
		for k, c := range x {
			n += checkLeaves(t, path+"/"+k, c, root)
		}
		return n
	case []any:
		n := 0
		for i, c := range x {
			n += checkLeaves(t, fmt.Sprintf("%s[%d]", path, i), c, root)
		}
		return n
	case nil:
		return 0
	}
	want := fmt.Sprint(v)
	got, ok := resolve(root, splitPath(path))
	if !ok {
		t.Errorf("%s: no field takes this attribute (dropped or renamed)", path)
		return 1
	}
	if strings.HasSuffix(path, "/currency") && strings.TrimSpace(want) == "" {
		// The schemas' currency is optional and means INR; the client says so.
		want = "INR"
	}
	if msg := compareValue(want, got); msg != "" {
		t.Errorf("%s = %s", path, msg)
	}
	return 1
}

type seg struct {
	key   string // normalised
	index int    // -1 if none
}

func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func splitPath(p string) []seg {
	var out []seg
	for _, s := range strings.Split(p, "/") {
		k, idx := s, -1
		if i := strings.IndexByte(s, '['); i >= 0 {
			idx, _ = strconv.Atoi(s[i+1 : len(s)-1])
			k = s[:i]
		}
		out = append(out, seg{norm(k), idx})
	}
	return out
}

type fieldRef struct {
	v     reflect.Value
	enum  bool
	paths [][]string
}

// fieldsOf lists v's tagged fields, flattening untagged embedded structs.
func fieldsOf(v reflect.Value) []fieldRef {
	var out []fieldRef
	for i := range v.NumField() {
		f := v.Type().Field(i)
		tag, ok := f.Tag.Lookup("fi")
		if f.Anonymous && !ok {
			out = append(out, fieldsOf(v.Field(i))...)
			continue
		}
		if !ok {
			continue
		}
		paths, opts, _ := strings.Cut(tag, ",")
		r := fieldRef{v: v.Field(i), enum: strings.HasPrefix(opts, "enum=")}
		for _, p := range strings.Split(paths, "|") {
			var segs []string
			for _, s := range strings.Split(p, "/") {
				segs = append(segs, norm(s))
			}
			r.paths = append(r.paths, segs)
		}
		out = append(out, r)
	}
	return out
}

type leafValue struct {
	v    reflect.Value
	enum bool
}

// resolve walks the decoded value along a fixture path (element names with
// array indices) using the structs' tags.
func resolve(v reflect.Value, path []seg) (leafValue, bool) {
	if len(path) == 0 {
		return leafValue{}, false
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return leafValue{}, false
		}
		v = v.Elem()
	}
	for _, f := range fieldsOf(v) {
		for _, p := range f.paths {
			if len(p) > len(path) {
				continue
			}
			match := true
			for i := range p {
				if p[i] != path[i].key || (i < len(p)-1 && path[i].index > 0) {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			last := path[len(p)-1]
			rest := path[len(p):]
			fv := f.v
			if fv.Kind() == reflect.Slice {
				idx := max(last.index, 0)
				if idx >= fv.Len() {
					return leafValue{}, false
				}
				fv = fv.Index(idx)
			}
			if len(rest) == 0 {
				return leafValue{fv, f.enum}, true
			}
			return resolve(fv, rest)
		}
	}
	return leafValue{}, false
}

// compareValue returns "" if got holds the fixture text want, else a message.
func compareValue(want string, got leafValue) string {
	v := got.v
	want = strings.TrimSpace(want)
	switch x := v.Interface().(type) {
	case time.Time:
		if want == "" {
			if !x.IsZero() {
				return fmt.Sprintf("%v, want absent", x)
			}
			return ""
		}
		w, err := time.Parse(time.RFC3339, want)
		if err != nil || !w.Equal(x) {
			return fmt.Sprintf("%v, want %s", x, want)
		}
	case *bool:
		switch {
		case want == "" && x == nil:
		case x == nil:
			return "absent, want " + want
		case *x != (want == "true" || want == "YES"):
			return fmt.Sprintf("%v, want %s", *x, want)
		}
	case *int:
		switch {
		case want == "" && x == nil:
		case x == nil:
			return "absent, want " + want
		case strconv.Itoa(*x) != want:
			return fmt.Sprintf("%d, want %s", *x, want)
		}
	default:
		s := v.String()
		if got.enum {
			want = strings.ToUpper(strings.ReplaceAll(want, "-", "_"))
			want = strings.ReplaceAll(want, "DIVIDENT", "DIVIDEND") // the XSD's misspelling
		}
		if s != want {
			return fmt.Sprintf("%q, want %q", s, want)
		}
	}
	return ""
}

// TestExamplesQuirkyShapes decodes each example as other renderings would send
// it (single elements as objects, numbers and booleans as JSON literals, keys
// in another case) and expects the same result as the canonical rendering.
func TestExamplesQuirkyShapes(t *testing.T) {
	for folder := range examples {
		t.Run(folder, func(t *testing.T) {
			raw := readExample(t, folder)
			var doc any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			quirky, err := json.Marshal(quirk(doc, ""))
			if err != nil {
				t.Fatal(err)
			}
			accs := fetch(t, raw, quirky)
			want, _ := fi.Decode(accs[0])
			got, issues := fi.Decode(accs[1])
			if len(issues.Malformed) != 0 {
				t.Errorf("quirky Decode() malformed = %v", issues.Malformed)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("quirky shape decodes differently (-canonical +quirky):\n%s", diff)
			}
		})
	}
}

// quirk rewrites a fixture: one-element arrays become the element, numeric
// strings numbers, "true" true, and attribute keys start with a capital.
func quirk(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, c := range x {
			nk := k
			if k != "fiType" && k != "linkReferenceNumber" && k[0] >= 'a' && k[0] <= 'z' {
				nk = strings.ToUpper(k[:1]) + k[1:]
			}
			out[nk] = quirk(c, k)
		}
		return out
	case []any:
		if len(x) == 1 {
			return quirk(x[0], key)
		}
		for i := range x {
			x[i] = quirk(x[i], key)
		}
		return x
	case string:
		if x == "true" {
			return true
		}
		// Numbers stay strings where leading zeros or identity matter.
		if key != "mobile" && key != "txnId" && x != "" {
			if _, err := strconv.ParseFloat(x, 64); err == nil && !strings.HasPrefix(x, "0") {
				return json.Number(x)
			}
		}
	}
	return v
}
