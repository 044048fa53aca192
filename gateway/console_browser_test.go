package gateway_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/browsertest"
)

// laptopWidth is the viewport of the console on a laptop.
const laptopWidth, laptopHeight = 1280, 800

// The console in headless Chromium with JavaScript off, at a phone's
// width: sign in, add a rule after its preview, remove it, triage a
// report into a block, dismiss another as a false positive, read the overview and the audit, check a URL, switch the language, sign out;
// forms without their token or from another site are refused. Every page
// is axe-clean, sends nothing elsewhere, and is saved as
// artifacts/screenshots/console-*.png; some at a laptop's width too.
func TestConsoleInBrowser(t *testing.T) {
	axe := browsertest.LoadAxe(t)
	s := newConsole(t, nil, withReports(t, sampleReports()...))
	countClicks(t, s.minutes, "toko-palsu.xyz", verdict.Warn, 37)
	countClicks(t, s.minutes, "toko-palsu.xyz", verdict.Block, 5)
	if _, err := s.rules.Add(context.Background(), rules.Rule{Match: rules.MatchHost, Value: "cdn.lain.xyz", Action: verdict.RuleWarn,
		Reason: "lookalike of a seller's shop", Author: "budi"}); err != nil {
		t.Fatal(err)
	}
	console := httptest.NewTLSServer(s.h)
	t.Cleanup(console.Close)
	// Another site, with a form that posts to the console.
	evil := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Promo</title><main><form method="post" action="%s/console/rules">
<input type="hidden" name="match" value="domain"><input type="hidden" name="value" value="blibli.com">
<input type="hidden" name="action" value="block"><input type="hidden" name="reason" value="x">
<button type="submit">Claim</button></form></main></html>`, console.URL)
	}))
	t.Cleanup(evil.Close)
	browser := browsertest.Start(t, browsertest.Options{Hosts: map[string]string{"promo.evil.xyz:443": evil.Listener.Addr().String()},
		TrustedCerts: []*x509.Certificate{console.Certificate(), evil.Certificate()}})
	shots := filepath.Join(browsertest.ModuleRoot(t), "artifacts", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := removeScreenshots(shots, func(name string) bool { return strings.HasPrefix(name, "console-") }); err != nil {
		t.Fatal(err)
	}
	tab := browser.NewTab(t, browsertest.TabOptions{Width: phoneWidth, Height: phoneHeight, ScriptsOff: true, Timeout: tabTimeout})
	page := func(name string) {
		t.Helper()
		checkConsolePage(t, tab, axe, console.URL, filepath.Join(shots, "console-"+name+".png"), phoneWidth, phoneHeight)
	}
	open := func(path string, status int) {
		t.Helper()
		resp, err := chromedp.Run(tab.Ctx, chromedp.NavigateResponse(console.URL+path))
		if err != nil || resp.Status != int64(status) {
			t.Fatalf("%s: %v %v, want %d", path, statusOf(resp), err, status)
		}
	}
	submit := func(button string, status int) string {
		t.Helper()
		resp, err := chromedp.RunResponse(tab.Ctx, chromedp.Click(chromedp.CSS(button)))
		if err != nil || resp.Status != int64(status) {
			t.Fatalf("%s: %v %v, want %d", button, statusOf(resp), err, status)
		}
		return resp.URL
	}
	typeIn := func(field, text string) {
		t.Helper()
		if err := chromedp.Do(tab.Ctx, chromedp.SendKeys(chromedp.CSS(field), text)); err != nil {
			t.Fatalf("typing in %s: %v", field, err)
		}
	}

	open("/console/rules", http.StatusOK) // to the sign-in page
	page("signin")
	typeIn("#token", adminToken)
	if landed := submit(`form[action="/console/signin"] button`, http.StatusOK); !strings.HasSuffix(landed, "/console/rules") {
		t.Fatalf("signing in landed on %s", landed)
	}
	shows(t, tab, adminName)
	page("rules")

	typeIn("#add-value", "toko-palsu.xyz")
	typeIn("#add-reason", "penipuan lewat chat, dilaporkan pembeli")
	if err := chromedp.Do(tab.Ctx, chromedp.RemoveAttribute(chromedp.CSS(`#add-action option[value="warn"]`), "selected"),
		chromedp.SetAttributeValue(chromedp.CSS(`#add-action option[value="block"]`), "selected", "selected")); err != nil {
		t.Fatal(err)
	}
	submit(`form[action="/console/rules/preview"] button`, http.StatusOK)
	shows(t, tab, "42")
	page("preview")
	if len(s.stored(t)) != 1 {
		t.Fatal("the preview added the rule")
	}
	submit(`form[action="/console/rules"] button`, http.StatusOK)
	shows(t, tab, "Aturan ditambahkan")
	added := s.stored(t)
	var id string
	for _, r := range added {
		if r.Value == "toko-palsu.xyz" && r.Action == verdict.RuleBlock && r.Author == adminName {
			id = r.ID
		}
	}
	if id == "" {
		t.Fatalf("rules %+v, want the block of toko-palsu.xyz by %s", added, adminName)
	}
	page("rules-added")

	// The same form without its token, then with another token, is refused.
	if err := chromedp.Do(tab.Ctx, chromedp.SetAttributeValue(chromedp.CSS(`form[action="/console/rules/`+id+`/remove"] input[name="csrf"]`), "value", "forged")); err != nil {
		t.Fatal(err)
	}
	typeIn("#why-"+id, "salah ketik")
	submit(`form[action="/console/rules/`+id+`/remove"] button`, http.StatusForbidden)
	page("refused")
	open("/console/rules", http.StatusOK)
	typeIn("#why-"+id, "toko sudah diverifikasi tim")
	submit(`form[action="/console/rules/`+id+`/remove"] button`, http.StatusOK)
	shows(t, tab, "Aturan dihapus")
	if len(s.stored(t)) != 1 {
		t.Fatalf("rules after the removal: %+v", s.stored(t))
	}

	// Triage the reports of sudah.xyz into a block, through its preview.
	open("/console/reports", http.StatusOK)
	shows(t, tab, "belum diputuskan")
	page("reports")
	submit(`form:has(input[name="value"][value="sudah.xyz"]):has(input[name="action"][value="block"]) button`, http.StatusOK)
	shows(t, tab, "sudah.xyz")
	page("reports-preview")
	submit(`form[action="/console/rules"] button`, http.StatusOK)
	triaged := false
	for _, r := range s.stored(t) {
		triaged = triaged || r.Value == "sudah.xyz" && r.Action == verdict.RuleBlock && r.Author == adminName
	}
	if !triaged {
		t.Fatalf("rules %+v, want the block of sudah.xyz by %s", s.stored(t), adminName)
	}
	open("/console/reports", http.StatusOK)
	page("reports-decided")

	// Dismiss the reports of toko-palsu.xyz as a false positive, with a reason.
	dismiss := `form[action="/console/reports/dismiss"]:has(input[name="site"][value="toko-palsu.xyz"])`
	typeIn(dismiss+` input[name="why"]`, "toko resmi penjual, link-nya benar")
	if landed := submit(dismiss+" button", http.StatusOK); !strings.HasSuffix(landed, "/console/reports?dismissed=toko-palsu.xyz") {
		t.Fatalf("the dismissal landed on %s", landed)
	}
	shows(t, tab, "diabaikan, salah lapor ("+adminName)
	if d, ok, _ := s.dismissals.Get(context.Background(), "toko-palsu.xyz"); !ok || d.Author != adminName {
		t.Fatalf("dismissal %+v, %v; want toko-palsu.xyz dismissed by %s", d, ok, adminName)
	}
	page("reports-dismissed")

	open("/console/?period=day", http.StatusOK)
	shows(t, tab, "toko-palsu.xyz")
	page("overview")
	open("/console/audit?author="+adminName, http.StatusOK)
	shows(t, tab, "toko sudah diverifikasi tim")
	shows(t, tab, "toko resmi penjual, link-nya benar")
	page("audit")
	open("/console/check?u=https%3A%2F%2Fcdn.lain.xyz%2Flogin", http.StatusOK)
	shows(t, tab, "lookalike of a seller's shop")
	page("check")
	open("/console/rules?lang=en", http.StatusOK)
	shows(t, tab, "Security-team rules")
	page("rules-en")
	open("/console/audit", http.StatusOK)
	shows(t, tab, "Audit log")

	// A form of another site reaches the console without the session
	// (SameSite=Strict) and without a token: refused, nothing added.
	if _, err := chromedp.Run(tab.Ctx, chromedp.NavigateResponse("https://promo.evil.xyz/")); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(tab.Ctx, chromedp.Click(chromedp.CSS("button")))
	if err != nil || resp.Status != http.StatusUnauthorized && resp.Status != http.StatusForbidden {
		t.Errorf("another site's form: %v %v, want 401 or 403", statusOf(resp), err)
	}
	if len(s.stored(t)) != 2 {
		t.Errorf("another site's form changed the rules: %+v", s.stored(t))
	}

	laptop := browser.NewTab(t, browsertest.TabOptions{Width: laptopWidth, Height: laptopHeight, ScriptsOff: true, Timeout: tabTimeout})
	if err := chromedp.Do(laptop.Ctx, chromedp.Navigate(console.URL+"/console/signin")); err != nil {
		t.Fatal(err)
	}
	checkConsolePage(t, laptop, axe, console.URL, filepath.Join(shots, "console-signin-laptop.png"), laptopWidth, laptopHeight)
	if err := chromedp.Do(laptop.Ctx, chromedp.SendKeys(chromedp.CSS("#token"), adminToken)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(laptop.Ctx, chromedp.Click(chromedp.CSS(`form[action="/console/signin"] button`))); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ path, shot string }{{"/console/?period=day", "overview"}, {"/console/rules", "rules"}, {"/console/reports", "reports-dismissed"}} {
		if err := chromedp.Do(laptop.Ctx, chromedp.Navigate(console.URL+p.path)); err != nil {
			t.Fatal(err)
		}
		checkConsolePage(t, laptop, axe, console.URL, filepath.Join(shots, "console-"+p.shot+"-laptop.png"), laptopWidth, laptopHeight)
	}

	open("/console/rules", http.StatusOK)
	if landed := submit(`form[action="/console/signout"] button`, http.StatusOK); !strings.HasSuffix(landed, "/console/signin") {
		t.Errorf("signing out landed on %s", landed)
	}
	open("/console/rules", http.StatusOK)
	if loc, err := chromedp.Run(tab.Ctx, chromedp.Location()); err != nil || !strings.HasSuffix(loc, "/console/signin") {
		t.Errorf("after signing out, the rules page is at %s (%v), want the sign-in page", loc, err)
	}
}

