package verdict_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	safelink "github.com/blibli/safelink"
	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/lookalike"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// decideQuery decides on the link of a /go query string, as the gateway does.
func decideQuery(p *verdict.Policy, rawQuery string) (verdict.Verdict, verdict.GoQuery) {
	q, err := verdict.ParseGoQuery(rawQuery)
	if err != nil {
		return verdict.Refuse(err), q
	}
	return p.Decide(q.Link), q
}

func testPolicy(t testing.TB) *verdict.Policy {
	t.Helper()
	lists, err := allowlist.Load(safelink.Allowlist())
	if err != nil {
		t.Fatal(err)
	}
	return &verdict.Policy{
		Lists:       lists,
		Lookalikes:  lookalike.New(lists.OfficialDomains()),
		GatewayHost: "link.blibli.com",
		GatewayPath: "/go",
	}
}

// R is shorthand for a list of reasons in the tables below.
type R = []verdict.Reason

const (
	ext   = verdict.ReasonExternal
	http  = verdict.ReasonInsecure
	look  = verdict.ReasonLookalike
	short = verdict.ReasonShortener
	chat  = verdict.ReasonMessaging
	cred  = verdict.ReasonCredentials
	ip    = verdict.ReasonIPAddress
)

func TestDecideRedirects(t *testing.T) {
	p := testPolicy(t)
	tests := []struct{ in, target string }{
		{"https://www.blibli.com/", "https://www.blibli.com/"},
		{"https://blibli.com", "https://blibli.com/"},
		{"https://www.blibli.com/p/kaos-polos/ps--ABC-123?ds=1&pickupPointCode=PP-1#ulasan", "https://www.blibli.com/p/kaos-polos/ps--ABC-123?ds=1&pickupPointCode=PP-1#ulasan"},
		{"http://www.blibli.com/promo", "https://www.blibli.com/promo"},
		{"http://blibli.com:80/a", "https://blibli.com/a"},
		{"HTTPS://WWW.BLIBLI.COM/Promo", "https://www.blibli.com/Promo"},
		{"https://www.blibli.com./", "https://www.blibli.com/"},
		{"  https://www.blibli.com/  ", "https://www.blibli.com/"},
		{"https://ｗｗｗ．ｂｌｉｂｌｉ．ｃｏｍ/", "https://www.blibli.com/"},
		{"https://bl%69bli.com/", "https://blibli.com/"},
		{"https://seller.blibli.com/a b", "https://seller.blibli.com/a%20b"},
		{"https://www.blibli.com/cari/sepatu?q=sepatu lari", "https://www.blibli.com/cari/sepatu?q=sepatu%20lari"},
		{"https://www.blibli.com/\\evil.example", "https://www.blibli.com/%5Cevil.example"},
		{"https://www.blibli.com/@evil.example", "https://www.blibli.com/@evil.example"},
		{"https://www.blibli.com?@evil.example", "https://www.blibli.com/?@evil.example"},
		{"https://link.blibli.com/go?u=https%3A%2F%2Fwww.blibli.com%2Fpromo", "https://www.blibli.com/promo"},
		// Only the gateway's own /go path is unwrapped.
		{"https://link.blibli.com/other?u=https%3A%2F%2Fbit.ly%2Fx", "https://link.blibli.com/other?u=https%3A%2F%2Fbit.ly%2Fx"},
		{"https://link.blibli.com/go?u=" + url.QueryEscape("https://link.blibli.com/go?u="+url.QueryEscape("http://blibli.com/x")), "https://blibli.com/x"},
	}
	for _, tt := range tests {
		v := p.Decide(tt.in)
		if v.Action != verdict.Redirect || v.Target != tt.target || len(v.Reasons) != 0 {
			t.Errorf("Decide(%q) = %s %v %q, want redirect to %q", tt.in, v.Action, v.Reasons, v.Target, tt.target)
		}
		checkInvariant(t, tt.in, v)
	}
}

