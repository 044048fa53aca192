package expand_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blibli/safelink/gateway/expand"
	"github.com/blibli/safelink/internal/fakeshortener"
)

// shorteners are the shortener hosts of the tests.
var shorteners = map[string]bool{fakeshortener.RebindHost: true}

func init() {
	for _, h := range fakeshortener.ChainHosts {
		shorteners[h] = true
	}
}

func isShortener(host string) bool { return shorteners[host] }

// world is a fakeshortener.World with the expanders of the tests.
type world struct{ *fakeshortener.World }

func newWorld(t testing.TB) world { return world{fakeshortener.NewWorld(t)} }

func (w world) expander(o expand.Options) *expand.Expander {
	o.Dial = w.Net.Dial
	return expand.New(o)
}

func (w world) checkUntouched(t *testing.T) {
	t.Helper()
	if err := w.Untouched(); err != nil {
		t.Error(err)
	}
}

func (w world) chain(n int) string {
	return w.Chain(fmt.Sprintf("c%d", n), n, "https://promo-hadiah.xyz/klaim")
}

func TestExpandChains(t *testing.T) {
	w := newWorld(t)
	x := w.expander(expand.Options{})
	for n := 1; n <= expand.MaxHops+1; n++ {
		t.Run(fmt.Sprintf("%d hops", n), func(t *testing.T) {
			link := w.chain(n)
			e := x.Expand(context.Background(), link, isShortener)
			if n > expand.MaxHops {
				if e.Outcome != expand.TooManyHops || len(e.Chain) != expand.MaxHops+1 {
					t.Fatalf("%d hops: %s after %v, want too-many-hops after %d links", n, e.Outcome, e.Chain, expand.MaxHops+1)
				}
				return
			}
			dest, ok := e.Destination()
			if !ok || dest != "https://promo-hadiah.xyz/klaim" || e.Hops() != n || e.Chain[0] != link {
				t.Fatalf("%d hops: %+v", n, e)
			}
		})
	}
	w.checkUntouched(t)
	for _, r := range w.Short.Requests() {
		if r.Method != "HEAD" || r.UserAgent != expand.UserAgent || r.Cookie != "" || r.Authorization != "" || r.Referer != "" {
			t.Errorf("request %+v: want a HEAD with the expander's User-Agent, no cookie, credentials or referrer", r)
		}
	}
}

