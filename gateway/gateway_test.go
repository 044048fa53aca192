package gateway_test

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/click"
	"github.com/blibli/safelink/gateway/pages"
	"github.com/blibli/safelink/gateway/scanners"
	"github.com/blibli/safelink/gateway/signals"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// embeddedBundle loads the embedded allowlist, templates and static files,
// with the given files replacing embedded ones (name → content; a name
// under "allowlist/", "templates/" or "static/").
func embeddedBundle(overrides map[string]string) gateway.Loader {
	return func() (*gateway.Bundle, error) {
		files := func(dir string, fsys fs.FS) fs.FS {
			m := copyFS(fsys)
			for name, content := range overrides {
				if rest, ok := strings.CutPrefix(name, dir+"/"); ok {
					m[rest] = &fstest.MapFile{Data: []byte(content)}
				}
			}
			return m
		}
		allowlistFiles := files("allowlist", safelink.Allowlist())
		lists, err := allowlist.Load(allowlistFiles)
		if err != nil {
			return nil, err
		}
		scannerList, err := scanners.Load(allowlistFiles)
		if err != nil {
			return nil, err
		}
		policy, err := click.NewPolicy(lists, "https://link.blibli.com")
		if err != nil {
			return nil, err
		}
		detector, err := signals.Load(files("signals", safelink.Signals()))
		if err != nil {
			return nil, err
		}
		pageSet, err := pages.Parse(files("templates", safelink.Templates()))
		if err != nil {
			return nil, err
		}
		return &gateway.Bundle{Policy: policy, Signals: detector, Scanners: scannerList, Pages: pageSet, Static: files("static", safelink.Static()),
			Status: map[string]any{"allowlist": lists.Counts()}}, nil
	}
}

func newGateway(t *testing.T, cfg gateway.Config) *gateway.Gateway {
	t.Helper()
	if cfg.HomeURL == "" {
		cfg.HomeURL = "https://www.blibli.com/"
	}
	g, err := gateway.New(cfg, embeddedBundle(nil))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, h http.Handler, method, target string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func goURL(link string) string {
	return "/go?u=" + url.QueryEscape(link)
}

func TestGoRedirectsOfficialLinks(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		r := do(t, h, method, goURL("http://www.blibli.com/promo?x=1"))
		if r.status != http.StatusFound || r.header.Get("Location") != "https://www.blibli.com/promo?x=1" {
			t.Errorf("%s: status %d location %q", method, r.status, r.header.Get("Location"))
		}
		if r.body != "" {
			t.Errorf("%s: redirect with a body %q", method, r.body)
		}
	}
}

func TestGoWarnsWithTheDestinationAndEveryReason(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	tests := []struct {
		link    string
		reasons []string
		shows   []string
	}{
		{"https://tokopedia.com/toko/x", []string{"external"}, []string{"tokopedia.com", "https://tokopedia.com/toko/x", "Situs ini bukan milik Blibli"}},
		{"http://example.com/", []string{"external", "insecure"}, []string{"http://", "tidak aman"}},
		{"https://blibli-promo.example/", []string{"external", "lookalike"}, []string{"Apakah maksud kamu", `href="https://blibli.com/"`}},
		{"https://bit.ly/x", []string{"external", "shortener"}, []string{"tautan pendek"}},
		{"https://wa.me/62812", []string{"external", "messaging"}, []string{"aplikasi chat di luar Blibli"}},
		{"https://user:pw@example.com/", []string{"external", "credentials"}, []string{"kata sandi"}},
		{"https://8.8.8.8/", []string{"external", "ip-address"}, []string{"alamat IP"}},
		{"https://blíbli.com/", []string{"external", "lookalike"}, []string{"blíbli.com", "xn--blbli-0sa.com"}},
		{"https://evil.example@www.blibli.com/", []string{"credentials"}, []string{"Cek dulu tautan ini"}},
	}
	for _, tt := range tests {
		r := do(t, h, http.MethodGet, goURL(tt.link))
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d", tt.link, r.status)
			continue
		}
		for _, reason := range tt.reasons {
			if !strings.Contains(r.body, `class="reason-`+reason+`"`) {
				t.Errorf("%s: no block for reason %s", tt.link, reason)
			}
		}
		if n := strings.Count(r.body, `class="reason-`); n != len(tt.reasons) {
			t.Errorf("%s: %d reason blocks, want %d", tt.link, n, len(tt.reasons))
		}
		for _, s := range append(tt.shows, `lang="id"`, "Kembali ke Blibli", `href="https://www.blibli.com/"`,
			`rel="noopener noreferrer"`, "0804 1 871 871", "customer.care@blibli.com", "OTP", "virtual account") {
			if !strings.Contains(r.body, s) {
				t.Errorf("%s: page does not show %q", tt.link, s)
			}
		}
		if r.header.Get("Location") != "" {
			t.Errorf("%s: a warning with a Location header", tt.link)
		}
	}
}

