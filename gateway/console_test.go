package gateway_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/bearer"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/ratelimit"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/series"
	"github.com/blibli/safelink/gateway/token"
	"github.com/blibli/safelink/gateway/verdict"
)

// The authenticating proxy of the console tests, and an address that is
// not one.
const (
	proxyAddr    = "10.0.0.7:41000"
	strangerAddr = "192.0.2.9:41000"
	proxyEmail   = "ayu@blibli.example"
)

// consoleSetup is a gateway with a console, its rule store and its
// per-minute counts.
type consoleSetup struct {
	h          http.Handler
	rules      *rules.MemoryStore
	minutes    *series.MemoryStore
	dismissals *dismissals.Memory
	syncer     *rules.Syncer
}

func newConsole(t testing.TB, authFailures ratelimit.Limiter, options ...func(*gateway.Config)) *consoleSetup {
	t.Helper()
	s := &consoleSetup{rules: rules.NewMemoryStore(rules.DefaultAuditRetention), minutes: series.NewMemoryStore(series.DefaultRetention),
		dismissals: dismissals.NewMemory(0)}
	syncer := rules.NewSyncer(s.rules, rules.SyncerOptions{})
	s.syncer = syncer
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go syncer.Run(ctx)
	<-syncer.Loaded()
	cfg := gateway.Config{
		AdminTokens: adminTokens,
		Clicks:      click.Service{Rules: syncer},
		Shared:      gateway.Shared{Rules: s.rules, Minutes: s.minutes, AuthFailureLimit: authFailures, Dismissals: s.dismissals},
		Console:     gateway.Console{Files: safelink.Console(), TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}},
	}
	for _, o := range options {
		o(&cfg)
	}
	cfg.HomeURL = "https://www.blibli.com/"
	g, err := gateway.New(cfg, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	s.h = g.Internal()
	return s
}

// stored lists the rules in the store.
func (s *consoleSetup) stored(t testing.TB) []rules.Rule {
	t.Helper()
	snap, err := s.rules.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap.Rules
}

// consoleRequest is one request to the console.
type consoleRequest struct {
	method, target string
	form           url.Values // posted when set
	header         http.Header
	remoteAddr     string
	cookies        []*http.Cookie
}

func (s *consoleSetup) do(t testing.TB, r consoleRequest) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if r.form != nil {
		req = httptest.NewRequest(r.method, r.target, strings.NewReader(r.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(r.method, r.target, nil)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if r.remoteAddr != "" {
		req.RemoteAddr = r.remoteAddr
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// sameSite are the headers of a form a console page posted.
func sameSite() http.Header { return http.Header{"Sec-Fetch-Site": {"same-origin"}} }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf finds the form token of a page.
func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form token in the page:\n%s", body)
	}
	return m[1]
}

// signIn signs in with token and returns the session cookie.
func (s *consoleSetup) signIn(t testing.TB) *http.Cookie {
	t.Helper()
	page := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/signin"})
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/signin", header: sameSite(),
		form: url.Values{"csrf": {csrfOf(t, page.Body.String())}, "token": {adminToken}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/rules" {
		t.Fatalf("sign-in: %d to %q, want 303 to /console/rules: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "safelink_console" {
			return c
		}
	}
	t.Fatal("sign-in set no session cookie")
	return nil
}

// page gets a console page as the session's person and returns its body
// and its form token.
func (s *consoleSetup) page(t testing.TB, session *http.Cookie, target string) (string, string) {
	t.Helper()
	rec := s.do(t, consoleRequest{method: http.MethodGet, target: target, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d\n%s", target, rec.Code, rec.Body)
	}
	return rec.Body.String(), csrfOf(t, rec.Body.String())
}

// consolePages are every page of the console a person can open.
var consolePages = []string{"/console/", "/console/?period=week", "/console/rules", "/console/reports", "/console/audit", "/console/check", "/console/check?u=https%3A%2F%2Ftoko.example%2F"}

func TestConsoleNeedsSomeoneSignedIn(t *testing.T) {
	s := newConsole(t, nil)
	for _, target := range append(consolePages, "/console/") {
		rec := s.do(t, consoleRequest{method: http.MethodGet, target: target})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/signin" {
			t.Errorf("GET %s: %d to %q, want 303 to the sign-in page", target, rec.Code, rec.Header().Get("Location"))
		}
	}
	for _, target := range []string{"/console/rules", "/console/rules/preview", "/console/rules/x/remove", "/console/signout"} {
		rec := s.do(t, consoleRequest{method: http.MethodPost, target: target, header: sameSite(),
			form: url.Values{"match": {"domain"}, "value": {"toko.xyz"}, "action": {"block"}, "reason": {"x"}, "why": {"x"}}})
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("POST %s: %d, want 401", target, rec.Code)
		}
	}
	// A session cookie that is not the gateway's is nobody's.
	forged := &http.Cookie{Name: "safelink_console", Value: "c2Vjb3Bz.AAAAAAAAAAAAAAAAAAAAAA"}
	if rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", cookies: []*http.Cookie{forged}}); rec.Code != http.StatusSeeOther {
		t.Errorf("a forged session: %d, want 303 to the sign-in page", rec.Code)
	}
	if len(s.stored(t)) != 0 {
		t.Errorf("a request without a person changed the rules: %v", s.stored(t))
	}
}

