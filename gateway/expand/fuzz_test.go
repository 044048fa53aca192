package expand_test

import (
	"context"
	"testing"

	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/gateway/weburl"
	"github.com/blibli/safelink/internal/fakeshortener"
)

// locationSeeds are Location headers that try to reach inside or slip a
// second host past the checks.
var locationSeeds = []string{
	"https://promo-hadiah.xyz/klaim", "/relative", "//promo-hadiah.xyz/x", "http://s.id/admin",
	"http://127.0.0.1/", "http://[::1]/", "http://[::ffff:7f00:1]/", "http://2130706433/", "http://0x7f.1/",
	"http://localhost./", "http://user:pw@promo-hadiah.xyz/", "http://promo-hadiah.xyz@127.0.0.1/",
	"http://promo-hadiah.xyz:22/", "https://promo-hadiah.xyz:443/", "http:\\\\127.0.0.1\\", "javascript:alert(1)",
	"data:text/html,x", "http://metadata.google.internal/", "http://169.254.169.254/latest", "HTTP://BIT.LY/loop",
	"http://bit.ly/%2e%2e/", "http://xn--80ak6aa92e.com/", "", " http://s.id/admin", "http://s.id\t/admin",
}

// FuzzNextHop checks what NextHop lets through: an http or https URL on
// the default port, with a public name for host, no credentials, that
// serializes back to itself.
func FuzzNextHop(f *testing.F) {
	for _, s := range locationSeeds {
		f.Add(s)
	}
	base, err := weburl.Parse("http://bit.ly/abc")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, location string) {
		next, err := expand.NextHop(base, location)
		if err != nil {
			return
		}
		if next.Scheme != "http" && next.Scheme != "https" || next.Port != "" || next.User != "" || next.IP.IsValid() || next.Internal() {
			t.Fatalf("NextHop(%q) let through %s", location, next)
		}
		again, err := weburl.Parse(next.String())
		if err != nil || again.String() != next.String() {
			t.Fatalf("NextHop(%q) = %s, which parses back as %v, %v", location, next, again, err)
		}
	})
}

// FuzzExpandLocation serves the fuzzed Location from a fake shortener and
// expands it: whatever it says, no request reaches the internal server
// (s.id rebinds to it) or the destination, and a destination found passes
// NextHop's checks.
func FuzzExpandLocation(f *testing.F) {
	for _, s := range locationSeeds {
		f.Add(s)
	}
	w := newWorld(f)
	x := w.expander(expand.Options{Cache: expand.NewMemoryCache(), TTL: 1, FailureTTL: 1})
	f.Fuzz(func(t *testing.T, location string) {
		w.Short.Handle("/f", fakeshortener.Route{Location: location, Status: 302})
		e := x.Expand(context.Background(), "http://bit.ly/f", isShortener)
		w.checkUntouched(t)
		dest, ok := e.Destination()
		if !ok {
			return
		}
		u, err := weburl.Parse(dest)
		if err != nil || u.IP.IsValid() || u.Internal() || u.User != "" || u.Port != "" || isShortener(u.Host) {
			t.Fatalf("Location %q: destination %s (%v)", location, dest, err)
		}
	})
}