func TestDecideWarns(t *testing.T) {
	p := testPolicy(t)
	tests := []struct {
		in      string
		reasons R
		site    string
	}{
		{"https://tokopedia.com/toko/x", R{ext}, "tokopedia.com"},
		{"https://www.google.com/search?q=blibli", R{ext}, "google.com"},
		{"https://shopee.co.id/produk", R{ext}, "shopee.co.id"},
		{"https://example.github.io/x", R{ext}, "example.github.io"},
		{"https://xn--bcher-kva.example/", R{ext}, "xn--bcher-kva.example"},
		{"http://tokopedia.com/", R{ext, http}, "tokopedia.com"},
		{"http://example.com:8080/x", R{ext, http, verdict.ReasonPort}, "example.com"},
		// An official host on another port is not the official site.
		{"https://blibli.com:8443/a", R{verdict.ReasonPort}, "blibli.com"},
		// The upgrade to https is from http's default port only: on
		// another, https is not what the host serves.
		{"http://www.blibli.com:8080/a", R{http, verdict.ReasonPort}, "blibli.com"},
		{"http://blibli.com:443/a", R{http, verdict.ReasonPort}, "blibli.com"},
		{"https://blibli.net/", R{ext, look}, "blibli.net"},
		{"https://blibli.co.id/login", R{ext, look}, "blibli.co.id"},
		{"https://bl1bli.com/", R{ext, look}, "bl1bli.com"},
		{"https://bliblii.com/", R{ext, look}, "bliblii.com"},
		{"https://blbli.com/", R{ext, look}, "blbli.com"},
		{"https://blibli-promo.example/", R{ext, look}, "blibli-promo.example"},
		{"https://promo-blibli.shop/", R{ext, look}, "promo-blibli.shop"},
		{"https://blibli.com.evil.example/", R{ext, look}, "evil.example"},
		{"https://www.blibli.com.secure-login.example/", R{ext, look}, "secure-login.example"},
		{"https://blibli.github.io/", R{ext, look}, "blibli.github.io"},
		{"https://blíbli.com/", R{ext, look}, "xn--blbli-0sa.com"},
		{"https://вlіbli.com/", R{ext, look}, "xn--lbli-f4d1t.com"},
		{"http://blibli-cs.example/", R{ext, http, look}, "blibli-cs.example"},
		{"https://bit.ly/3abcd", R{ext, short}, "bit.ly"},
		{"https://s.id/promo-murah", R{ext, short}, "s.id"},
		{"https://tinyurl.com/y6abc", R{ext, short}, "tinyurl.com"},
		{"http://bit.ly/x", R{ext, http, short}, "bit.ly"},
		{"https://wa.me/6281234567890", R{ext, chat}, "wa.me"},
		{"https://api.whatsapp.com/send?phone=62812", R{ext, chat}, "whatsapp.com"},
		{"https://chat.whatsapp.com/AbCdEf", R{ext, chat}, "whatsapp.com"},
		{"https://t.me/jualmurah", R{ext, chat}, "t.me"},
		{"https://line.me/ti/p/x", R{ext, chat}, "line.me"},
		{"https://user:pass@tokopedia.com/", R{ext, cred}, "tokopedia.com"},
		{"https://www.blibli.com@evil.example/", R{ext, cred}, "evil.example"},
		{"https://evil.example@www.blibli.com/", R{cred}, "blibli.com"},
		{"https://user@blibli.com/", R{cred}, "blibli.com"},
		{"https://8.8.8.8/", R{ext, ip}, "8.8.8.8"},
		{"http://8.8.8.8/login", R{ext, http, ip}, "8.8.8.8"},
		{"http://134744072/", R{ext, http, ip}, "8.8.8.8"},
		{"http://0x08080808/", R{ext, http, ip}, "8.8.8.8"},
		{"http://8.8.2056/", R{ext, http, ip}, "8.8.8.8"},
		{"http://010.010.010.010/", R{ext, http, ip}, "8.8.8.8"},
		{"https://[2001:4860:4860::8888]/", R{ext, ip}, "2001:4860:4860::8888"},
		{"https://link.blibli.com/go?u=https%3A%2F%2Fbit.ly%2Fx", R{ext, short}, "bit.ly"},
		// The gateway's /go however spelled is unwrapped, not warned about
		// as a link to the gateway.
		{"https://link.blibli.com/go/?u=https%3A%2F%2Fbit.ly%2Fx", R{ext, short}, "bit.ly"},
		{"https://link.blibli.com//go?u=https%3A%2F%2Fbit.ly%2Fx", R{ext, short}, "bit.ly"},
		{"https://link.blibli.com/./go?u=https%3A%2F%2Fbit.ly%2Fx", R{ext, short}, "bit.ly"},
	}
	for _, tt := range tests {
		v := p.Decide(tt.in)
		if v.Action != verdict.Warn || !slices.Equal(v.Reasons, tt.reasons) || v.Site != tt.site {
			t.Errorf("Decide(%q) = %s %v site %q, want warn %v site %q", tt.in, v.Action, v.Reasons, v.Site, tt.reasons, tt.site)
		}
		if v.Has(look) != (v.Imitates == "blibli.com") {
			t.Errorf("Decide(%q): lookalike %v but imitates %q", tt.in, v.Has(look), v.Imitates)
		}
		if v.Target == "" || v.URL == nil {
			t.Errorf("Decide(%q): warning without a target", tt.in)
		}
		checkInvariant(t, tt.in, v)
	}
}

