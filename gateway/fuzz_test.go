package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/linkify"
	"github.com/blibli/safelink/gateway/linksign"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// fuzzGateway is a gateway with in-memory shared state, no limit a fuzzer
// reaches, and a block and a warn rule on official hosts, with what the
// fuzz targets check its answers against.
type fuzzGateway struct {
	*sharedGateway
	lists  *allowlist.Lists
	policy *verdict.Policy
	checks *click.Service // the checks of the gateway's /go
}

func newFuzzGateway(f *testing.F) *fuzzGateway {
	s := newSharedGatewayLimits(f, 1_000_000, 1_000_000, 1_000_000)
	s.addRule(f, rules.Rule{Match: rules.MatchHost, Value: "promo.blibli.com", Action: verdict.RuleBlock, Reason: "diambil alih", Author: "fuzz"})
	s.addRule(f, rules.Rule{Match: rules.MatchURLPrefix, Value: "https://www.blibli.com/promo/", Action: verdict.RuleWarn, Reason: "promo palsu", Author: "fuzz"})
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		f.Fatal(err)
	}
	policy, err := click.NewPolicy(lists, publicURL)
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzGateway{sharedGateway: s, lists: lists, policy: policy, checks: &click.Service{Rules: s.syncer}}
}

// serve sends req to h and fails on a 5xx answer.
func serve(t *testing.T, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s: %d\n%s", req.Method, req.URL, rec.Code, rec.Body)
	}
	return rec
}

// checkOfficialRedirect fails unless location keeps the one invariant: an
// https URL in normal form, without userinfo, on the default port of an
// official host that no block or warn rule covers, read alike by net/url.
func (g *fuzzGateway) checkOfficialRedirect(t *testing.T, in, location string) {
	t.Helper()
	u, err := weburl.Parse(location)
	if err != nil || u.String() != location || u.Scheme != "https" || u.User != "" || u.IP.IsValid() || u.Port != "" {
		t.Fatalf("%q redirects to %q, which parses as %v, %v", in, location, u, err)
	}
	if official, _ := g.lists.Official(u.Host); !official {
		t.Fatalf("%q redirects to %q, whose host is not official", in, location)
	}
	if r, ok := g.syncer.Match(u.Host, location, time.Now()); ok && r.Action != verdict.RuleAllow {
		t.Fatalf("%q redirects to %q, which the %s rule %q covers", in, location, r.Action, r.Value)
	}
	std, err := url.Parse(location)
	if err != nil || std.Scheme != "https" || std.User != nil || std.Hostname() != u.Host || std.Port() != "" {
		t.Fatalf("%q redirects to %q, which net/url reads as %v, %v", in, location, std, err)
	}
}

// FuzzGo sends /go requests with any query string, as GET and HEAD: the
// gateway never answers 5xx, a redirect keeps the one invariant, and every
// answer has the status its verdict calls for.
func FuzzGo(f *testing.F) {
	for _, link := range invariantLinks {
		f.Add("u=" + url.QueryEscape(link))
		f.Add("u=" + link)
	}
	f.Add("u=https://www.blibli.com/&u=https://evil.example/")
	f.Add("u=https%3A%2F%2Fwww.blibli.com%2F&s=k1.AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("u=%zz")
	f.Add("s=x")
	f.Add("u=https://www.blibli.com/;u=https://evil.example/")
	g := newFuzzGateway(f)
	h := g.Public()
	status := map[verdict.Action]int{verdict.Redirect: http.StatusFound, verdict.Warn: http.StatusOK,
		verdict.Block: http.StatusForbidden, verdict.Invalid: http.StatusBadRequest}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		v := verdict.Refuse(nil)
		if q, err := verdict.ParseGoQuery(rawQuery); err == nil {
			v = g.checks.Decide(context.Background(), g.policy, q.Link, click.Origin{Signature: verdict.Unsigned})
		}
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			req := httptest.NewRequest(method, "/go", nil)
			req.URL.RawQuery, req.RequestURI = rawQuery, "/go?"+rawQuery
			rec := serve(t, h, req)
			if rec.Code != status[v.Action] {
				t.Fatalf("%s /go?%s: %d for a %s verdict", method, rawQuery, rec.Code, v.Action)
			}
			if loc := rec.Header().Get("Location"); rec.Code/100 == 3 || loc != "" {
				g.checkOfficialRedirect(t, rawQuery, loc)
			}
		}
	})
}