func TestGoEscapesTheLinkOnThePage(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	r := do(t, h, http.MethodGet, goURL(`https://evil.example/"><script>alert(1)</script>?a='b'`))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if strings.Contains(r.body, "<script") || strings.Contains(r.body, `'b'`) {
		t.Errorf("the link reached the page unescaped:\n%s", r.body)
	}
}

func TestGoRefusesWhatIsNotAWebLink(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	tests := map[string]string{
		goURL("javascript:alert(1)"):       "bukan alamat situs web",
		goURL("http://127.0.0.1/admin"):    "jaringan internal",
		goURL("https://blibli.com:0/"):     "port",
		goURL("https://a..b/"):             "Nama situs",
		"/go":                              "Tidak ada tautan",
		"/go?u=a&u=b":                      "lebih dari satu tautan",
		"/go?u=%zz":                        "Penulisan tautannya rusak",
		goURL(strings.Repeat("a", 9000)):   "terlalu panjang",
		goURL("https://blibli.com/\u202e"): "karakter tersembunyi",
		goURL("https:blibli.com"):          "tidak menyebut nama situs",
		goURL("   "):                       "kosong",
	}
	for target, text := range tests {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			r := do(t, h, method, target)
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
				t.Errorf("%s %.60s: status %d location %q", method, target, r.status, r.header.Get("Location"))
			}
			if method == http.MethodGet && !strings.Contains(r.body, text) {
				t.Errorf("%.60s: page does not say %q", target, text)
			}
		}
	}
}

func TestEveryResponseCarriesTheSecurityHeaders(t *testing.T) {
	g := newGateway(t, gateway.Config{HSTSMaxAge: 365 * 24 * time.Hour})
	want := map[string]string{
		"Referrer-Policy":           "no-referrer",
		"Cache-Control":             "no-store",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "DENY",
		"X-Robots-Tag":              "noindex, nofollow",
		"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
	}
	requests := []struct {
		h              http.Handler
		method, target string
		status         int
	}{
		{g.Public(), http.MethodGet, goURL("https://www.blibli.com/"), http.StatusFound},
		{g.Public(), http.MethodGet, goURL("https://bit.ly/x"), http.StatusOK},
		{g.Public(), http.MethodHead, goURL("https://bit.ly/x"), http.StatusOK},
		{g.Public(), http.MethodGet, goURL("file:///etc/passwd"), http.StatusBadRequest},
		{g.Public(), http.MethodPost, "/go", http.StatusMethodNotAllowed},
		{g.Public(), http.MethodGet, "/nope", http.StatusNotFound},
		{g.Public(), http.MethodGet, "/", http.StatusFound},
		{g.Public(), http.MethodGet, "/static/style.css", http.StatusOK},
		{g.Public(), http.MethodGet, "/static/", http.StatusNotFound},
		{g.Public(), http.MethodGet, "/healthz", http.StatusOK},
		{g.Public(), http.MethodGet, "/readyz", http.StatusOK},
		{g.Internal(), http.MethodGet, "/readyz", http.StatusOK},
		{g.Internal(), http.MethodGet, "/go", http.StatusNotFound},
	}
	for _, rq := range requests {
		r := do(t, rq.h, rq.method, rq.target)
		if r.status != rq.status {
			t.Errorf("%s %s: status %d, want %d", rq.method, rq.target, r.status, rq.status)
		}
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s %s: %s = %q, want %q", rq.method, rq.target, k, got, v)
			}
		}
		csp := r.header.Get("Content-Security-Policy")
		for _, directive := range []string{"default-src 'none'", "frame-ancestors 'none'", "style-src 'self'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("%s %s: CSP %q lacks %q", rq.method, rq.target, csp, directive)
			}
		}
		if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s %s: CSP %q allows scripts", rq.method, rq.target, csp)
		}
	}
	if got := do(t, newGateway(t, gateway.Config{}).Public(), http.MethodGet, "/").header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS sent without being configured: %q", got)
	}
}

