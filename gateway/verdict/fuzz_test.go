package verdict_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/blibli/safelink/gateway/allowlist"
	"github.com/blibli/safelink/gateway/lookalike"
	"github.com/blibli/safelink/gateway/verdict"
	"github.com/blibli/safelink/gateway/weburl"
)

// FuzzDecide tries to break the one invariant: whatever the input and the
// facts of the click (except an allow rule), a redirect goes only to an
// https URL on an official host, which parses back to the same URL. It
// decides the input both as a link and as the query string of a /go
// request. Under an allow rule, which by design lets a non-official host
// through, a redirect still goes only to https without userinfo, to the
// host of the decided link.
func FuzzDecide(f *testing.F) {
	for i, s := range []string{
		"https://www.blibli.com/p/x?a=b#c", "http://blibli.com:443/", "https://blibli.com.evil.example/",
		"https://www.blibli.com@evil.example/", "https://evil.example@www.blibli.com/",
		"https://www.blibli.com\\@evil.example/", "https:\\\\evil.example", "https://ｂｌｉｂｌｉ．ｃｏｍ/",
		"https://link.blibli.com/go?u=https%3A%2F%2Fevil.example%2F", "http://0x7f.1/", "javascript:alert(1)",
		"https://www.blibli.com%2F.evil.example/", "https://www.blibli.com%00.evil.example/",
		"https://www.blibli.com/..%2F..%2F@evil.example", "https://www.blibli.com:443@evil.example/",
		"https://www.blibli.com#@evil.example", "https://seller.blibli.com:8443/", "https://seller.blibli.com:08443/", "https://www.blibli.com\t.evil.example/",
		"u=https://www.blibli.com/&u=https://evil.example/",
		"u=" + url.QueryEscape("https://link.blibli.com/go?u=https://evil.example/"),
	} {
		f.Add(s, uint8(i))
	}
	p := testPolicy(f)
	ported := portPolicy(f)
	f.Fuzz(func(t *testing.T, raw string, bits uint8) {
		facts := factsFrom(bits)
		allow := verdict.Facts{Signature: facts.Signature, Rule: &verdict.Rule{Action: verdict.RuleAllow}}
		v := p.Decide(raw)
		q, _ := decideQuery(p, raw)
		for _, d := range []verdict.Verdict{v, q} {
			checkInvariant(t, raw, d.Apply(facts))
			checkReparses(t, raw, d.Apply(facts))
			checkAllowed(t, raw, d, d.Apply(allow))
		}
		checkPort(t, raw, ported.Decide(raw).Apply(facts))
	})
}

// portPolicy is the embedded allowlist with one more official entry that
// names a port: seller.blibli.com port=8443.
func portPolicy(t testing.TB) *verdict.Policy {
	lists, err := allowlist.Load(allowlistFiles("blibli.com\nseller.blibli.com port=8443\n"))
	if err != nil {
		t.Fatal(err)
	}
	return &verdict.Policy{Lists: lists, Lookalikes: lookalike.New(lists.OfficialDomains())}
}

// checkPort fails unless a redirect under portPolicy goes to https on the
// default port, or on 8443 of seller.blibli.com or a subdomain.
func checkPort(t *testing.T, in string, v verdict.Verdict) {
	t.Helper()
	if v.Action != verdict.Redirect {
		return
	}
	checkReparses(t, in, v)
	u, err := url.Parse(v.Target)
	if err != nil || u.Scheme != "https" {
		t.Fatalf("Decide(%q) redirects to %q", in, v.Target)
	}
	seller := u.Hostname() == "seller.blibli.com" || strings.HasSuffix(u.Hostname(), ".seller.blibli.com")
	if u.Port() != "" && !(u.Port() == "8443" && seller) {
		t.Fatalf("Decide(%q) redirects to %q, on a port the allowlist does not name", in, v.Target)
	}
}

// checkReparses fails unless a redirect's Target parses back to itself, on
// the host of its URL.
func checkReparses(t *testing.T, in string, v verdict.Verdict) {
	t.Helper()
	if v.Action != verdict.Redirect {
		return
	}
	again, err := weburl.Parse(v.Target)
	if err != nil || again.String() != v.Target || again.Host != v.URL.Host || again.Port != v.URL.Port {
		t.Fatalf("Decide(%q) redirects to %q on host %q, which parses back to %v (%v)", in, v.Target, v.URL.Host, again, err)
	}
}

