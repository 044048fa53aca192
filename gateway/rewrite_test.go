package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/ratelimit"
)

const (
	apiToken   = "test-api-token-0123456789"
	publicURL  = "https://link.blibli.com"
	signingKey = "k1:c2lnbmluZy1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE="
)

// rewriteGateway is a gateway with the rewrite API on and signed links.
func rewriteGateway(t testing.TB, requireSignature bool, apiPerMinute int) *gateway.Gateway {
	t.Helper()
	keys, err := linksign.ParseKeyring(signingKey)
	if err != nil {
		t.Fatal(err)
	}
	rw, err := linkify.NewRewriter(publicURL, keys)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(gateway.Config{
		HomeURL:   "https://www.blibli.com/",
		Clicks:    click.Service{Signatures: keys, RequireSignature: requireSignature},
		Shared:    gateway.Shared{APILimit: ratelimit.NewMemory(ratelimit.PerMinute(apiPerMinute, apiPerMinute), 0)},
		APITokens: []string{apiToken},
		Rewriter:  rw,
	}, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// openAPI checks requests and responses against api/openapi.yaml.
type openAPI struct {
	router routers.Router
}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("api/openapi.yaml is not a valid OpenAPI description: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &openAPI{router: router}
}

// call sends a rewrite request to h and checks the response against the
// description. It returns the status and the body.
func (o *openAPI) call(t *testing.T, h http.Handler, body, contentType, bearer string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8081/api/v1/rewrite", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	route, params, err := o.router.FindRoute(req)
	if err != nil {
		t.Fatalf("the description has no route for the request: %v", err)
	}
	input := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true},
	}
	out := rec.Body.Bytes()
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(out)),
	})
	if err != nil {
		t.Errorf("the %d response does not match api/openapi.yaml: %v\n%s", rec.Code, err, out)
	}
	return rec.Code, out
}

func TestRewriteAPI(t *testing.T) {
	api := loadOpenAPI(t)
	g := rewriteGateway(t, false, 600)
	h := g.Internal()
	msg := "Halo kak 😊 cek promo di bit.ly/promo ya, atau www.blibli.com/p/kaos.\nJangan transfer ke wa.me/62812!"
	body, _ := json.Marshal(map[string]string{"text": msg})
	status, out := api.call(t, h, string(body), "application/json", apiToken)
	if status != http.StatusOK {
		t.Fatalf("rewrite: %d %s", status, out)
	}
	var m click.RewrittenMessage
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	want := []struct{ text, action, reason string }{
		{"bit.ly/promo", "warn", "shortener"},
		{"www.blibli.com/p/kaos", "redirect", ""},
		{"wa.me/62812", "warn", "messaging"},
	}
	if len(m.Links) != len(want) {
		t.Fatalf("%d links: %+v", len(m.Links), m.Links)
	}
	for i, w := range want {
		l := m.Links[i]
		if l.Text != w.text || msg[l.Start:l.End] != l.Text || string(l.Verdict.Action) != w.action ||
			(w.reason != "" && !strings.Contains(strings.Join(l.Verdict.Reasons, ","), w.reason)) {
			t.Errorf("link %d: %+v, want %+v", i, l, w)
		}
		if !strings.HasPrefix(l.Href, publicURL+"/go?u=") || !strings.Contains(m.Text, l.Href) {
			t.Errorf("link %d: href %q", i, l.Href)
		}
	}
	if strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(m.Text, m.Links[0].Href, "A"), m.Links[1].Href, "B"), m.Links[2].Href, "C") !=
		"Halo kak 😊 cek promo di A ya, atau B.\nJangan transfer ke C!" {
		t.Errorf("the text around the links changed: %q", m.Text)
	}

	// Each href, tapped, gets the answer its verdict announced.
	for _, l := range m.Links {
		u, _ := url.Parse(l.Href)
		r := do(t, g.Public(), http.MethodGet, "/go?"+u.RawQuery)
		if got := map[int]string{http.StatusFound: "redirect", http.StatusOK: "warn"}[r.status]; got != string(l.Verdict.Action) {
			t.Errorf("%s tapped: %d, announced %s", l.Text, r.status, l.Verdict.Action)
		}
		if strings.Contains(r.body, "reason-tampered") {
			t.Errorf("%s: a freshly signed link is tampered", l.Text)
		}
	}

	status, out = api.call(t, h, `{"messages":["tanpa tautan","cek https://evil.example/login dan javascript:alert(1)",""]}`, "application/json", apiToken)
	var many struct{ Messages []click.RewrittenMessage }
	if status != http.StatusOK || json.Unmarshal(out, &many) != nil || len(many.Messages) != 3 ||
		len(many.Messages[0].Links) != 0 || len(many.Messages[1].Links) != 1 || many.Messages[0].Text != "tanpa tautan" {
		t.Errorf("messages: %d %s", status, out)
	}
}