func TestWarningPagesLetTheirFormReachOnlyTheDestination(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	tests := map[string]string{
		"https://bit.ly/x":                     "form-action 'self' https://bit.ly",
		"http://Example.COM:8080/a?b=c":        "form-action 'self' http://example.com:8080",
		"https://xn--bcher-kva.example/":       "form-action 'self' https://xn--bcher-kva.example",
		"https://[2606:4700::1111]/":           "form-action 'self' https:",
		"https://www.blibli.com/":              "form-action 'self'",
		"javascript:alert(document.domain)":    "form-action 'self'",
		"https://evil.example/'; script-src *": "form-action 'self' https://evil.example",
	}
	for link, want := range tests {
		csp := do(t, h, http.MethodGet, goURL(link)).header.Get("Content-Security-Policy")
		if !strings.HasSuffix(csp, want) {
			t.Errorf("%s: CSP %q does not end with %q", link, csp, want)
		}
	}
}

func TestErrorPagesAreIndonesianHTML(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	tests := map[string]string{"/nope": "Halaman tidak ditemukan", "/static/../assets.go": "Halaman tidak ditemukan"}
	for target, text := range tests {
		r := do(t, h, http.MethodGet, target)
		if r.status != http.StatusNotFound || !strings.Contains(r.body, text) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d %q %q", target, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	r := do(t, h, http.MethodDelete, "/go")
	if r.status != http.StatusMethodNotAllowed || !strings.Contains(r.body, "Permintaan tidak didukung") {
		t.Errorf("DELETE /go: %d %q", r.status, r.body)
	}
}

func TestStaticServesFilesOnly(t *testing.T) {
	h := newGateway(t, gateway.Config{}).Public()
	tests := []struct {
		target, contentType string
		status              int
	}{
		{"/static/style.css", "text/css; charset=utf-8", http.StatusOK},
		{"/static/warn.svg", "image/svg+xml", http.StatusOK},
		{"/static/", "", http.StatusNotFound},
		{"/static/missing.css", "", http.StatusNotFound},
		{"/static/%2e%2e/assets.go", "", http.StatusNotFound},
		{"/static/..%2fassets.go", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		r := do(t, h, http.MethodGet, tt.target)
		if r.status != tt.status || tt.contentType != "" && r.header.Get("Content-Type") != tt.contentType {
			t.Errorf("%s: %d %q", tt.target, r.status, r.header.Get("Content-Type"))
		}
	}
}

func TestHomeRedirectsToTheHomeURL(t *testing.T) {
	r := do(t, newGateway(t, gateway.Config{HomeURL: "https://www.blibli.com/help"}).Public(), http.MethodGet, "/")
	if r.status != http.StatusFound || r.header.Get("Location") != "https://www.blibli.com/help" {
		t.Errorf("GET /: %d %q", r.status, r.header.Get("Location"))
	}
}

// The public listener's /readyz says ready or draining and nothing else:
// the state of the parts is for the internal listener.
func TestPublicReadyzShowsOnlyItsStatus(t *testing.T) {
	g := newGateway(t, gateway.Config{})
	if r := do(t, g.Public(), http.MethodGet, "/readyz"); r.status != http.StatusOK || strings.TrimSpace(r.body) != `{"status":"ready"}` {
		t.Errorf("public readyz: %d %s", r.status, r.body)
	}
	g.Drain()
	if r := do(t, g.Public(), http.MethodGet, "/readyz"); r.status != http.StatusServiceUnavailable || strings.TrimSpace(r.body) != `{"status":"draining"}` {
		t.Errorf("public readyz while draining: %d %s", r.status, r.body)
	}
}

func TestReadyzReportsDraining(t *testing.T) {
	g := newGateway(t, gateway.Config{})
	r := do(t, g.Internal(), http.MethodGet, "/readyz")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"status":"ready"`) || !strings.Contains(r.body, `"official.txt":1`) {
		t.Errorf("readyz: %d %s", r.status, r.body)
	}
	g.Drain()
	r = do(t, g.Internal(), http.MethodGet, "/readyz")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, `"status":"draining"`) {
		t.Errorf("readyz while draining: %d %s", r.status, r.body)
	}
	if r := do(t, g.Public(), http.MethodGet, goURL("https://www.blibli.com/")); r.status != http.StatusFound {
		t.Errorf("/go while draining: %d", r.status)
	}
}

func TestNewRefusesAHomeURLThatIsNotOfficialHTTPS(t *testing.T) {
	for _, home := range []string{"https://evil.example/", "javascript:alert(1)", "", "http://localhost/"} {
		if _, err := gateway.New(gateway.Config{HomeURL: home}, embeddedBundle(nil)); err == nil {
			t.Errorf("New accepted home URL %q", home)
		}
	}
}

func TestBrokenBundlesStopTheStart(t *testing.T) {
	tests := map[string]struct {
		overrides map[string]string
		want      string
	}{
		// Parsing succeeds, rendering a warning fails: New must refuse
		// before any user sees a broken page.
		"missing reason block": {map[string]string{"templates/_reasons.html": `{{define "reason-external"}}x{{end}}`}, "reason-insecure"},
		"template syntax":      {map[string]string{"templates/warn.html": `{{define "content"}}{{if}}{{end}}`}, "warn.html:1"},
		"allowlist":            {map[string]string{"allowlist/official.txt": "blibli.com\ngithub.io\n"}, "official.txt:2"},
		"home not official":    {map[string]string{"allowlist/official.txt": "example.co.id\n"}, "home URL"},
	}
	for name, tt := range tests {
		_, err := gateway.New(gateway.Config{HomeURL: "https://www.blibli.com/"}, embeddedBundle(tt.overrides))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New: %v; want an error about %s", name, err, tt.want)
		}
	}
}

// A template override that could take the user somewhere without the
// warning's own forms is refused at start and at every reload: the
// destination in a link, a refresh, a base element, a form or button
// posting elsewhere.
func TestTemplatesThatSkipTheWarningAreRefused(t *testing.T) {
	reasons := reasonsFile(t)
	external := "Blibli tidak mengelola situs ini dan tidak bisa menjamin keamanannya."
	if !strings.Contains(reasons, external) {
		t.Fatal("the embedded external reason changed; update this test")
	}
	tests := map[string]struct{ inject, want string }{
		"link to the destination":    {`<a href="{{.Target}}">Buka langsung</a>`, "puts the destination in a link"},
		"link to the host":           {`<a href="//{{.Host}}/">Buka situsnya</a>`, "puts the destination in a link"},
		"image from the destination": {`<img src="https://{{.Host}}/favicon.ico" alt="">`, "puts the destination in a link"},
		"refresh":                    {`<meta http-equiv="Refresh" content="5">`, "refresh"},
		"base":                       {`<base href="https://evil.example/">`, "<base>"},
		"form posting elsewhere":     {`<form method="post" action="https://evil.example/"><button>Lanjut</button></form>`, "forms may post only"},
		"button posting elsewhere":   {`<button formaction="https://evil.example/">Lanjut</button>`, "formaction"},
	}
	for name, tt := range tests {
		overrides := map[string]string{"templates/_reasons.html": strings.Replace(reasons, external, external+" "+tt.inject, 1)}
		_, err := gateway.New(gateway.Config{HomeURL: "https://www.blibli.com/"}, embeddedBundle(overrides))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New: %v; want an error about %s", name, err, tt.want)
		}
	}
	// What the embedded blocks do stays allowed: a link to the official
	// domain a lookalike imitates, Google's report, the home URL.
	harmless := strings.Replace(reasons, external, external+` <a href="https://transparencyreport.google.com/safe-browsing/search?url={{.Target}}">laporan</a>`, 1)
	if _, err := gateway.New(gateway.Config{HomeURL: "https://www.blibli.com/"}, embeddedBundle(map[string]string{"templates/_reasons.html": harmless})); err != nil {
		t.Errorf("a link to Google's report about the destination was refused: %v", err)
	}
}

func TestReloadSwitchesOrKeepsTheLastGoodBundle(t *testing.T) {
	overrides := map[string]string{}
	g, err := gateway.New(gateway.Config{HomeURL: "https://www.blibli.com/"}, func() (*gateway.Bundle, error) {
		return embeddedBundle(overrides)()
	})
	if err != nil {
		t.Fatal(err)
	}
	h := g.Public()
	link := goURL("https://bit.ly/x")
	if r := do(t, h, http.MethodGet, link); !strings.Contains(r.body, "tautan pendek") {
		t.Fatal("the embedded shortener text is missing")
	}

	overrides["templates/_reasons.html"] = strings.Replace(reasonsFile(t), "Ini tautan pendek.", "Tautan singkat, hati-hati.", 1)
	overrides["allowlist/official.txt"] = "blibli.com\nbit.ly\n"
	overrides["allowlist/shorteners.txt"] = "tinyurl.com\n"
	if err := g.Reload(); err != nil {
		t.Fatal(err)
	}
	if r := do(t, h, http.MethodGet, link); r.status != http.StatusFound {
		t.Errorf("after the allowlist reload, bit.ly: %d", r.status)
	}
	if r := do(t, h, http.MethodGet, goURL("https://tinyurl.com/x")); !strings.Contains(r.body, "Tautan singkat, hati-hati.") {
		t.Errorf("the new template text is not served")
	}

	for name, broken := range map[string]string{
		"templates/_reasons.html": `{{define "reason-external"}}{{end}}`,
		"allowlist/official.txt":  "10.0.0.1\n",
	} {
		before := overrides[name]
		overrides[name] = broken
		if err := g.Reload(); err == nil {
			t.Errorf("a reload with a broken %s succeeded", name)
		}
		overrides[name] = before
		if r := do(t, h, http.MethodGet, goURL("https://tinyurl.com/x")); r.status != http.StatusOK || !strings.Contains(r.body, "Tautan singkat, hati-hati.") {
			t.Errorf("after a broken %s: %d, the last good bundle is not served", name, r.status)
		}
		r := do(t, g.Internal(), http.MethodGet, "/readyz")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"last_error"`) {
			t.Errorf("readyz after a failed reload: %d %s", r.status, r.body)
		}
	}
	if s := g.ReloadStats(); s.Succeeded != 1 || s.Failed != 2 {
		t.Errorf("ReloadStats = %+v", s)
	}
	if err := g.Reload(); err != nil {
		t.Fatal(err)
	}
	if r := do(t, g.Internal(), http.MethodGet, "/readyz"); strings.Contains(r.body, `"last_error"`) {
		t.Errorf("readyz still shows an error after a good reload: %s", r.body)
	}
}

