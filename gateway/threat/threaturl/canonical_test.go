package threaturl

import (
	"errors"
	"strings"
	"testing"
)

// specCanonical holds the canonicalization examples the specification
// publishes.
var specCanonical = []struct{ in, want string }{
	{"http://host/%25%32%35", "http://host/%25"},
	{"http://host/%25%32%35%25%32%35", "http://host/%25%25"},
	{"http://host/%2525252525252525", "http://host/%25"},
	{"http://host/asdf%25%32%35asd", "http://host/asdf%25asd"},
	{"http://host/%%%25%32%35asd%%", "http://host/%25%25%25asd%25%25"},
	{"http://www.google.com/", "http://www.google.com/"},
	{"http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/", "http://168.188.99.26/.secure/www.ebay.com/"},
	{"http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/", "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/"},
	{"http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B", "http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+"},
	{"http://3279880203/blah", "http://195.127.0.11/blah"},
	{"http://www.google.com/blah/..", "http://www.google.com/"},
	{"www.google.com/", "http://www.google.com/"},
	{"www.google.com", "http://www.google.com/"},
	{"http://www.evil.com/blah#frag", "http://www.evil.com/blah"},
	{"http://www.GOOgle.com/", "http://www.google.com/"},
	{"http://www.google.com.../", "http://www.google.com/"},
	{"http://www.google.com/foo\tbar\rbaz\n2", "http://www.google.com/foobarbaz2"},
	{"http://www.google.com/q?", "http://www.google.com/q?"},
	{"http://www.google.com/q?r?", "http://www.google.com/q?r?"},
	{"http://www.google.com/q?r?s", "http://www.google.com/q?r?s"},
	{"http://evil.com/foo#bar#baz", "http://evil.com/foo"},
	{"http://evil.com/foo;", "http://evil.com/foo;"},
	{"http://evil.com/foo?bar;", "http://evil.com/foo?bar;"},
	{"http://\x01\x80.com/", "http://%01%80.com/"},
	{"http://notrailingslash.com", "http://notrailingslash.com/"},
	{"http://www.gotaport.com:1234/", "http://www.gotaport.com/"},
	{"  http://www.google.com/  ", "http://www.google.com/"},
	{"http:// leadingspace.com/", "http://%20leadingspace.com/"},
	{"http://%20leadingspace.com/", "http://%20leadingspace.com/"},
	{"%20leadingspace.com/", "http://%20leadingspace.com/"},
	{"https://www.securesite.com/", "https://www.securesite.com/"},
	{"http://host.com/ab%23cd", "http://host.com/ab%23cd"},
	{"http://host.com//twoslashes?more//slashes", "http://host.com/twoslashes?more//slashes"},
}

