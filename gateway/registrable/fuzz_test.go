package registrable

import (
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

// FuzzCovers holds Covers to an equivalent definition through x/net: an
// entry covers a host when the host is the entry or under it and both
// have one registrable domain (eTLD+1); and to the invariant: whatever the
// entry, it covers no host from the host's public suffix or above.
func FuzzCovers(f *testing.F) {
	for _, s := range [][2]string{
		{"blibli.com", "www.blibli.com"}, {"amazonaws.com", "a.b.bucket.s3.amazonaws.com"},
		{"amazonaws.com", "www.amazonaws.com"}, {"compute.amazonaws.com", "vm.eu-west-1.compute.amazonaws.com"},
		{"kawasaki.jp", "city.kawasaki.jp"}, {"city.kawasaki.jp", "x.city.kawasaki.jp"}, {"b.kawasaki.jp", "a.b.kawasaki.jp"},
		{"github.io", "github.io"}, {"com", "com"}, {"b.com", "a..b.com"}, {"com", ".com"}, {"com.", "com."},
		{"amazonaws.com.", "bucket.s3.amazonaws.com."}, {"Blibli.COM", "WWW.Blibli.COM"}, {"2.7", "192.0.2.7"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, domain, host string) {
		got := Covers(domain, host)
		hostSite, hostErr := publicsuffix.EffectiveTLDPlusOne(host)
		domainSite, domainErr := publicsuffix.EffectiveTLDPlusOne(domain)
		want := (host == domain || strings.HasSuffix(host, "."+domain)) &&
			hostErr == nil && domainErr == nil && hostSite == domainSite
		if got != want {
			t.Fatalf("Covers(%q, %q) = %v; registrable domains %q (%v) and %q (%v)", domain, host, got, domainSite, domainErr, hostSite, hostErr)
		}
		if suffix, _ := publicsuffix.PublicSuffix(host); got && len(domain) <= len(suffix) {
			t.Fatalf("Covers(%q, %q): the entry reaches the public suffix %q", domain, host, suffix)
		}
	})
}
