package linkify

import (
	"slices"
	"strings"
	"testing"
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
	{"price", "harganya Rp150.000 aja", nil},
	{"price with space and cents", "total Rp 1.500.000,00 sudah termasuk ongkir", nil},
	{"price with dot after Rp", "cuma Rp.50.000 kak", nil},
	{"price of four parts after Rp", "harga Rp1.000.000.000 dan Rp 1.500.000.000", nil},
	{"decimals", "rating 4.9 dari 5, pi 3.14", nil},
	{"version with v", "update ke v1.2.3 dulu", nil},
	{"version", "versi 1.2.3 sudah keluar", nil},
	{"file names", "ini foto.jpg sama invoice.pdf nya", nil},
	{"spreadsheet", "data.xlsx udah aku kirim", nil},
	{"missing space after period", "Halo kak.Mau tanya stok", nil},
	{"C++ scope", "pakai std::map aja", nil},
	{"colon after a word", "Ukuran:42 Warna:hitam jam 10:30", nil},
	{"scheme with nothing after it", "ketik https:// dulu", nil},
	{"e-mail with a top-level domain before its @", "hubungi customer.care@blibli.com ya", nil},
	{"e-mail with an IPv4 address before its @", "1.2.3.4@blibli.com", nil},
	{"e-mail then comma", "budi@gmail.com, makasih", nil},
	{"dots without a label", "Situsnya .com semua, x..com, -.com", nil},
	{"octet over 255", "kode 1.2.3.256 dan 1.2.3.4567", nil},
	{"IPv4 glued to a word", "v1.2.3.4 dan 1.2.3.4x", nil},

	// What a phone's linkifier makes clickable, which /go refuses.
	{"mailto", "⟦mailto:budi@gmail.com⟧", []string{"mailto:budi@gmail.com"}},
	{"tel scheme", "⟦tel:+6281234567890⟧", []string{"tel:+6281234567890"}},
	{"javascript scheme", "⟦javascript:alert(1)⟧", []string{"javascript:alert(1)"}},
	{"javascript scheme in capitals", "⟦JavaScript:alert(1)⟧", []string{"JavaScript:alert(1)"}},
	{"data scheme", "⟦data:text/html;base64,PHNjcmlwdD4=⟧", []string{"data:text/html;base64,PHNjcmlwdD4="}},
	{"intent without slashes", "⟦intent:#Intent;scheme=https;end⟧", []string{"intent:#Intent;scheme=https;end"}},
	{"ftp scheme", "⟦ftp://files.blibli.com/a⟧", []string{"ftp://files.blibli.com/a"}},
	{"rtsp scheme", "⟦rtsp://10.0.0.1/live⟧", []string{"rtsp://10.0.0.1/live"}},
	{"market scheme", "⟦market://details?id=com.evil.app⟧", []string{"market://details?id=com.evil.app"}},
	{"defanged scheme", "⟦hxxps://evil.com/login⟧", []string{"hxxps://evil.com/login"}},
	{"unknown scheme", "⟦intent://evil.com/#Intent;scheme=https;end⟧", []string{"intent://evil.com/#Intent;scheme=https;end"}},
	{"app scheme with dots", "⟦com.evil.app://open⟧", []string{"com.evil.app://open"}},
	{"scheme and a bare emoji", "⟦https://🔥⟧", []string{"https://🔥"}},
	{"scheme and a bracket", "⟦https://)⟧", []string{"https://)"}},
	{"scheme opened without slashes and two slashes", "⟦mArket://⟧", []string{"mArket://"}},
	{"bare IPv4 address", "buka ⟦192.168.1.1⟧ ya", []string{"https://192.168.1.1"}},
	{"IPv4 address with path", "buka ⟦192.168.1.1/admin⟧", []string{"https://192.168.1.1/admin"}},
	{"IPv4 address with port and path", "⟦10.0.0.1:8080/x⟧", []string{"https://10.0.0.1:8080/x"}},
	{"four-part version", "firmware ⟦1.2.3.4⟧", []string{"https://1.2.3.4"}},
	{"five-part version", "versi ⟦1.2.3.4⟧.5.6", []string{"https://1.2.3.4"}},
	{"price of four parts up to 255", "harga Rp ⟦1.000.000.000⟧ nego", []string{"https://1.000.000.000"}},
	{"IPv4 address after a hyphen", "ip-⟦1.2.3.4⟧-nya", []string{"https://1.2.3.4"}},
	{"file names with TLD extensions", "⟦arsip.zip⟧ dan ⟦video.mov⟧", []string{"https://arsip.zip", "https://video.mov"}},
	{"query without a path", "⟦blibli.com?ref=chat⟧", []string{"https://blibli.com?ref=chat"}},
	{"zero-width space inside a host", "⟦evil\u200b.com/login⟧", []string{"https://evil\u200b.com/login"}},
	{"soft hyphen inside a host", "⟦ev\u00adil.com⟧", []string{"https://ev\u00adil.com"}},
	{"zero-width space inside a host after a scheme", "⟦https://evil\u200b.com/x⟧\u200by", []string{"https://evil\u200b.com/x"}},
	{"format character before a host", "\u200b⟦evil.com⟧\u200b", []string{"https://evil.com"}},
	{"ideographic full stop", "⟦blibli。com⟧", []string{"https://blibli。com"}},
	{"full-width top-level domain", "⟦ｗｗｗ.ｂｌｉｂｌｉ.ｃｏｍ⟧", []string{"https://ｗｗｗ.ｂｌｉｂｌｉ.ｃｏｍ"}},
	{"host before an e-mail's @ with a path after", "⟦blibli.com⟧@⟦evil.com/masuk⟧", []string{"https://blibli.com", "https://evil.com/masuk"}},
	{"e-mail with a port", "budi@⟦evil.com:8080⟧", []string{"https://evil.com:8080"}},
	{"host and scheme glued", "⟦a.com⟧.⟦https://x.com⟧", []string{"https://a.com", "https://x.com"}},
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

// TestFindReadsWholeMessage checks that Find reads a message to its end,
// up to the rewrite API's limit of 64 KiB: every link after long text, in
// a long word, or long itself.
func TestFindReadsWholeMessage(t *testing.T) {
	emails := strings.Repeat("Halo kak, email saya budi.s@gmail.com ya. ", (60<<10)/42)
	path := "/" + strings.Repeat("a", 10_000)
	tests := []struct {
		name  string
		text  string
		links []string
	}{
		{"link after text", emails + "cek bit.ly/x ya", []string{"bit.ly/x"}},
		{"many links", strings.Repeat("bit.ly/x ", 7000), slices.Repeat([]string{"bit.ly/x"}, 7000)},
		{"links in a long word", strings.Repeat("x", 60<<10) + "|https://evil.com/a|evil.com/b|1.2.3.4/c",
			[]string{"https://evil.com/a", "evil.com/b", "1.2.3.4/c"}},
		{"long paths", "https://evil.com" + path + " evil.com" + path + " 1.2.3.4" + path,
			[]string{"https://evil.com" + path, "evil.com" + path, "1.2.3.4" + path}},
		{"long host name", strings.Repeat("sub-", 16<<10) + "evil.com", []string{strings.Repeat("sub-", 16<<10) + "evil.com"}},
		{"dotted word", strings.Repeat("1.1.1.1.id-", 6000), []string{strings.Repeat("1.1.1.1.id-", 5999) + "1.1.1.1.id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, l := range Find(tc.text) {
				if tc.text[l.Start:l.End] != l.Text {
					t.Fatalf("link %.40q… is not the text at %d:%d", l.Text, l.Start, l.End)
				}
				got = append(got, l.Text)
			}
			if !slices.Equal(got, tc.links) {
				t.Errorf("Find found %d links, want %d: %.80q", len(got), len(tc.links), got)
			}
		})
	}
}

func TestIsTLD(t *testing.T) {
	for tld := range tlds {
		if !isTLD(tld) || !isTLD(strings.ToUpper(tld)) {
			t.Errorf("isTLD(%q) is false for a listed top-level domain", tld)
		}
	}
	tests := map[string]bool{
		"com": true, "COM": true, "Id": true, "ｃｏｍ": true, "рф": true, "vermögensberater": true, "zip": true, "local": true,
		"c": false, "pdf": false, "jpg": false, "co1": false, "1co": false, "": false, strings.Repeat("a", 300): false,
	}
	for s, want := range tests {
		if got := isTLD(s); got != want {
			t.Errorf("isTLD(%q) = %v, want %v", s, got, want)
		}
	}
}
