package graph_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestHTTPRules checks the GraphQL-over-HTTP answers of the real handler:
// status, media type and the presence of "data", for well-formed requests,
// request errors and requests that are not GraphQL requests at all. Expected
// values are the specification's (graphql-over-http, "application/json" and
// "application/graphql-response+json" sections).
func TestHTTPRules(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, envOptions{logger: slog.New(slog.NewTextHandler(&logs, nil))})
	const (
		jsonMedia = "application/json"
		grj       = "application/graphql-response+json"
	)
	for _, tc := range []struct {
		name, method, body, query, accept string
		wantStatus                        int
		wantMedia                         string
		wantData                          bool   // "data" is present
		wantCode                          string // extensions.code of the first error; "" for none
	}{
		{"query, no Accept", "POST", `{"query":"{__typename}"}`, "", "", 200, jsonMedia, true, ""},
		{"query, */*", "POST", `{"query":"{__typename}"}`, "", "*/*", 200, jsonMedia, true, ""},
		{"query, graphql-response+json", "POST", `{"query":"{__typename}"}`, "", grj, 200, grj, true, ""},
		{"Apollo's Accept", "POST", `{"query":"{__typename}"}`, "", grj + ",application/json;q=0.9", 200, grj, true, ""},
		{"parse error, json", "POST", `{"query":"{"}`, "", jsonMedia, 200, jsonMedia, false, "BAD_USER_INPUT"},
		{"parse error, grj", "POST", `{"query":"{"}`, "", grj, 400, grj, false, "BAD_USER_INPUT"},
		{"validation error, json", "POST", `{"query":"{ nope }"}`, "", jsonMedia, 200, jsonMedia, false, "BAD_USER_INPUT"},
		{"validation error, grj", "POST", `{"query":"{ nope }"}`, "", grj, 400, grj, false, "BAD_USER_INPUT"},
		{"variable coercion, grj", "POST", `{"query":"query($m: String!){ customer(mobileNumber: $m, productID: \"P\") { mobileNumber } }","variables":{"m":{"a":1}}}`, "", grj, 400, grj, false, "BAD_USER_INPUT"},
		{"missing variable, json", "POST", `{"query":"query($m: String!){ customer(mobileNumber: $m, productID: \"P\") { mobileNumber } }"}`, "", jsonMedia, 200, jsonMedia, false, "BAD_USER_INPUT"},
		{"truncated body", "POST", `{"query":`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"empty body", "POST", ``, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"query is an object", "POST", `{"query":{}}`, "", grj, 400, grj, false, "BAD_USER_INPUT"},
		{"variables is a string", "POST", `{"query":"{__typename}","variables":"str"}`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"extensions is an array", "POST", `{"query":"{__typename}","extensions":[]}`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"operationName is a number", "POST", `{"query":"{__typename}","operationName":1}`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"body is a string", "POST", `"query"`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"trailing garbage", "POST", `{"query":"{__typename}"} x`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"no query member (typo)", "POST", `{"qeury":"{__typename}"}`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"empty query, grj", "POST", `{"query":""}`, "", grj, 400, grj, false, "BAD_USER_INPUT"},
		{"GET without query", "GET", "", "operationName=x", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"null members", "POST", `{"query":"{__typename}","operationName":null,"variables":null,"extensions":null}`, "", jsonMedia, 200, jsonMedia, true, ""},
		{"GET query", "GET", "", "query=" + url.QueryEscape("{__typename}"), jsonMedia, 200, jsonMedia, true, ""},
		{"GET variables not JSON", "GET", "", "query=" + url.QueryEscape("{__typename}") + "&variables=x", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"GET mutation", "GET", "", "query=" + url.QueryEscape(`mutation { revokeConsent(input: {consentID: "x"}) { consent { status } } }`), jsonMedia, 405, jsonMedia, false, "BAD_USER_INPUT"},
		{"subscription over POST", "POST", `{"query":"subscription { consentStatusChanged(productID: \"P\", mobileNumber: \"9876543210\") { cursor } }"}`, "", jsonMedia, 400, jsonMedia, false, "BAD_USER_INPUT"},
		{"@defer without multipart", "POST", `{"query":"{ ... @defer { __typename } }"}`, "", jsonMedia, 406, jsonMedia, false, "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := e.api.URL
			if tc.query != "" {
				u += "?" + tc.query
			}
			req, err := http.NewRequestWithContext(t.Context(), tc.method, u, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.method == "POST" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, body)
			}
			if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != tc.wantMedia {
				t.Errorf("Content-Type = %q, want %s", resp.Header.Get("Content-Type"), tc.wantMedia)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("body is not JSON: %s", body)
			}
			if _, has := m["data"]; has != tc.wantData {
				t.Errorf(`"data" present = %v, want %v (body %s)`, has, tc.wantData, body)
			}
			var r response
			_ = json.Unmarshal(body, &r)
			got := ""
			if len(r.Errors) > 0 {
				got = r.Errors[0].code()
			}
			if got != tc.wantCode {
				t.Errorf("first error code = %q, want %q (body %s)", got, tc.wantCode, body)
			}
			if tc.body != "" && len(tc.body) > 4 && strings.Contains(string(body), tc.body) {
				t.Errorf("the answer echoes the request body: %s", body)
			}
		})
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("malformed requests logged a panic:\n%s", logs.String())
	}
}

// TestDeferIncremental checks that a @defer'red fragment arrives in a second
// multipart part, and that the initial part leaves the deferred field out
// instead of writing it as null.
func TestDeferIncremental(t *testing.T) {
	e := newEnv(t, envOptions{})
	q := `{ customer(mobileNumber: "9876543210", productID: "PFM_DASHBOARD") {
		mobileNumber
		... @defer(label: "money") { totalBalance { amount currency } }
	} }`
	body, _ := json.Marshal(map[string]any{"query": q})
	req, _ := http.NewRequestWithContext(t.Context(), "POST", e.api.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824,application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type = %q, want multipart/mixed", resp.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(bufio.NewReader(resp.Body), params["boundary"])
	var parts []map[string]any
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("NextPart: %v", err)
		}
		var m map[string]any
		if err := json.NewDecoder(p).Decode(&m); err != nil {
			t.Fatalf("part is not JSON: %v", err)
		}
		parts = append(parts, m)
	}
	if len(parts) != 2 {
		t.Fatalf("got %d parts, want 2: %v", len(parts), parts)
	}
	me := parts[0]["data"].(map[string]any)["customer"].(map[string]any)
	if _, has := me["totalBalance"]; has {
		t.Errorf("initial part holds the deferred field: %v", parts[0])
	}
	if parts[0]["hasNext"] != true || parts[1]["hasNext"] != false {
		t.Errorf("hasNext = %v, %v; want true, false", parts[0]["hasNext"], parts[1]["hasNext"])
	}
	inc := parts[1]["incremental"].([]any)[0].(map[string]any)
	if inc["label"] != "money" || inc["data"].(map[string]any)["totalBalance"] == nil {
		t.Errorf("incremental part = %v, want label money with totalBalance", inc)
	}
}
