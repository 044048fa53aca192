package gateway_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/browsertest"
	"github.com/blibli/safelink/internal/fakeshortener"
)

// The browser suite loads every page the gateway can show in headless
// Chromium, at a phone's viewport, once with JavaScript on and once with
// it off, and saves a screenshot of each under artifacts/screenshots/.

const (
	phoneWidth, phoneHeight = 360, 640
	homeURL                 = "https://www.blibli.com/"
	// backText and continueText begin the labels of the page's actions.
	backText     = "Kembali ke Blibli"
	continueText = "Tetap buka"
	// tabTimeout bounds everything one page's checks do.
	tabTimeout = 2 * time.Minute
	// pageThreatBudget is the Safe Browsing time budget of the /go pages
	// here: the pages are under test, not the budget, and a busy machine
	// must not turn the block page into an "unverified" warning.
	pageThreatBudget = 30 * time.Second
)

// browserPage is one page the suite loads.
type browserPage struct {
	name   string // names the subtest and the screenshot
	url    string
	status int
	// site is the destination's registrable domain, as people read it,
	// that the page must show; empty on pages about no destination.
	site string
	// continues says the page offers "continue"; continueURL is where it
	// must lead, empty where it is not followed: a preview's form carries
	// a sample token that the gateway refuses, as it must.
	continues   bool
	continueURL string
}

// previewPages lists every variant of the preview gallery.
func previewPages(base string) []browserPage {
	var pages []browserPage
	for _, v := range gateway.Variants(homeURL) {
		pages = append(pages, browserPage{
			name: "preview-" + v.Name, url: base + "/_preview/" + v.Name, status: v.Page.Status,
			site: v.Page.SiteUnicode, continues: v.Page.ContinueToken != "",
		})
	}
	return pages
}

// goPages lists real answers of /go: warnings, a block by Safe Browsing,
// a refused link, and the warning for where the shortener link via leads
// (three hops to viaDestination).
func goPages(base, via, viaDestination string) []browserPage {
	return []browserPage{
		{name: "go-warn-via", url: base + goURL(via), status: http.StatusOK,
			site: fakeshortener.Destination, continues: true, continueURL: viaDestination},
		{name: "go-warn-external", url: base + goURL("https://toko-sepatu.example/produk/sepatu-lari?warna=hitam"), status: http.StatusOK,
			site: "toko-sepatu.example", continues: true, continueURL: "https://toko-sepatu.example/produk/sepatu-lari?warna=hitam"},
		{name: "go-warn-idn-lookalike", url: base + goURL("https://blíbli.com/promo"), status: http.StatusOK,
			site: "blíbli.com", continues: true, continueURL: "https://xn--blbli-0sa.com/promo"},
		{name: "go-block-phishing", url: base + goURL("https://login.phishing.example/akun"), status: http.StatusForbidden,
			site: "phishing.example"},
		{name: "go-invalid-scheme", url: base + goURL("javascript:alert(1)"), status: http.StatusBadRequest},
	}
}