func TestCanonicalizeSpecification(t *testing.T) {
	for _, tc := range specCanonical {
		got, err := Canonicalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestCanonicalize covers the choices the specification leaves and the
// corners of each step.
func TestCanonicalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		// IPv4 in every notation.
		{"octal", "http://0303.0177.0.013/", "http://195.127.0.11/"},
		{"hex", "http://0xc3.0x7f.0x0.0xb/", "http://195.127.0.11/"},
		{"hex whole", "http://0XC37F000B/", "http://195.127.0.11/"},
		{"three parts", "http://195.127.11/", "http://195.127.0.11/"},
		{"two parts", "http://195.8323083/", "http://195.127.0.11/"},
		{"mixed", "http://0xc3.0177.11/", "http://195.127.0.11/"},
		{"trailing dot", "http://1.2.3.4./", "http://1.2.3.4/"},
		{"0x alone", "http://0x.0x.0x.0x/", "http://0.0.0.0/"},
		{"part too large", "http://256.1.1.1/", "http://256.1.1.1/"},
		{"last part too large", "http://1.2.3.256/", "http://1.2.3.256/"},
		{"above 32 bits", "http://4294967296/", "http://4294967296/"},
		{"five parts", "http://1.2.3.4.5/", "http://1.2.3.4.5/"},
		{"bad octal", "http://09.1.1.1/", "http://09.1.1.1/"},
		{"many digits", "http://00000000000000000000000000000001/", "http://0.0.0.1/"},
		// IPv6.
		{"ipv6", "http://[2001:0DB8:0000::1]:8080/x", "http://[2001:db8::1]/x"},
		{"ipv4 mapped", "http://[::ffff:1.2.3.4]/", "http://1.2.3.4/"},
		{"nat64", "http://[64:ff9b::1.2.3.4]/", "http://1.2.3.4/"},
		{"ipv6 zone", "http://[fe80::1%25eth0]/", "http://[fe80/"},
		{"not ipv6", "http://[foo]/", "http://[foo]/"},
		// Host names.
		{"idn", "http://B%C3%BCcher.example/", "http://xn--bcher-kva.example/"},
		{"idn full stop", "http://b\u00fccher\u3002example/", "http://xn--bcher-kva.example/"},
		{"idn refused", "http://b\u00fc_cher.example/", "http://b%C3%BC_cher.example/"},
		{"fullwidth digits", "http://\uff11.\uff12.\uff13.\uff14/", "http://1.2.3.4/"},
		{"dots inside", "http://..a...b..c../", "http://a.b.c/"},
		{"user info", "http://user:pass@Example.COM:443/", "http://example.com/"},
		{"escaped slash in user info", "http://x%2F@phish.example/", "http://phish.example/"},
		{"escaped at in user info", "http://a%40b@phish.example/", "http://phish.example/"},
		{"escaped at in host", "http://good.com%40evil.com/", "http://good.com%40evil.com/"},
		{"escaped slash in host", "http://good.com%2F.evil.com/", "http://good.com%2F.evil.com/"},
		{"escaped colon in host", "http://a.com%3A80/", "http://a.com%3A80/"},
		{"escaped brackets", "http://%5B%3A%3A1%5D/", "http://[%3A%3A1]/"},
		{"non-numeric port", "http://a.com:b.c/", "http://a.com/"},
		{"host then query", "http://a.com?x=/y", "http://a.com/?x=/y"},
		// Schemes.
		{"scheme case", "HTTPS://a.com/", "https://a.com/"},
		{"other scheme", "ftp://a.com/f", "ftp://a.com/f"},
		{"escaped scheme", "http%3A%2F%2Fa.com%2Fx", "http://http%3A%2F%2Fa.com%2Fx/"},
		{"no scheme, port", "localhost:8080/x", "http://localhost/x"},
		{"no scheme, slashes", "//a.com/x", "http://a.com/x"},
		// Paths.
		{"dot segment", "http://a.com/b/./c", "http://a.com/b/c"},
		{"dot at end", "http://a.com/b/.", "http://a.com/b/"},
		{"dot dot", "http://a.com/b/c/../d", "http://a.com/b/d"},
		{"above root", "http://a.com/../../d", "http://a.com/d"},
		{"dot dot after empty", "http://a.com/b//../c", "http://a.com/b/c"},
		{"escaped dots", "http://a.com/b/%2E%2e/c", "http://a.com/c"},
		{"escaped slash in path", "http://%32%31%33%2e%31%38%30%2e%32%31%30%2e5/%2e%73%65%63%75%72%65%2f%77%77%77%2e%6d%6f%69%6b%72%75%67%2e%72%75/", "http://213.180.210.5/.secure/www.moikrug.ru/"},
		{"three dots", "http://a.com/.../b", "http://a.com/.../b"},
		{"query untouched", "http://a.com/b?c/./d/../e", "http://a.com/b?c/./d/../e"},
		{"escaped question mark", "http://a.com/b%3Fc/../d", "http://a.com/b?c/../d"},
		{"controls", "http://a.com/\x00\x7f\xff", "http://a.com/%00%7F%FF"},
		{"lower-case escapes", "http://a.com/%7e%c3%bc", "http://a.com/~%C3%BC"},
		{"escape made of escapes", "http://a.com/%4%41", "http://a.com/J"},
		{"partial escape", "http://a.com/%4x%41", "http://a.com/%254xA"},
		{"deep", "http://a.com/%" + strings.Repeat("25", 2000) + "41", "http://a.com/A"},
	} {
		got, err := Canonicalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s: Canonicalize(%q) = %q, %v; want %q", tc.name, tc.in, got, err, tc.want)
		}
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{" \t\r\n ", ErrEmpty},
		{"#fragment", ErrEmpty},
		{"\t#x", ErrEmpty},
		{"javascript:alert(1)", ErrNoHost},
		{"JavaScript:alert(document.domain)//", ErrNoHost},
		{"mailto:someone@example.com", ErrNoHost},
		{"data:text/html,<script>alert(1)</script>", ErrNoHost},
		{"http://", ErrNoHost},
		{"http:///path", ErrNoHost},
		{"http://.../", ErrNoHost},
		{"http://user@/", ErrNoHost},
		{"http://:80/", ErrNoHost},
		{"/just/a/path", ErrNoHost},
		{"?q", ErrNoHost},
		{"http://a.com/" + strings.Repeat("a", MaxLength), ErrTooLong},
		{strings.Repeat("%25", MaxLength), ErrTooLong},
	} {
		got, err := Canonicalize(tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("Canonicalize(%.40q) = %q, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestCanonicalizeLongest(t *testing.T) {
	in := "http://a.com/" + strings.Repeat("a", MaxLength-len("http://a.com/"))
	if got, err := Canonicalize(in); err != nil || got != in {
		t.Errorf("Canonicalize of %d bytes = %d bytes, %v; want it unchanged", len(in), len(got), err)
	}
	in = "http://a.com/" + strings.Repeat("\x80", MaxLength/3)
	if got, err := Canonicalize(in); !errors.Is(err, ErrTooLong) {
		t.Errorf("Canonicalize of %d bytes, %d escaped = %d bytes, %v; want ErrTooLong", len(in), MaxLength/3, len(got), err)
	}
}

// TestCanonicalizeIdempotent canonicalizes each output again.
func TestCanonicalizeIdempotent(t *testing.T) {
	for _, tc := range specCanonical {
		again, err := Canonicalize(tc.want)
		if err != nil || again != tc.want {
			t.Errorf("Canonicalize(%q) = %q, %v; want it unchanged", tc.want, again, err)
		}
	}
}