func TestDecideRefuses(t *testing.T) {
	p := testPolicy(t)
	loop := "https://www.blibli.com/"
	for range verdict.MaxHops + 1 {
		loop = "https://link.blibli.com/go?u=" + url.QueryEscape(loop)
	}
	tests := []struct {
		in   string
		want weburl.Problem
	}{
		{"", weburl.ProblemEmpty},
		{"   ", weburl.ProblemEmpty},
		{"https://www.blibli.com/" + strings.Repeat("x", weburl.MaxLength), weburl.ProblemTooLong},
		{"https://www.blibli.com/\r\nSet-Cookie: a=b", weburl.ProblemControl},
		{"https://www.blibli.com/\x00", weburl.ProblemControl},
		{"https://www.bli\u200bbli.com/", weburl.ProblemControl},
		{"https://www.blibli.com/\u202egnp.exe", weburl.ProblemControl},
		{"javascript:alert(document.cookie)", weburl.ProblemScheme},
		{"JaVaScRiPt:alert(1)", weburl.ProblemScheme},
		{"data:text/html;base64,PHNjcmlwdD4=", weburl.ProblemScheme},
		{"file:///etc/passwd", weburl.ProblemScheme},
		{"intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end", weburl.ProblemScheme},
		{"vbscript:msgbox(1)", weburl.ProblemScheme},
		{"blob:https://www.blibli.com/uuid", weburl.ProblemScheme},
		{"ftp://ftp.example.com/", weburl.ProblemScheme},
		{"mailto:customer.care@blibli.com", weburl.ProblemScheme},
		{"tel:08041871871", weburl.ProblemScheme},
		{"www.blibli.com", weburl.ProblemScheme},
		{"//www.blibli.com/", weburl.ProblemScheme},
		{"/go?u=https://www.blibli.com/", weburl.ProblemScheme},
		{"https:www.blibli.com", weburl.ProblemNoHost},
		{"https:///www.blibli.com", weburl.ProblemNoHost},
		{"https:\\\\www.blibli.com", weburl.ProblemNoHost},
		{"https://", weburl.ProblemNoHost},
		{"https://www.blibli.com\\@evil.example/", weburl.ProblemMalformed},
		{"https://www.blibli.com\\.evil.example/", weburl.ProblemMalformed},
		{"https://www.blibli.com:0/", weburl.ProblemPort},
		{"https://www.blibli.com:70000/", weburl.ProblemPort},
		{"https://www.blibli.com:https/", weburl.ProblemPort},
		{"https://www..blibli.com/", weburl.ProblemHost},
		{"https://www.bli_bli.com/", weburl.ProblemHost},
		{"https://www.blibli.com%2F.evil.example/", weburl.ProblemHost},
		{"https://[::1/", weburl.ProblemHost},
		{"http://1.2.3.256/", weburl.ProblemHost},
		{"http://127.0.0.1/admin", weburl.ProblemInternal},
		{"http://127.1/", weburl.ProblemInternal},
		{"http://0x7f000001/", weburl.ProblemInternal},
		{"http://2130706433/", weburl.ProblemInternal},
		{"http://0177.0.0.1/", weburl.ProblemInternal},
		{"http://0.0.0.0:8080/", weburl.ProblemInternal},
		{"http://10.0.0.5/", weburl.ProblemInternal},
		{"http://172.31.255.255/", weburl.ProblemInternal},
		{"http://192.168.0.1/", weburl.ProblemInternal},
		{"http://169.254.169.254/latest/meta-data/", weburl.ProblemInternal},
		{"http://100.100.100.200/", weburl.ProblemInternal},
		{"http://[::1]/", weburl.ProblemInternal},
		{"http://[::ffff:7f00:1]/", weburl.ProblemInternal},
		{"http://[fd00::1]/", weburl.ProblemInternal},
		{"http://[fe80::1]/", weburl.ProblemInternal},
		{"http://localhost:8081/admin", weburl.ProblemInternal},
		{"http://metadata.google.internal/", weburl.ProblemInternal},
		{"http://nas.local/", weburl.ProblemInternal},
		{"http://intranet/", weburl.ProblemInternal},
		{"https://link.blibli.com/go", weburl.ProblemMissing},
		{"https://link.blibli.com/go?u=a&u=b", weburl.ProblemAmbiguous},
		{"https://link.blibli.com/go?u=a;b", weburl.ProblemMalformed},
		{"https://link.blibli.com/go?u=javascript:alert(1)", weburl.ProblemScheme},
		{"https://link.blibli.com/go?u=http%3A%2F%2F127.0.0.1%2F", weburl.ProblemInternal},
		{loop, weburl.ProblemLoop},
	}
	for _, tt := range tests {
		v := p.Decide(tt.in)
		if v.Action != verdict.Invalid || v.Problem != tt.want {
			t.Errorf("Decide(%.80q) = %s %q %v, want invalid %s", tt.in, v.Action, v.Problem, v.Reasons, tt.want)
		}
		if v.Target != "" || v.URL != nil {
			t.Errorf("Decide(%.80q): invalid verdict with target %q", tt.in, v.Target)
		}
	}
}

