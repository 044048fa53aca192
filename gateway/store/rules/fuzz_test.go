package rules

import (
	"strings"
	"testing"
)

// FuzzNormalize checks that normalization never panics, is idempotent,
// gives printable ASCII, and that a normalized rule matches what it names.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"Evil.Example.com", "bücher.example.com.", "192.0.2.1", "[2001:db8::1]", "co.id",
		"https://EVIL.example:443/a b?c=%zz", "http://[::1]:80/x", "https://x.example?q",
		"ｅｖｉｌ.example.com", "xn--bcher-kva.example.com", "0x7f.1", "a..b.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, kind := range []Kind{MatchDomain, MatchHost, MatchURLPrefix} {
			r, err := Rule{ID: "x", Match: kind, Value: value, Action: Block, Reason: "r", CreatedBy: "b"}.Normalize()
			if err != nil {
				continue
			}
			again, err := r.Normalize()
			if err != nil || again != r {
				t.Fatalf("%s %q: normalized %q does not normalize to itself: %q, %v", kind, value, r.Value, again.Value, err)
			}
			for i := 0; i < len(r.Value); i++ {
				if c := r.Value[i]; c <= ' ' || c >= 0x7f {
					t.Fatalf("%s %q: normalized %q has byte %#x", kind, value, r.Value, c)
				}
			}
			host, url := r.Value, "https://"+r.Value+"/"
			if strings.Contains(host, ":") && kind == MatchHost {
				url = "https://[" + r.Value + "]/"
			}
			if kind == MatchURLPrefix {
				_, rest, _ := strings.Cut(r.Value, "://")
				host, url = prefixHost(rest), r.Value
			}
			if _, ok := NewRuleSet([]Rule{r}).Match(host, url, t0); !ok {
				t.Fatalf("%s %q: rule %q does not match %q on host %q", kind, value, r.Value, url, host)
			}
		}
	})
}
