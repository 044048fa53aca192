package lookalike

import (
	"slices"
	"testing"

	"golang.org/x/net/publicsuffix"

	"github.com/blibli/safelink/gateway/weburl"
)

// FuzzImitates checks the lookalike check on the host of any link: it never
// panics, names only an official registrable domain, and its answer does
// not change when an unrelated label is put in front of a host that has a
// name besides its public suffix.
func FuzzImitates(f *testing.F) {
	for _, s := range []string{
		"https://blibli.com.evil.example/", "https://blíbli.com/", "https://xn--blbli-0sa.com/", "https://bIibIi.co.id/",
		"https://b1ibli-promo.example/", "https://www.bliblli.com/", "https://blibli-official.github.io/",
		"https://xn--80ak6aa92e.com/", "https://ｂｌｉｂｌｉ.example/", "https://tokopedia.com/", "https://co.id/",
	} {
		f.Add(s)
	}
	official := []string{"blibli.com", "www.blibli.com", "blibli.co.id", "gdn-commerce.com", "tiket.com"}
	d := New(official)
	f.Fuzz(func(t *testing.T, link string) {
		u, err := weburl.Parse(link)
		if err != nil || u.IP.IsValid() {
			return
		}
		got, ok := d.Imitates(u.Host)
		if ok && !slices.Contains(official, got) {
			t.Fatalf("Imitates(%q) = %q, not an official registrable domain", u.Host, got)
		}
		if suffix, _ := publicsuffix.PublicSuffix(u.Host); suffix == u.Host {
			return
		}
		if again, okAgain := d.Imitates("zz." + u.Host); again != got || okAgain != ok {
			t.Fatalf("Imitates(%q) = %q, %v but Imitates(zz.%[1]s) = %q, %v", u.Host, got, ok, again, okAgain)
		}
	})
}