func TestParseGoQuery(t *testing.T) {
	p := testPolicy(t)
	tests := []struct {
		query string
		want  verdict.Action
		prob  weburl.Problem
	}{
		{"u=https%3A%2F%2Fwww.blibli.com%2F", verdict.Redirect, ""},
		{"u=https://www.blibli.com/?a=b", verdict.Redirect, ""},
		{"s=sig&u=https%3A%2F%2Fbit.ly%2Fx", verdict.Warn, ""},
		{"u=https%3A%2F%2Fbit.ly%2Fx&s=k1.abc", verdict.Warn, ""},
		{"", verdict.Invalid, weburl.ProblemMissing},
		{"url=https://www.blibli.com/", verdict.Invalid, weburl.ProblemMissing},
		{"u=", verdict.Invalid, weburl.ProblemEmpty},
		{"u=https://www.blibli.com/&u=https://evil.example/", verdict.Invalid, weburl.ProblemAmbiguous},
		{"u=https://www.blibli.com/&s=a&s=b", verdict.Invalid, weburl.ProblemAmbiguous},
		{"u=%", verdict.Invalid, weburl.ProblemMalformed},
		{"u=https://www.blibli.com/;x", verdict.Invalid, weburl.ProblemMalformed},
	}
	for _, tt := range tests {
		v, q := decideQuery(p, tt.query)
		if v.Action != verdict.Invalid && (q.Link == "" || q.Signature != "" && !strings.Contains(tt.query, "s="+q.Signature)) {
			t.Errorf("DecideQuery(%q) read %+v", tt.query, q)
		}
		if v.Action != tt.want || v.Problem != tt.prob {
			t.Errorf("DecideQuery(%q) = %s %q, want %s %q", tt.query, v.Action, v.Problem, tt.want, tt.prob)
		}
	}
}