// invariantLinks are links that have tried to break the invariant.
var invariantLinks = []string{
	"https://www.blibli.com/p/sepatu-lari?id=7#ulasan", "http://blibli.com:443/", "https://blibli.com.evil.example/",
	"https://www.blibli.com@evil.example/", "https://evil.example@www.blibli.com/", "https://www.blibli.com\\@evil.example/",
	"https:\\\\evil.example", "https://ｂｌｉｂｌｉ．ｃｏｍ/", "https://link.blibli.com/go?u=https%3A%2F%2Fevil.example%2F",
	"http://0x7f.1/", "http://0177.0.0.1/", "http://2130706433/", "https://[::ffff:7f00:1]/", "javascript:alert(1)",
	"https://www.blibli.com%2F.evil.example/", "https://www.blibli.com%2eevil.example/", "https://promo.blibli.com/",
	"https://www.blibli.com/promo/flash", "https://www.blibli.com:8443/", "http://www.blibli.com:8080/", "https://xn--blbli-0sa.com/", "https://blíbli.com/", "https://www.blibli.com#@evil.example",
}

// FuzzRewriteAPI posts any body, and any message as JSON, to the rewrite
// API: it never answers 5xx, and in a 200 answer the links are those
// linkify.Find reads in the input, each the text at its span, its href is
// a gateway link whose u is the link's URL (cut as linkify cuts one too
// long for /go) signed with the gateway's key, the text is the input with
// each link replaced by its href, and every link Find reads in that text
// is a gateway link.
func FuzzRewriteAPI(f *testing.F) {
	f.Add(`{"text":"cek https://www.blibli.com/p/x ya"}`, "Kak, sepatu ini Rp 250.000 aja 🔥 cek bit.ly/sepatu-murah atau wa.me/6281234567890")
	f.Add(`{"messages":["a.com","https://link.blibli.com/go?u=x"]}`, "https://link.blibli.com/go?u=https%3A%2F%2Fwww.blibli.com%2F&s=k1.x dan www.blibli.com")
	f.Add(`{"text":"x","messages":[]}`, "(https://x.com/a_(b)) “bit.ly/x”, s.id/y… ｗｗｗ.ｂｌｉｂｌｉ.ｃｏｍ")
	f.Add(`{"text":"\ud800"}`, "transfer ke rekening 1234567890 a/n Budi, bukan lewat blibli.com\u202e moc.ilbilb")
	f.Add(`{"messages":null}`, "http://0x7f.1/ https://user:pw@blibli.com.evil.example/ intent://x")
	g := rewriteGateway(f, false, 1_000_000)
	h := g.Internal()
	keys, err := linksign.ParseKeyring(signingKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, text string) {
		single, _ := json.Marshal(map[string]string{"text": text})
		batch, _ := json.Marshal(map[string][]string{"messages": {text, "lihat " + text}})
		for _, b := range []string{body, string(single), string(batch)} {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/rewrite", strings.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+apiToken)
			rec := serve(t, h, req)
			if rec.Code == http.StatusOK {
				checkRewritten(t, keys, b, rec.Body.Bytes())
			} else if b != body {
				t.Fatalf("POST %s: %d %s", b, rec.Code, rec.Body)
			}
		}
	})
}