// checkAllowed fails if the verdict under an allow rule redirects where
// its verdict before the rule did not lead: another host, or a link that
// is not https or carries userinfo.
func checkAllowed(t *testing.T, in string, before, allowed verdict.Verdict) {
	t.Helper()
	if allowed.Action != verdict.Redirect {
		return
	}
	checkReparses(t, in, allowed)
	u := allowed.URL
	if u.Scheme != "https" || u.User != "" || before.URL == nil || u.Host != before.URL.Host || allowed.Target != before.Target {
		t.Fatalf("Decide(%q) under an allow rule redirects to %q; before the rule it was %s %q", in, allowed.Target, before.Action, before.Target)
	}
}

// FuzzParseGoQuery checks the parser of the /go query against net/url: it
// never panics, it refuses exactly what net/url's reading refuses with the
// same problem, what it accepts is the one u, c and s net/url reads, and
// any link, context and signature encoded as the rewriter writes them
// parse back unchanged.
func FuzzParseGoQuery(f *testing.F) {
	f.Add("u=https%3A%2F%2Fwww.blibli.com%2F&s=k1.AAAAAAAAAAAAAAAAAAAAAA", "https://x.example/?a=1&b=2#c", "k1.x")
	f.Add("u=a&u=b", "", "")
	f.Add("s=x&u=%zz", "https://ｂｌｉｂｌｉ．ｃｏｍ/", "")
	f.Add("u=x;s=y", "u=x&s=y", "&")
	f.Add("u=https://www.blibli.com/+%2B&s=", "https://www.blibli.com/?q=a+b%20c", " ")
	f.Fuzz(func(t *testing.T, rawQuery, link, sig string) {
		q, err := verdict.ParseGoQuery(rawQuery)
		std, stdErr := url.ParseQuery(rawQuery)
		var want weburl.Problem
		switch {
		case stdErr != nil:
			want = weburl.ProblemMalformed
		case len(std["u"]) == 0:
			want = weburl.ProblemMissing
		case len(std["u"]) > 1 || len(std["c"]) > 1 || len(std["s"]) > 1:
			want = weburl.ProblemAmbiguous
		}
		if err != nil {
			if v := verdict.Refuse(err); v.Action != verdict.Invalid || v.Problem != want {
				t.Fatalf("ParseGoQuery(%q) = %v, refused as %s %q; net/url reads %v, %v", rawQuery, err, v.Action, v.Problem, std, stdErr)
			}
		} else if want != "" || q.Link != std.Get("u") || q.Context != std.Get("c") || q.Signature != std.Get("s") {
			t.Fatalf("ParseGoQuery(%q) = %+v; net/url reads %v, %v", rawQuery, q, std, stdErr)
		}
		encoded := "u=" + url.QueryEscape(link) + "&c=" + url.QueryEscape(sig+"c") + "&s=" + url.QueryEscape(sig)
		if q, err := verdict.ParseGoQuery(encoded); err != nil || q.Link != link || q.Context != sig+"c" || q.Signature != sig {
			t.Fatalf("ParseGoQuery(%q) = %+v, %v; want link %q, context %q, signature %q", encoded, q, err, link, sig+"c", sig)
		}
	})
}

// factsFrom spreads the bits of b over the facts a click can bring, short
// of an allow rule (which by design lets a non-official host through).
func factsFrom(b uint8) verdict.Facts {
	f := verdict.Facts{
		Signature:         []verdict.Signature{verdict.Unsigned, verdict.SignedValid, verdict.Tampered, verdict.Unsigned}[b&3],
		RequireSignature:  b&4 != 0,
		ThreatsUnverified: b&8 != 0,
	}
	switch (b >> 4) & 3 {
	case 1:
		f.Rule = &verdict.Rule{Action: verdict.RuleWarn}
	case 2:
		f.Rule = &verdict.Rule{Action: verdict.RuleBlock}
	}
	if b&64 != 0 {
		f.Threats = []verdict.Threat{verdict.ThreatMalware}
	}
	if b&128 != 0 {
		f.Suspected = []verdict.Threat{verdict.ThreatSocialEngineeringExtended}
	}
	return f
}