func TestNoUpgradeOptionWarnsInsteadOfRedirecting(t *testing.T) {
	lists, err := allowlist.Load(allowlistFiles("blibli.com\nlegacy.blibli.com no-https-upgrade\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := &verdict.Policy{Lists: lists, Lookalikes: lookalike.New(lists.OfficialDomains())}
	v := p.Decide("http://legacy.blibli.com/page")
	if v.Action != verdict.Warn || !slices.Equal(v.Reasons, R{http}) || v.Target != "http://legacy.blibli.com/page" {
		t.Errorf("http to a no-upgrade host = %s %v %q, want an insecure warning", v.Action, v.Reasons, v.Target)
	}
	if v := p.Decide("https://legacy.blibli.com/page"); v.Action != verdict.Redirect {
		t.Errorf("https to a no-upgrade host = %s, want redirect", v.Action)
	}
}

// An official entry that names a port makes https on that port official
// too; on other ports, and over http on it, the port still warns.
func TestPortOptionMakesOnePortOfficial(t *testing.T) {
	lists, err := allowlist.Load(allowlistFiles("blibli.com\nseller.blibli.com port=8443 port=9443\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := &verdict.Policy{Lists: lists, Lookalikes: lookalike.New(lists.OfficialDomains())}
	for _, tc := range []struct {
		in      string
		action  verdict.Action
		reasons R
		target  string
	}{
		{"https://seller.blibli.com:8443/toko", verdict.Redirect, nil, "https://seller.blibli.com:8443/toko"},
		{"https://api.seller.blibli.com:9443/", verdict.Redirect, nil, "https://api.seller.blibli.com:9443/"},
		{"https://seller.blibli.com:443/toko", verdict.Redirect, nil, "https://seller.blibli.com/toko"},
		{"https://seller.blibli.com:8080/toko", verdict.Warn, R{verdict.ReasonPort}, "https://seller.blibli.com:8080/toko"},
		{"http://seller.blibli.com:8443/toko", verdict.Warn, R{http, verdict.ReasonPort}, "http://seller.blibli.com:8443/toko"},
		{"https://www.blibli.com:8443/", verdict.Warn, R{verdict.ReasonPort}, "https://www.blibli.com:8443/"},
	} {
		v := p.Decide(tc.in)
		if v.Action != tc.action || !slices.Equal(v.Reasons, tc.reasons) || v.Target != tc.target {
			t.Errorf("Decide(%q) = %s %v %q, want %s %v %q", tc.in, v.Action, v.Reasons, v.Target, tc.action, tc.reasons, tc.target)
		}
	}
}

func allowlistFiles(official string) fstest.MapFS {
	return fstest.MapFS{
		allowlist.OfficialFile:   {Data: []byte(official)},
		allowlist.ShortenersFile: {Data: []byte("bit.ly\n")},
		allowlist.MessagingFile:  {Data: []byte("wa.me\n")},
	}
}

// checkInvariant fails the test when a redirect goes anywhere but an https
// URL on an official host, judged independently of the code under test:
// the target must read the same to net/url and to a browser (no character
// that a browser strips or treats as a separator), and its host must be
// blibli.com or a subdomain.
func checkInvariant(t *testing.T, in string, v verdict.Verdict) {
	t.Helper()
	if v.Action != verdict.Redirect {
		return
	}
	target := v.Target
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			t.Fatalf("Decide(%q) redirects to %q with byte %#x", in, target, c)
		}
	}
	rest, ok := strings.CutPrefix(target, "https://")
	if !ok {
		t.Fatalf("Decide(%q) redirects to %q, not https", in, target)
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 || rest[end] != '/' {
		t.Fatalf("Decide(%q) redirects to %q: the authority does not end with /", in, target)
	}
	authority := rest[:end]
	if strings.ContainsAny(authority, "@[]%") {
		t.Fatalf("Decide(%q) redirects to %q: authority %q has userinfo, IP or escapes", in, target, authority)
	}
	if strings.Contains(authority, ":") {
		t.Fatalf("Decide(%q) redirects to %q: not on the default port", in, target)
	}
	host := authority
	if host != "blibli.com" && !strings.HasSuffix(host, ".blibli.com") {
		t.Fatalf("Decide(%q) redirects to %q: host %q is not official", in, target, host)
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "https" || u.Hostname() != host || u.User != nil {
		t.Fatalf("Decide(%q) redirects to %q, which net/url reads as %v (%v)", in, target, u, err)
	}
}

func TestEventReasons(t *testing.T) {
	rule := &verdict.Rule{ID: "r1", Action: verdict.RuleBlock, Reason: "penipuan"}
	tests := []struct {
		name string
		v    verdict.Verdict
		want []string
	}{
		{"redirect", verdict.Verdict{Action: verdict.Redirect}, []string{}},
		{"warn", verdict.Verdict{Action: verdict.Warn, Reasons: []verdict.Reason{verdict.ReasonExternal, verdict.ReasonShortener}},
			[]string{"external", "shortener"}},
		{"threats", verdict.Verdict{Action: verdict.Block, Threats: []verdict.Threat{verdict.ThreatMalware, verdict.ThreatSocialEngineering}},
			[]string{"threat:malware", "threat:social-engineering"}},
		{"rule block", verdict.Verdict{Action: verdict.Block, Rule: rule}, []string{"security-team"}},
		{"warn rule", verdict.Verdict{Action: verdict.Warn, Rule: &verdict.Rule{Action: verdict.RuleWarn}, Reasons: []verdict.Reason{verdict.ReasonSecurityTeam}},
			[]string{"security-team"}},
	}
	for _, tt := range tests {
		if got := tt.v.EventReasons(); got == nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: EventReasons() = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}

// TestEveryWordIsDistinct keeps the vocabulary one word a meaning: events,
// pages and the API tell reasons, threats (with their prefix) and problems
// apart by their text alone.
func TestEveryWordIsDistinct(t *testing.T) {
	seen := map[string]string{}
	add := func(kind, word string) {
		if word == "" || strings.TrimSpace(word) != word || strings.Contains(word, ",") {
			t.Errorf("%s %q is not a plain word", kind, word)
		}
		if other, dup := seen[word]; dup {
			t.Errorf("%s %q is also a %s", kind, word, other)
		}
		seen[word] = kind
	}
	for _, r := range verdict.Reasons {
		add("reason", string(r))
	}
	for _, th := range verdict.Threats {
		add("threat", verdict.ThreatPrefix+string(th))
	}
	for _, p := range weburl.Problems {
		add("problem", string(p))
	}
}