// checkRewritten checks a 200 answer of the rewrite API to body.
func checkRewritten(t *testing.T, keys *linksign.Keyring, body string, answer []byte) {
	t.Helper()
	var req struct {
		Text     *string  `json:"text"`
		Messages []string `json:"messages"`
	}
	var out struct {
		click.RewrittenMessage
		Messages []click.RewrittenMessage `json:"messages"`
	}
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatalf("the rewrite API accepted %q, which is not JSON: %v", body, err)
	}
	if err := json.Unmarshal(answer, &out); err != nil {
		t.Fatalf("answer %s: %v", answer, err)
	}
	inputs, got := req.Messages, out.Messages
	if req.Text != nil {
		inputs, got = []string{*req.Text}, []click.RewrittenMessage{out.RewrittenMessage}
	}
	if len(got) != len(inputs) {
		t.Fatalf("%d messages rewritten of %d: %s", len(got), len(inputs), answer)
	}
	for i, in := range inputs {
		checkFound(t, in, got[i])
		checkSignals(t, in, got[i])
		var want strings.Builder
		last := 0
		for _, l := range got[i].Links {
			if l.Start < last || l.End > len(in) || l.Start >= l.End || in[l.Start:l.End] != l.Text {
				t.Fatalf("message %q: link %q at %d:%d", in, l.Text, l.Start, l.End)
			}
			want.WriteString(in[last:l.Start])
			want.WriteString(l.Href)
			last = l.End
			checkHref(t, keys, l)
		}
		want.WriteString(in[last:])
		if got[i].Text != want.String() {
			t.Fatalf("message %q rewritten as %q, want %q", in, got[i].Text, want.String())
		}
	}
}

// checkSignals fails unless the signals of m lie inside the input in, in
// order, on character boundaries, with the UTF-16 offsets a client counts,
// and every gateway link of m carries the kinds of its signals.
func checkSignals(t *testing.T, in string, m click.RewrittenMessage) {
	t.Helper()
	boundary := func(i int) bool { return i == len(in) || utf8.RuneStart(in[i]) }
	units := func(i int) int { return len(utf16.Encode([]rune(in[:i]))) }
	var kinds []verdict.SignalKind
	last := 0
	for _, s := range m.Signals {
		if s.Start < last || s.Start >= s.End || s.End > len(in) || !boundary(s.Start) || !boundary(s.End) || in[s.Start:s.End] != s.Text {
			t.Fatalf("message %q: signal %+v", in, s)
		}
		if s.StartUTF16 != units(s.Start) || s.EndUTF16 != units(s.End) || s.Hint.Title == "" {
			t.Fatalf("message %q: signal %+v; UTF-16 offsets %d–%d", in, s, units(s.Start), units(s.End))
		}
		last = s.Start
		kinds = append(kinds, s.Kind)
	}
	for _, l := range m.Links {
		if l.StartUTF16 != units(l.Start) || l.EndUTF16 != units(l.End) {
			t.Fatalf("message %q: link %+v; UTF-16 offsets %d–%d", in, l, units(l.Start), units(l.End))
		}
		rest, ok := strings.CutPrefix(l.Href, publicURL+"/go?")
		if q, err := verdict.ParseGoQuery(rest); ok && err == nil && l.Href != l.Text && q.Context != verdict.FormatSignalContext(kinds) {
			t.Fatalf("message %q with signals %v: link %q carries the context %q", in, kinds, l.Href, q.Context)
		}
	}
}

// checkFound fails unless the links of m are those linkify.Find reads in
// the input in, and every link Find reads in m's text is a gateway link.
func checkFound(t *testing.T, in string, m click.RewrittenMessage) {
	t.Helper()
	found := linkify.Find(in)
	if len(found) != len(m.Links) {
		t.Fatalf("message %q: %d links, Find reads %d", in, len(m.Links), len(found))
	}
	for i, l := range found {
		if got := m.Links[i]; got.Text != l.Text || got.Start != l.Start || got.End != l.End || got.URL != l.URL {
			t.Fatalf("message %q: link %d is %+v, Find reads %+v", in, i, got, l)
		}
	}
	for _, l := range linkify.Find(m.Text) {
		if !strings.HasPrefix(strings.ToLower(l.Text), publicURL+"/go?") {
			t.Fatalf("message %q rewritten as %q leaves the link %q", in, m.Text, l.Text)
		}
	}
}

