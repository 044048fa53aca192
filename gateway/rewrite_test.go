package gateway_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/verdict"
)

const (
	apiToken   = "test-api-token-0123456789"
	apiName    = "chat"
	publicURL  = "https://link.blibli.com"
	signingKey = "k1:c2lnbmluZy1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE="
)

// signedRewriter is the signing keyring of the tests and a rewriter that
// signs with it.
func signedRewriter(t testing.TB) (*linksign.Keyring, *linkify.Rewriter) {
	t.Helper()
	keys, err := linksign.ParseKeyring(signingKey)
	if err != nil {
		t.Fatal(err)
	}
	rw, err := linkify.NewRewriter(publicURL, keys)
	if err != nil {
		t.Fatal(err)
	}
	return keys, rw
}

// rewriteGateway is a gateway with the rewrite API on and signed links.
func rewriteGateway(t testing.TB, requireSignature bool, apiPerMinute int) *gateway.Gateway {
	t.Helper()
	keys, rw := signedRewriter(t)
	g, err := gateway.New(gateway.Config{
		HomeURL:   "https://www.blibli.com/",
		Clicks:    click.Service{Signatures: keys, RequireSignature: requireSignature},
		Shared:    gateway.Shared{APILimit: ratelimit.NewMemory(ratelimit.PerMinute(apiPerMinute, apiPerMinute), 0)},
		APITokens: mustTokens(apiName + ":" + apiToken),
		Rewriter:  rw,
	}, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRewriteAPI(t *testing.T) {
	api := loadOpenAPI(t)
	g := rewriteGateway(t, false, 600)
	h := g.Internal()
	msg := "Halo kak 😊 cek promo di bit.ly/promo ya, atau www.blibli.com/p/kaos.\nJangan transfer ke wa.me/62812!"
	body, _ := json.Marshal(map[string]string{"text": msg})
	status, out := api.call(t, h, http.MethodPost, "/api/v1/rewrite", string(body), "application/json", apiToken)
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

	status, out = api.call(t, h, http.MethodPost, "/api/v1/rewrite", `{"messages":["tanpa tautan","cek https://evil.example/login dan javascript:alert(1)",""]}`, "application/json", apiToken)
	var many struct{ Messages []click.RewrittenMessage }
	if status != http.StatusOK || json.Unmarshal(out, &many) != nil || len(many.Messages) != 3 ||
		len(many.Messages[0].Links) != 0 || len(many.Messages[1].Links) != 2 || many.Messages[0].Text != "tanpa tautan" ||
		many.Messages[1].Links[1].Verdict.Action != verdict.Invalid {
		t.Errorf("messages: %d %s", status, out)
	}
}

// TestRewriteAPILongMessages checks that no link of a message up to the
// API's limit is left as it was: after 60 KiB of text, in a long word, or
// longer than /go accepts, where the gateway link carries as much of it as
// /go needs to refuse it with the 400 page, through a server that takes
// request lines and headers of 64 KiB at most.
func TestRewriteAPILongMessages(t *testing.T) {
	g := rewriteGateway(t, false, 600)
	srv := httptest.NewUnstartedServer(g.Public())
	srv.Config.MaxHeaderBytes = 64 << 10
	srv.Start()
	defer srv.Close()
	text := strings.Repeat("Halo kak, email saya budi.s@gmail.com ya. ", 60<<10/42)
	word := strings.Repeat("x", 60<<10)
	tests := []struct {
		name, msg, link string
		status          int
	}{
		{"after 60 KiB of text", text + "cek bit.ly/promo", "bit.ly/promo", http.StatusOK},
		{"in a 60 KiB word", word + "😊https://evil.example/", "https://evil.example/", http.StatusOK},
		{"a 10 KiB path", "cek https://evil.example/" + strings.Repeat("a", 10<<10), "https://evil.example/" + strings.Repeat("a", 10<<10), http.StatusBadRequest},
		{"a 60 KiB path without a scheme", "evil.example/" + strings.Repeat("é", 30<<10) + " ya", "evil.example/" + strings.Repeat("é", 30<<10), http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := rewriteOne(t, g, tc.msg)
			if len(m.Links) != 1 || m.Links[0].Text != tc.link {
				t.Fatalf("%d links, want only %.40q…", len(m.Links), tc.link)
			}
			l := m.Links[0]
			if want := strings.Replace(tc.msg, l.Text, l.Href, 1); m.Text != want {
				t.Fatalf("the text is not the message with the link replaced by %.80q…", l.Href)
			}
			href, err := url.Parse(l.Href)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Get(srv.URL + href.RequestURI())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("the gateway link of %.40q… answers %d, want %d", l.Text, resp.StatusCode, tc.status)
			}
			if tc.status == http.StatusBadRequest && (l.Verdict.Action != verdict.Invalid || !slices.Contains(l.Verdict.Reasons, "too-long")) {
				t.Errorf("verdict %+v, want invalid for too-long", l.Verdict)
			}
		})
	}
}

// rewriteOne rewrites msg through the rewrite API of g.
func rewriteOne(t *testing.T, g *gateway.Gateway, msg string) click.RewrittenMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"text": msg})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/rewrite", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+apiToken)
	rec := httptest.NewRecorder()
	g.Internal().ServeHTTP(rec, req)
	var m click.RewrittenMessage
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &m) != nil {
		t.Fatalf("rewrite: %d %.200s", rec.Code, rec.Body)
	}
	return m
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
		status, out := api.call(t, h, http.MethodPost, "/api/v1/rewrite", tt.body, tt.contentType, tt.bearer)
		if status != tt.status || !strings.Contains(string(out), tt.says) {
			t.Errorf("%s: %d %.200s; want %d about %q", tt.name, status, out, tt.status, tt.says)
		}
	}
	limited := rewriteGateway(t, false, 2).Internal()
	for range 2 {
		api.call(t, limited, http.MethodPost, "/api/v1/rewrite", `{"text":"x"}`, "application/json", apiToken)
	}
	if status, out := api.call(t, limited, http.MethodPost, "/api/v1/rewrite", `{"text":"x"}`, "application/json", apiToken); status != http.StatusTooManyRequests {
		t.Errorf("third call in a minute: %d %s", status, out)
	}
}

func TestGoChecksSignatures(t *testing.T) {
	keys, _ := linksign.ParseKeyring(signingKey)
	official := "https://www.blibli.com/promo"
	signed := "/go?u=" + url.QueryEscape(official) + "&s=" + url.QueryEscape(keys.Sign(official, ""))
	forged := "/go?u=" + url.QueryEscape(official+"x") + "&s=" + url.QueryEscape(keys.Sign(official, ""))
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