func TestExpandEndings(t *testing.T) {
	w := newWorld(t)
	w.Short.Handle("/loop-a", fakeshortener.Route{Location: "http://tinyurl.com/loop-b"})
	w.Short.Handle("/loop-b", fakeshortener.Route{Location: "http://bit.ly/loop-a"})
	w.Short.Handle("/self", fakeshortener.Route{Location: "/self"})
	w.Short.Handle("/internal", fakeshortener.Route{Location: "http://s.id/admin"})
	w.Short.Handle("/credentials", fakeshortener.Route{Location: "https://user:secret@promo-hadiah.xyz/klaim"})
	w.Short.Handle("/ipv4", fakeshortener.Route{Location: "http://127.0.0.1/admin"})
	w.Short.Handle("/ipv4-public", fakeshortener.Route{Location: "https://8.8.8.8/"})
	w.Short.Handle("/ipv4-decimal", fakeshortener.Route{Location: "http://2130706433/"})
	w.Short.Handle("/ipv6-mapped", fakeshortener.Route{Location: "http://[::ffff:127.0.0.1]/"})
	w.Short.Handle("/localhost", fakeshortener.Route{Location: "http://localhost/admin"})
	w.Short.Handle("/single-label", fakeshortener.Route{Location: "http://metadata/computeMetadata"})
	w.Short.Handle("/dot-internal", fakeshortener.Route{Location: "http://api.corp.internal/"})
	w.Short.Handle("/port", fakeshortener.Route{Location: "https://promo-hadiah.xyz:8443/klaim"})
	w.Short.Handle("/scheme", fakeshortener.Route{Location: "javascript:alert(1)"})
	w.Short.Handle("/empty", fakeshortener.Route{Status: 302})
	w.Short.Handle("/page", fakeshortener.Route{Body: 100})
	w.Short.Handle("/head-refused", fakeshortener.Route{RefuseHead: true, Location: "https://promo-hadiah.xyz/klaim"})
	w.Short.Handle("/relative", fakeshortener.Route{Location: "/head-refused"})
	w.Short.Handle("/huge-page", fakeshortener.Route{RefuseHead: true, Body: 50 << 20})
	w.Short.Handle("/huge-redirect", fakeshortener.Route{RefuseHead: true, Body: 50 << 20, Location: "https://promo-hadiah.xyz/klaim"})
	w.Short.Handle("/unknown-host", fakeshortener.Route{Location: "https://rb.gy/x"})
	x := w.expander(expand.Options{})
	for _, tc := range []struct {
		path string
		want expand.Outcome
		hops int
	}{
		{"/loop-a", expand.Loop, 1},
		{"/self", expand.Loop, 0},
		{"/internal", expand.Blocked, 1},
		{"/credentials", expand.Refused, 0},
		{"/ipv4", expand.Refused, 0},
		{"/ipv4-public", expand.Refused, 0},
		{"/ipv4-decimal", expand.Refused, 0},
		{"/ipv6-mapped", expand.Refused, 0},
		{"/localhost", expand.Refused, 0},
		{"/single-label", expand.Refused, 0},
		{"/dot-internal", expand.Refused, 0},
		{"/port", expand.Refused, 0},
		{"/scheme", expand.Refused, 0},
		{"/empty", expand.Refused, 0},
		{"/page", expand.NoRedirect, 0},
		{"/head-refused", expand.Found, 1},
		{"/relative", expand.Found, 2},
		{"/huge-page", expand.NoRedirect, 0},
		{"/huge-redirect", expand.Found, 1},
		{"/missing", expand.NoRedirect, 0},
	} {
		t.Run(tc.path, func(t *testing.T) {
			e := x.Expand(context.Background(), "http://bit.ly"+tc.path, isShortener)
			if e.Outcome != tc.want || e.Hops() != tc.hops {
				t.Errorf("%s: %s after %d hops (%v), want %s after %d", tc.path, e.Outcome, e.Hops(), e.Chain, tc.want, tc.hops)
			}
			if e.Took > time.Second {
				t.Errorf("%s took %v", tc.path, e.Took)
			}
		})
	}
	w.checkUntouched(t)
	// The fake notices a closed connection at its next write.
	for deadline := time.Now().Add(2 * time.Second); w.Short.BodiesCut() < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if cut := w.Short.BodiesCut(); cut < 2 {
		t.Errorf("%d huge bodies cut short, want both", cut)
	}
	var heads, gets int
	for _, r := range w.Short.Requests() {
		if r.Path == "/head-refused" {
			switch r.Method {
			case "HEAD":
				heads++
			case "GET":
				gets++
			}
		}
	}
	if heads == 0 || gets == 0 {
		t.Errorf("a shortener refusing HEAD got %d HEAD and %d GET, want HEAD first, then GET", heads, gets)
	}
}

func TestExpandUnknownHostFailsFast(t *testing.T) {
	w := newWorld(t)
	x := w.expander(expand.Options{})
	e := x.Expand(context.Background(), "https://goo.gl/x", func(string) bool { return true })
	if e.Outcome != expand.Failed || e.Took > time.Second {
		t.Errorf("a host without DNS records: %s in %v, want failed at once", e.Outcome, e.Took)
	}
}

func TestExpandBudget(t *testing.T) {
	w := newWorld(t)
	w.Short.Handle("/slow", fakeshortener.Route{Delay: 5 * time.Second, Location: "https://promo-hadiah.xyz/klaim"})
	w.Short.Handle("/fast", fakeshortener.Route{Location: "http://tinyurl.com/slow"})
	budget := 300 * time.Millisecond
	x := w.expander(expand.Options{Timeout: budget})
	e := x.Expand(context.Background(), "http://bit.ly/fast", isShortener)
	if e.Outcome != expand.Timeout || e.Hops() != 1 {
		t.Errorf("a slow second hop: %s after %v", e.Outcome, e.Chain)
	}
	if e.Took < budget || e.Took > budget+500*time.Millisecond {
		t.Errorf("took %v, want the budget of %v", e.Took, budget)
	}
	w.checkUntouched(t)
}

