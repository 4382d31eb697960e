package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
)

// The FI-type oracle: it checks GraphQL answers against the FinPro JSON they
// came from, attribute by attribute, without the code under test. The JSON is
// read raw (over HTTP, or from the ReBIT example files); GraphQL fields are
// matched to JSON attributes by the naming rule the schema follows (the
// attribute's name in lower camel case, case and punctuation aside), the
// handful of XSD misspellings the schema corrects, and the schema's wrapper
// elements (Investment/Holdings/Holding is holdings); values are compared by
// the GraphQL field's type, read from the schema. Every attribute FinPro sent
// must reach a field with its value, and no field may show a value FinPro did
// not send.

var fiSchema = generated.NewExecutableSchema(generated.Config{}).Schema()

// xsdSpellings maps the XSDs' own attribute spellings (normalised) to the
// GraphQL field that shows them.
var xsdSpellings = map[string]string{
	"exchgerate": "exchangeRate", "principleamount": "principalAmount", "tenuremoths": "tenureMonths",
	"coupancomputation": "couponComputation", "coupanpaymentdate": "couponPaymentDate", "autiondate": "auctionDate",
	"devidenttype": "dividendType", "shareholerequitytype": "shareHolderEquityType", "exlcusions": "exclusions",
	"ckyccompliance": "ckycCompliant", "scheme": "schemeName", // SIP's scheme is its name
	"tier1holdings": "tier1", "tier2holdings": "tier2", "tier1holding": "holdings", "tier2holding": "holdings",
}

// xsdValues maps enumeration values as the XSDs (and FIPs) spell them to the
// value the schema gives them.
var xsdValues = map[string]string{
	"ONMATURITY": "ON_MATURITY", "ON_MATURITY": "ON_MATURITY", "QUARTELY": "QUARTERLY", "BOUNS": "BONUS",
	"INSURANCE_RENEWWAL": "INSURANCE_RENEWAL", "INTERIM_DIVIDENT": "INTERIM_DIVIDEND", "FINAL_DIVIDENT": "FINAL_DIVIDEND",
	"PREFERED_STOCK": "PREFERRED_STOCK", "CHILDREN_S_FUND": "CHILDRENS_FUND", "PLAN_CHANGE_PLAN_CHANGE": "PLAN_CHANGE",
	"WILDRAWAL_DUE_TO_SCHEME_PREFERENCE_CHANGE": "WITHDRAWAL_DUE_TO_SCHEME_PREFERENCE_CHANGE",
}

var nonAlnum = regexp.MustCompile(`[^A-Z0-9]+`)

// enumValue is how the schema shows an enumeration value FinPro sent.
func enumValue(def *ast.Definition, s string) string {
	v := strings.Trim(nonAlnum.ReplaceAllString(strings.ToUpper(strings.TrimSpace(s)), "_"), "_")
	if a, ok := xsdValues[v]; ok {
		v = a
	}
	if def.Name == "HoldersType" && v == "SOLE" {
		return "SINGLE" // one holder, whichever word the schema uses
	}
	if def.EnumValues.ForName(v) == nil {
		return "UNKNOWN"
	}
	return v
}

func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checker accumulates the mismatches of one comparison.
type checker struct {
	t    *testing.T
	errs []string
	// leaves counts the attributes compared (so a test can insist on many).
	leaves int
}

func (c *checker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, path+": "+fmt.Sprintf(format, args...))
}

func (c *checker) report(what string) {
	c.t.Helper()
	for _, e := range c.errs {
		c.t.Errorf("%s: %s", what, e)
	}
}

// field finds the GraphQL field of def that shows JSON attribute key, read in
// the wrapper element prefix ("" at the top).
func field(def *ast.Definition, key, prefix string) *ast.FieldDefinition {
	k := normName(key)
	var alt []string
	if a, ok := xsdSpellings[k]; ok {
		alt = append(alt, normName(a))
	}
	for _, want := range append([]string{k, normName(prefix) + k, k + "s"}, alt...) {
		for _, f := range def.Fields {
			if normName(f.Name) == want {
				return f
			}
		}
	}
	return nil
}

// object compares the JSON object j (an element of FinPro's rendering) with
// the GraphQL object g of type def. Attributes of wrapper elements (objects
// the schema has no field for, such as Investment) are read as g's own.
func (c *checker) object(path string, def *ast.Definition, j map[string]any, g map[string]any) {
	seen := map[string]bool{}
	c.objectInto(path, def, j, g, "", seen)
	for _, f := range def.Fields {
		if v, ok := g[f.Name]; ok && !seen[f.Name] && !emptyValue(v) && !shownWithoutSource[def.Name+"."+f.Name] {
			c.fail(path+"."+f.Name, "shows %v, but FinPro sent no such attribute", v)
		}
	}
}

