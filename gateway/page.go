package gateway

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// The page templates the gateway renders.
const (
	pageWarn    = "warn"
	pageBlock   = "block"
	pageInvalid = "invalid"
	pageError   = "error"
	pageThanks  = "thanks"
	pageExpired = "expired"
	pageHint    = "hint" // shown in the preview only: what the rewrite API's hints say
)

// Page is the data every page template receives. docs/templates.md
// describes each field for the web team.
type Page struct {
	Page   string // template name: "warn", "block", "invalid", "error", "thanks", "expired", "hint"
	Status int    // HTTP status of the response
	// HomeURL is where "back to Blibli" leads.
	HomeURL string

	// The link's destination; empty on error pages.
	Site        string   // registrable domain, ASCII (punycode)
	SiteUnicode string   // registrable domain as people read it
	Host        string   // full host, ASCII
	HostUnicode string   // full host as people read it
	URL         string   // the whole URL, decoded for reading; never a link target
	Target      string   // the whole URL, normalized ASCII
	Reasons     []string // warning reasons, e.g. "external", "lookalike"
	Threats     []string // threat lists the link is on, e.g. "malware"
	Sources     []string // threat sources whose lists hold it: "safebrowsing", "webrisk"
	RuleReason  string   // the security team's note when one of its rules matched
	Imitates    string   // the official domain a lookalike imitates
	Problem     string   // why a link is invalid, e.g. "scheme", "internal"
	// Signals are the scam signals of the chat message the link was sent
	// in, e.g. "credential-request"; on the hint preview, the one shown.
	Signals []string
	// Message is a sample chat message on the hint preview; empty
	// elsewhere.
	Message string
	// Via are the shortener links the destination was found through, the
	// clicked link first, decoded for reading; empty unless the link was
	// expanded.
	Via []string

	// Tokens of the forms: "continue" on a warning page, the report form
	// on warning and block pages. Each is short-lived and signed.
	ContinueToken string
	ReportToken   string
}

// Has reports whether the page shows the given reason.
func (p *Page) Has(reason string) bool {
	return slices.Contains(p.Reasons, reason)
}

// verdictPage builds the page data for a verdict, with the tokens of its
// forms.
func verdictPage(l *loaded, name string, status int, v *verdict.Verdict, tokens formTokens) *Page {
	p := &Page{Page: name, Status: status, HomeURL: l.homeURL, Problem: string(v.Problem)}
	if v.URL == nil {
		return p
	}
	p.Site, p.SiteUnicode = v.Site, v.SiteUnicode()
	p.Host, p.HostUnicode = v.URL.Host, v.URL.HostUnicode()
	p.URL, p.Target = v.URL.Display(), v.Target
	p.Imitates = v.Imitates
	p.ContinueToken, p.ReportToken = tokens.Continue, tokens.Report
	if v.Rule != nil {
		p.RuleReason = v.Rule.Reason
	}
	p.Reasons = stringsOf(v.Reasons)
	p.Threats = stringsOf(v.Threats)
	p.Sources = stringsOf(v.Sources)
	p.Signals = stringsOf(v.Signals)
	p.Via = displayLinks(v.Via)
	return p
}

// displayLinks returns normalized links decoded for reading.
func displayLinks(links []string) []string {
	if len(links) == 0 {
		return nil
	}
	out := make([]string, len(links))
	for i, link := range links {
		out[i] = link
		if u, err := weburl.Parse(link); err == nil {
			out[i] = u.Display()
		}
	}
	return out
}

// renderVerdict writes the page of a verdict. A page of the same verdict
// whose tokens expire in the same minute comes from the cache without
// building its data or signing its tokens again.
func (g *Gateway) renderVerdict(c echo.Context, l *loaded, name string, status int, v *verdict.Verdict) error {
	now := time.Now()
	return g.renderCached(c, l, status, verdictPageKey(name, status, v, now), func() *Page {
		return verdictPage(l, name, status, v, g.formTokens(v, now))
	})
}

// verdictPageKey identifies the page of a verdict by everything of the
// verdict the page and its tokens hold, and the minute the tokens are made
// in (see expiry). The host and URL the page shows are those of Target.
func verdictPageKey(name string, status int, v *verdict.Verdict, now time.Time) string {
	var rule string
	if v.Rule != nil {
		rule = "rule:" + v.Rule.Reason
	}
	fields := []string{"verdict", name, strconv.Itoa(status), string(v.Action), v.Target, v.Site, v.Imitates,
		string(v.Problem), joinStrings(v.Reasons), joinStrings(v.Threats), joinStrings(v.Sources), joinStrings(v.Signals), rule, strconv.FormatBool(v.Signed), strings.Join(v.Via, " "),
		strconv.FormatInt(now.Unix()/60, 10)}
	return strings.Join(fields, "\x00")
}

// joinStrings joins string-based values with commas.
func joinStrings[T ~string](values []T) string {
	return strings.Join(stringsOf(values), ",")
}

// stringsOf converts a slice of string-based values for templates.
func stringsOf[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// render writes a whole page or, when the templates fail, nothing and an
// error for the error handler. A page rendered a moment ago with the same
// data is written again from the cache.
func (g *Gateway) render(c echo.Context, l *loaded, p *Page) error {
	return g.renderCached(c, l, p.Status, p.cacheKey(), func() *Page { return p })
}

// renderCached writes the page cached under key, or renders the page that
// page returns and caches it.
func (g *Gateway) renderCached(c echo.Context, l *loaded, status int, key string, page func() *Page) error {
	h := c.Response().Header()
	setAll(h, pageHeaders)
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	html, ok := l.caches.pages.Get(key)
	if !ok {
		p := page()
		var b bytes.Buffer
		if err := l.pages.Render(&b, p.Page, p); err != nil {
			return err
		}
		html = b.Bytes()
		l.caches.pages.Put(key, html)
	}
	// With its length known, the page goes out in one piece rather than
	// in chunks.
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(html)))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(html)
	return err
}

// cacheKey identifies the page by every field the templates can read.
func (p *Page) cacheKey() string {
	fields := []string{p.Page, strconv.Itoa(p.Status), p.HomeURL, p.Site, p.SiteUnicode, p.Host, p.HostUnicode,
		p.URL, p.Target, strings.Join(p.Reasons, ","), strings.Join(p.Threats, ","), strings.Join(p.Sources, ","), p.RuleReason, p.Imitates,
		p.Problem, strings.Join(p.Signals, ","), p.Message, p.ContinueToken, p.ReportToken, strings.Join(p.Via, " ")}
	return strings.Join(fields, "\x00")
}
