package gateway_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/events"
	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/rules"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakeshortener"
)

// expandBudget is the expansion budget of the gateways of these tests.
const expandBudget = 400 * time.Millisecond

// newExpandingGateway is a shared gateway that expands shortener links on
// the fakes of w.
func newExpandingGateway(t testing.TB, w *fakeshortener.World) *sharedGateway {
	x := expand.New(expand.Options{Dial: w.Net.Dial, Timeout: expandBudget})
	return newSharedGatewayLimits(t, 100, 600, 600, func(c *gateway.Config) { c.Clicks.Expander = x })
}

// The text of the pages of an expanded click.
const (
	viaText        = "Kami sudah cek ke mana tautan pendek ini mengarah"
	uncheckedText  = "Tujuan tautan pendek ini belum bisa kami periksa"
	shortenerText  = "Ini tautan pendek."
	lookalikeText  = "Apakah maksud kamu"
	continueButton = "Tetap buka"
)

func TestShortenerExpansionAtTheClick(t *testing.T) {
	w := fakeshortener.NewWorld(t)
	s := newExpandingGateway(t, w)
	s.addRule(t, rules.Rule{Match: rules.MatchDomain, Value: "hadiah-gratis.id", Action: verdict.RuleBlock, Reason: "penipuan hadiah", Author: "test"})
	dest := "https://" + fakeshortener.Destination + "/klaim"
	route := func(path string, r fakeshortener.Route) string {
		w.Short.Handle(path, r)
		return "http://bit.ly" + path
	}
	tests := []struct {
		name     string
		link     string
		status   int
		location string   // of a redirect
		site     string   // shown large on a page
		text     []string // on the page
		absent   []string // not on the page
	}{
		{name: "1 hop to an official page", link: w.Chain("official", 1, "https://www.blibli.com/promo"), status: http.StatusFound, location: "https://www.blibli.com/promo"},
		{name: "1 hop to an official http page", link: w.Chain("upgrade", 1, "http://www.blibli.com/p/sepatu"), status: http.StatusFound, location: "https://www.blibli.com/p/sepatu"},
		{name: "1 hop", link: w.Chain("one", 1, dest), status: http.StatusOK, site: fakeshortener.Destination, text: []string{viaText, "http://bit.ly/one-0"}, absent: []string{uncheckedText, shortenerText}},
		{name: "3 hops", link: w.Chain("three", 3, dest), status: http.StatusOK, site: fakeshortener.Destination, text: []string{viaText, "http://bit.ly/three-0", "http://tinyurl.com/three-1", "http://t.co/three-2"}},
		{name: "5 hops", link: w.Chain("five", 5, dest), status: http.StatusOK, site: fakeshortener.Destination, text: []string{viaText, "http://ow.ly/five-4"}},
		{name: "6 hops", link: w.Chain("six", 6, dest), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText, shortenerText}, absent: []string{viaText, fakeshortener.Destination}},
		{name: "to a lookalike", link: w.Chain("lookalike", 2, "https://blibli-promo.com/voucher"), status: http.StatusOK, site: "blibli-promo.com", text: []string{viaText, lookalikeText}},
		{name: "to a blocked site", link: w.Chain("blocked", 2, "https://hadiah-gratis.id/klaim"), status: http.StatusForbidden, site: "hadiah-gratis.id", text: []string{viaText, "penipuan hadiah"}, absent: []string{continueButton}},
		{name: "a loop", link: route("/loop", fakeshortener.Route{Location: "http://tinyurl.com/loop"}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "to an internal address", link: route("/rebind", fakeshortener.Route{Location: "http://" + fakeshortener.RebindHost + "/admin"}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "a slow hop", link: route("/slow", fakeshortener.Route{Delay: 5 * time.Second, Location: dest}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "a huge body", link: route("/huge", fakeshortener.Route{RefuseHead: true, Body: 50 << 20}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "HEAD refused", link: route("/head-refused", fakeshortener.Route{RefuseHead: true, Location: dest}), status: http.StatusOK, site: fakeshortener.Destination, text: []string{viaText}},
		{name: "credentials in the Location", link: route("/credentials", fakeshortener.Route{Location: "https://www.blibli.com:x@" + fakeshortener.Destination + "/klaim"}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "an IP address in the Location", link: route("/ip", fakeshortener.Route{Location: "https://103.28.12.7/login"}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "an internal name in the Location", link: route("/localhost", fakeshortener.Route{Location: "http://localhost/admin"}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
		{name: "a shortener down", link: route("/down", fakeshortener.Route{Status: http.StatusBadGateway}), status: http.StatusOK, site: "bit.ly", text: []string{uncheckedText}},
	}
	h := s.Public()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := do(t, h, http.MethodGet, goURL(tt.link))
			if took := time.Since(start); took > expandBudget+time.Second {
				t.Errorf("the click took %v, past the budget of %v", took, expandBudget)
			}
			if r.status != tt.status || r.header.Get("Location") != tt.location {
				t.Fatalf("%d %q, want %d %q", r.status, r.header.Get("Location"), tt.status, tt.location)
			}
			if tt.location != "" {
				return
			}
			if !strings.Contains(r.body, `<p class="site">`+tt.site+`</p>`) {
				t.Errorf("the page does not show %s large", tt.site)
			}
			for _, text := range tt.text {
				if !strings.Contains(r.body, text) {
					t.Errorf("the page does not say %q", text)
				}
			}
			for _, text := range tt.absent {
				if strings.Contains(r.body, text) {
					t.Errorf("the page says %q", text)
				}
			}
		})
	}
	if err := w.Untouched(); err != nil {
		t.Error(err)
	}
}

// TestExpandedWarningContinuesToTheDestination: "continue" on the warning
// of an expanded link goes to the destination, not the shortener, and the
// page lets its form go there.
func TestExpandedWarningContinuesToTheDestination(t *testing.T) {
	w := fakeshortener.NewWorld(t)
	s := newExpandingGateway(t, w)
	h := s.Public()
	dest := "https://" + fakeshortener.Destination + "/klaim?kode=7"
	page := do(t, h, http.MethodGet, goURL(w.Chain("continue", 2, dest)))
	if csp := page.header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "form-action 'self' https://"+fakeshortener.Destination) {
		t.Errorf("the page's form may go to %q", csp)
	}
	toks := tokens(t, page.body)
	if len(toks) != 2 {
		t.Fatalf("the page has %d form tokens", len(toks))
	}
	r := post(t, h, "/go/continue", url.Values{"t": {toks[0]}}, "same-origin")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != dest {
		t.Fatalf("continue: %d %q, want the destination %s", r.status, r.header.Get("Location"), dest)
	}
	decisions := s.events(t, events.KindDecision)
	if len(decisions) != 1 || decisions[0].Site != fakeshortener.Destination {
		t.Errorf("decision events: %+v, want one for the destination", decisions)
	}
	if err := w.Untouched(); err != nil {
		t.Error(err)
	}
}

// TestExpansionOnlyAtAPersonsClick: a HEAD and the clicks after the first
// ask the shortener nothing; the metrics count the expansions.
func TestExpansionOnlyAtAPersonsClick(t *testing.T) {
	w := fakeshortener.NewWorld(t)
	s := newExpandingGateway(t, w)
	link := w.Chain("person", 1, "https://"+fakeshortener.Destination+"/klaim")
	if r := do(t, s.Public(), http.MethodHead, goURL(link)); r.status != http.StatusOK || len(w.Short.Requests()) != 0 {
		t.Errorf("HEAD /go: %d and %d requests to the shortener, want the shortener warning and none", r.status, len(w.Short.Requests()))
	}
	for range 3 {
		do(t, s.Public(), http.MethodGet, goURL(link))
	}
	if n := len(w.Short.Requests()); n != 1 {
		t.Errorf("three clicks sent %d requests to the shortener, want 1: the expansion is remembered", n)
	}
	metrics := do(t, s.Internal(), http.MethodGet, "/metrics").body
	for _, want := range []string{
		`safelink_expansions_total{outcome="found"} 3`,
		"safelink_expansions_cached_total 2",
		"safelink_expansion_hops_count 1",
		"safelink_expansion_duration_seconds_count 3",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// FuzzExpandedGo serves any Location from a fake shortener, with a second
// hop that leads to an official page or elsewhere: a click never answers
// 5xx, a redirect keeps the one invariant, and no request reaches the
// destination or an internal address.
func FuzzExpandedGo(f *testing.F) {
	for _, link := range invariantLinks {
		f.Add(link, false)
	}
	f.Add("http://tinyurl.com/next", true)
	f.Add("/next", true)
	f.Add("http://"+fakeshortener.RebindHost+"/admin", false)
	f.Add("https://user@www.blibli.com/", false)
	w := fakeshortener.NewWorld(f)
	g := newFuzzGateway(f)
	x := expand.New(expand.Options{Dial: w.Net.Dial, Timeout: expandBudget, TTL: 1, FailureTTL: 1})
	g.Gateway = newSharedGatewayLimits(f, 1_000_000, 1_000_000, 1_000_000, func(c *gateway.Config) {
		c.Clicks.Rules = g.syncer
		c.Clicks.Expander = x
	}).Gateway
	h := g.Public()
	n := 0
	f.Fuzz(func(t *testing.T, location string, official bool) {
		n++
		next := "https://" + fakeshortener.Destination + "/klaim"
		if official {
			next = "https://www.blibli.com/p/sepatu"
		}
		w.Short.Handle("/next", fakeshortener.Route{Location: next})
		path := fmt.Sprintf("/f%d", n)
		w.Short.Handle(path, fakeshortener.Route{Location: location, Status: http.StatusFound})
		link := "http://bit.ly" + path
		req, err := http.NewRequest(http.MethodGet, goURL(link), nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := serve(t, h, req)
		if loc := rec.Header().Get("Location"); rec.Code/100 == 3 || loc != "" {
			g.checkOfficialRedirect(t, location, loc)
		}
		if err := w.Untouched(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestScannersGetThePersonsAnswerUncounted: a link-preview bot or scanner
// gets what a person gets, but its request is no click: no decision
// event or metric, no expansion; it is counted as a scan.
func TestScannersGetThePersonsAnswerUncounted(t *testing.T) {
	w := fakeshortener.NewWorld(t)
	s := newExpandingGateway(t, w)
	h := s.Public()
	short := w.Chain("scanned", 1, "https://"+fakeshortener.Destination+"/klaim")
	get := func(link, userAgent string) response {
		req := httptest.NewRequest(http.MethodGet, goURL(link), nil)
		req.Header.Set("User-Agent", userAgent)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
	}
	const whatsApp = "WhatsApp/2.23.20.0 A"
	official := get("https://www.blibli.com/p/sepatu", whatsApp)
	if official.status != http.StatusFound || official.header.Get("Location") != "https://www.blibli.com/p/sepatu" {
		t.Errorf("an official link to WhatsApp's preview: %d %q", official.status, official.header.Get("Location"))
	}
	bot := get(short, whatsApp)
	if bot.status != http.StatusOK || !strings.Contains(bot.body, shortenerText) || strings.Contains(bot.body, viaText) || len(w.Short.Requests()) != 0 {
		t.Errorf("a shortener link to WhatsApp's preview: %d, expanded with %d requests; want the shortener warning, none", bot.status, len(w.Short.Requests()))
	}
	do(t, h, http.MethodHead, goURL(short))
	if len(w.Short.Requests()) != 0 {
		t.Error("a HEAD expanded the link")
	}
	person := get(short, "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36")
	if !strings.Contains(person.body, viaText) {
		t.Error("a person's click was not expanded")
	}
	scans, decisions := s.events(t, events.KindScan), s.events(t, events.KindDecision)
	if len(scans) != 3 || len(decisions) != 1 || decisions[0].Site != fakeshortener.Destination {
		t.Errorf("%d scan events and decisions %+v; want 3 scans and the person's one decision", len(scans), decisions)
	}
	metrics := do(t, s.Internal(), http.MethodGet, "/metrics").body
	for _, want := range []string{
		`safelink_scans_total{scanner="WhatsApp"} 2`,
		`safelink_scans_total{scanner="HEAD"} 1`,
		`safelink_decisions_total{action="warn"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(metrics, `safelink_decisions_total{action="redirect"}`) {
		t.Error("a preview's redirect counts as a decision")
	}
}

// TestExpandedDestinationKeepsTheMessageContext: a short link sent in a
// message with signals warns on its destination with suspicious-message,
// as the destination's own link would.
func TestExpandedDestinationKeepsTheMessageContext(t *testing.T) {
	w := fakeshortener.NewWorld(t)
	s := newExpandingGateway(t, w)
	link := w.Chain("otp", 2, "https://"+fakeshortener.Destination+"/verifikasi")
	r := do(t, s.Public(), http.MethodGet, goURL(link)+"&c="+string(verdict.SignalCredentialRequest))
	if r.status != http.StatusOK || !strings.Contains(r.body, viaText) || !strings.Contains(r.body, "reason-suspicious-message") ||
		!strings.Contains(r.body, "signal-credential-request") {
		t.Errorf("an expanded link from an OTP request: %d\n%.3000s", r.status, r.body)
	}
	official := w.Chain("otp-official", 1, "https://www.blibli.com/promo")
	if r := do(t, s.Public(), http.MethodGet, goURL(official)+"&c="+string(verdict.SignalCredentialRequest)); r.status != http.StatusFound {
		t.Errorf("an expanded official link from an OTP request: %d, want a redirect", r.status)
	}
}
