package gateway_test

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/dismissals"
	"github.com/blibli/safelink/internal/browsertest"
)

// docsScreenshots, set to 1, makes TestIncidentInBrowser write the
// screenshots of the security team's guide into docs/console as well
// (make console-screenshots).
const docsScreenshots = "SAFELINK_DOCS_SCREENSHOTS"

// The incident the security team's guide walks through: a scam domain and
// a seller's shop that buyers took for one.
const (
	scamLink = "https://promo.hadiah-kilat.xyz/klaim"
	scamSite = "hadiah-kilat.xyz"
	shopLink = "https://toko-sepatu-asli.xyz/produk/42"
	shopSite = "toko-sepatu-asli.xyz"
)

// TestIncidentInBrowser walks through the incident of the security team's
// guide in headless Chromium with JavaScript off, at a phone's width, and
// saves a screenshot of each step as artifacts/screenshots/incident-*.png
// (with SAFELINK_DOCS_SCREENSHOTS=1, as docs/console/*.png too), and the
// reports queue at a laptop's width as well: users report
// a scam domain and a seller's shop, the reported warning appears; the team
// sees them on the overview and the reports queue, checks the URL, blocks
// the scam after the preview, dismisses the shop's reports as a false
// positive, reads the audit, and removes the block once the site is down.
// Every page is axe-clean and sends nothing elsewhere.
func TestIncidentInBrowser(t *testing.T) {
	axe := browsertest.LoadAxe(t)
	store := dismissals.NewMemory(0)
	s := newSharedGatewayLimits(t, 100, 600, 600, func(cfg *gateway.Config) {
		cfg.Console = gateway.Console{Files: safelink.Console()}
		cfg.Shared.Dismissals = store
	})
	// A morning of clicks, then the reports: three people each.
	for i := range 12 {
		do(t, s.Public(), http.MethodGet, goURL(fmt.Sprintf("https://promo.hadiah-kilat.xyz/klaim?ref=%d", i)))
	}
	for i := range 5 {
		do(t, s.Public(), http.MethodGet, goURL(shopLink))
		do(t, s.Public(), http.MethodGet, goURL(fmt.Sprintf("https://www.blibli.com/p/%d", i)))
	}
	for i := range 3 {
		s.reportFrom(t, scamLink, "scam", fmt.Sprintf("203.0.113.%d:1000", i+1))
		s.reportFrom(t, shopLink, "scam", fmt.Sprintf("198.51.100.%d:1000", i+1))
	}
	if got := s.reportedRules(t); len(got) != 2 {
		t.Fatalf("the reports added %+v, want a reported rule for each domain", got)
	}
	waitFor(t, "the reported rules on this replica", func() bool {
		return strings.Contains(do(t, s.Public(), http.MethodGet, goURL(scamLink)).body, "reason-reported")
	})
	waitFor(t, "the clicks in the overview's per-minute counts", func() bool {
		req := httptest.NewRequest(http.MethodGet, "/console/?period=hour", nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		rec := httptest.NewRecorder()
		s.Internal().ServeHTTP(rec, req)
		return strings.Contains(rec.Body.String(), `<th scope="row">`+scamSite+"</th>")
	})

	public, console := httptest.NewTLSServer(s.Public()), httptest.NewTLSServer(s.Internal())
	t.Cleanup(public.Close)
	t.Cleanup(console.Close)
	browser := browsertest.Start(t, browsertest.Options{TrustedCerts: []*x509.Certificate{public.Certificate(), console.Certificate()}})
	root := browsertest.ModuleRoot(t)
	shots := filepath.Join(root, "artifacts", "screenshots")
	if err := removeScreenshots(shots, func(name string) bool { return strings.HasPrefix(name, "incident-") }); err != nil {
		t.Fatal(err)
	}
	docs := ""
	if os.Getenv(docsScreenshots) == "1" {
		docs = filepath.Join(root, "docs", "console")
		if err := removeScreenshots(docs, func(string) bool { return true }); err != nil {
			t.Fatal(err)
		}
	}
	// A buyer's phone, and the security team's.
	buyer := browser.NewTab(t, browsertest.TabOptions{Width: phoneWidth, Height: phoneHeight, ScriptsOff: true, Timeout: tabTimeout})
	tab := browser.NewTab(t, browsertest.TabOptions{Width: phoneWidth, Height: phoneHeight, ScriptsOff: true, Timeout: tabTimeout})
	stepOn := func(tab *browsertest.Tab, base, name string) {
		t.Helper()
		shot := filepath.Join(shots, "incident-"+name+".png")
		checkConsolePage(t, tab, axe, base, shot, phoneWidth, phoneHeight)
		if docs != "" {
			copyFile(t, shot, filepath.Join(docs, name+".png"))
		}
	}
	step := func(name string) {
		t.Helper()
		stepOn(tab, console.URL, name)
	}
	open := func(path string) {
		t.Helper()
		resp, err := chromedp.Run(tab.Ctx, chromedp.NavigateResponse(console.URL+path))
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("%s: %v %v, want 200", path, statusOf(resp), err)
		}
	}
	submit := func(button string) {
		t.Helper()
		resp, err := chromedp.RunResponse(tab.Ctx, chromedp.Click(chromedp.CSS(button)))
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("%s: %v %v, want 200", button, statusOf(resp), err)
		}
	}
	typeIn := func(field, text string) {
		t.Helper()
		if err := chromedp.Do(tab.Ctx, chromedp.SendKeys(chromedp.CSS(field), text)); err != nil {
			t.Fatalf("typing in %s: %v", field, err)
		}
	}

	// 1. What a buyer sees on every replica: the warning says users reported it.
	if resp, err := chromedp.Run(buyer.Ctx, chromedp.NavigateResponse(public.URL+goURL(scamLink))); err != nil || resp.Status != http.StatusOK {
		t.Fatalf("the warning page: %v %v", statusOf(resp), err)
	}
	shows(t, buyer, "Beberapa pengguna Blibli melaporkan situs ini")
	stepOn(buyer, public.URL, "1-warning-reported")

	// 2. The overview and the reports queue.
	open("/console/signin")
	typeIn("#token", adminToken)
	submit(`form[action="/console/signin"] button`)
	open("/console/?period=hour")
	shows(t, tab, scamSite)
	step("2-overview")
	open("/console/reports")
	shows(t, tab, "dilaporkan ("+gateway.ReportsAuthor)
	step("3-reports")
	// The same queue, its dismissal forms open, at a laptop's width.
	laptop := browser.NewTab(t, browsertest.TabOptions{Width: laptopWidth, Height: laptopHeight, ScriptsOff: true, Timeout: tabTimeout})
	if err := chromedp.Do(laptop.Ctx, chromedp.Navigate(console.URL+"/console/signin"), chromedp.SendKeys(chromedp.CSS("#token"), adminToken)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(laptop.Ctx, chromedp.Click(chromedp.CSS(`form[action="/console/signin"] button`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(laptop.Ctx, chromedp.Navigate(console.URL+"/console/reports")); err != nil {
		t.Fatal(err)
	}
	shows(t, laptop, "Abaikan, salah lapor")
	checkConsolePage(t, laptop, axe, console.URL, filepath.Join(shots, "incident-3-reports-laptop.png"), laptopWidth, laptopHeight)

	// 3. Check the URL: the reported rule decides.
	open("/console/check?u=" + strings.TrimPrefix(goURL(scamLink), "/go?u="))
	shows(t, tab, "3 distinct clients reported it")
	step("4-check")

	// 4. Block it, after the preview.
	open("/console/reports")
	submit(`form:has(input[name="value"][value="` + scamSite + `"]):has(input[name="action"][value="block"]) button`)
	shows(t, tab, "Tambahkan aturan ini")
	step("5-preview")
	submit(`form[action="/console/rules"] button`)
	shows(t, tab, "Aturan ditambahkan")
	waitFor(t, "the block on this replica", func() bool {
		return do(t, s.Public(), http.MethodGet, goURL(scamLink)).status == http.StatusForbidden
	})
	step("6-rules-added")

	// 5. The shop is a false positive: dismiss its reports.
	open("/console/reports")
	dismiss := `form[action="/console/reports/dismiss"]:has(input[name="site"][value="` + shopSite + `"])`
	typeIn(dismiss+` input[name="why"]`, "toko resmi penjual sepatu, sudah dicek tim")
	submit(dismiss + " button")
	shows(t, tab, "diabaikan, salah lapor ("+adminName)
	waitFor(t, "the shop without the reported warning", func() bool {
		return !strings.Contains(do(t, s.Public(), http.MethodGet, goURL(shopLink)).body, "reason-reported")
	})
	step("7-reports-dismissed")

	// 6. Who did what.
	open("/console/audit")
	shows(t, tab, "toko resmi penjual sepatu, sudah dicek tim")
	step("8-audit")

	// 7. The scam site is down: remove the block with a reason.
	open("/console/rules?action=block")
	remove := `form[action^="/console/rules/"][action$="/remove"]`
	typeIn(remove+` input[name="why"]`, "situs sudah diturunkan penyedia hosting")
	submit(remove + " button")
	shows(t, tab, "Aturan dihapus")
	waitFor(t, "the block gone on this replica", func() bool {
		return do(t, s.Public(), http.MethodGet, goURL(scamLink)).status == http.StatusOK
	})
	step("9-rule-removed")
	if d, ok, err := store.Get(t.Context(), shopSite); err != nil || !ok || d.Author != adminName {
		t.Errorf("the shop's dismissal: %+v, %v, %v; want it by %s", d, ok, err, adminName)
	}
	if r := do(t, s.Public(), http.MethodGet, goURL(scamLink)); !strings.Contains(r.body, "reason-reported") || r.status != http.StatusOK {
		t.Errorf("after the block goes, the scam is not back to the reported warning until that expires: %d", r.status)
	}
}

// waitFor polls cond for up to a second.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not within a second: %s", what)
		}
	}
}

// copyFile copies the file at from to to, making to's directory.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(to), 0o755)
	}
	if err == nil {
		err = os.WriteFile(to, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}