func TestConsoleSignInSetsAStrictSessionAndSignOutClearsIt(t *testing.T) {
	s := newConsole(t, nil)
	session := s.signIn(t)
	if !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/console/" {
		t.Errorf("session cookie %+v: want Secure, HttpOnly, SameSite=Strict, Path=/console/", session)
	}
	if session.MaxAge <= 0 || time.Duration(session.MaxAge)*time.Second > gateway.ConsoleSessionTTL {
		t.Errorf("session cookie lasts %ds, want up to %v", session.MaxAge, gateway.ConsoleSessionTTL)
	}
	if strings.Contains(session.Value, adminToken) {
		t.Error("the session cookie holds the admin token")
	}
	body, csrf := s.page(t, session, "/console/rules")
	if !strings.Contains(body, adminName) {
		t.Errorf("the rules page does not name %q, who signed in", adminName)
	}
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/signout", header: sameSite(),
		form: url.Values{"csrf": {csrf}}, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/signin" {
		t.Fatalf("sign-out: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	cleared := false
	for _, c := range rec.Result().Cookies() {
		cleared = cleared || c.Name == "safelink_console" && c.MaxAge < 0 && c.Value == ""
	}
	if !cleared {
		t.Errorf("sign-out did not clear the session cookie: %v", rec.Result().Cookies())
	}
}

func TestConsoleSignInRefusesBadTokensAndLimitsFailures(t *testing.T) {
	s := newConsole(t, ratelimit.NewMemory(ratelimit.PerMinute(2, 2), 0))
	page := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/signin"})
	csrf := csrfOf(t, page.Body.String())
	var codes []int
	for range 3 {
		rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/signin", header: sameSite(),
			form: url.Values{"csrf": {csrf}, "token": {"not-the-admin-token-at-all"}}})
		if len(rec.Result().Cookies()) != 0 {
			t.Errorf("a bad token got a cookie: %v", rec.Result().Cookies())
		}
		codes = append(codes, rec.Code)
	}
	if codes[0] != http.StatusUnauthorized || codes[1] != http.StatusUnauthorized || codes[2] != http.StatusTooManyRequests {
		t.Errorf("three bad tokens got %v, want 401 401 429", codes)
	}
	// The sign-in form is refused without its token or from another site.
	for name, r := range map[string]consoleRequest{
		"no token":   {header: sameSite(), form: url.Values{"token": {adminToken}}},
		"cross-site": {header: http.Header{"Sec-Fetch-Site": {"cross-site"}}, form: url.Values{"csrf": {csrf}, "token": {adminToken}}},
		"no origin":  {form: url.Values{"csrf": {csrf}, "token": {adminToken}}},
	} {
		r.method, r.target = http.MethodPost, "/console/signin"
		if rec := s.do(t, r); rec.Code != http.StatusForbidden || len(rec.Result().Cookies()) != 0 {
			t.Errorf("%s: %d with cookies %v, want 403 and none", name, rec.Code, rec.Result().Cookies())
		}
	}
	metrics := s.do(t, consoleRequest{method: http.MethodGet, target: "/metrics"}).Body.String()
	for _, want := range []string{`safelink_api_auth_failures_total{api="console"} 2`, `safelink_token_failures_total{form="console-signin"} 3`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestConsoleTrustsTheProxysEmailOnlyFromTheProxy(t *testing.T) {
	s := newConsole(t, nil)
	for _, header := range []string{"X-Auth-Request-Email", "X-Forwarded-Email"} {
		rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", remoteAddr: proxyAddr, header: http.Header{header: {proxyEmail}}})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), proxyEmail) {
			t.Errorf("%s from the proxy: %d, want 200 naming %s", header, rec.Code, proxyEmail)
		}
		rec = s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", remoteAddr: strangerAddr, header: http.Header{header: {proxyEmail}}})
		if rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), proxyEmail) {
			t.Errorf("%s from %s: %d, want 403", header, strangerAddr, rec.Code)
		}
		// Even with a valid session, the header of a stranger is refused.
		rec = s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", remoteAddr: strangerAddr,
			header: http.Header{header: {proxyEmail}}, cookies: []*http.Cookie{s.signIn(t)}})
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s from %s with a session: %d, want 403", header, strangerAddr, rec.Code)
		}
	}
	for _, bad := range []string{"", "nobody", "a b@example.com", "<x>@example.com", strings.Repeat("a", 100) + "@example.com", "ayu@blibli.example\x00"} {
		rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", remoteAddr: proxyAddr, header: http.Header{"X-Auth-Request-Email": {bad}}})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("email %q from the proxy: %d, want 400", bad, rec.Code)
		}
	}
}

