package gateway_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/threat"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/internal/fakesafebrowsing"
)

// threatBudget is the lookup budget in these tests, as in production.
const threatBudget = 300 * time.Millisecond

// slack is how much later than its budget a request may finish on a
// loaded test machine.
const slack = 2 * time.Second

const listedThreats = `
malware https://malware.example/
social-engineering https://phishing.example/
social-engineering https://evil.blibli.com/
unwanted-software https://toolbar.example/install/
harmful-application https://apk.example/download/app.apk
malware https://slow.example/
malware https://garbage.example/
malware https://down.example/
malware https://unduh.blibli.com/
`

// safeBrowsingGateway starts the fake Safe Browsing server, the real
// client against it, and a gateway that checks every click with it.
func safeBrowsingGateway(t *testing.T) (*gateway.Gateway, *fakesafebrowsing.Server) {
	t.Helper()
	sb, fake := safeBrowsingClient(t)
	return checkingGateway(t, sb), fake
}

// checkingGateway is a gateway that checks every click with sb.
func checkingGateway(t *testing.T, sb *threat.SafeBrowsing) *gateway.Gateway {
	t.Helper()
	g, err := gateway.New(gateway.Config{
		HomeURL: "https://www.blibli.com/",
		Clicks:  click.Service{Threats: []click.ThreatSource{{Source: verdict.SourceSafeBrowsing, Lists: sb}}, ThreatTimeout: threatBudget},
	}, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// safeBrowsingClient starts the fake Safe Browsing server with the listed
// threats and the real client against it, and waits for the lists.
func safeBrowsingClient(t *testing.T) (*threat.SafeBrowsing, *fakesafebrowsing.Server) {
	t.Helper()
	entries, err := fakesafebrowsing.ParseThreats(strings.NewReader(listedThreats))
	if err != nil {
		t.Fatal(err)
	}
	fake, err := fakesafebrowsing.New(fakesafebrowsing.Config{Threats: entries, MinimumWait: time.Second, CacheDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Stop() })
	sb, err := threat.NewSafeBrowsing(threat.Config{APIKey: "test-key", ServerURL: fake.URL(), Lists: threat.DefaultLists})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	deadline := time.Now().Add(10 * time.Second)
	for sb.Status().State != verdict.ListsReady {
		if time.Now().After(deadline) {
			t.Fatalf("the lists did not load: %+v", sb.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return sb, fake
}

func TestSafeBrowsingBlocksEachThreatType(t *testing.T) {
	g, _ := safeBrowsingGateway(t)
	h := g.Public()
	tests := []struct{ link, threat, text string }{
		{"https://malware.example/file", "malware", "Situs berisi malware"},
		{"https://login.phishing.example/akun", "social-engineering", "Situs penipuan (phishing)"},
		{"https://toolbar.example/install/setup.exe", "unwanted-software", "software yang tidak diinginkan"},
		{"https://apk.example/download/app.apk", "harmful-application", "aplikasi berbahaya"},
		// An official subdomain on a list is blocked, not redirected.
		{"https://evil.blibli.com/promo", "social-engineering", "Situs penipuan (phishing)"},
	}
	for _, tt := range tests {
		r := do(t, h, http.MethodGet, goURL(tt.link))
		if r.status != http.StatusForbidden || r.header.Get("Location") != "" {
			t.Errorf("%s: %d %q, want a 403 block page", tt.link, r.status, r.header.Get("Location"))
			continue
		}
		for _, want := range []string{`class="threat-` + tt.threat + `"`, tt.text, "Advisory provided by Google",
			"transparencyreport.google.com", "Kembali ke Blibli", "salah diblokir"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: the block page lacks %q", tt.link, want)
			}
		}
		if strings.Contains(r.body, "Tetap buka") {
			t.Errorf("%s: the block page offers a way through", tt.link)
		}
	}
}

func TestSafeBrowsingCleanLinks(t *testing.T) {
	g, _ := safeBrowsingGateway(t)
	h := g.Public()
	r := do(t, h, http.MethodGet, goURL("https://toko-sepatu.example/"))
	if r.status != http.StatusOK || strings.Contains(r.body, "reason-unverified") || !strings.Contains(r.body, "reason-external") {
		t.Errorf("a clean external link: %d, unverified %v", r.status, strings.Contains(r.body, "reason-unverified"))
	}
	r = do(t, h, http.MethodGet, goURL("https://www.blibli.com/promo"))
	if r.status != http.StatusFound || r.header.Get("Location") != "https://www.blibli.com/promo" {
		t.Errorf("a clean official link: %d %q", r.status, r.header.Get("Location"))
	}
	ready := do(t, g.Internal(), http.MethodGet, "/readyz")
	if !strings.Contains(ready.body, `"safebrowsing":{"state":"ready"`) {
		t.Errorf("readyz: %s", ready.body)
	}
}

// A failing server leaves a listed link unverified: the lookup of a listed
// prefix needs the server's full hashes. The answer comes within the
// budget, without a 5xx, and an official link still redirects.
func TestSafeBrowsingFailuresGiveUnverified(t *testing.T) {
	g, fake := safeBrowsingGateway(t)
	h := g.Public()
	tests := []struct {
		name        string
		link        string
		breakServer func()
	}{
		{"slow", "https://slow.example/", func() { fake.SetDelay(3 * time.Second) }},
		{"garbage", "https://garbage.example/", func() { fake.SetDelay(0); fake.SetFailure(fakesafebrowsing.FailureGarbage) }},
		{"down", "https://down.example/", func() { fake.SetFailure(fakesafebrowsing.FailureNone); fake.Stop() }},
	}
	for _, tt := range tests {
		tt.breakServer()
		start := time.Now()
		r := do(t, h, http.MethodGet, goURL(tt.link))
		elapsed := time.Since(start)
		if r.status != http.StatusOK || !strings.Contains(r.body, `class="reason-unverified"`) {
			t.Errorf("%s: %d, unverified shown %v", tt.name, r.status, strings.Contains(r.body, "reason-unverified"))
		}
		if elapsed > threatBudget+slack {
			t.Errorf("%s: answered after %v, budget %v", tt.name, elapsed, threatBudget)
		}
		if r := do(t, h, http.MethodGet, goURL("https://www.blibli.com/")); r.status != http.StatusFound {
			t.Errorf("%s: an official link got %d", tt.name, r.status)
		}
		t.Logf("%s: answered in %v", tt.name, elapsed.Round(time.Millisecond))
	}
	m := do(t, g.Internal(), http.MethodGet, "/metrics").body
	for _, want := range []string{`safelink_threat_lookups_total{result="unverified"} 3`, `safelink_threat_lookups_total{result="clean"} 3`} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// An official host whose listed prefix cannot be confirmed, because the
// server fails the full-hash request, is not redirected: the user gets
// the unverified warning.
func TestSafeBrowsingUnconfirmedOfficialLinkIsNotRedirected(t *testing.T) {
	g, fake := safeBrowsingGateway(t)
	fake.SetFailure(fakesafebrowsing.FailureStatus500)
	r := do(t, g.Public(), http.MethodGet, goURL("https://unduh.blibli.com/aplikasi"))
	if r.status != http.StatusOK || !strings.Contains(r.body, `class="reason-unverified"`) {
		t.Errorf("a listed official link whose full hash cannot be checked: %d %q", r.status, r.header.Get("Location"))
	}
	if r := do(t, g.Public(), http.MethodGet, goURL("https://www.blibli.com/")); r.status != http.StatusFound {
		t.Errorf("an unlisted official link: %d, want 302", r.status)
	}
}

func TestSafeBrowsingOffIsReported(t *testing.T) {
	g := newGateway(t, gateway.Config{})
	if r := do(t, g.Internal(), http.MethodGet, "/readyz"); r.status != http.StatusOK || !strings.Contains(r.body, `"safebrowsing":{"state":"off"}`) {
		t.Errorf("readyz without Safe Browsing: %d %s", r.status, r.body)
	}
	if r := do(t, g.Public(), http.MethodGet, goURL("https://toko-sepatu.example/")); strings.Contains(r.body, "reason-unverified") {
		t.Error("with checking off, a link is marked unverified")
	}
}

func TestSafeBrowsingNotReadyGivesUnverified(t *testing.T) {
	// No server listens here: the lists never load.
	sb, err := threat.NewSafeBrowsing(threat.Config{APIKey: "test-key", ServerURL: "http://127.0.0.1:1", Lists: threat.DefaultLists})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	g := checkingGateway(t, sb)
	if r := do(t, g.Public(), http.MethodGet, goURL("https://toko-sepatu.example/")); r.status != http.StatusOK || !strings.Contains(r.body, `class="reason-unverified"`) {
		t.Errorf("an external link before the lists load: %d", r.status)
	}
	if r := do(t, g.Public(), http.MethodGet, goURL("https://www.blibli.com/")); r.status != http.StatusFound {
		t.Errorf("an official link before the lists load: %d", r.status)
	}
	if r := do(t, g.Internal(), http.MethodGet, "/readyz"); r.status != http.StatusOK || !strings.Contains(r.body, `"state":"loading"`) {
		t.Errorf("readyz before the lists load: %d %s", r.status, r.body)
	}
}
