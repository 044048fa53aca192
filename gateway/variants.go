package gateway

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// Variant is one way a page can look, with sample data: the preview
// gallery shows each, and every reload renders each before it is used.
type Variant struct {
	Name        string // URL-safe, e.g. "warn-lookalike"
	Description string
	Page        *Page
}

// samplePreviewToken stands in for the form tokens on the sample pages; the
// gateway refuses it, as it refuses every token it did not sign.
const samplePreviewToken = "preview"

// sampleRule is the note of the security team on the sample pages.
const sampleRule = "Dipakai dalam penipuan voucher palsu."

// Variants returns every page variant with sample data: a warning for each
// reason alone and all combined, for a link sent in a message with each
// signal kind, the chat hint of each kind, a very long URL and an IDN host, a block
// for each threat and for a rule, the invalid page for each problem, the
// report thanks, the expired form, and the error pages (429 included).
func Variants(homeURL string) []Variant {
	var vs []Variant
	add := func(name, description string, p *Page) {
		vs = append(vs, Variant{Name: name, Description: description, Page: p})
	}
	for _, r := range verdict.Reasons {
		add("warn-"+string(r), "warning: "+string(r), samplePage(pageWarn, homeURL, reasonSampleURL[r], r))
	}
	for _, k := range verdict.SignalKinds {
		p := samplePage(pageWarn, homeURL, reasonSampleURL[verdict.ReasonSuspiciousMessage], verdict.ReasonExternal, verdict.ReasonSuspiciousMessage)
		p.Signals = []string{string(k)}
		add("warn-suspicious-message-"+string(k), "warning for a link sent in a message with the signal "+string(k), p)
		add("hint-"+string(k), "the rewrite API's hint for the signal "+string(k),
			&Page{Page: pageHint, Status: http.StatusOK, HomeURL: homeURL, Signals: []string{string(k)}, Message: sampleMessage[k]})
	}
	add("warn-all", "warning with every reason", samplePage(pageWarn, homeURL, "http://user@promo.xn--blbli-0sa.example/voucher", verdict.Reasons...))
	add("warn-long-url", "warning for a very long URL", samplePage(pageWarn, homeURL,
		"https://toko-sepatu.example/produk/"+strings.Repeat("sepatu-lari-pria-original-", 60)+"?ref="+strings.Repeat("a1b2c3", 50), verdict.ReasonExternal))
	add("warn-idn", "warning for an internationalized domain", samplePage(pageWarn, homeURL, "https://xn--blbli-0sa.com/promo", verdict.ReasonExternal, verdict.ReasonLookalike))
	for _, t := range verdict.Threats {
		p := samplePage(pageBlock, homeURL, "https://hadiah-gratis.example/klaim")
		p.Threats, p.Sources = []string{string(t)}, []string{string(sampleSource(t))}
		add("block-"+string(t), "block: "+string(t), p)
	}
	all := samplePage(pageBlock, homeURL, "https://hadiah-gratis.example/klaim")
	all.Threats, all.Sources = stringsOf(verdict.Threats), stringsOf(verdict.Sources)
	add("block-all-threats", "block on every threat list of every source", all)
	rule := samplePage(pageBlock, homeURL, "https://blibli-voucher.example/")
	rule.RuleReason = sampleRule
	add("block-security-team", "block by a security-team rule", rule)
	vs = append(vs, viaVariants(homeURL)...)
	for _, p := range weburl.Problems {
		add("invalid-"+string(p), "invalid link: "+string(p), &Page{Page: pageInvalid, Status: http.StatusBadRequest, HomeURL: homeURL, Problem: string(p)})
	}
	add("report-thanks", "thanks for a report", &Page{Page: pageThanks, Status: http.StatusOK, HomeURL: homeURL})
	add("expired", "a warning page's form sent too late", &Page{Page: pageExpired, Status: http.StatusBadRequest, HomeURL: homeURL})
	for _, status := range []int{http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusTooManyRequests, http.StatusInternalServerError} {
		add(fmt.Sprintf("error-%d", status), "error page "+http.StatusText(status), &Page{Page: pageError, Status: status, HomeURL: homeURL})
	}
	return vs
}