// checkHref fails unless l's href is a gateway link to l's URL signed with
// keys, or l already was a gateway link and is kept as it is. A URL longer
// than /go accepts stands in the href cut just past that length.
func checkHref(t *testing.T, keys *linksign.Keyring, l click.RewrittenLink) {
	t.Helper()
	if l.Href == l.Text && strings.HasPrefix(strings.ToLower(l.URL), publicURL+"/go") {
		return
	}
	rest, ok := strings.CutPrefix(l.Href, publicURL+"/go?")
	q, err := verdict.ParseGoQuery(rest)
	cut := len(l.URL) > weburl.MaxLength && len(q.Link) > weburl.MaxLength && len(q.Link) <= weburl.MaxLength+utf8.UTFMax && strings.HasPrefix(l.URL, q.Link)
	if !ok || err != nil || q.Link != l.URL && !cut || keys.Verify(q.Link, q.Context, q.Signature) != nil {
		t.Fatalf("link %q (%s) has href %q: %+v, %v", l.Text, l.URL, l.Href, q, err)
	}
}

// FuzzAdminRule posts any body, and a rule with any value and expires_in,
// to the admin API: it never answers 5xx; an added rule is normalized, its
// author the name of the token whatever the body says, its value the
// normalized form of the one sent, its expiry the one asked for; and it
// can be removed again.
func FuzzAdminRule(f *testing.F) {
	f.Add(`{"match":"domain","value":"evil.example","action":"block","reason":"r","created_by":"b"}`, "Evil.Example.com.", "7d", uint8(0))
	f.Add(`{"match":"host","value":"1.2.3.4","action":"warn","reason":"r","created_by":"b","expires_in":"1h","expires_at":"2099-01-01T00:00:00Z"}`, "0x7f.1", "90m", uint8(1))
	f.Add(`{"id":"x"}`, "https://EVIL.example:443/a b?c=%zz", "367d", uint8(2))
	f.Add(`{"match":"url-prefix","value":"https://x.example/","action":"allow","reason":"\u0000","created_by":"b"}`, "ｅｖｉｌ.example.com", "-1h", uint8(5))
	f.Add(`[]`, "[2001:db8::1]", "0", uint8(4))
	f.Add(`{"match":"domain","value":"evil.example","action":"block","reason":"r","author":"mallory"}`, "evil.example", "", uint8(3))
	g := newFuzzGateway(f)
	h := g.Internal()
	kinds := []rules.Kind{rules.MatchDomain, rules.MatchHost, rules.MatchURLPrefix}
	actions := []verdict.RuleAction{verdict.RuleBlock, verdict.RuleWarn, verdict.RuleAllow}
	f.Fuzz(func(t *testing.T, body, value, expiresIn string, bits uint8) {
		sent := map[string]string{"match": string(kinds[bits%3]), "value": value, "action": string(actions[bits/3%3]),
			"reason": "penipuan", "created_by": "tim keamanan", "expires_in": expiresIn}
		rule, _ := json.Marshal(sent)
		// JSON carries text only: what the API receives has each invalid
		// UTF-8 byte of the fuzzed strings replaced with U+FFFD.
		if err := json.Unmarshal(rule, &sent); err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{body, string(rule)} {
			rec := serve(t, h, adminPost(b))
			if rec.Code != http.StatusCreated {
				continue
			}
			var added rules.Rule
			if err := json.Unmarshal(rec.Body.Bytes(), &added); err != nil {
				t.Fatalf("POST %s: %s: %v", b, rec.Body, err)
			}
			if again, err := added.Normalize(); err != nil || again != added || added.ID == "" || added.Author != adminName {
				t.Fatalf("POST %s added %+v, which normalizes to %+v, %v", b, added, again, err)
			}
			if b == string(rule) {
				checkAdded(t, sent, added)
			}
			del := httptest.NewRequest(http.MethodDelete, "/admin/v1/rules/"+added.ID+"?by=fuzz&why=selesai", nil)
			del.Header.Set("Authorization", "Bearer "+adminToken)
			if rec := serve(t, h, del); rec.Code != http.StatusOK {
				t.Fatalf("removing %+v: %d %s", added, rec.Code, rec.Body)
			}
		}
	})
}

// adminPost is a POST of a JSON body to /admin/v1/rules.
func adminPost(body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/admin/v1/rules", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	return req
}

