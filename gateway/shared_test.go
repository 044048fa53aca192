package gateway_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/bearer"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/reports"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/token"
	"github.com/blibli/safelink/gateway/verdict"
)

// The admin token of the test gateways, and its name.
const (
	adminToken = "test-admin-token-0123456789"
	adminName  = "secops"
)

// adminTokens holds adminToken by adminName.
var adminTokens = mustTokens(adminName + ":" + adminToken)

// mustTokens parses a list of named tokens of a test.
func mustTokens(list string) bearer.Tokens {
	tokens, err := bearer.Parse(list)
	if err != nil {
		panic(err)
	}
	return tokens
}

// sharedGateway is a gateway with in-memory shared state, as a single
// instance runs without Redis.
type sharedGateway struct {
	*gateway.Gateway
	rules    *rules.MemoryStore
	syncer   *rules.Syncer
	sink     *events.MemorySink
	queue    *events.Queue
	minutes  *series.MemoryStore
	recorder *series.Recorder
	tokens   *token.Signer // signs the gateway's form tokens
}

func newSharedGateway(t testing.TB, reportsPerMinute int) *sharedGateway {
	t.Helper()
	return newSharedGatewayLimits(t, reportsPerMinute, 600, 600)
}

// newSharedGatewayLimits is newSharedGateway with the given limits a
// minute of the admin token's calls and of each client's calls without a
// known token; each option changes the configuration before the start.
func newSharedGatewayLimits(t testing.TB, reportsPerMinute, adminPerMinute, authFailuresPerMinute int, options ...func(*gateway.Config)) *sharedGateway {
	t.Helper()
	s := &sharedGateway{rules: rules.NewMemoryStore(0), sink: events.NewMemorySink(0)}
	s.syncer = rules.NewSyncer(s.rules, rules.SyncerOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go s.syncer.Run(ctx)
	<-s.syncer.Loaded()
	s.minutes = series.NewMemoryStore(0)
	s.recorder = series.NewRecorder(s.minutes, series.RecorderOptions{FlushEvery: 10 * time.Millisecond})
	s.queue = events.NewQueue(s.sink, events.QueueOptions{FlushEvery: 10 * time.Millisecond, Tally: s.recorder.Tally})
	t.Cleanup(func() {
		s.queue.Close(context.Background())
		s.recorder.Close(context.Background())
	})
	hasher, err := events.NewHasher([]byte("a salt of sixteen bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	s.tokens, err = token.NewSigner([]byte(strings.Repeat("k", token.MinKeyLength)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := gateway.Config{
		HomeURL: "https://www.blibli.com/",
		Clicks:  click.Service{Rules: s.syncer},
		Shared: gateway.Shared{
			Rules: s.rules, RuleSync: s.syncer, Events: s.queue, Hasher: hasher, EventReader: s.sink,
			Minutes: s.minutes, Recorder: s.recorder,
			ReportLimit:      ratelimit.NewMemory(ratelimit.PerMinute(reportsPerMinute, reportsPerMinute), 0),
			AdminLimit:       ratelimit.NewMemory(ratelimit.PerMinute(adminPerMinute, adminPerMinute), 0),
			AuthFailureLimit: ratelimit.NewMemory(ratelimit.PerMinute(authFailuresPerMinute, authFailuresPerMinute), 0),
			ReportedRules:    gateway.ReportedRules{Counter: reports.NewMemory(time.Hour, 0), Threshold: 3, Window: time.Hour, TTL: 24 * time.Hour},
		},
		Tokens:      s.tokens,
		AdminTokens: adminTokens,
	}
	for _, option := range options {
		option(&cfg)
	}
	s.Gateway, err = gateway.New(cfg, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// addRule adds a rule and waits until this replica applies it.
func (s *sharedGateway) addRule(t testing.TB, r rules.Rule) rules.Rule {
	t.Helper()
	added, err := s.rules.Add(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for s.syncer.State().Revision < s.rulesRevision(t) {
		if time.Now().After(deadline) {
			t.Fatal("the rule was not applied within a second")
		}
		time.Sleep(time.Millisecond)
	}
	return added
}

func (s *sharedGateway) rulesRevision(t testing.TB) uint64 {
	snap, err := s.rules.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap.Revision
}

// events returns the stored events of a kind, newest first, once the
// queue has written them.
func (s *sharedGateway) events(t *testing.T, kind events.Kind) []events.Event {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for s.queue.Stats().Queued > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(30 * time.Millisecond) // one flush period for the batch in flight
	list, err := s.sink.Recent(context.Background(), kind, time.Time{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

var formToken = regexp.MustCompile(`name="t" value="([^"]+)"`)

// tokens returns the form tokens on a page, in order.
func tokens(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range formToken.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// post sends a form as a browser on the gateway's own page would.
func post(t *testing.T, h http.Handler, path string, form url.Values, fetchSite string) response {
	t.Helper()
	return postFrom(t, h, path, form, fetchSite, "203.0.113.9:5555")
}

// postFrom is post from the client at addr.
func postFrom(t *testing.T, h http.Handler, path string, form url.Values, fetchSite, addr string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if fetchSite != "" {
		req.Header.Set("Sec-Fetch-Site", fetchSite)
	}
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func TestContinueFlow(t *testing.T) {
	s := newSharedGateway(t, 100)
	h := s.Public()
	page := do(t, h, http.MethodGet, goURL("https://toko-sepatu.id/produk?id=7"))
	toks := tokens(t, page.body)
	if len(toks) != 2 || !strings.Contains(page.body, `action="/go/continue"`) {
		t.Fatalf("the warning page has %d form tokens", len(toks))
	}
	continueToken := toks[0]

	r := post(t, h, "/go/continue", url.Values{"t": {continueToken}}, "same-origin")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "https://toko-sepatu.id/produk?id=7" {
		t.Fatalf("continue: %d %q", r.status, r.header.Get("Location"))
	}
	got := s.events(t, events.KindContinue)
	if len(got) != 1 || got[0].Site != "toko-sepatu.id" || !got[0].HasReason("external") || got[0].UserHash == "" || strings.Contains(got[0].UserHash, "203.0.113.9") {
		t.Errorf("continue events: %+v", got)
	}

	tests := []struct {
		name      string
		form      url.Values
		fetchSite string
		status    int
		text      string
	}{
		{"cross-site", url.Values{"t": {continueToken}}, "cross-site", http.StatusForbidden, "Permintaan tidak bisa diproses"},
		{"opened from outside", url.Values{"t": {continueToken}}, "none", http.StatusForbidden, "Permintaan tidak bisa diproses"},
		{"no token", nil, "same-origin", http.StatusBadRequest, "kedaluwarsa"},
		{"forged token", url.Values{"t": {"eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA"}}, "same-origin", http.StatusBadRequest, "kedaluwarsa"},
		{"report token", url.Values{"t": {toks[1]}}, "same-origin", http.StatusBadRequest, "kedaluwarsa"},
	}
	for _, tt := range tests {
		r := post(t, h, "/go/continue", tt.form, tt.fetchSite)
		if r.status != tt.status || r.header.Get("Location") != "" || !strings.Contains(r.body, tt.text) {
			t.Errorf("%s: %d %q", tt.name, r.status, r.header.Get("Location"))
		}
	}
	if r := do(t, h, http.MethodGet, "/go/continue?t="+url.QueryEscape(continueToken)); r.status != http.StatusMethodNotAllowed || r.header.Get("Location") != "" {
		t.Errorf("GET /go/continue: %d %q: a link in chat must never skip the warning", r.status, r.header.Get("Location"))
	}

	// The token counts only in the posted form, never in the query string.
	inQuery := httptest.NewRequest(http.MethodPost, "/go/continue?t="+url.QueryEscape(continueToken), strings.NewReader(""))
	inQuery.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	inQuery.Header.Set("Sec-Fetch-Site", "same-origin")
	queried := httptest.NewRecorder()
	h.ServeHTTP(queried, inQuery)
	if queried.Code != http.StatusBadRequest || queried.Header().Get("Location") != "" {
		t.Errorf("continue with the token in the query string: %d %q", queried.Code, queried.Header().Get("Location"))
	}

	// Without Sec-Fetch-Site, an Origin of the gateway itself is accepted.
	req := httptest.NewRequest(http.MethodPost, "/go/continue", strings.NewReader(url.Values{"t": {continueToken}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://"+req.Host)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Errorf("continue with a same Origin: %d", rec.Code)
	}

	// The destination is decided again: blocked meanwhile, it is not followed.
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "toko-sepatu.id", Action: verdict.RuleBlock, Reason: "penipuan", Author: "test"})
	r = post(t, h, "/go/continue", url.Values{"t": {continueToken}}, "same-origin")
	if r.status != http.StatusForbidden || r.header.Get("Location") != "" || !strings.Contains(r.body, "penipuan") {
		t.Errorf("continue to a link blocked since: %d %q", r.status, r.header.Get("Location"))
	}
}

func TestReportFlow(t *testing.T) {
	s := newSharedGateway(t, 2)
	h := s.Public()
	page := do(t, h, http.MethodGet, goURL("https://wa.me/6281234567890"))
	reportToken := tokens(t, page.body)[1]

	r := post(t, h, "/report", url.Values{"t": {reportToken}, "category": {"scam"}, "comment": {"  Penjual minta transfer\u202e ke rekening pribadi\x00  "}}, "same-origin")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/report/thanks" {
		t.Fatalf("report: %d %q", r.status, r.header.Get("Location"))
	}
	if thanks := do(t, h, http.MethodGet, "/report/thanks"); thanks.status != http.StatusOK || !strings.Contains(thanks.body, "Terima kasih") {
		t.Errorf("thanks page: %d", thanks.status)
	}
	got := s.events(t, events.KindReport)
	if len(got) != 1 || got[0].Category != "scam" || got[0].Comment != "Penjual minta transfer ke rekening pribadi" ||
		got[0].Site != "wa.me" || !got[0].HasReason("messaging") || got[0].Action != "warn" {
		t.Errorf("report events: %+v", got)
	}

	if r := post(t, h, "/report", url.Values{"t": {reportToken}, "category": {"spam<script>"}}, "same-origin"); r.status != http.StatusBadRequest {
		t.Errorf("an unknown category: %d", r.status)
	}
	// Two reports a minute: the third is refused with Retry-After.
	r = post(t, h, "/report", url.Values{"t": {reportToken}, "category": {"other"}}, "same-origin")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Terlalu banyak percobaan") {
		t.Errorf("the third report in a minute: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if r := post(t, newSharedGateway(t, 100).Public(), "/report", url.Values{"t": {reportToken}, "category": {"scam"}}, "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("a cross-site report: %d", r.status)
	}
	big := url.Values{"t": {reportToken}, "category": {"scam"}, "comment": {strings.Repeat("a", 20<<10)}}
	if r := post(t, newSharedGateway(t, 100).Public(), "/report", big, "same-origin"); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 20 KiB report: %d", r.status)
	}
}

func TestBlockPageOffersAFalsePositiveReport(t *testing.T) {
	s := newSharedGateway(t, 100)
	s.addRule(t, rules.Rule{Match: rules.MatchHost, Value: "promo.blibli.com", Action: verdict.RuleBlock, Reason: "Subdomain diambil alih", Author: "test"})
	r := do(t, s.Public(), http.MethodGet, goURL("https://promo.blibli.com/"))
	if r.status != http.StatusForbidden || !strings.Contains(r.body, `value="false-positive" selected`) || len(tokens(t, r.body)) != 1 {
		t.Errorf("block page: %d, report form %v", r.status, strings.Contains(r.body, "false-positive"))
	}
}

func TestRules(t *testing.T) {
	s := newSharedGateway(t, 100)
	h := s.Public()
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "blibli.com", Action: verdict.RuleWarn, Reason: "Uji peringatan", Author: "test"})
	s.addRule(t, rules.Rule{Match: rules.MatchHost, Value: "login.blibli.com", Action: verdict.RuleBlock, Reason: "Subdomain disusupi", Author: "test"})
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "mitra-resmi.co.id", Action: verdict.RuleAllow, Reason: "Mitra resmi", Author: "test"})
	tests := []struct {
		link   string
		status int
		text   string
	}{
		{"https://login.blibli.com/x", http.StatusForbidden, "Subdomain disusupi"},         // block beats the allowlist and the warn rule
		{"https://www.blibli.com/x", http.StatusOK, "Uji peringatan"},                      // a warn rule on an official host
		{"https://toko.mitra-resmi.co.id/x", http.StatusFound, "toko.mitra-resmi.co.id/x"}, // allow: a partner redirects
		{"http://toko.mitra-resmi.co.id/x", http.StatusOK, "reason-insecure"},              // but never over http
		{"https://user@toko.mitra-resmi.co.id/x", http.StatusOK, "reason-credentials"},     // nor with credentials
	}
	for _, tt := range tests {
		r := do(t, h, http.MethodGet, goURL(tt.link))
		if r.status != tt.status || !strings.Contains(r.body+r.header.Get("Location"), tt.text) {
			t.Errorf("%s: %d %q", tt.link, r.status, r.header.Get("Location"))
		}
	}
}

// The gateway remembers what a query string decides, but never the facts
// of a click: a rule added after a link was tapped applies to the next tap.
func TestRulesApplyToLinksAlreadyTapped(t *testing.T) {
	s := newSharedGateway(t, 100)
	h := s.Public()
	link := goURL("https://www.blibli.com/p/kaos")
	for range 2 {
		if r := do(t, h, http.MethodGet, link); r.status != http.StatusFound {
			t.Fatalf("before the rule: %d", r.status)
		}
	}
	rule := s.addRule(t, rules.Rule{Match: rules.MatchHost, Value: "www.blibli.com", Action: verdict.RuleBlock, Reason: "Diblokir sementara", Author: "test"})
	if r := do(t, h, http.MethodGet, link); r.status != http.StatusForbidden || !strings.Contains(r.body, "Diblokir sementara") {
		t.Errorf("after the block rule: %d", r.status)
	}
	if _, err := s.rules.Remove(context.Background(), rule.ID, rules.Removal{Author: "test", Why: "selesai"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for do(t, h, http.MethodGet, link).status != http.StatusFound {
		if time.Now().After(deadline) {
			t.Fatal("the link stayed blocked after the rule was removed")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestExpiredRulesStopOnTime(t *testing.T) {
	s := newSharedGateway(t, 100)
	expires := time.Now().Add(300 * time.Millisecond)
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "blibli.com", Action: verdict.RuleBlock, Reason: "sementara", Author: "test", ExpiresAt: expires})
	if r := do(t, s.Public(), http.MethodGet, goURL("https://www.blibli.com/")); r.status != http.StatusForbidden {
		t.Fatalf("before expiry: %d", r.status)
	}
	time.Sleep(time.Until(expires))
	if r := do(t, s.Public(), http.MethodGet, goURL("https://www.blibli.com/")); r.status != http.StatusFound {
		t.Errorf("at expiry: %d", r.status)
	}
}

func adminRequest(t *testing.T, h http.Handler, method, path, body, bearer string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func TestAdminAPI(t *testing.T) {
	s := newSharedGateway(t, 100)
	h := s.Internal()
	add := `{"match":"domain","value":"Phish-Promo.XYZ","action":"block","reason":"kampanye","created_by":"alice","expires_in":"24h"}`

	for _, bearer := range []string{"", "wrong", adminToken + "x"} {
		if r := adminRequest(t, h, http.MethodPost, "/admin/v1/rules", add, bearer); r.status != http.StatusUnauthorized || !strings.Contains(r.body, `"error"`) {
			t.Errorf("bearer %q: %d %s", bearer, r.status, r.body)
		}
	}
	r := adminRequest(t, h, http.MethodPost, "/admin/v1/rules", add, adminToken)
	var added rules.Rule
	if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &added) != nil || added.ID == "" || added.Value != "phish-promo.xyz" ||
		time.Until(added.ExpiresAt) < 23*time.Hour || added.Author != adminName || added.CreatedBy != "alice" {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	bad := map[string]string{
		`{"match":"domain","value":"ok-toko.com","action":"explode","reason":"r","created_by":"a"}`:                   "action",
		`{"match":"domain","value":"github.io","action":"block","reason":"r","created_by":"a"}`:                       "value",
		`{"match":"domain","value":"ok-toko.com","action":"block","reason":"","created_by":"a"}`:                      "reason",
		`{"match":"domain","value":"ok-toko.com","action":"block","reason":"r","created_by":"a","colour":"red"}`:      "colour",
		`{"match":"domain","value":"ok-toko.com","action":"block","reason":"r","created_by":"a","expires_in":"soon"}`: "expires_in",
		`{"match":"domain"`: "bad JSON",
		`{"id":"x","match":"domain","value":"ok-toko.com","action":"block","reason":"r","created_by":"a"}`: "set by the gateway",
		// The author is the token's; the body cannot name another.
		`{"author":"mallory","match":"domain","value":"ok-toko.com","action":"block","reason":"r"}`: "set by the gateway",
	}
	for body, want := range bad {
		if r := adminRequest(t, h, http.MethodPost, "/admin/v1/rules", body, adminToken); r.status != http.StatusBadRequest || !strings.Contains(r.body, want) {
			t.Errorf("%s: %d %s; want an error about %s", body, r.status, r.body, want)
		}
	}
	if r := adminRequest(t, h, http.MethodGet, "/admin/v1/rules", "", adminToken); r.status != http.StatusOK || !strings.Contains(r.body, added.ID) {
		t.Errorf("list: %d %s", r.status, r.body)
	}
	if r := adminRequest(t, h, http.MethodDelete, "/admin/v1/rules/"+added.ID, `{"by":"bob"}`, adminToken); r.status != http.StatusBadRequest {
		t.Errorf("remove without why: %d %s", r.status, r.body)
	}
	if r := adminRequest(t, h, http.MethodDelete, "/admin/v1/rules/"+added.ID, `{"by":"bob","why":"kampanye selesai"}`, adminToken); r.status != http.StatusOK {
		t.Errorf("remove: %d %s", r.status, r.body)
	}
	if r := adminRequest(t, h, http.MethodDelete, "/admin/v1/rules/"+added.ID+"?by=bob&why=again", "", adminToken); r.status != http.StatusNotFound {
		t.Errorf("remove again: %d %s", r.status, r.body)
	}
	r = adminRequest(t, h, http.MethodGet, "/admin/v1/audit?limit=10", "", adminToken)
	var audit struct{ Changes []rules.Change }
	if json.Unmarshal([]byte(r.body), &audit) != nil || len(audit.Changes) != 2 || audit.Changes[0].Op != rules.OpRemove ||
		audit.Changes[0].Author != adminName || audit.Changes[0].Note != "bob" || audit.Changes[0].Why != "kampanye selesai" ||
		audit.Changes[1].Author != adminName || audit.Changes[1].Note != "alice" {
		t.Errorf("audit: %d %s", r.status, r.body)
	}
	if r := adminRequest(t, h, http.MethodGet, "/admin/v1/audit?limit=0", "", adminToken); r.status != http.StatusBadRequest {
		t.Errorf("audit limit 0: %d", r.status)
	}
	do(t, s.Public(), http.MethodGet, goURL("https://bit.ly/x"))
	s.events(t, events.KindDecision)
	if r := adminRequest(t, h, http.MethodGet, "/admin/v1/stats?since=1h", "", adminToken); r.status != http.StatusOK || !strings.Contains(r.body, "bit.ly") {
		t.Errorf("stats: %d %s", r.status, r.body)
	}
	if r := adminRequest(t, h, http.MethodGet, "/admin/v1/nope", "", adminToken); r.status != http.StatusNotFound || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("unknown admin path: %d %q", r.status, r.header.Get("Content-Type"))
	}
	if r := adminRequest(t, s.Public(), http.MethodGet, "/admin/v1/rules", "", adminToken); r.status != http.StatusNotFound {
		t.Errorf("the admin API is on the public listener: %d", r.status)
	}
	off := newGateway(t, gateway.Config{})
	if r := adminRequest(t, off.Internal(), http.MethodGet, "/admin/v1/rules", "", adminToken); r.status != http.StatusServiceUnavailable {
		t.Errorf("without admin tokens: %d", r.status)
	}
}

func TestMetrics(t *testing.T) {
	s := newSharedGateway(t, 100)
	do(t, s.Public(), http.MethodGet, goURL("https://bit.ly/x"))
	do(t, s.Public(), http.MethodGet, goURL("https://www.blibli.com/"))
	r := do(t, s.Internal(), http.MethodGet, "/metrics")
	for _, want := range []string{
		`safelink_decisions_total{action="warn"} 1`,
		`safelink_decisions_total{action="redirect"} 1`,
		`safelink_decision_reasons_total{reason="shortener"} 1`,
		`safelink_request_duration_seconds_bucket{route="/go",le=`,
		"safelink_rules 0", "safelink_rules_sync_age_seconds", "safelink_event_queue_depth",
		"safelink_events_dropped_total 0", "safelink_reload_failures_total 0", "go_goroutines",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if r := do(t, s.Public(), http.MethodGet, "/metrics"); r.status != http.StatusNotFound {
		t.Errorf("metrics on the public listener: %d", r.status)
	}
}