func TestConsoleTakesAdminBearerTokensForScripts(t *testing.T) {
	s := newConsole(t, nil)
	bearer := http.Header{"Authorization": {"Bearer " + adminToken}}
	for _, target := range consolePages {
		if rec := s.do(t, consoleRequest{method: http.MethodGet, target: target, header: bearer}); rec.Code != http.StatusOK {
			t.Errorf("GET %s with the admin token: %d", target, rec.Code)
		}
	}
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules", header: bearer,
		form: url.Values{"match": {"domain"}, "value": {"toko-palsu.xyz"}, "action": {"block"}, "reason": {"scam reported in chat"}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("adding a rule with the admin token: %d\n%s", rec.Code, rec.Body)
	}
	audit, _ := s.rules.Audit(context.Background(), 10)
	if len(audit) != 1 || audit[0].Author != adminName {
		t.Errorf("audit %+v, want one change by %s", audit, adminName)
	}
	rec = s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", header: http.Header{"Authorization": {"Bearer unknown-token-0123456789"}}})
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("an unknown bearer token: %d, want 401", rec.Code)
	}
}

func TestConsoleCountsBearerCallsAgainstTheTokensLimit(t *testing.T) {
	limit := ratelimit.NewMemory(ratelimit.Limit{Every: time.Hour, Burst: 2}, 0)
	s := newConsole(t, nil, func(c *gateway.Config) { c.Shared.AdminLimit = limit })
	bearer := http.Header{"Authorization": {"Bearer " + adminToken}}
	for i := range 2 {
		if rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", header: bearer}); rec.Code != http.StatusOK {
			t.Fatalf("call %d within the limit: %d", i+1, rec.Code)
		}
	}
	rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", header: bearer})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("a call past the token's limit: %d, Retry-After %q; want 429 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if strings.Contains(rec.Body.String(), adminToken) {
		t.Error("the refusal shows the token")
	}
	// Its limit is the token's, not the console's: a person signed in
	// with a session is not refused.
	if rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", cookies: []*http.Cookie{s.signIn(t)}}); rec.Code != http.StatusOK {
		t.Errorf("a signed-in session after the token's limit: %d", rec.Code)
	}
}

func TestConsoleFormsNeedTheirSessionsTokenAndTheSameOrigin(t *testing.T) {
	s := newConsole(t, nil)
	session, other := s.signIn(t), s.signIn(t)
	_, csrf := s.page(t, session, "/console/rules")
	_, otherCSRF := s.page(t, other, "/console/rules")
	_, proxyCSRF := s.page(t, session, "/console/rules")
	rule := func(csrf string) url.Values {
		v := url.Values{"match": {"domain"}, "value": {"toko-palsu.xyz"}, "action": {"block"}, "reason": {"scam"}}
		if csrf != "" {
			v.Set("csrf", csrf)
		}
		return v
	}
	for name, r := range map[string]consoleRequest{
		"no token":             {header: sameSite(), form: rule("")},
		"another's token":      {header: sameSite(), form: rule(otherCSRF)},
		"a made-up token":      {header: sameSite(), form: rule("AAAA.BBBB")},
		"cross-site":           {header: http.Header{"Sec-Fetch-Site": {"cross-site"}}, form: rule(csrf)},
		"same-site, not ours":  {header: http.Header{"Sec-Fetch-Site": {"same-site"}}, form: rule(csrf)},
		"another origin":       {header: http.Header{"Origin": {"https://evil.example"}}, form: rule(csrf)},
		"the token in the URL": {header: sameSite(), form: rule(""), target: "/console/rules?csrf=" + url.QueryEscape(csrf)},
	} {
		for _, target := range []string{"/console/rules", "/console/rules/preview"} {
			r.method, r.cookies = http.MethodPost, []*http.Cookie{session}
			if r.target == "" || !strings.HasPrefix(r.target, target+"?") {
				r.target = target
			}
			if rec := s.do(t, r); rec.Code != http.StatusForbidden {
				t.Errorf("%s to %s: %d, want 403", name, target, rec.Code)
			}
		}
	}
	// A proxy's person has tokens of its own, not a session's.
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules", remoteAddr: proxyAddr,
		header: http.Header{"X-Auth-Request-Email": {proxyEmail}, "Sec-Fetch-Site": {"same-origin"}}, form: rule(proxyCSRF)})
	if rec.Code != http.StatusForbidden {
		t.Errorf("a session's token from the proxy's person: %d, want 403", rec.Code)
	}
	if n := len(s.stored(t)); n != 0 {
		t.Fatalf("refused forms added %d rules", n)
	}
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules", header: http.Header{"Origin": {"http://example.com"}},
		form: rule(csrf), cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusSeeOther {
		t.Errorf("the form with its token from its own origin: %d, want 303\n%s", rec.Code, rec.Body)
	}
}

