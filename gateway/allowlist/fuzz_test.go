package allowlist

import (
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/weburl"
)

// FuzzParseFile checks that the parser never panics, that every entry it
// returns is valid and unique, and that every error names a real line.
func FuzzParseFile(f *testing.F) {
	f.Add("blibli.com\n# comment\nseller.blibli.com no-https-upgrade\n")
	f.Add("github.io\n10.0.0.1\nhttps://x.com/\n*.x.com\nbücher.example\n")
	f.Add("a.com\na.com\n\n\n  B.COM.  # x\n")
	f.Fuzz(func(t *testing.T, text string) {
		entries, errs := ParseFile("official.txt", strings.NewReader(text), OptionNoUpgrade)
		lines := strings.Count(text, "\n") + 1
		seen := map[string]bool{}
		for _, e := range entries {
			if seen[e.Domain] {
				t.Fatalf("duplicate entry %q", e.Domain)
			}
			seen[e.Domain] = true
			if again, err := NormalizeDomain(e.Domain); err != nil || again != e.Domain {
				t.Fatalf("entry %q does not normalize to itself: %q, %v", e.Domain, again, err)
			}
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("entry %q on line %d of %d", e.Domain, e.Line, lines)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines+1 || e.File != "official.txt" {
				t.Fatalf("error %v names no line of the %d", e, lines)
			}
		}
	})
}

// FuzzCovers checks that an entry never covers a host from above the
// host's registrable domain (eTLD+1), loaded or not: whatever the entry, a
// host it covers is the entry or under it, and the entry is the host's
// registrable domain or below it. An entry Load accepts covers exactly the
// hosts that are it or under it and have their registrable domain at or
// above it, its own domain among them; and the entry and the host (as
// package weburl reads a link) spelled in capitals or with a trailing dot
// get the same answer.
func FuzzCovers(f *testing.F) {
	f.Add("amazonaws.com", "bucket.s3.amazonaws.com")
	f.Add("amazonaws.com", "www.amazonaws.com")
	f.Add("compute.amazonaws.com", "vm.eu-west-1.compute.amazonaws.com")
	f.Add("blibli.com", "WWW.Blibli.COM.")
	f.Add("bücher.co.id", "toko.BÜCHER.co.id")
	f.Add("github.io", "github.io")
	f.Add("city.kawasaki.jp", "www.city.kawasaki.jp")
	f.Fuzz(func(t *testing.T, entry, link string) {
		u, err := weburl.Parse("https://" + link + "/")
		if err != nil {
			return
		}
		host := u.Host
		raw := &Lists{official: map[string]Entry{entry: {Domain: entry}}}
		if official, _ := raw.Official(host); official {
			site, err := publicsuffix.EffectiveTLDPlusOne(host)
			if host != entry && !strings.HasSuffix(host, "."+entry) ||
				err != nil || entry != site && !strings.HasSuffix(entry, "."+site) {
				t.Fatalf("entry %q covers %q, whose registrable domain is %q (%v)", entry, host, site, err)
			}
		}
		fields := strings.Fields(entry)
		if len(fields) != 1 || strings.Contains(entry, "#") {
			return // not one entry alone on its line
		}
		name := fields[0]
		l, err := Load(files(name+"\n", "", ""))
		if err != nil {
			return
		}
		domain := l.OfficialDomains()[0]
		if official, _ := l.Official(domain); !official {
			t.Fatalf("entry %q does not cover its own domain %q", name, domain)
		}
		official, _ := l.Official(host)
		if site, err := publicsuffix.EffectiveTLDPlusOne(host); official != (err == nil && strings.HasSuffix("."+domain, "."+site) &&
			(host == domain || strings.HasSuffix(host, "."+domain))) {
			t.Fatalf("entry %q covers %q: %v, with the registrable domain %q (%v)", domain, host, official, site, err)
		}
		for _, spelling := range []string{upperASCII(domain), domain + "."} {
			again, err := Load(files(spelling+"\n", "", ""))
			if err != nil {
				t.Fatalf("entry %q loads, its spelling %q does not: %v", domain, spelling, err)
			}
			if got, _ := again.Official(host); got != official {
				t.Fatalf("entry %q covers %q: %v, its spelling %q: %v", domain, host, official, spelling, got)
			}
		}
		for _, spelling := range []string{upperASCII(link), link + "."} {
			v, err := weburl.Parse("https://" + spelling + "/")
			if err != nil {
				continue
			}
			if got, _ := l.Official(v.Host); got != official {
				t.Fatalf("entry %q covers %q: %v, its spelling %q (%q): %v", name, link, official, spelling, v.Host, got)
			}
		}
	})
}

// upperASCII writes the ASCII letters of s in capitals, a spelling that
// names the same domain (other letters can change in capitals, such as
// the final sigma).
func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