// shownWithoutSource are fields with a value FinPro need not send.
var shownWithoutSource = map[string]bool{
	"DepositSummary.currency": true, // INR when absent
	"Profile.holdersType":     true, // SINGLE or JOINT from the holders when absent
	"Holder.ckycCompliant":    true, // false when absent (the contract's Boolean!)
	"Holder.name":             true, // "" when absent (String!)
}

func emptyValue(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case []any:
		return len(v) == 0
	case string:
		return v == ""
	}
	return false
}

func (c *checker) objectInto(path string, def *ast.Definition, j map[string]any, g map[string]any, prefix string, seen map[string]bool) {
	for _, key := range slices.Sorted(mapKeys(j)) {
		jv := j[key]
		p := path + "/" + key
		f := field(def, key, prefix)
		switch jv := jv.(type) {
		case map[string]any:
			if f == nil || f.Type.Elem != nil && wraps(jv, f) {
				c.objectInto(p, def, jv, g, key, seen) // a wrapper element: Investment, Holdings{type, Holding}
				continue
			}
			seen[f.Name] = true
			c.value(p, f.Type, jv, g[f.Name])
		case []any:
			if f == nil {
				c.fail(p, "no GraphQL field for element %s", key)
				continue
			}
			seen[f.Name] = true
			c.value(p, f.Type, jv, g[f.Name])
		default:
			if f == nil {
				c.fail(p, "no GraphQL field for attribute %s (%v)", key, jv)
				continue
			}
			seen[f.Name] = true
			if s, _ := jv.(string); strings.TrimSpace(s) == "" && shownWithoutSource[def.Name+"."+f.Name] {
				continue // a default the schema gives
			}
			c.value(p, f.Type, jv, g[f.Name])
		}
	}
}

// wraps reports whether the JSON object j wraps the list field f's elements
// (Holdings{Holding: [...]}) rather than being one of them.
func wraps(j map[string]any, f *ast.FieldDefinition) bool {
	for k := range j {
		if nk := normName(k); nk+"s" == normName(f.Name) || normName(xsdSpellings[nk]) == normName(f.Name) {
			return true
		}
	}
	return false
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// value compares one JSON value with the GraphQL value of type t.
func (c *checker) value(path string, t *ast.Type, j, g any) {
	if t.Elem != nil { // a list: the JSON may be one element or an array
		items, ok := j.([]any)
		if !ok {
			items = []any{j}
		}
		var nonNull []any
		for _, it := range items {
			if it != nil {
				nonNull = append(nonNull, it)
			}
		}
		gl, _ := g.([]any)
		if len(gl) != len(nonNull) {
			c.fail(path, "%d GraphQL items for %d FinPro elements", len(gl), len(nonNull))
			return
		}
		for i := range nonNull {
			c.value(fmt.Sprintf("%s[%d]", path, i), t.Elem, nonNull[i], gl[i])
		}
		return
	}
	def := fiSchema.Types[t.NamedType]
	if def.Kind == ast.Object {
		jo, ok := j.(map[string]any)
		gm, ok2 := g.(map[string]any)
		if !ok || !ok2 {
			c.fail(path, "FinPro sent %T, GraphQL %T", j, g)
			return
		}
		c.object(path, def, jo, gm)
		return
	}
	c.leaves++
	js := ""
	switch j := j.(type) {
	case string:
		js = strings.TrimSpace(j)
	case json.Number:
		js = j.String()
	case bool:
		js = strconv.FormatBool(j)
	case nil:
	default:
		c.fail(path, "FinPro sent %T for a %s", j, t.NamedType)
		return
	}
	if js == "" {
		// finpro guarantees a currency: INR when FinPro sent none
		// (docs/upstream-decisions.md), the only default a field may show.
		defaultINR := strings.HasSuffix(strings.ToLower(path), "currency") && g == "INR"
		if g != nil && g != "" && !(t.NamedType == "Boolean" && g == false) && !defaultINR {
			c.fail(path, "FinPro sent nothing, GraphQL shows %v", g)
		}
		return
	}
	want, err := expected(def, js)
	if err != nil {
		c.fail(path, "%v", err)
		return
	}
	got := fmt.Sprint(g)
	if t.NamedType == "DateTime" && g != nil {
		gt, err1 := time.Parse(time.RFC3339Nano, got)
		wt, err2 := time.Parse(time.RFC3339Nano, want)
		if err1 == nil && err2 == nil && gt.Equal(wt) {
			return
		}
	}
	if g == nil || got != want {
		c.fail(path, "FinPro sent %q, GraphQL shows %v (want %q)", js, g, want)
	}
}

var ist = time.FixedZone("IST", 5*3600+30*60)

// expected is how the schema shows FinPro's text s of a value of type def.
func expected(def *ast.Definition, s string) (string, error) {
	switch {
	case def.Kind == ast.Enum:
		return enumValue(def, s), nil
	case def.Name == "Date":
		for _, layout := range []string{time.DateOnly, "02-01-2006", time.RFC3339} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.Format(time.DateOnly), nil
			}
		}
		return "", fmt.Errorf("the oracle cannot read date %q", s)
	case def.Name == "DateTime":
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.Format(time.RFC3339Nano), nil
		}
		if t, err := time.ParseInLocation(time.DateOnly, s, ist); err == nil {
			return t.Format(time.RFC3339Nano), nil
		}
		return "", fmt.Errorf("the oracle cannot read date-time %q", s)
	case def.Name == "Boolean":
		switch strings.ToUpper(s) {
		case "TRUE", "YES", "Y":
			return "true", nil
		case "FALSE", "NO", "N":
			return "false", nil
		}
		return "", fmt.Errorf("the oracle cannot read boolean %q", s)
	case def.Name == "Int":
		n, err := strconv.Atoi(s)
		return strconv.Itoa(n), err
	}
	return s, nil // String, Decimal: exactly as sent
}

