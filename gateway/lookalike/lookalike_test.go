package lookalike

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blibli/safelink/gateway/weburl"
)

func TestImitates(t *testing.T) {
	d := New([]string{"blibli.com", "seller.blibli.com", "tix.com"})
	tests := []struct {
		host string
		want string
	}{
		{"blibli.net", "blibli.com"},
		{"blibli.co.id", "blibli.com"},
		{"bl1bli.com", "blibli.com"},
		{"b1ibli.com", "blibli.com"},
		{"bliblii.com", "blibli.com"},
		{"bllbli.shop", "blibli.com"},
		{"biibli.com", "blibli.com"},
		{"blbli.com", "blibli.com"},
		{"bilbli.com", "blibli.com"},
		{"blibli-promo.example", "blibli.com"},
		{"promo-blibli.example", "blibli.com"},
		{"bliblipromo.example", "blibli.com"},
		{"blibli.com.evil.example", "blibli.com"},
		{"www.blibli.com-login.example", "blibli.com"},
		{"login.bl1bli-secure.example", "blibli.com"},
		{"xn--blbli-0sa.com", "blibli.com"},  // blíbli.com
		{"xn--lbli-f4d1t.com", "blibli.com"}, // Cyrillic в and і: вlіbli
		{"xn--blibl-r2e.com", "blibli.com"},  // Cyrillic і at the end
		{"bli-bli.example", "blibli.com"},
		{"tox.example", ""},              // brands shorter than five are not checked by distance…
		{"tix-promo.example", "tix.com"}, // …but still found inside a name
		{"tokopedia.com", ""},
		{"google.com", ""},
		{"public.example", ""},
		{"library.example", ""},
		{"example.com", ""},
		{"b.example", ""},
	}
	for _, tt := range tests {
		got, ok := d.Imitates(tt.host)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Imitates(%q) = %q, %v; want %q", tt.host, got, ok, tt.want)
		}
	}
}

// TestImitatesOtherScripts takes hosts spelt with letters of other scripts
// that confusables.txt maps to Latin ones, as a click brings them: through
// weburl, so in punycode, or in Unicode where IDNA would have mapped them
// to ASCII already.
func TestImitatesOtherScripts(t *testing.T) {
	d := New([]string{"blibli.com", "gdn-commerce.com"})
	links := []struct {
		link string
		want string
	}{
		{"https://bꓲⲓbꓲⲓ.com/", "blibli.com"},          // Lisu ꓲ for l, Coptic ⲓ for i
		{"https://bⲓbⲓbⲓ.com/", ""},                    // bibibi: three letters off
		{"https://ꓐꓡꓲꓐꓡꓲ.co.id/", "blibli.com"},        // Lisu only: BLlBLl
		{"https://ᏴᏞᎥᏴᏞᎥ.com/", "blibli.com"},          // Cherokee
		{"https://bliblⲓpromo.example/", "blibli.com"}, // the brand inside a longer name
		{"https://promo.Ᏼꓡⲓbꓲⲓ-resmi.example/", "blibli.com"},
		{"https://gdn-commerce-promo.example/", "gdn-commerce.com"}, // a brand with a hyphen
	}
	for _, tt := range links {
		u, err := weburl.Parse(tt.link)
		if err != nil {
			t.Fatalf("weburl.Parse(%q): %v", tt.link, err)
		}
		got, ok := d.Imitates(u.Host)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Imitates(%q) (from %s) = %q, %v; want %q", u.Host, tt.link, got, ok, tt.want)
		}
	}
	// Hosts that IDNA would have turned into ASCII, as they are.
	for _, host := range []string{"𝐛ꓲⲓ𝐛ꓲⲓ.com", "ｂꓲⲓｂꓲⲓ.com", "𝖻𝗅𝗂𝖻𝗅𝗂-promo.example"} {
		if got, ok := d.Imitates(host); got != "blibli.com" || !ok {
			t.Errorf("Imitates(%q) = %q, %v; want blibli.com", host, got, ok)
		}
	}
}