// countClicks records clicks on site answered with action over the last
// hours.
func countClicks(t testing.TB, minutes *series.MemoryStore, site string, action verdict.Action, n int64) {
	t.Helper()
	start := series.StartOf(time.Now().Add(-2*time.Hour), time.Minute)
	err := minutes.Add(context.Background(), []series.Bucket{{Start: start, Counts: map[series.Key]int64{
		{Count: series.Sites, Action: action, Name: site}: n,
		{Count: series.Decisions, Action: action}:         n,
	}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConsoleAddsARuleAfterItsPreviewAuditedByThePerson(t *testing.T) {
	s := newConsole(t, nil)
	countClicks(t, s.minutes, "toko-palsu.xyz", verdict.Warn, 41)
	countClicks(t, s.minutes, "toko-palsu.xyz", verdict.Redirect, 1)
	countClicks(t, s.minutes, "lain.xyz", verdict.Warn, 500)
	proxy := http.Header{"X-Auth-Request-Email": {proxyEmail}, "Sec-Fetch-Site": {"same-origin"}}
	page := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", remoteAddr: proxyAddr, header: proxy})
	csrf := csrfOf(t, page.Body.String())
	form := url.Values{"csrf": {csrf}, "match": {"domain"}, "value": {"TOKO-PALSU.xyz"}, "action": {"block"},
		"reason": {"penipuan di chat"}, "expires_in": {"7d"}}
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules/preview", remoteAddr: proxyAddr, header: proxy, form: form})
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, `<strong class="total">42</strong>`) || !strings.Contains(body, "toko-palsu.xyz") {
		t.Fatalf("preview: %d, want 200 showing 42 clicks on toko-palsu.xyz\n%s", rec.Code, body)
	}
	if strings.Contains(body, "500") {
		t.Error("the preview counts another domain's clicks")
	}
	if !strings.Contains(body, "paling banyak diklik") {
		t.Error("the preview does not say it counts the most-clicked domains only")
	}
	if len(s.stored(t)) != 0 {
		t.Fatal("the preview added the rule")
	}
	confirm := url.Values{"csrf": {csrfOf(t, body)}}
	for _, f := range []string{"match", "value", "action", "reason", "expires_in"} {
		m := regexp.MustCompile(`name="` + f + `" value="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the preview's confirm form has no %s", f)
		}
		confirm.Set(f, m[1])
	}
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules", remoteAddr: proxyAddr, header: proxy, form: confirm})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/console/rules?added=") {
		t.Fatalf("confirm: %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	got := s.stored(t)
	if len(got) != 1 || got[0].Value != "toko-palsu.xyz" || got[0].Action != verdict.RuleBlock || got[0].Author != proxyEmail ||
		got[0].ExpiresAt.Sub(got[0].CreatedAt).Round(time.Hour) != 7*24*time.Hour {
		t.Fatalf("rules %+v, want the block of toko-palsu.xyz for 7 days by %s", got, proxyEmail)
	}
	audit, _ := s.rules.Audit(context.Background(), 10)
	if len(audit) != 1 || audit[0].Author != proxyEmail || audit[0].Op != rules.OpAdd {
		t.Errorf("audit %+v, want the add by %s", audit, proxyEmail)
	}
	// A subdomain's preview is an upper bound of its registrable domain's.
	form.Set("value", "promo.toko-palsu.xyz")
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules/preview", remoteAddr: proxyAddr, header: proxy, form: form})
	if !strings.Contains(rec.Body.String(), "batas atas") {
		t.Errorf("a subdomain's preview does not say its count is an upper bound:\n%s", rec.Body)
	}
}

func TestConsoleRefusesRulesItCannotAdd(t *testing.T) {
	s := newConsole(t, nil)
	session := s.signIn(t)
	_, csrf := s.page(t, session, "/console/rules")
	for name, f := range map[string]url.Values{
		"reported":      {"match": {"domain"}, "value": {"toko.xyz"}, "action": {"reported"}, "reason": {"x"}},
		"no reason":     {"match": {"domain"}, "value": {"toko.xyz"}, "action": {"warn"}, "reason": {" "}},
		"public suffix": {"match": {"domain"}, "value": {"co.id"}, "action": {"block"}, "reason": {"x"}},
		"bad match":     {"match": {"regex"}, "value": {".*"}, "action": {"block"}, "reason": {"x"}},
		"bad expiry":    {"match": {"domain"}, "value": {"toko.xyz"}, "action": {"warn"}, "reason": {"x"}, "expires_in": {"-1h"}},
	} {
		f.Set("csrf", csrf)
		for _, target := range []string{"/console/rules/preview", "/console/rules"} {
			rec := s.do(t, consoleRequest{method: http.MethodPost, target: target, header: sameSite(), form: f, cookies: []*http.Cookie{session}})
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `role="alert"`) {
				t.Errorf("%s to %s: %d, want 400 with the problem shown", name, target, rec.Code)
			}
		}
	}
	if len(s.stored(t)) != 0 {
		t.Errorf("refused rules were added: %v", s.stored(t))
	}
}

func TestConsoleRemovesARuleWithAReason(t *testing.T) {
	s := newConsole(t, nil)
	added, err := s.rules.Add(context.Background(), rules.Rule{Match: rules.MatchDomain, Value: "toko.xyz", Action: verdict.RuleWarn, Reason: "x", Author: "other"})
	if err != nil {
		t.Fatal(err)
	}
	session := s.signIn(t)
	body, csrf := s.page(t, session, "/console/rules")
	if !strings.Contains(body, `action="/console/rules/`+added.ID+`/remove"`) {
		t.Fatalf("the rules page offers no removal of %s", added.ID)
	}
	target := "/console/rules/" + added.ID + "/remove"
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: target, header: sameSite(), form: url.Values{"csrf": {csrf}, "why": {""}}, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusBadRequest || len(s.stored(t)) != 1 {
		t.Errorf("removal without a reason: %d with %d rules left, want 400 and the rule kept", rec.Code, len(s.stored(t)))
	}
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules/nope/remove", header: sameSite(), form: url.Values{"csrf": {csrf}, "why": {"x"}}, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusNotFound {
		t.Errorf("removing an unknown rule: %d, want 404", rec.Code)
	}
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: target, header: sameSite(), form: url.Values{"csrf": {csrf}, "why": {"toko sudah diverifikasi"}}, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusSeeOther || len(s.stored(t)) != 0 {
		t.Fatalf("removal: %d with %d rules left", rec.Code, len(s.stored(t)))
	}
	audit, _ := s.rules.Audit(context.Background(), 1)
	if audit[0].Op != rules.OpRemove || audit[0].Author != adminName || audit[0].Why != "toko sudah diverifikasi" {
		t.Errorf("audit %+v, want the removal by %s with its reason", audit[0], adminName)
	}
}

func TestConsoleFiltersRulesAndTheAudit(t *testing.T) {
	s := newConsole(t, nil)
	ctx := context.Background()
	for _, r := range []rules.Rule{
		{Match: rules.MatchDomain, Value: "toko-satu.xyz", Action: verdict.RuleBlock, Reason: "phishing", Author: "ayu"},
		{Match: rules.MatchHost, Value: "cdn.toko-dua.xyz", Action: verdict.RuleWarn, Reason: "lookalike", Author: "budi"},
		{Match: rules.MatchURLPrefix, Value: "https://toko-tiga.xyz/promo", Action: verdict.RuleAllow, Reason: "verified", Author: "ayu"},
	} {
		if _, err := s.rules.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	session := s.signIn(t)
	for target, want := range map[string][]string{
		"/console/rules":                                             {"toko-satu", "toko-dua", "toko-tiga"},
		"/console/rules?action=block":                                {"toko-satu"},
		"/console/rules?match=host":                                  {"toko-dua"},
		"/console/rules?q=VERIFIED":                                  {"toko-tiga"},
		"/console/rules?action=warn&q=ayu":                           {},
		"/console/rules?action=bogus&match=zzz":                      {"toko-satu", "toko-dua", "toko-tiga"},
		"/console/audit":                                             {"toko-satu", "toko-dua", "toko-tiga"},
		"/console/audit?author=budi":                                 {"toko-dua"},
		"/console/audit?op=remove":                                   {},
		"/console/audit?author=ayu&op=add":                           {"toko-satu", "toko-tiga"},
		"/console/audit?from=2000-01-01&to=2001-01-01":               {},
		"/console/audit?from=2000-01-01T00:00":                       {"toko-satu", "toko-dua", "toko-tiga"},
		"/console/audit?to=" + time.Now().UTC().Format("2006-01-02"): {"toko-satu", "toko-dua", "toko-tiga"},
	} {
		body, _ := s.page(t, session, target)
		for _, site := range []string{"toko-satu", "toko-dua", "toko-tiga"} {
			shown := strings.Contains(body, site+".xyz")
			if wanted := strings.Contains(strings.Join(want, " "), site); shown != wanted {
				t.Errorf("%s: %s shown %v, want %v", target, site, shown, wanted)
			}
		}
	}
	for _, target := range []string{"/console/audit?from=yesterday", "/console/audit?from=2026-01-02&to=2026-01-01"} {
		rec := s.do(t, consoleRequest{method: http.MethodGet, target: target, cookies: []*http.Cookie{session}})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", target, rec.Code)
		}
	}
}

func TestConsoleChecksAURLAndNamesTheRuleThatDecided(t *testing.T) {
	s := newConsole(t, nil)
	added, err := s.rules.Add(context.Background(), rules.Rule{Match: rules.MatchDomain, Value: "toko-palsu.xyz", Action: verdict.RuleBlock, Reason: "phishing", Author: "ayu"})
	if err != nil {
		t.Fatal(err)
	}
	session := s.signIn(t)
	deadline := time.Now().Add(5 * time.Second)
	for {
		body, _ := s.page(t, session, "/console/check?lang=en&u="+url.QueryEscape("https://login.toko-palsu.xyz/akun"))
		if strings.Contains(body, added.ID) {
			for _, want := range []string{"Rule that decided", "<code>block</code>", "toko-palsu.xyz", "Lists"} {
				if !strings.Contains(body, want) {
					t.Errorf("the check page does not show %q", want)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the check page never named rule %s:\n%s", added.ID, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	body, _ := s.page(t, session, "/console/check?u="+url.QueryEscape("https://www.blibli.com/promo"))
	if !strings.Contains(body, "<code>redirect</code>") || strings.Contains(body, "Aturan yang memutuskan") {
		t.Errorf("an official link's check does not show a redirect without a rule:\n%s", body)
	}
	rec := s.do(t, consoleRequest{method: http.MethodGet, target: "/console/check?u=" + strings.Repeat("a", 9000), cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusBadRequest {
		t.Errorf("a URL of 9000 bytes: %d, want 400", rec.Code)
	}
}

func TestConsoleSpeaksIndonesianAndEnglish(t *testing.T) {
	s := newConsole(t, nil)
	session := s.signIn(t)
	for _, target := range consolePages {
		id, _ := s.page(t, session, target)
		if !strings.Contains(id, `<html lang="id">`) || !strings.Contains(id, "Keluar") {
			t.Errorf("%s is not in Indonesian by default", target)
		}
		rec := s.do(t, consoleRequest{method: http.MethodGet, target: target + sep(target) + "lang=en", cookies: []*http.Cookie{session}})
		if !strings.Contains(rec.Body.String(), `<html lang="en">`) || !strings.Contains(rec.Body.String(), "Sign out") {
			t.Errorf("%s?lang=en is not in English", target)
		}
		var lang *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == "safelink_console_lang" {
				lang = c
			}
		}
		if lang == nil || lang.Value != "en" {
			t.Fatalf("%s?lang=en did not remember the language", target)
		}
		again, _ := s.page(t, session, target)
		if strings.Contains(again, `<html lang="en">`) {
			t.Errorf("%s without the cookie is in English", target)
		}
		rec = s.do(t, consoleRequest{method: http.MethodGet, target: target, cookies: []*http.Cookie{session, lang}})
		if !strings.Contains(rec.Body.String(), `<html lang="en">`) {
			t.Errorf("%s with the language cookie is not in English", target)
		}
	}
}

// sep is what comes before one more query parameter of target.
func sep(target string) string {
	if strings.Contains(target, "?") {
		return "&"
	}
	return "?"
}

// A session holds on every replica with the same key, and ends when its
// token is no longer an admin token.
func TestConsoleSessionLastsAsLongAsItsToken(t *testing.T) {
	key, err := token.NewSigner([]byte(strings.Repeat("k", token.MinKeyLength)))
	if err != nil {
		t.Fatal(err)
	}
	sameKey := func(tokens bearer.Tokens) func(*gateway.Config) {
		return func(cfg *gateway.Config) { cfg.Tokens, cfg.AdminTokens = key, tokens }
	}
	session := newConsole(t, nil, sameKey(adminTokens)).signIn(t)
	replica := newConsole(t, nil, sameKey(adminTokens))
	if body, _ := replica.page(t, session, "/console/rules"); !strings.Contains(body, adminName) {
		t.Error("another replica with the same key does not know the session")
	}
	revoked := newConsole(t, nil, sameKey(mustTokens("oncall:another-admin-token-0123")))
	if rec := revoked.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", cookies: []*http.Cookie{session}}); rec.Code != http.StatusSeeOther {
		t.Errorf("a session of a removed token: %d, want 303 to the sign-in page", rec.Code)
	}
	otherKey := newConsole(t, nil, func(cfg *gateway.Config) { cfg.AdminTokens = adminTokens })
	if rec := otherKey.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", cookies: []*http.Cookie{session}}); rec.Code != http.StatusSeeOther {
		t.Errorf("a session signed with another key: %d, want 303 to the sign-in page", rec.Code)
	}
}

func TestConsoleOverviewShowsClicksDomainsListsAndExpiringRules(t *testing.T) {
	s := newConsole(t, nil)
	countClicks(t, s.minutes, "toko-palsu.xyz", verdict.Warn, 37)
	countClicks(t, s.minutes, "toko-jahat.xyz", verdict.Block, 5)
	start := series.StartOf(time.Now().Add(-3*time.Hour), time.Minute)
	if err := s.minutes.Add(context.Background(), []series.Bucket{{Start: start, Counts: map[series.Key]int64{
		{Count: series.Warned, Name: "external"}: 40, {Count: series.Continued, Name: "external"}: 10, {Count: series.Reports}: 4,
	}}}); err != nil {
		t.Fatal(err)
	}
	expiring, err := s.rules.Add(context.Background(), rules.Rule{Match: rules.MatchDomain, Value: "segera-habis.xyz", Action: verdict.RuleWarn,
		Reason: "x", Author: "ayu", ExpiresAt: time.Now().Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.rules.Add(context.Background(), rules.Rule{Match: rules.MatchDomain, Value: "lama.xyz", Action: verdict.RuleWarn,
		Reason: "x", Author: "ayu", ExpiresAt: time.Now().Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	session := s.signIn(t)
	day, _ := s.page(t, session, "/console/?period=day&lang=en")
	for _, want := range []string{"Last 24 hours", "warn: 37", "block: 5", "<th scope=\"row\">toko-palsu.xyz</th><td>37</td>",
		"<th scope=\"row\">toko-jahat.xyz</th><td>5</td>", "<td>40</td><td>10</td><td>25.0%</td>", "<strong>4</strong>",
		"segera-habis.xyz", expiring.ID, "<polyline points=", "No threat lists are configured."} {
		if !strings.Contains(day, want) {
			t.Errorf("the day's overview does not show %q", want)
		}
	}
	if strings.Contains(day, "lama.xyz") {
		t.Error("the overview lists a rule that expires in 3 days as expiring")
	}
	if n := strings.Count(day, "<tr><th scope=\"row\">20"); n != 24 {
		t.Errorf("the day's table has %d rows, want 24", n)
	}
	hour, _ := s.page(t, session, "/console/?period=nonsense")
	if !strings.Contains(hour, "1 jam terakhir") || strings.Contains(hour, "toko-palsu.xyz") || strings.Count(hour, "<tr><th scope=\"row\">20") != 60 {
		t.Errorf("the default overview is not the last hour's 60 minutes without the clicks of 2 hours ago")
	}
}

// withReports gives the console a reader of events holding reports.
func withReports(t testing.TB, reports ...events.Event) func(*gateway.Config) {
	sink := events.NewMemorySink(0)
	for i := range reports {
		reports[i].Kind = events.KindReport
	}
	if err := sink.Write(context.Background(), reports); err != nil {
		t.Fatal(err)
	}
	return func(cfg *gateway.Config) { cfg.Shared.EventReader = sink }
}

// sampleReports are reports of two domains: three people report one, the
// other has one report and the team's block.
func sampleReports() []events.Event {
	now := time.Now()
	return []events.Event{
		{Time: now.Add(-50 * time.Minute), Site: "toko-palsu.xyz", Category: "scam", UserHash: "a", Action: verdict.Warn},
		{Time: now.Add(-40 * time.Minute), Site: "sudah.xyz", Category: "phishing", UserHash: "a", Action: verdict.Warn},
		{Time: now.Add(-30 * time.Minute), Site: "toko-palsu.xyz", Category: "phishing", UserHash: "b", Action: verdict.Warn},
		{Time: now.Add(-20 * time.Minute), Site: "toko-palsu.xyz", Category: "scam", UserHash: "c", Action: verdict.Warn, Comment: "minta transfer <b>di luar</b>"},
		{Time: now.Add(-10 * time.Minute), Site: "toko-palsu.xyz", Category: "scam", UserHash: "c", Action: verdict.Warn},
	}
}

func TestConsoleReportsQueueGroupsByDomainAndTriagesIntoARule(t *testing.T) {
	s := newConsole(t, nil, withReports(t, sampleReports()...))
	block, err := s.rules.Add(context.Background(), rules.Rule{Match: rules.MatchDomain, Value: "sudah.xyz", Action: verdict.RuleBlock, Reason: "x", Author: "budi"})
	if err != nil {
		t.Fatal(err)
	}
	session := s.signIn(t)
	body, csrf := s.page(t, session, "/console/reports?lang=en")
	palsu, sudah := strings.Index(body, "<code>toko-palsu.xyz</code>"), strings.Index(body, "<code>sudah.xyz</code>")
	if palsu < 0 || sudah < 0 || palsu > sudah {
		t.Fatalf("the queue does not list the undecided toko-palsu.xyz before the decided sudah.xyz:\n%s", body)
	}
	group := body[palsu:sudah]
	for _, want := range []string{"<dt>Reports</dt><dd>4</dd>", "<dt>Distinct reporters</dt><dd>3</dd>", "scam 3, phishing 1",
		"minta transfer &lt;b&gt;di luar&lt;/b&gt;", "not decided yet", `name="value" value="toko-palsu.xyz"`, `name="action" value="block"`} {
		if !strings.Contains(group, want) {
			t.Errorf("the group of toko-palsu.xyz does not show %q", want)
		}
	}
	if !strings.Contains(body[sudah:], block.ID) {
		t.Errorf("the group of sudah.xyz does not name the team's rule %s", block.ID)
	}
	// "Block…" leads to the rule's preview, and its confirmation adds it.
	form := url.Values{"csrf": {csrf}, "match": {"domain"}, "value": {"toko-palsu.xyz"}, "action": {"block"}, "reason": {"Reported by users (3)"}, "expires_in": {""}}
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules/preview", header: sameSite(), form: form, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "toko-palsu.xyz") {
		t.Fatalf("the triage's preview: %d", rec.Code)
	}
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: "/console/rules", header: sameSite(), form: form, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("the triage's confirmation: %d", rec.Code)
	}
	body, _ = s.page(t, session, "/console/reports")
	if strings.Contains(body, "<dd>belum diputuskan</dd>") {
		t.Errorf("after the block, a domain is still undecided:\n%s", body)
	}
}

func TestConsoleSaysWhenTheSharedStateIsDown(t *testing.T) {
	s := newConsole(t, nil, func(cfg *gateway.Config) {
		cfg.Shared.Rules, cfg.Shared.Minutes, cfg.Shared.EventReader = brokenRules{}, brokenMinutes{}, brokenEvents{}
	})
	session := s.signIn(t)
	for _, target := range []string{"/console/", "/console/rules", "/console/reports", "/console/audit"} {
		rec := s.do(t, consoleRequest{method: http.MethodGet, target: target, cookies: []*http.Cookie{session}})
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Redis") || strings.Contains(rec.Body.String(), errDown.Error()) {
			t.Errorf("GET %s with the store down: %d, want 503 saying the shared store did not answer, without its error", target, rec.Code)
		}
	}
	none := newConsole(t, nil, func(cfg *gateway.Config) { cfg.Shared = gateway.Shared{} })
	session = none.signIn(t)
	if rec := none.do(t, consoleRequest{method: http.MethodGet, target: "/console/rules", cookies: []*http.Cookie{session}}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("the rules page without a rule store: %d, want 503", rec.Code)
	}
	for _, target := range []string{"/console/", "/console/reports"} {
		if rec := none.do(t, consoleRequest{method: http.MethodGet, target: target, cookies: []*http.Cookie{session}}); rec.Code != http.StatusOK {
			t.Errorf("%s without shared state: %d, want 200 saying what is not configured", target, rec.Code)
		}
	}
}
