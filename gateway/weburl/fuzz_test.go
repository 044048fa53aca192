package weburl

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that each refusal names its
// problem, and that what it accepts serializes to plain ASCII without
// spaces, control characters or backslashes, which net/url reads as the
// same scheme, host and port and Parse itself normalizes to the same text
// (normalization is idempotent); the host is lowercase LDH or an IP address
// in its one canonical form.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://www.blibli.com/p/x?a=b#c", "http://0x7f.1/", "https://[::ffff:127.0.0.1]:8080/",
		"https://user:pw@blibli.com/", "https://blibli.com\\@evil.example/", "https://ｂｌｉｂｌｉ．ｃｏｍ/",
		"https://xn--bcher-kva.example/%zz?q=ü#frag", "javascript:alert(1)", "https:blibli.com",
		"https://bl%69bli.com./a b", "http://2130706433", "https://[fe80::1%25eth0]/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := Parse(raw)
		if err != nil {
			if ProblemOf(err) == "" {
				t.Fatalf("Parse(%q): error without a problem: %v", raw, err)
			}
			return
		}
		s := u.String()
		for i := 0; i < len(s); i++ {
			if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' || c == '"' || c == '<' || c == '>' {
				t.Fatalf("Parse(%q).String() = %q holds byte %#x", raw, s, c)
			}
		}
		again, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", raw, s, err)
		}
		if again.String() != s {
			t.Fatalf("Parse(%q) = %q, reparsed %q", raw, s, again.String())
		}
		std, err := url.Parse(s)
		if err != nil {
			t.Fatalf("net/url cannot parse %q: %v", s, err)
		}
		if std.Scheme != u.Scheme || std.Hostname() != u.Host || std.Port() != u.Port {
			t.Fatalf("net/url reads %q as %s %s %s, want %s %s %s", s, std.Scheme, std.Hostname(), std.Port(), u.Scheme, u.Host, u.Port)
		}
		if u.IP.IsValid() && (u.Host != u.IP.String() || u.IP.Is4In6() || u.IP.Zone() != "") {
			t.Fatalf("IP host %q of %q is not canonical (%v)", u.Host, raw, u.IP)
		}
		if !u.IP.IsValid() && strings.Trim(u.Host, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
			t.Fatalf("host %q of %q is not lowercase LDH", u.Host, raw)
		}
	})
}