// ---- queries built from the schema ----

// selectionOf is every field of type def, recursively (object fields get
// their own selections; union fields a fragment per member, aliasing the
// fields whose name another member gives another type).
func selectionOf(def *ast.Definition) string {
	var b strings.Builder
	for _, f := range def.Fields {
		if len(f.Arguments) > 0 || strings.HasPrefix(f.Name, "__") {
			continue
		}
		b.WriteString(f.Name)
		if sub := fiSchema.Types[f.Type.Name()]; sub.Kind == ast.Object {
			b.WriteString(" { " + selectionOf(sub) + " }")
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// unionSelection selects every member of union u, each field aliased as
// <field>__<Member> when another member has a field of that name and another
// type (GraphQL refuses to merge them). unalias reverses the aliases.
func unionSelection(u *ast.Definition) (string, func(member string, g map[string]any) map[string]any) {
	types := map[string]map[string]bool{}
	for _, m := range u.Types {
		for _, f := range fiSchema.Types[m].Fields {
			if types[f.Name] == nil {
				types[f.Name] = map[string]bool{}
			}
			types[f.Name][f.Type.String()] = true
		}
	}
	var b strings.Builder
	b.WriteString("__typename ")
	for _, m := range u.Types {
		b.WriteString("... on " + m + " { ")
		for _, f := range fiSchema.Types[m].Fields {
			if len(types[f.Name]) > 1 {
				b.WriteString(f.Name + "__" + m + ": ")
			}
			b.WriteString(f.Name)
			if sub := fiSchema.Types[f.Type.Name()]; sub.Kind == ast.Object {
				b.WriteString(" { " + selectionOf(sub) + " }")
			}
			b.WriteByte(' ')
		}
		b.WriteString("} ")
	}
	return b.String(), func(member string, g map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range g {
			out[strings.TrimSuffix(k, "__"+member)] = v
		}
		return out
	}
}

// accountTypes are the types implementing Account, sorted.
func accountTypes() []string {
	var out []string
	for name, def := range fiSchema.Types {
		if slices.Contains(def.Interfaces, "Account") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// everyTypeQuery selects, on a customer's accounts, every account type's
// summary (aliased per type: the summaries' fields differ in type), its
// profile and every transaction with its detail in every schema.
func everyTypeQuery() (query string, unalias func(member string, g map[string]any) map[string]any) {
	detail, unalias := unionSelection(fiSchema.Types["TransactionDetail"])
	var b strings.Builder
	b.WriteString(`query($mobile: String!, $product: ID!) { customer(mobileNumber: $mobile, productID: $product) { accounts {
	  __typename id linkReferenceNumber fiType
	  profile { ` + selectionOf(fiSchema.Types["Profile"]) + ` }
	  transactions(first: 100) { totalCount edges { node { txnId type amount currentBalance mode transactionTimestamp valueDate narration reference detail { ` + detail + ` } } } }
	`)
	for _, name := range accountTypes() {
		summary := fiSchema.Types[name].Fields.ForName("summary")
		if summary == nil {
			continue
		}
		fmt.Fprintf(&b, "... on %s { summary_%s: summary { %s } }\n", name, name, selectionOf(fiSchema.Types[summary.Type.Name()]))
	}
	b.WriteString("} } }")
	return b.String(), unalias
}

// ---- FinPro read raw ----

// rawFinPro posts body to one of the sandbox's FinPro endpoints with the
// sandbox's credentials and returns the answer's data exactly as sent.
func rawFinPro(t *testing.T, e *env, path string, body any) json.RawMessage {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, path, bytes.NewReader(b))
	c := sandboxCredentials()
	req.Header = http.Header{
		"Content-Type": {"application/json"}, "client_id": {c.ClientID}, "client_secret": {c.ClientSecret},
		"organisationId": {c.OrganisationID}, "appIdentifier": {c.AppIdentifier},
	}
	rec := httptest.NewRecorder()
	e.sb.Handler().ServeHTTP(rec, req)
	var out struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("%s: HTTP %d, %v", path, rec.Code, err)
	}
	return out.Data
}

// decodeJSON decodes b keeping numbers as their text.
func decodeJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatal(err)
	}
}