func TestRewriteAPIRefusesBadRequests(t *testing.T) {
	api := loadOpenAPI(t)
	h := rewriteGateway(t, false, 600).Internal()
	hundredAndOne, _ := json.Marshal(map[string][]string{"messages": make([]string, 101)})
	tests := []struct {
		name, body, contentType, bearer string
		status                          int
		says                            string
	}{
		{"no token", `{"text":"x"}`, "application/json", "", http.StatusUnauthorized, "bearer"},
		{"wrong token", `{"text":"x"}`, "application/json", "nope", http.StatusUnauthorized, "bearer"},
		{"not JSON", `text=x`, "application/x-www-form-urlencoded", apiToken, http.StatusUnsupportedMediaType, "JSON"},
		{"broken JSON", `{"text":`, "application/json", apiToken, http.StatusBadRequest, "bad JSON"},
		{"unknown field", `{"txt":"x"}`, "application/json", apiToken, http.StatusBadRequest, "txt"},
		{"neither", `{}`, "application/json", apiToken, http.StatusBadRequest, "(one message)"},
		{"both", `{"text":"a","messages":["b"]}`, "application/json", apiToken, http.StatusBadRequest, "not both"},
		{"no messages", `{"messages":[]}`, "application/json", apiToken, http.StatusBadRequest, "1 to 100"},
		{"101 messages", string(hundredAndOne), "application/json", apiToken, http.StatusBadRequest, "1 to 100"},
		{"long message", `{"text":"` + strings.Repeat("a", 70<<10) + `"}`, "application/json", apiToken, http.StatusBadRequest, "at most 65536"},
		{"huge body", `{"messages":["` + strings.Repeat("a", 60<<10) + strings.Repeat(`","`+strings.Repeat("a", 60<<10), 20) + `"]}`, "application/json", apiToken, http.StatusRequestEntityTooLarge, "larger than"},
		{"two values", `{"text":"a"}{"text":"b"}`, "application/json", apiToken, http.StatusBadRequest, "more than one"},
	}
	for _, tt := range tests {
		status, out := api.call(t, h, tt.body, tt.contentType, tt.bearer)
		if status != tt.status || !strings.Contains(string(out), tt.says) {
			t.Errorf("%s: %d %.200s; want %d about %q", tt.name, status, out, tt.status, tt.says)
		}
	}
	limited := rewriteGateway(t, false, 2).Internal()
	for range 2 {
		api.call(t, limited, `{"text":"x"}`, "application/json", apiToken)
	}
	if status, out := api.call(t, limited, `{"text":"x"}`, "application/json", apiToken); status != http.StatusTooManyRequests {
		t.Errorf("third call in a minute: %d %s", status, out)
	}
}

func TestGoChecksSignatures(t *testing.T) {
	keys, _ := linksign.ParseKeyring(signingKey)
	official := "https://www.blibli.com/promo"
	signed := "/go?u=" + url.QueryEscape(official) + "&s=" + url.QueryEscape(keys.Sign(official))
	forged := "/go?u=" + url.QueryEscape(official+"x") + "&s=" + url.QueryEscape(keys.Sign(official))
	unsigned := goURL(official)
	tests := []struct {
		require bool
		target  string
		status  int
		reason  string
	}{
		{false, signed, http.StatusFound, ""},
		{false, unsigned, http.StatusFound, ""},
		{false, forged, http.StatusOK, "reason-tampered"},
		{true, signed, http.StatusFound, ""},
		{true, unsigned, http.StatusOK, "reason-unsigned"},
		{true, forged, http.StatusOK, "reason-tampered"},
		{true, goURL("https://toko-sepatu.id/") + "&s=k1.AAAAAAAAAAAAAAAAAAAAAA", http.StatusOK, "reason-tampered"},
		{false, goURL("https://toko-sepatu.id/") + "&s=unknown.AAAAAAAAAAAAAAAAAAAAAA", http.StatusOK, "reason-tampered"},
	}
	for _, tt := range tests {
		r := do(t, rewriteGateway(t, tt.require, 600).Public(), http.MethodGet, tt.target)
		if r.status != tt.status || tt.reason != "" && !strings.Contains(r.body, tt.reason) {
			t.Errorf("require %v, %s: %d", tt.require, tt.target, r.status)
		}
	}
}