// checkConsolePage checks the page the tab shows: axe-clean, nothing
// fetched from another host, no sideways scroll, and saves its screenshot.
func checkConsolePage(t *testing.T, tab *browsertest.Tab, axe *browsertest.Axe, base, shot string, width, height int64) {
	t.Helper()
	if off, err := tab.ScriptsOff(); err != nil || !off {
		t.Fatalf("the page sees JavaScript on (%v)", err)
	}
	loc, err := chromedp.Run(tab.Ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	checkAccessibility(t, tab, axe, true)
	checkReported(t, tab, browserPage{url: base + "/"})
	overflow, err := tab.Overflow()
	if err != nil {
		t.Fatal(err)
	}
	if overflow.ScrollsSideways() {
		t.Errorf("%s scrolls sideways at %dx%d: %d px wide in %d px", loc, width, height, overflow.ScrollWidth, overflow.ClientWidth)
	}
	if err := tab.SaveScreenshot(shot); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// shows fails unless the tab's page shows text.
func shows(t *testing.T, tab *browsertest.Tab, text string) {
	t.Helper()
	body, err := chromedp.Run(tab.Ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, text) {
		t.Fatalf("the page does not show %q:\n%s", text, body)
	}
}

// statusOf is the status of a response, or 0 without one.
func statusOf(resp *network.Response) int64 {
	if resp == nil {
		return 0
	}
	return resp.Status
}
