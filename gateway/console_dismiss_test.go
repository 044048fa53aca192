package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
)

// post posts form, with the page's token, as the session's person.
func (s *consoleSetup) post(t testing.TB, session *http.Cookie, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return s.do(t, consoleRequest{method: http.MethodPost, target: target, header: sameSite(), form: form, cookies: []*http.Cookie{session}})
}

// groupOf is the start of the report group of site on the reports page.
func groupOf(site string) string { return `<p class="value"><code>` + site + "</code>" }

func TestConsoleDismissesReportsAsAFalsePositiveAndUndoes(t *testing.T) {
	fresh := events.Event{Time: time.Now().Add(-5 * time.Minute), Site: "baru.xyz", Category: "scam", UserHash: "d", Action: verdict.Warn}
	s := newConsole(t, nil, withReports(t, append(sampleReports(), fresh)...))
	ctx := context.Background()
	reported, err := s.rules.Add(ctx, rules.Rule{Match: rules.MatchDomain, Value: "toko-palsu.xyz", Action: verdict.RuleReported,
		Reason: "3 distinct clients reported it", Author: gateway.ReportsAuthor, ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.rules.Add(ctx, rules.Rule{Match: rules.MatchDomain, Value: "sudah.xyz", Action: verdict.RuleBlock, Reason: "x", Author: "budi"}); err != nil {
		t.Fatal(err)
	}
	session := s.signIn(t)
	body, csrf := s.page(t, session, "/console/reports?lang=en")
	if !strings.Contains(body, `action="/console/reports/dismiss"`) || !strings.Contains(body, "Dismiss as a false positive") {
		t.Fatalf("the queue offers no dismissal:\n%s", body)
	}

	rec := s.post(t, session, "/console/reports/dismiss", url.Values{"csrf": {csrf}, "site": {"Toko-Palsu.XYZ"}, "why": {"toko resmi penjual, sudah dicek"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/reports?dismissed=toko-palsu.xyz" {
		t.Fatalf("dismiss: %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	d, ok, _ := s.dismissals.Get(ctx, "toko-palsu.xyz")
	if !ok || d.Author != adminName || d.Why != "toko resmi penjual, sudah dicek" {
		t.Errorf("stored dismissal %+v, %v; want one by %s with the reason", d, ok, adminName)
	}
	for _, r := range s.stored(t) {
		if r.ID == reported.ID {
			t.Errorf("the reported rule %s is still there after the dismissal", r.ID)
		}
	}
	changes, _ := s.rules.Audit(ctx, 1)
	if len(changes) != 1 || changes[0].Op != rules.OpRemove || changes[0].Rule.ID != reported.ID || changes[0].Author != adminName {
		t.Errorf("the rules' audit: %+v, want the reported rule's removal by %s", changes, adminName)
	}

	body, csrf = s.page(t, session, "/console/reports?dismissed=toko-palsu.xyz")
	palsu, sudah := strings.Index(body, groupOf("toko-palsu.xyz")), strings.Index(body, groupOf("sudah.xyz"))
	if !strings.Contains(body, `role="status">Laporan domain ini diabaikan`) || palsu < 0 || sudah < 0 {
		t.Fatalf("the queue after the dismissal:\n%s", body)
	}
	if baru := strings.Index(body, groupOf("baru.xyz")); baru < 0 || baru > palsu {
		t.Error("the dismissed toko-palsu.xyz is not sorted after the undecided baru.xyz, with the decided groups")
	}
	group := body[strings.LastIndex(body[:palsu], "<li"):]
	group = group[:strings.Index(group, "</li>")]
	for _, want := range []string{`class="rule dismissed"`, "diabaikan, salah lapor (" + adminName + ", ", "toko resmi penjual, sudah dicek", `action="/console/reports/undo"`} {
		if !strings.Contains(group, want) {
			t.Errorf("the dismissed group does not show %q:\n%s", want, group)
		}
	}
	if strings.Contains(group, `action="/console/reports/dismiss"`) {
		t.Error("a dismissed group offers to dismiss it again")
	}

	audit, _ := s.page(t, session, "/console/audit?op=dismiss&lang=en")
	if !strings.Contains(audit, "dismiss reports</strong> <code>toko-palsu.xyz</code>") || !strings.Contains(audit, "<dd>"+adminName+"</dd>") {
		t.Errorf("the audit page does not show the dismissal by %s:\n%s", adminName, audit)
	}
	if others, _ := s.page(t, session, "/console/audit?op=remove"); strings.Contains(others, "<strong>abaikan laporan</strong>") || !strings.Contains(others, "<strong>hapus</strong>") {
		t.Error("the audit filter on op=remove does not show the removal alone")
	}

	rec = s.post(t, session, "/console/reports/undo", url.Values{"csrf": {csrf}, "site": {"toko-palsu.xyz"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/console/reports?undone=toko-palsu.xyz" {
		t.Fatalf("undo: %d to %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if _, ok, _ := s.dismissals.Get(ctx, "toko-palsu.xyz"); ok {
		t.Error("the dismissal is still there after the undo")
	}
	log, _ := s.dismissals.Log(ctx, 10)
	if len(log) != 2 || log[0].Op != dismissals.OpUndo || log[0].Author != adminName {
		t.Errorf("the dismissals' log: %+v, want the undo by %s last", log, adminName)
	}
	rec = s.post(t, session, "/console/reports/undo", url.Values{"csrf": {csrf}, "site": {"toko-palsu.xyz"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Pengabaian belum dibatalkan") {
		t.Errorf("undo of nothing: %d, want 400 saying so", rec.Code)
	}
	body, _ = s.page(t, session, "/console/reports")
	if palsu, sudah := strings.Index(body, groupOf("toko-palsu.xyz")), strings.Index(body, groupOf("sudah.xyz")); palsu > sudah {
		t.Error("after the undo, toko-palsu.xyz is not back at the top as undecided")
	}
}

func TestConsoleRefusesDismissalsItCannotRecord(t *testing.T) {
	s := newConsole(t, nil, withReports(t, sampleReports()...))
	session := s.signIn(t)
	_, csrf := s.page(t, session, "/console/reports")
	cases := map[string]struct {
		site, why, says string
	}{
		"no reason":           {"toko-palsu.xyz", "   ", "dismissal why: is required"},
		"a reason too long":   {"toko-palsu.xyz", strings.Repeat("a", dismissals.MaxWhyLength+1), "longer than 400 characters"},
		"a control character": {"toko-palsu.xyz", "baris\x00baru", "control character"},
		"an official domain":  {"blibli.com", "toko resmi", "official domain"},
		"an official host":    {"www.blibli.com", "toko resmi", "not a registrable domain"},
		"a subdomain":         {"promo.toko-palsu.xyz", "toko resmi", "not a registrable domain"},
		"an IP address":       {"103.28.12.7", "toko resmi", "IP address"},
		"a public suffix":     {"co.id", "toko resmi", "public suffix"},
		"a URL":               {"https://toko-palsu.xyz/login", "toko resmi", ""},
		"nothing":             {"", "toko resmi", ""},
		"markup":              {"<b>x</b>.xyz", "toko resmi", ""},
	}
	for name, c := range cases {
		rec := s.post(t, session, "/console/reports/dismiss", url.Values{"csrf": {csrf}, "site": {c.site}, "why": {c.why}})
		body := rec.Body.String()
		if rec.Code != http.StatusBadRequest || !strings.Contains(body, "Laporan belum diabaikan") || !strings.Contains(body, c.says) || strings.Contains(body, "<b>x</b>") {
			t.Errorf("%s: %d, want 400 saying %q\n%s", name, rec.Code, c.says, body)
		}
	}
	if list, _ := s.dismissals.List(context.Background()); len(list) != 0 {
		t.Errorf("refused dismissals were stored: %+v", list)
	}
	for name, form := range map[string]url.Values{
		"no token":           {"site": {"toko-palsu.xyz"}, "why": {"toko resmi"}},
		"another's token":    {"csrf": {"forged"}, "site": {"toko-palsu.xyz"}, "why": {"toko resmi"}},
		"undo with no token": {"site": {"toko-palsu.xyz"}},
	} {
		target := "/console/reports/dismiss"
		if strings.HasPrefix(name, "undo") {
			target = "/console/reports/undo"
		}
		if rec := s.post(t, session, target, form); rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, rec.Code)
		}
	}
	rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/reports/dismiss", header: http.Header{"Sec-Fetch-Site": {"cross-site"}},
		form: url.Values{"csrf": {csrf}, "site": {"toko-palsu.xyz"}, "why": {"toko resmi"}}, cookies: []*http.Cookie{session}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("a dismissal from another site: %d, want 403", rec.Code)
	}
	if rec := s.do(t, consoleRequest{method: http.MethodPost, target: "/console/reports/dismiss",
		form: url.Values{"site": {"toko-palsu.xyz"}, "why": {"toko resmi"}}}); rec.Code == http.StatusSeeOther {
		t.Errorf("a dismissal by nobody signed in: %d", rec.Code)
	}
	if list, _ := s.dismissals.List(context.Background()); len(list) != 0 {
		t.Errorf("refused forms stored dismissals: %+v", list)
	}
	rec = s.do(t, consoleRequest{method: http.MethodPost, target: "/console/reports/dismiss", header: http.Header{"Authorization": {"Bearer " + adminToken}},
		form: url.Values{"site": {"toko-palsu.xyz"}, "why": {"dicek lewat skrip"}}})
	if d, ok, _ := s.dismissals.Get(context.Background(), "toko-palsu.xyz"); rec.Code != http.StatusSeeOther || !ok || d.Author != adminName {
		t.Errorf("a dismissal with the admin token: %d, stored %+v", rec.Code, d)
	}
}

func TestConsoleGroupsADismissedDomainUnderTheTeamsRuleWhenThereIsOne(t *testing.T) {
	s := newConsole(t, nil, withReports(t, sampleReports()...))
	ctx := context.Background()
	session := s.signIn(t)
	_, csrf := s.page(t, session, "/console/reports")
	if rec := s.post(t, session, "/console/reports/dismiss", url.Values{"csrf": {csrf}, "site": {"toko-palsu.xyz"}, "why": {"bukan penipuan"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("dismiss: %d", rec.Code)
	}
	form := url.Values{"csrf": {csrf}, "match": {"domain"}, "value": {"toko-palsu.xyz"}, "action": {"warn"}, "reason": {"ternyata penipuan"}, "expires_in": {""}}
	if rec := s.post(t, session, "/console/rules", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("a warn rule on the dismissed domain: %d", rec.Code)
	}
	if _, ok, _ := s.dismissals.Get(ctx, "toko-palsu.xyz"); ok {
		t.Error("the team's warn rule did not replace the dismissal")
	}
	log, _ := s.dismissals.Log(ctx, 1)
	if len(log) != 1 || log[0].Op != dismissals.OpUndo || log[0].Author != adminName || !strings.Contains(log[0].Why, "warn rule") {
		t.Errorf("the dismissals' log: %+v, want the undo by the rule's author", log)
	}
	body, _ := s.page(t, session, "/console/reports?lang=en")
	group := body[strings.Index(body, groupOf("toko-palsu.xyz")):]
	group = group[:strings.Index(group, "</li>")]
	if !strings.Contains(group, "<dd>warn ("+adminName) || strings.Contains(group, "dismissed as a false positive") {
		t.Errorf("the group does not show the team's rule:\n%s", group)
	}
}

func TestReportsOfADismissedDomainAddNoReportedRule(t *testing.T) {
	store := dismissals.NewMemory(0)
	s := newSharedGatewayLimits(t, 100, 600, 600, func(cfg *gateway.Config) { cfg.Shared.Dismissals = store })
	d := dismissals.Dismissal{Site: "hadiah-kilat.xyz", Author: "ayu", Why: "promo resmi mitra", Time: time.Now()}
	if err := store.Dismiss(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		s.reportFrom(t, "https://promo.hadiah-kilat.xyz/klaim", "scam", fmt.Sprintf("203.0.113.%d:1000", i+1))
	}
	if got := s.reportedRules(t); len(got) != 0 {
		t.Fatalf("reports of a dismissed domain added %+v", got)
	}
	undo, _ := dismissals.UndoChange(d.Site, "ayu", "", time.Now())
	if _, err := store.Undo(context.Background(), undo); err != nil {
		t.Fatal(err)
	}
	s.reportFrom(t, "https://promo.hadiah-kilat.xyz/klaim", "scam", "203.0.113.9:1000")
	if got := s.reportedRules(t); len(got) != 1 || got[0].Value != "hadiah-kilat.xyz" {
		t.Errorf("after the undo, a new reporter adds %+v, want the reported rule", got)
	}
}

// unreadableDismissals is a store of dismissals whose reads fail.
type unreadableDismissals struct{ dismissals.Store }

func (unreadableDismissals) Get(context.Context, string) (dismissals.Dismissal, bool, error) {
	return dismissals.Dismissal{}, false, errDown
}

func TestReportsAddNoReportedRuleWhenTheDismissalsCannotBeRead(t *testing.T) {
	s := newSharedGatewayLimits(t, 100, 600, 600, func(cfg *gateway.Config) { cfg.Shared.Dismissals = unreadableDismissals{} })
	for i := range 3 {
		s.reportFrom(t, "https://promo.hadiah-kilat.xyz/klaim", "scam", fmt.Sprintf("203.0.113.%d:1000", i+1))
	}
	if got := s.reportedRules(t); len(got) != 0 {
		t.Errorf("reports added %+v though the team's dismissals could not be read", got)
	}
}

func TestConsoleSaysWhenNoDismissalsAreKept(t *testing.T) {
	s := newConsole(t, nil, withReports(t, sampleReports()...), func(cfg *gateway.Config) { cfg.Shared.Dismissals = nil })
	session := s.signIn(t)
	body, csrf := s.page(t, session, "/console/reports")
	if strings.Contains(body, `action="/console/reports/dismiss"`) {
		t.Error("the queue offers a dismissal without a store of dismissals")
	}
	for _, target := range []string{"/console/reports/dismiss", "/console/reports/undo"} {
		rec := s.post(t, session, target, url.Values{"csrf": {csrf}, "site": {"toko-palsu.xyz"}, "why": {"toko resmi"}})
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Tidak ada penyimpanan pengabaian") {
			t.Errorf("%s without a store of dismissals: %d, want 503 saying so", target, rec.Code)
		}
	}
}