// checkAdded fails unless added is the rule sent, normalized, with the
// expiry expires_in asked for.
func checkAdded(t *testing.T, sent map[string]string, added rules.Rule) {
	t.Helper()
	want, err := rules.Rule{Match: rules.Kind(sent["match"]), Value: sent["value"], Action: verdict.RuleAction(sent["action"]),
		Reason: sent["reason"], CreatedBy: sent["created_by"]}.Normalize()
	if err != nil || added.Value != want.Value || added.Match != want.Match || added.Action != want.Action {
		t.Fatalf("sent %v, added %+v, want %+v, %v", sent, added, want, err)
	}
	d, err := rules.ParseExpiresIn(sent["expires_in"])
	if err != nil {
		t.Fatalf("sent expires_in %q, which does not parse (%v), added %+v", sent["expires_in"], err, added)
	}
	if life := added.ExpiresAt.Sub(added.CreatedAt); added.ExpiresAt.IsZero() != (d == 0) || d > 0 && (life > d || life < d-time.Second) {
		t.Fatalf("sent expires_in %q, added %+v", sent["expires_in"], added)
	}
}

// FuzzForms posts the continue and report forms with any token and fields,
// and with tokens the gateway signed for any payload: it never answers
// 5xx; continue 303s only with a valid continue token, and then exactly to
// the target of the token's verdict decided afresh, when that verdict is a
// warning or a redirect; a report 303s only to the thanks page, with a
// valid report token and a known category.
func FuzzForms(f *testing.F) {
	for i, link := range invariantLinks {
		f.Add("eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA", link, gateway.ReportCategories[i%len(gateway.ReportCategories)], "Penjual minta transfer 😡", uint8(i))
	}
	f.Add("", `{"u":"https://wa.me/62","a":"warn","r":["messaging"],"s":"wa.me"}`, "scam", "\x00\u202e", uint8(0))
	f.Add("a.b", `{"u":1}`, "spam<script>", strings.Repeat("x", 600), uint8(1))
	g := newFuzzGateway(f)
	h := g.Public()
	sites := []string{"same-origin", "same-origin", "cross-site", "none", ""}
	f.Fuzz(func(t *testing.T, tok, payload, category, comment string, bits uint8) {
		expires := time.Now().Add(time.Hour)
		continueTok := g.tokens.Sign("continue", payload, expires)
		site := sites[int(bits)%len(sites)]
		for _, ct := range []string{tok, continueTok} {
			rec := serve(t, h, formPost("/go/continue", url.Values{"t": {ct}}, site))
			target, err := g.tokens.Verify("continue", ct, time.Now())
			if rec.Code == http.StatusSeeOther && (err != nil || site != "same-origin") {
				t.Fatalf("continue with the token %q from %q: 303 to %q", ct, site, rec.Header().Get("Location"))
			}
			if err != nil || site != "same-origin" {
				continue
			}
			v := g.checks.Decide(context.Background(), g.policy, target, click.Origin{Signature: verdict.SignedValid})
			follows := v.Action == verdict.Warn || v.Action == verdict.Redirect
			if loc := rec.Header().Get("Location"); (rec.Code == http.StatusSeeOther) != follows || follows && loc != v.Target {
				t.Fatalf("continue to %q: %d to %q for a %s verdict to %q", target, rec.Code, loc, v.Action, v.Target)
			}
		}
		for _, rt := range []string{tok, g.tokens.Sign("report", payload, expires)} {
			rec := serve(t, h, formPost("/report", url.Values{"t": {rt}, "category": {category}, "comment": {comment}}, site))
			if rec.Code != http.StatusSeeOther {
				continue
			}
			_, err := g.tokens.Verify("report", rt, time.Now())
			if err != nil || site != "same-origin" || !slices.Contains(gateway.ReportCategories, category) || rec.Header().Get("Location") != "/report/thanks" {
				t.Fatalf("report with the token %q (%v) from %q, category %q: 303 to %q", rt, err, site, category, rec.Header().Get("Location"))
			}
		}
	})
}

// formPost is a form posted from a page with the given Sec-Fetch-Site.
func formPost(path string, form url.Values, fetchSite string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if fetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	req.RemoteAddr = "203.0.113.9:5555"
	return req
}