// reasonSampleURL is a link that shows off each reason.
var reasonSampleURL = map[verdict.Reason]string{
	verdict.ReasonExternal:          "https://toko-sepatu.example/produk/sepatu-lari",
	verdict.ReasonInsecure:          "http://toko-sepatu.example/produk/sepatu-lari",
	verdict.ReasonLookalike:         "https://blibli-promo.example/voucher",
	verdict.ReasonShortener:         "https://bit.ly/promo-akhir-tahun",
	verdict.ReasonMessaging:         "https://wa.me/6281234567890",
	verdict.ReasonCredentials:       "https://www.blibli.com@masuk-akun.example/",
	verdict.ReasonIPAddress:         "https://103.28.12.7/login",
	verdict.ReasonPort:              "https://www.blibli.com:8443/promo",
	verdict.ReasonAPKDownload:       "https://kurir-cepat.example/Lacak_Paket.apk",
	verdict.ReasonSecurityTeam:      "https://toko-sepatu.example/produk/sepatu-lari",
	verdict.ReasonSuspected:         "https://hadiah-undian.example/klaim",
	verdict.ReasonSuspiciousMessage: "https://toko-sepatu.example/verifikasi-akun",
	verdict.ReasonReported:          "https://hadiah-kilat.example/klaim",
	verdict.ReasonTampered:          "https://toko-sepatu.example/produk/sepatu-lari",
	verdict.ReasonUnsigned:          "https://www.blibli.com/promo",
	verdict.ReasonUnverified:        "https://toko-sepatu.example/produk/sepatu-lari",
	verdict.ReasonUnexpanded:        "https://bit.ly/promo-akhir-tahun",
}

// sampleMessage is a chat message that raises each signal kind.
var sampleMessage = map[verdict.SignalKind]string{
	verdict.SignalCredentialRequest:  "Kak, barusan ada kode OTP masuk ke HP kakak. Tolong kirim ke saya ya, biar pesanannya bisa diproses.",
	verdict.SignalSecretShared:       "Ini kak kode verifikasinya: 482913",
	verdict.SignalOffPlatformPayment: "Transfer langsung aja ke rekening BCA saya a.n. Budi, biar nggak kena biaya admin.",
	verdict.SignalOffPlatformContact: "Lanjut di WA aja kak, 0812-3456-7890.",
	verdict.SignalAPKFile:            "Ini aplikasi lacak paketnya kak, install dulu ya: Lacak_Paket.apk",
}

// sampleSource is a source that has a list of t: only Web Risk has the
// extended coverage of social engineering, only Safe Browsing harmful
// applications.
func sampleSource(t verdict.Threat) verdict.Source {
	if t == verdict.ThreatSocialEngineeringExtended {
		return verdict.SourceWebRisk
	}
	return verdict.SourceSafeBrowsing
}

// samplePage fills a page for rawURL as the handlers would.
func samplePage(name, homeURL, rawURL string, reasons ...verdict.Reason) *Page {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		panic(fmt.Sprintf("sample URL %q: %v", rawURL, err)) // the samples above are constants
	}
	site := u.Host
	if !u.IP.IsValid() {
		if s, err := publicsuffix.EffectiveTLDPlusOne(u.Host); err == nil {
			site = s
		}
	}
	status := http.StatusOK
	if name == pageBlock {
		status = http.StatusForbidden
	}
	p := &Page{
		Page: name, Status: status, HomeURL: homeURL,
		Site: site, SiteUnicode: weburl.ToUnicode(site),
		Host: u.Host, HostUnicode: u.HostUnicode(),
		URL: u.Display(), Target: u.String(),
		Reasons: stringsOf(reasons),
	}
	if name == pageWarn {
		p.ContinueToken = samplePreviewToken
	}
	p.ReportToken = samplePreviewToken
	for _, r := range reasons {
		switch r {
		case verdict.ReasonLookalike:
			p.Imitates = "blibli.com"
		case verdict.ReasonSecurityTeam:
			p.RuleReason = sampleRule
		case verdict.ReasonSuspected:
			p.Threats = []string{string(verdict.ThreatSocialEngineeringExtended)}
			p.Sources = []string{string(verdict.SourceWebRisk)}
		case verdict.ReasonSuspiciousMessage:
			p.Signals = stringsOf(verdict.SignalKinds)
		}
	}
	return p
}

// CheckPages renders every variant, so that a template that fails on some
// variant stops a start or a reload instead of a user's click. It also
// renders each variant with the destination on a probe host and refuses a
// template that would take the user there, or anywhere, without the
// warning's own forms (see checkNavigation).
func CheckPages(set *pages.Set, homeURL string) error {
	for _, v := range Variants(homeURL) {
		for _, p := range []*Page{v.Page, probePage(v.Page)} {
			if p == nil {
				continue
			}
			if err := renderChecked(set, p); err != nil {
				return fmt.Errorf("page variant %s: %w", v.Name, err)
			}
		}
	}
	return nil
}

// renderChecked renders p and checks that it navigates nowhere on its own.
func renderChecked(set *pages.Set, p *Page) error {
	var b bytes.Buffer
	if err := set.Render(&b, p.Page, p); err != nil {
		return err
	}
	return checkNavigation(b.Bytes())
}