func TestExpandCache(t *testing.T) {
	w := newWorld(t)
	link := w.chain(2)
	x := w.expander(expand.Options{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if e := x.Expand(context.Background(), link, isShortener); e.Outcome != expand.Found {
				t.Errorf("%+v", e)
			}
		})
	}
	wg.Wait()
	if e := x.Expand(context.Background(), link, isShortener); !e.Cached {
		t.Errorf("the second click was not remembered: %+v", e)
	}
	if n := len(w.Short.Requests()); n != 2 {
		t.Errorf("21 clicks on one link sent %d requests, want 2 (one walk of two hops)", n)
	}
}

func TestExpandCacheTTL(t *testing.T) {
	w := newWorld(t)
	w.Short.Handle("/down", fakeshortener.Route{Status: 503})
	link := w.chain(1)
	cache := expand.NewMemoryCache()
	x := w.expander(expand.Options{Cache: cache, TTL: time.Hour, FailureTTL: time.Millisecond})
	x.Expand(context.Background(), link, isShortener)
	x.Expand(context.Background(), "http://bit.ly/down", isShortener)
	time.Sleep(5 * time.Millisecond)
	if e := x.Expand(context.Background(), link, isShortener); !e.Cached {
		t.Errorf("a found destination was forgotten before its TTL")
	}
	if e := x.Expand(context.Background(), "http://bit.ly/down", isShortener); e.Cached {
		t.Errorf("a failure was remembered past its TTL")
	}
}

func TestExpandProxyMode(t *testing.T) {
	w := newWorld(t)
	proxy := fakeshortener.NewProxy(t, w.Net)
	link := w.chain(3)
	w.Short.Handle("/ip", fakeshortener.Route{Location: "http://10.0.0.1/"})
	w.Short.Handle("/internal-name", fakeshortener.Route{Location: "http://gitlab.internal/"})
	// No Dial: in proxy mode the gateway only reaches the proxy, here on
	// loopback.
	x := expand.New(expand.Options{Proxy: proxy.ProxyURL()})
	e := x.Expand(context.Background(), link, isShortener)
	if dest, ok := e.Destination(); !ok || dest != "https://promo-hadiah.xyz/klaim" || e.Hops() != 3 {
		t.Fatalf("through the proxy: %+v", e)
	}
	for _, path := range []string{"/ip", "/internal-name"} {
		if e := x.Expand(context.Background(), "http://bit.ly"+path, isShortener); e.Outcome != expand.Refused {
			t.Errorf("%s through the proxy: %s, want refused", path, e.Outcome)
		}
	}
	asked := proxy.Requests()
	if len(asked) != 5 {
		t.Errorf("the proxy was asked %v, want the 3 hops and the 2 refused links' shorteners", asked)
	}
	for _, a := range asked {
		if !strings.HasPrefix(a, "http://bit.ly/") && !strings.HasPrefix(a, "http://tinyurl.com/") && !strings.HasPrefix(a, "http://t.co/") {
			t.Errorf("the proxy was asked for %s", a)
		}
	}
	w.checkUntouched(t)
}

func TestDefaultControl(t *testing.T) {
	for addr, ok := range map[string]bool{
		"93.184.216.34:443":          true,
		"93.184.216.34:80":           true,
		"[2606:4700::6810:85e5]:443": true,
		"93.184.216.34:8080":         false,
		"127.0.0.1:80":               false,
		"10.1.2.3:443":               false,
		"172.16.0.1:443":             false,
		"192.168.1.1:80":             false,
		"169.254.169.254:80":         false,
		"100.64.0.1:443":             false,
		"0.0.0.0:80":                 false,
		"224.0.0.1:80":               false,
		"240.0.0.1:80":               false,
		"255.255.255.255:80":         false,
		"[::1]:443":                  false,
		"[fe80::1]:443":              false,
		"[fc00::1]:443":              false,
		"[::ffff:127.0.0.1]:80":      false,
		"[::ffff:10.0.0.1]:80":       false,
		"[ff02::1]:443":              false,
	} {
		err := expand.DefaultControl("tcp"+map[bool]string{true: "4", false: "6"}[netip.MustParseAddrPort(addr).Addr().Is4()], addr, nil)
		if (err == nil) != ok {
			t.Errorf("%s: %v, want allowed %v", addr, err, ok)
		}
	}
	if err := expand.DefaultControl("udp4", "93.184.216.34:443", nil); err == nil {
		t.Errorf("UDP allowed")
	}
}