func TestPreviewGallery(t *testing.T) {
	g := newGateway(t, gateway.Config{})
	h := g.Internal()
	index := do(t, h, http.MethodGet, "/_preview")
	if index.status != http.StatusOK {
		t.Fatalf("index: %d", index.status)
	}
	variants := gateway.Variants("https://www.blibli.com/")
	for _, want := range []string{"warn-external", "warn-all", "warn-long-url", "warn-idn", "block-malware",
		"block-social-engineering", "block-security-team", "invalid-scheme", "error-404"} {
		if !strings.Contains(index.body, `href="/_preview/`+want+`"`) {
			t.Errorf("the index does not link %s", want)
		}
	}
	for _, v := range variants {
		r := do(t, h, http.MethodGet, "/_preview/"+v.Name)
		if r.status != v.Page.Status || !strings.Contains(r.body, `lang="id"`) {
			t.Errorf("%s: %d, want %d", v.Name, r.status, v.Page.Status)
		}
		if v.Page.SiteUnicode != "" && !strings.Contains(r.body, v.Page.SiteUnicode) {
			t.Errorf("%s does not show %s", v.Name, v.Page.SiteUnicode)
		}
	}
	if r := do(t, h, http.MethodGet, "/_preview/nope"); r.status != http.StatusNotFound {
		t.Errorf("unknown variant: %d", r.status)
	}
	if r := do(t, h, http.MethodGet, "/static/style.css"); r.status != http.StatusOK {
		t.Errorf("the internal listener does not serve the static files for previews: %d", r.status)
	}
	if r := do(t, g.Public(), http.MethodGet, "/_preview"); r.status != http.StatusNotFound {
		t.Errorf("the preview gallery is on the public listener: %d", r.status)
	}
}

