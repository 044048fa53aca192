package registrable

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

// FuzzCovering holds Covering to its definition through x/net: it yields
// the host and then its parents, each longer than the host's public suffix,
// so whatever an entry is, it never covers a host from its public suffix or
// above; and for a host with a registrable domain (eTLD+1) it yields every
// parent down to that domain.
func FuzzCovering(f *testing.F) {
	for _, s := range []string{
		"www.blibli.com", "a.b.bucket.s3.amazonaws.com", "vm.eu-west-1.compute.amazonaws.com",
		"city.kawasaki.jp", "x.city.kawasaki.jp", "a.b.kawasaki.jp", "github.io", "com",
		"a..b.com", ".com", "com.", "bucket.s3.amazonaws.com.", "WWW.Blibli.COM", "192.0.2.7",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		got := slices.Collect(Covering(host))
		suffix, _ := publicsuffix.PublicSuffix(host)
		d := host
		for _, g := range got {
			if g != d || len(g) <= len(suffix) {
				t.Fatalf("Covering(%q) = %q: %q is not the next parent above the public suffix %q", host, got, g, suffix)
			}
			_, d, _ = strings.Cut(d, ".")
		}
		site, err := publicsuffix.EffectiveTLDPlusOne(host)
		if err == nil && (len(got) == 0 || got[len(got)-1] != site) {
			t.Fatalf("Covering(%q) = %q, which does not reach the registrable domain %s", host, got, site)
		}
	})
}