func TestPagesInBrowser(t *testing.T) {
	axe := browsertest.LoadAxe(t)
	preview := httptest.NewServer(newGateway(t, gateway.Config{HomeURL: homeURL}).Internal())
	t.Cleanup(preview.Close)
	sb, _ := safeBrowsingClient(t)
	shorteners := fakeshortener.NewWorld(t)
	checked, err := gateway.New(gateway.Config{
		HomeURL: homeURL,
		Clicks: click.Service{Threats: []click.ThreatSource{{Source: verdict.SourceSafeBrowsing, Lists: sb}}, ThreatTimeout: pageThreatBudget,
			Expander: expand.New(expand.Options{Dial: shorteners.Net.Dial, Timeout: pageThreatBudget})},
	}, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	public := httptest.NewServer(checked.Public())
	t.Cleanup(public.Close)
	viaDestination := "https://" + fakeshortener.Destination + "/klaim/hadiah-spesial-akhir-tahun-untuk-kamu?dari=chat"
	via := shorteners.Chain("browser-via-a-long-path-name", 3, viaDestination)
	pages := append(previewPages(preview.URL), goPages(public.URL, via, viaDestination)...)

	sites := browsertest.NewSites(t)
	destinations := []string{homeURL}
	for _, p := range pages {
		if p.continueURL != "" {
			destinations = append(destinations, p.continueURL)
		}
	}
	for _, d := range destinations {
		if err := sites.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	browser := browsertest.Start(t, sites.BrowserOptions())
	shots := filepath.Join(browsertest.ModuleRoot(t), "artifacts", "screenshots")
	if err := removeScreenshots(shots, func(name string) bool { return !strings.HasPrefix(name, "console-") }); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages, each with JavaScript on and off; screenshots in %s", len(pages), shots)
	for _, p := range pages {
		for _, scriptsOff := range []bool{false, true} {
			mode, shot := "js-on", p.name+".png"
			if scriptsOff {
				mode, shot = "js-off", p.name+"-js-off.png"
			}
			t.Run(p.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				tab := browser.NewTab(t, browsertest.TabOptions{Width: phoneWidth, Height: phoneHeight, ScriptsOff: scriptsOff, Timeout: tabTimeout})
				checkPage(t, tab, p, scriptsOff, filepath.Join(shots, shot))
				checkAccessibility(t, tab, axe, scriptsOff)
				checkReported(t, tab, p)
				checkActions(t, tab, sites, p)
			})
		}
	}
}

// checkPage loads the page and checks what it shows: its status, its
// script mode, the destination on the first screen, no sideways scroll.
func checkPage(t *testing.T, tab *browsertest.Tab, p browserPage, scriptsOff bool, shot string) {
	t.Helper()
	resp, err := chromedp.Run(tab.Ctx, chromedp.NavigateResponse(p.url))
	if err != nil {
		t.Fatalf("loading %s: %v", p.url, err)
	}
	if resp.Status != int64(p.status) {
		t.Errorf("status %d, want %d", resp.Status, p.status)
	}
	// A policy that allows no script: axe-core running on the page shows
	// that DevTools evaluation is not bound by it.
	if csp := fmt.Sprint(resp.Headers["Content-Security-Policy"]); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q allows scripts", csp)
	}
	if off, err := tab.ScriptsOff(); err != nil || off != scriptsOff {
		t.Fatalf("the page sees JavaScript off: %v (%v), want %v", off, err, scriptsOff)
	}
	if p.site != "" {
		checkDestinationShown(t, tab, p.site)
	}
	overflow, err := tab.Overflow()
	if err != nil {
		t.Fatal(err)
	}
	if overflow.ScrollsSideways() {
		t.Errorf("the page scrolls sideways at %dx%d: %d px wide in a %d px viewport", phoneWidth, phoneHeight, overflow.ScrollWidth, overflow.ClientWidth)
	}
	if err := tab.SaveScreenshot(shot); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// checkDestinationShown checks that the page shows the site on its own,
// rendered, on the first screen, and no smaller than the body text.
func checkDestinationShown(t *testing.T, tab *browsertest.Tab, site string) {
	t.Helper()
	shown, err := tab.Shown(site)
	if err != nil {
		t.Fatalf("looking for %q: %v", site, err)
	}
	if len(shown.Boxes) == 0 {
		t.Errorf("the page does not show the destination %q on its own", site)
		return
	}
	first := shown.Boxes[0]
	if first.Top+first.Height > phoneHeight {
		t.Errorf("the destination %q is shown below the first screen: %+v", site, first)
	}
	if first.FontSize < shown.BodyFontSize {
		t.Errorf("the destination %q is smaller than the body text: %+v, body %vpx", site, first, shown.BodyFontSize)
	}
}

// checkAccessibility fails on the serious and critical violations axe-core
// finds and shows the others.
func checkAccessibility(t *testing.T, tab *browsertest.Tab, axe *browsertest.Axe, scriptsOff bool) {
	t.Helper()
	report, err := axe.Check(tab, scriptsOff)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range report.Violations {
		if v.Serious() {
			t.Errorf("axe-core %s: %s", report.Version, v)
		} else {
			t.Logf("axe-core %s, not failing: %s", report.Version, v)
		}
	}
}

// checkReported fails on every error the page reported and on every
// request it sent to another host than the gateway.
func checkReported(t *testing.T, tab *browsertest.Tab, p browserPage) {
	t.Helper()
	// A page may still fetch, say, its favicon after the load event.
	if err := tab.Record.WaitNetworkIdle(tab.Ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range tab.Record.Errors() {
		t.Errorf("the page reported an error: %s", e)
	}
	for _, w := range tab.Record.Warnings() {
		t.Logf("the page reported a warning: %s", w)
	}
	page, err := url.Parse(p.url)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Record.Requests() {
		u, err := url.Parse(r)
		if err != nil || u.Scheme != page.Scheme || u.Host != page.Host {
			t.Errorf("the page sent a request to another host than the gateway: %s", r)
		}
	}
}

// checkActions follows "back" to the home URL, and "continue" to the
// destination on pages that offer it.
func checkActions(t *testing.T, tab *browsertest.Tab, sites *browsertest.Sites, p browserPage) {
	t.Helper()
	checkLands(t, tab, sites, backText, homeURL)
	if !p.continues {
		if n := len(actions(t, tab, continueText)); n > 0 {
			t.Errorf("the page offers %q, a way through", continueText)
		}
		return
	}
	if p.continueURL == "" {
		if err := chromedp.Do(tab.Ctx, chromedp.Navigate(p.url)); err != nil {
			t.Fatalf("loading %s again: %v", p.url, err)
		}
		if n := len(actions(t, tab, continueText)); n != 1 {
			t.Errorf("%d actions labelled %q, want 1", n, continueText)
		}
		return
	}
	if err := chromedp.Do(tab.Ctx, chromedp.Navigate(p.url)); err != nil {
		t.Fatalf("loading %s again: %v", p.url, err)
	}
	checkLands(t, tab, sites, continueText, p.continueURL)
}

// checkLands clicks the action labelled label and checks that the browser
// lands on want.
func checkLands(t *testing.T, tab *browsertest.Tab, sites *browsertest.Sites, label, want string) {
	t.Helper()
	found := actions(t, tab, label)
	if len(found) != 1 {
		t.Errorf("%d actions labelled %q, want 1", len(found), label)
		return
	}
	resp, err := chromedp.RunResponse(tab.Ctx, chromedp.MouseClickNode(found[0]))
	if err != nil {
		t.Errorf("%q: %v", label, err)
		return
	}
	if landed := withoutUser(resp.URL); landed != withoutUser(want) || resp.Status != http.StatusOK || !sites.Served(want) {
		t.Errorf("%q landed on %s (%d), want %s; the sites served %s", label, resp.URL, resp.Status, want, sites.ServedURLs())
	}
}

// actions finds the links and buttons whose label begins with label.
func actions(t *testing.T, tab *browsertest.Tab, label string) []*chromedp.Node {
	t.Helper()
	xpath := fmt.Sprintf(`//*[self::a or self::button][starts-with(normalize-space(.), %q)]`, label)
	nodes, err := chromedp.Run(tab.Ctx, chromedp.Nodes(chromedp.Search(xpath), chromedp.AtLeast(0)))
	if err != nil {
		t.Fatalf("looking for %q: %v", label, err)
	}
	return nodes
}

// withoutUser drops the user name of a URL, which browsers do not send.
func withoutUser(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.User = nil
	return u.String()
}

// removeScreenshots removes the screenshots in dir whose names pick says,
// so that each browser test replaces its own and leaves the others'.
func removeScreenshots(dir string, pick func(name string) bool) error {
	shots, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		return err
	}
	for _, f := range shots {
		if pick(filepath.Base(f)) {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	return nil
}