func reasonsFile(t *testing.T) string {
	t.Helper()
	b, err := fs.ReadFile(safelink.Templates(), "_reasons.html")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// copyFS copies fsys into memory.
func copyFS(fsys fs.FS) fstest.MapFS {
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		m[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		panic(err)
	}
	return m
}

func TestEveryProblemHasItsText(t *testing.T) {
	pageSet, err := pages.Parse(safelink.Templates())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, p := range weburl.Problems {
		var b strings.Builder
		if err := pageSet.Render(&b, "invalid", &gateway.Page{Page: "invalid", Status: 400, HomeURL: "https://www.blibli.com/", Problem: string(p)}); err != nil {
			t.Fatalf("problem %s: %v", p, err)
		}
		lead := b.String()[strings.Index(b.String(), `<p class="lead">`):]
		lead = lead[:strings.Index(lead, "</p>")]
		if other, dup := seen[lead]; dup {
			t.Errorf("problems %s and %s share the text %q", p, other, lead)
		}
		seen[lead] = string(p)
	}
}

// TestEveryReasonAndThreatHasItsText renders a warning for each reason and
// a block for each threat: each must have its own block of text, so a new
// reason or threat fails here until the templates explain it.
func TestEveryReasonAndThreatHasItsText(t *testing.T) {
	pageSet, err := pages.Parse(safelink.Templates())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	render := func(word string, p *gateway.Page, class string) {
		var b strings.Builder
		if err := pageSet.Render(&b, p.Page, p); err != nil {
			t.Fatalf("%s: %v", word, err)
		}
		i := strings.Index(b.String(), `<li class="`+class+`">`)
		if i < 0 {
			t.Fatalf("%s: the page has no item of class %q", word, class)
		}
		item := b.String()[i:]
		item = strings.TrimSpace(item[strings.Index(item, ">")+1 : strings.Index(item, "</li>")])
		if item == "" {
			t.Errorf("%s has no text", word)
		}
		if other, dup := seen[item]; dup {
			t.Errorf("%s and %s share the text %q", word, other, item)
		}
		seen[item] = word
	}
	for _, r := range verdict.Reasons {
		render("reason "+string(r), &gateway.Page{Page: "warn", Status: 200, HomeURL: "https://www.blibli.com/", Site: "toko.example",
			Reasons: []string{string(r)}}, "reason-"+string(r))
	}
	for _, th := range verdict.Threats {
		render("threat "+string(th), &gateway.Page{Page: "block", Status: 403, HomeURL: "https://www.blibli.com/", Site: "toko.example",
			Threats: []string{string(th)}}, "threat-"+string(th))
	}
}
