package linkify

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// findCases are chat messages with their links marked ⟦like this⟧, and the
// absolute URL of each marked link in order.
var findCases = []struct {
	name string
	in   string
	urls []string
}{
	// Links with a scheme.
	{"https in sentence", "cek ⟦https://www.blibli.com/p/sepatu-lari⟧ ya kak", []string{"https://www.blibli.com/p/sepatu-lari"}},
	{"whole message http", "⟦http://blibli.com⟧", []string{"http://blibli.com"}},
	{"upper-case scheme and host", "BUKA ⟦HTTPS://WWW.BLIBLI.COM/PROMO⟧ SEKARANG", []string{"HTTPS://WWW.BLIBLI.COM/PROMO"}},
	{"query and fragment", "cari di ⟦https://www.blibli.com/cari?q=sepatu+lari&page=2#atas⟧.", []string{"https://www.blibli.com/cari?q=sepatu+lari&page=2#atas"}},
	{"user info stays in the link", "login ⟦https://blibli.com@evil.com/masuk⟧", []string{"https://blibli.com@evil.com/masuk"}},
	{"IP address with scheme", "router: ⟦http://192.168.1.1/admin⟧", []string{"http://192.168.1.1/admin"}},
	{"localhost with port", "coba ⟦http://localhost:8080/test⟧ dulu", []string{"http://localhost:8080/test"}},
	{"scheme glued to a word", "lihat⟦https://blibli.com⟧", []string{"https://blibli.com"}},

	// Scheme-less links.
	{"www host", "mampir ke ⟦www.blibli.com⟧ aja", []string{"https://www.blibli.com"}},
	{"known TLD bare domain", "beli di ⟦blibli.com⟧ kak", []string{"https://blibli.com"}},
	{"bare domain with path", "ada juga di ⟦tokopedia.com/abc⟧", []string{"https://tokopedia.com/abc"}},
	{"shortener", "promo: ⟦bit.ly/x⟧", []string{"https://bit.ly/x"}},
	{"wa.me", "chat aku di ⟦wa.me/6281234567890⟧ ya", []string{"https://wa.me/6281234567890"}},
	{"t.me", "join grup ⟦t.me/promomurah⟧ gan", []string{"https://t.me/promomurah"}},
	{"s.id", "klaim voucher ⟦s.id/promo⟧ sekarang", []string{"https://s.id/promo"}},
	{"co.id domain", "resmi: ⟦www.blibli.co.id/bantuan⟧", []string{"https://www.blibli.co.id/bantuan"}},
	{"port without scheme", "dev di ⟦blibli.com:8080/x⟧", []string{"https://blibli.com:8080/x"}},
	{"missing space after link", "cek ⟦www.blibli.com⟧.Mau tanya", []string{"https://www.blibli.com"}},
	{"Indonesian suffix after host", "⟦blibli.com⟧-nya lagi sale", []string{"https://blibli.com"}},
	{"file extension TLD with path", "⟦promo.zip/hadiah⟧", []string{"https://promo.zip/hadiah"}},
	{"file extension TLD with www", "⟦www.promo.zip⟧", []string{"https://www.promo.zip"}},

	// Punctuation and brackets that belong to the sentence.
	{"trailing period", "lihat ⟦blibli.com/promo⟧.", []string{"https://blibli.com/promo"}},
	{"trailing comma", "buka ⟦https://x.com/a⟧, lalu bayar", []string{"https://x.com/a"}},
	{"trailing question mark", "udah cek ⟦blibli.com⟧?", []string{"https://blibli.com"}},
	{"trailing exclamation marks", "mantap ⟦https://blibli.com/p/1⟧!!", []string{"https://blibli.com/p/1"}},
	{"trailing ellipsis", "cek ⟦bit.ly/abc⟧...", []string{"https://bit.ly/abc"}},
	{"trailing unicode ellipsis", "cek ⟦https://x.com/a⟧… ok", []string{"https://x.com/a"}},
	{"trailing colon", "linknya ⟦https://x.com/a⟧: murah", []string{"https://x.com/a"}},
	{"trailing semicolon", "Link: ⟦https://blibli.com/promo-1212⟧;", []string{"https://blibli.com/promo-1212"}},
	{"sentence parentheses", "(cek ⟦https://x.com/a⟧)", []string{"https://x.com/a"}},
	{"bare link in parentheses", "(⟦blibli.com/promo⟧)", []string{"https://blibli.com/promo"}},
	{"balanced parentheses in path", "⟦https://en.wikipedia.org/wiki/Foo_(bar)⟧", []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
	{"balanced parentheses inside sentence parentheses", "(lihat ⟦https://en.wikipedia.org/wiki/Foo_(bar)⟧)", []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
	{"balanced parentheses in bare path", "⟦www.blibli.com/p/sepatu-(pria)⟧ ready", []string{"https://www.blibli.com/p/sepatu-(pria)"}},
	{"double quotes", `"⟦https://x.com⟧"`, []string{"https://x.com"}},
	{"single quotes", "'⟦blibli.com/promo⟧'", []string{"https://blibli.com/promo"}},
	{"curly quotes", "“⟦https://x.com/a⟧”", []string{"https://x.com/a"}},
	{"square brackets", "[⟦https://x.com/a⟧]", []string{"https://x.com/a"}},
	{"angle brackets", "<⟦https://x.com/a⟧>", []string{"https://x.com/a"}},
	{"markdown emphasis", "*⟦blibli.com/promo⟧*", []string{"https://blibli.com/promo"}},
	{"full-width punctuation", "リンク：⟦https://blibli.com/p/4⟧。", []string{"https://blibli.com/p/4"}},

	// Several links, start and end of text, newlines.
	{"three links", "bandingin ⟦blibli.com/p/1⟧ sama ⟦https://tokopedia.com/x⟧ dan ⟦bit.ly/y⟧", []string{"https://blibli.com/p/1", "https://tokopedia.com/x", "https://bit.ly/y"}},
	{"link at start", "⟦blibli.com/promo⟧ cek deh", []string{"https://blibli.com/promo"}},
	{"link at end", "cek deh ⟦blibli.com/promo⟧", []string{"https://blibli.com/promo"}},
	{"links on lines", "halo kak\nini linknya:\n⟦https://blibli.com/p/2⟧\nsama ⟦wa.me/62811⟧\nmakasih", []string{"https://blibli.com/p/2", "https://wa.me/62811"}},
	{"tab separated", "⟦blibli.com⟧\t⟦bit.ly/q⟧", []string{"https://blibli.com", "https://bit.ly/q"}},
	{"gateway link", "klik ⟦https://link.blibli.com/go?u=https%3A%2F%2Fbit.ly%2Fx&s=k1.AAAAAAAAAAAAAAAAAAAAAA⟧ ya", []string{"https://link.blibli.com/go?u=https%3A%2F%2Fbit.ly%2Fx&s=k1.AAAAAAAAAAAAAAAAAAAAAA"}},

	// Unicode around and inside links.
	{"emoji around", "🔥🔥 ⟦https://blibli.com/promo⟧ 🔥", []string{"https://blibli.com/promo"}},
	{"emoji glued after bare link", "cek ⟦blibli.com/promo⟧🔥🔥", []string{"https://blibli.com/promo"}},
	{"emoji glued after period", "⟦https://x.com/a⟧.🔥 ok", []string{"https://x.com/a"}},
	{"emoji glued before", "👉⟦https://blibli.com/p/3⟧", []string{"https://blibli.com/p/3"}},
	{"flag emoji glued after", "⟦https://blibli.com/id⟧🇮🇩", []string{"https://blibli.com/id"}},
	{"heart with variation selector", "⟦bit.ly/x⟧❤️", []string{"https://bit.ly/x"}},
	{"family emoji with joiners", "⟦https://blibli.com/keluarga⟧👨‍👩‍👧", []string{"https://blibli.com/keluarga"}},
	{"emoji inside path", "⟦https://x.com/🔥/a⟧", []string{"https://x.com/🔥/a"}},
	{"zero-width space cuts", "⟦https://x.com/a⟧\u200bb", []string{"https://x.com/a"}},
	{"invalid UTF-8 cuts", "⟦bit.ly/x⟧\xffy", []string{"https://bit.ly/x"}},
	{"non-breaking space ends", "⟦blibli.com/a⟧\u00a0b", []string{"https://blibli.com/a"}},
	{"right-to-left override cuts", "⟦https://evil.com/⟧\u202etxt.exe", []string{"https://evil.com/"}},
	{"Cyrillic IDN", "situs ⟦пример.рф/путь⟧ aneh", []string{"https://пример.рф/путь"}},
	{"German IDN with scheme", "⟦https://münchen.de/x⟧", []string{"https://münchen.de/x"}},
	{"punycode host", "⟦xn--80ak6aa92e.com⟧", []string{"https://xn--80ak6aa92e.com"}},
	{"accented path", "⟦https://id.wikipedia.org/wiki/Bahasa_Indonésia⟧", []string{"https://id.wikipedia.org/wiki/Bahasa_Indonésia"}},

	// Not links.
	{"empty", "", nil},
	{"no dots", "halo kak, barangnya ready? 😊", nil},
	{"e-mail", "email ke customer.care@blibli.com ya", nil},
	{"e-mail and link", "kirim ke budi.s@gmail.com atau cek ⟦blibli.com⟧", []string{"https://blibli.com"}},
	{"mailto", "mailto:budi@gmail.com", nil},
	{"price", "harganya Rp150.000 aja", nil},
	{"price with space and cents", "total Rp 1.500.000,00 sudah termasuk ongkir", nil},
	{"price with dot after Rp", "cuma Rp.50.000 kak", nil},
	{"decimals", "rating 4.9 dari 5, pi 3.14", nil},
	{"version with v", "update ke v1.2.3 dulu", nil},
	{"version", "versi 1.2.3 sudah keluar", nil},
	{"four-part version", "firmware 1.2.3.4", nil},
	{"bare IP address", "buka 192.168.1.1/admin", nil},
	{"file names", "ini foto.jpg sama invoice.pdf nya", nil},
	{"spreadsheet", "data.xlsx udah aku kirim", nil},
	{"file names with TLD extensions", "arsip.zip dan video.mov", nil},
	{"missing space after period", "Halo kak.Mau tanya stok", nil},
	{"javascript scheme", "javascript:alert(1)", nil},
	{"ftp scheme", "ftp://files.blibli.com/a", nil},
	{"defanged scheme", "hxxps://evil.com/login", nil},
	{"unknown scheme", "intent://evil.com/#Intent;scheme=https;end", nil},
	{"tel scheme", "tel:+6281234567890", nil},
	{"C++ scope", "pakai std::map aja", nil},
}

// parseMarked removes the ⟦ ⟧ marks from s and returns the text and the
// marked spans.
func parseMarked(t *testing.T, s string) (string, [][2]int) {
	t.Helper()
	var b strings.Builder
	var spans [][2]int
	open := -1
	for _, r := range s {
		switch r {
		case '⟦':
			open = b.Len()
		case '⟧':
			if open < 0 {
				t.Fatalf("unbalanced marks in %q", s)
			}
			spans = append(spans, [2]int{open, b.Len()})
			open = -1
		default:
			b.WriteRune(r)
		}
	}
	if open >= 0 {
		t.Fatalf("unbalanced marks in %q", s)
	}
	return b.String(), spans
}

func TestFind(t *testing.T) {
	for _, tc := range findCases {
		t.Run(tc.name, func(t *testing.T) {
			in, spans := parseMarked(t, tc.in)
			if len(spans) != len(tc.urls) {
				t.Fatalf("case has %d marked links but %d URLs", len(spans), len(tc.urls))
			}
			got := Find(in)
			if len(got) != len(spans) {
				t.Fatalf("Find(%q) = %+v, want %d links", in, got, len(spans))
			}
			for i, l := range got {
				want := Link{Text: in[spans[i][0]:spans[i][1]], Start: spans[i][0], End: spans[i][1], URL: tc.urls[i]}
				if l != want {
					t.Errorf("link %d = %+v, want %+v", i, l, want)
				}
			}
		})
	}
}

// TestWhiteSpaceEndsEveryMatch checks what Find relies on to look for links
// word by word: no xurls match holds white space.
func TestWhiteSpaceEndsEveryMatch(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsSpace(r) {
			continue
		}
		in := "https://blibli.com/a" + string(r) + "b"
		if got := candidates.FindString(in); got != "https://blibli.com/a" {
			t.Errorf("xurls matches %q in %q: white space %U inside a link", got, in, r)
		}
	}
}

func TestFindSkipsWordOverBudget(t *testing.T) {
	crafted := strings.Repeat("1.1.1.1.id-", scanBudget/11+1)
	got := Find(crafted + " bit.ly/x")
	want := []Link{{Text: "bit.ly/x", Start: len(crafted) + 1, End: len(crafted) + 9, URL: "https://bit.ly/x"}}
	if !mayHoldLink(crafted) {
		t.Fatal("the crafted word must reach the regular expression")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Find = %+v, want only %+v", got, want)
	}
}

func TestFindStopsAtBudget(t *testing.T) {
	const word = "blibli.com"
	fit := scanBudget / (searchCost + len(word))
	n := fit + 5
	got := Find(strings.Repeat(word+" ", n))
	if len(got) != fit {
		t.Fatalf("Find found %d of %d links, want the %d that fit the budget", len(got), n, fit)
	}
	for i, l := range got {
		if l.Start != i*(len(word)+1) {
			t.Fatalf("link %d starts at %d, want the links in order from the start", i, l.Start)
		}
	}
}

func TestTLDsFitLabel(t *testing.T) {
	for tld := range asciiTLDs {
		if len(tld) > maxLabelLen {
			t.Errorf("xurls TLD %q is longer than %d bytes, which startsWithTLD reads", tld, maxLabelLen)
		}
	}
}

func TestMayHoldLink(t *testing.T) {
	tests := map[string]bool{
		"blibli.com":                   true,
		"BLIBLI.COM":                   true,
		"x.i2p":                        true,
		"https://x":                    true,
		"пример.рф":                    true,
		"x.vermögensberater":           true,
		"x.xn--p1ai":                   true,
		"kak.Saya":                     false,
		"invoice.pdf":                  false,
		"Rp150.000":                    false,
		"v1.2.3":                       false,
		"ya.":                          false,
		"mailto:budi":                  false,
		"blibli.com_x":                 false,
		"x." + strings.Repeat("a", 70): false,
	}
	for word, want := range tests {
		if got := mayHoldLink(word); got != want {
			t.Errorf("mayHoldLink(%q) = %v, want %v", word, got, want)
		}
	}
}