// TestSkeleton holds whole names to their skeleton. Where the old hand
// table disagreed with Unicode's data, the data wins: i and l stay apart
// (confusables.txt gives each its own prototype), m reads as rn rather than
// rn as m, and Cyrillic в is the small capital ʙ, not b.
func TestSkeleton(t *testing.T) {
	tests := map[string]string{
		"blibli":    "blibli",
		"bl1bl1":    "bllbll",
		"bIibIi":    "blibli",
		"blíblí":    "blibli",
		"вlіbli":    "ʙlibli",
		"ВLІBLІ":    "bllbll",
		"modern":    "rnodern",
		"rnodern":   "rnodern",
		"ｂｌｉｂｌｉ":    "blibli",
		"bⲓbꓲⲓ":     "bibli",
		"ᏴᏞᎥᏴᏞᎥ":    "blibli",
		"𝐛𝐥𝐢𝐛𝐥𝐢":    "blibli",
		"g00gle":    "google",
		"b\u0336li": "bli",
	}
	for in, want := range tests {
		if got := skeleton(in); got != want {
			t.Errorf("skeleton(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSkeletonFollowsConfusables spot-checks the generated table against
// mappings of Unicode's confusables.txt, and the ASCII fast path against
// the table.
func TestSkeletonFollowsConfusables(t *testing.T) {
	tests := []struct {
		in, want string
		what     string
	}{
		{"\u2C93", "i", "COPTIC SMALL LETTER IAUDA → i"},
		{"\uA4F2", "l", "LISU LETTER I → l"},
		{"\uA4E1", "l", "LISU LETTER LA → L"},
		{"\uA4D0", "b", "LISU LETTER BA → B"},
		{"\u13A5", "i", "CHEROKEE LETTER V → i"},
		{"\u13DE", "l", "CHEROKEE LETTER TLE → L"},
		{"\u0430", "a", "CYRILLIC SMALL LETTER A → a"},
		{"\u0456", "i", "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I → i"},
		{"\u04CF", "l", "CYRILLIC SMALL LETTER PALOCHKA → l"},
		{"\u0432", "\u0299", "CYRILLIC SMALL LETTER VE → LATIN LETTER SMALL CAPITAL B"},
		{"\u03BF", "o", "GREEK SMALL LETTER OMICRON → o"},
		{"\u0131", "i", "LATIN SMALL LETTER DOTLESS I → i"},
		{"\U0001D41B", "b", "MATHEMATICAL BOLD SMALL B → b"},
		{"\uFF4C", "l", "FULLWIDTH LATIN SMALL LETTER L → l"},
		{"l", "l", "LATIN SMALL LETTER L is a prototype"},
		{"i", "i", "LATIN SMALL LETTER I is a prototype"},
		{"I", "l", "LATIN CAPITAL LETTER I → l"},
		{"1", "l", "DIGIT ONE → l"},
		{"|", "l", "VERTICAL LINE → l"},
		{"0", "o", "DIGIT ZERO → O"},
		{"m", "rn", "LATIN SMALL LETTER M → rn"},
	}
	for _, tt := range tests {
		if got := skeleton(tt.in); got != tt.want {
			t.Errorf("skeleton(%+q) = %+q, want %+q (%s)", tt.in, got, tt.want, tt.what)
		}
	}
	for c := range utf8.RuneSelf {
		s := string(rune(c))
		// "é" takes s off the ASCII path and adds an "e" to its skeleton.
		if fast, slow := skeleton(s), strings.TrimSuffix(skeleton(s+"é"), "e"); fast != slow {
			t.Errorf("skeleton(%q) = %q on the ASCII path, %q on the other", s, fast, slow)
		}
	}
}

func TestWithinDistance(t *testing.T) {
	tests := []struct {
		a, b string
		k    int
		want bool
	}{
		{"blibli", "blibli", 0, true},
		{"blibi", "blibli", 1, true},
		{"bliblii", "blibli", 1, true},
		{"blobli", "blibli", 1, true},
		{"bl", "blibli", 2, false},
		{"xxxxxx", "blibli", 2, false},
		{"bxibxi", "blibli", 2, true},
		{"", "", 0, true},
		{"ü", "u", 1, true},
		{strings.Repeat("a", 40), strings.Repeat("a", 39) + "b", 1, true}, // rows longer than the stack's
		{strings.Repeat("a", 40), strings.Repeat("b", 40), 2, false},
	}
	for _, tt := range tests {
		if got := withinDistance(tt.a, tt.b, tt.k); got != tt.want {
			t.Errorf("withinDistance(%q, %q, %d) = %v", tt.a, tt.b, tt.k, got)
		}
	}
}
