package linkify

import (
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// This file holds a second link finder, stricter than Find and written
// apart from it, and the property that ties the two to Rewrite: after
// rewriting, nothing either of them takes for a link stands outside a
// gateway link.

// strictChar is a character of a text read by strictLinks: its rune, and
// where it starts and ends in the text.
type strictChar struct {
	r          rune
	start, end int
	blank      bool // white space or a byte of invalid UTF-8
}

// strictLinks returns the spans of text that a linkifier stricter than Find
// may take for a link:
//
//   - a scheme (a letter, then letters, digits, '+', '-' or '.') and a
//     colon, followed by "//" and a character that is not blank, or, for a
//     scheme of opaqueSchemes, by a character that is not blank;
//   - a dot (any of isDot) after a label with a letter or digit in it, and
//     before a known top-level domain that ends where a word does, the
//     span reaching back over the label;
//   - four numbers up to 255 of up to three digits, joined by dots, where
//     no ASCII letter, digit or underscore comes right before or after;
//
// leaving out the top-level domains and numbers of the host runs around the
// @ of an e-mail address. Blank is white space, or a byte of invalid UTF-8,
// which no JSON string carries.
func strictLinks(text string) [][2]int {
	var cs []strictChar
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		cs = append(cs, strictChar{r, i, i + size, unicode.IsSpace(r) || r == utf8.RuneError && size == 1})
		i += size
	}
	runs := strictRuns(cs)
	inEmail := map[int]bool{} // by the start of a run of host characters
	var spans [][2]int
	for k, c := range cs {
		var start, end int
		switch {
		case c.r == ':':
			start, end = strictScheme(cs, k)
		case strictIsDot(c.r):
			start, end = strictTLD(cs, k)
		case strictIsDigit(c.r) && (k == 0 || !strictIsASCIIWord(cs[k-1].r)):
			start, end = strictIPv4(cs, k)
		default:
			continue
		}
		if start < 0 {
			continue
		}
		if c.r != ':' {
			run := runs[k]
			if _, ok := inEmail[run[0]]; !ok {
				inEmail[run[0]] = strictInEmail(cs, runs, run)
			}
			if inEmail[run[0]] {
				continue
			}
		}
		spans = append(spans, [2]int{cs[start].start, cs[end-1].end})
	}
	return spans
}

// strictScheme returns the span, in characters, of the link whose scheme
// ends at the colon cs[colon], or -1, -1.
func strictScheme(cs []strictChar, colon int) (int, int) {
	start := colon
	for start > 0 && strictIsSchemeRune(cs[start-1].r) {
		start--
	}
	for start < colon && !unicode.IsLetter(cs[start].r) {
		start++
	}
	var scheme strings.Builder
	for _, c := range cs[start:colon] {
		scheme.WriteRune(unicode.ToLower(c.r))
	}
	after := func(n int) bool { return colon+n < len(cs) && !cs[colon+n].blank }
	switch {
	case start == colon:
	case after(1) && cs[colon+1].r == '/' && after(2) && cs[colon+2].r == '/' && after(3):
		return start, colon + 4
	case after(1) && opaqueSchemes[scheme.String()]:
		return start, colon + 2
	}
	return -1, -1
}

// strictTLD returns the span, in characters, of the host name whose
// top-level domain follows the dot cs[dot], or -1, -1.
func strictTLD(cs []strictChar, dot int) (int, int) {
	k := dot - 1
	for k >= 0 && strictIsJoiner(cs[k].r) {
		k--
	}
	if k < 0 || !strictIsCore(cs[k].r) {
		return -1, -1
	}
	for k > 0 && (strictIsCore(cs[k-1].r) || strictIsJoiner(cs[k-1].r)) {
		k--
	}
	end := dot + 1
	var tld strings.Builder
	for end < len(cs) && (unicode.In(cs[end].r, unicode.L, unicode.M, unicode.N) || cs[end].r == '_') {
		tld.WriteRune(cs[end].r)
		end++
	}
	if isTLD(tld.String()) {
		return k, end
	}
	// A punycode top-level domain, "xn--" and letters, digits and hyphens.
	end = dot + 1
	for end < len(cs) && cs[end].r < utf8.RuneSelf && (isASCIIAlnum(byte(cs[end].r)) || cs[end].r == '-') {
		end++
	}
	word := func(c strictChar) bool { return unicode.In(c.r, unicode.L, unicode.M, unicode.N) || c.r == '_' }
	if end-dot-1 > 4 && strings.EqualFold(strictString(cs[dot+1:dot+5]), "xn--") && (end == len(cs) || !word(cs[end])) {
		return k, end
	}
	return -1, -1
}

// strictIPv4 returns the span, in characters, of the IPv4 address that
// starts at cs[k], or -1, -1.
func strictIPv4(cs []strictChar, k int) (int, int) {
	end := k
	for part := 0; part < 4; part++ {
		if part > 0 {
			if end == len(cs) || cs[end].r != '.' {
				return -1, -1
			}
			end++
		}
		digits := ""
		for end < len(cs) && strictIsDigit(cs[end].r) {
			digits += string(cs[end].r)
			end++
		}
		if digits == "" || len(digits) > 3 || digits > "255" && len(digits) == 3 {
			return -1, -1
		}
	}
	if end < len(cs) && strictIsASCIIWord(cs[end].r) {
		return -1, -1
	}
	return k, end
}

// strictRuns returns, for each character, the span [start, end) of the run
// of host characters (letters, marks, digits, '-', '_', format characters
// and dots) it stands in, or {-1, -1}.
func strictRuns(cs []strictChar) [][2]int {
	runs := make([][2]int, len(cs))
	for k := 0; k < len(cs); {
		if !strictIsHost(cs[k].r) {
			runs[k] = [2]int{-1, -1}
			k++
			continue
		}
		end := k
		for end < len(cs) && strictIsHost(cs[end].r) {
			end++
		}
		for j := k; j < end; j++ {
			runs[j] = [2]int{k, end}
		}
		k = end
	}
	return runs
}

// strictInEmail reports whether the run of host characters cs[run[0]:run[1]]
// is the local part or the domain of an e-mail address: right before an @
// and a domain, or right after an @, being a domain itself, with a
// character of a local part (an ASCII letter, digit or one of "._%+-")
// right before the @.
func strictInEmail(cs []strictChar, runs [][2]int, run [2]int) bool {
	after, before := run[1], run[0]-1
	return after+1 < len(cs) && cs[after].r == '@' && strictIsLocal(cs[after-1].r) && runs[after+1][0] == after+1 && strictIsDomain(cs, runs[after+1]) ||
		before >= 1 && cs[before].r == '@' && strictIsLocal(cs[before-1].r) && strictIsDomain(cs, run)
}

// strictIsDomain reports whether the run of host characters cs[run[0]:run[1]]
// is the domain of an e-mail address: two or more labels, each with a
// letter or digit and without format characters, the last a top-level
// domain, and after it no path or port.
func strictIsDomain(cs []strictChar, run [2]int) bool {
	if next := run[1]; next < len(cs) && (cs[next].r == '/' ||
		cs[next].r == ':' && next+1 < len(cs) && (cs[next+1].r == '/' || strictIsDigit(cs[next+1].r))) {
		return false
	}
	var labels []string
	label := ""
	for _, c := range cs[run[0]:run[1]] {
		if strictIsDot(c.r) {
			labels, label = append(labels, label), ""
			continue
		}
		label += string(c.r)
	}
	labels = append(labels, label)
	for _, label := range labels {
		if strings.IndexFunc(label, strictIsCore) < 0 || strings.IndexFunc(label, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0 {
			return false
		}
	}
	last := labels[len(labels)-1]
	punycode := len(last) > 4 && strings.EqualFold(last[:4], "xn--") && strings.Trim(strings.ToLower(last), "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
	return len(labels) >= 2 && (isTLD(last) || punycode)
}

func strictString(cs []strictChar) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}

func strictIsDigit(r rune) bool  { return '0' <= r && r <= '9' }
func strictIsCore(r rune) bool   { return unicode.IsLetter(r) || unicode.IsNumber(r) }
func strictIsJoiner(r rune) bool { return r == '-' || r == '_' || unicode.In(r, unicode.M, unicode.Cf) }
func strictIsHost(r rune) bool   { return strictIsCore(r) || strictIsJoiner(r) || strictIsDot(r) }
func strictIsDot(r rune) bool    { return strings.ContainsRune(".。．｡", r) }
func strictIsLocal(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || strings.ContainsRune("._%+-", r))
}
func strictIsASCIIWord(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '_')
}
func strictIsSchemeRune(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || strings.ContainsRune("+-.", r))
}

// checkNothingRaw fails unless, in the rewriting of text, every link Find
// reads is a gateway link and every span strictLinks returns overlaps one.
func checkNothingRaw(t *testing.T, r *Rewriter, text string) {
	t.Helper()
	res := r.Rewrite(text, "")
	for _, l := range Find(res.Text) {
		if !r.isGatewayLink(l.Text) {
			t.Fatalf("Rewrite(%.200q) leaves the link %.200q", text, l.Text)
		}
	}
	for _, span := range strictLinks(res.Text) {
		k := sort.Search(len(res.Links), func(i int) bool { return res.Links[i].HrefEnd > span[0] })
		if k == len(res.Links) || res.Links[k].HrefStart >= span[1] {
			t.Fatalf("Rewrite(%.200q) leaves %q at bytes %d:%d outside every gateway link", text, res.Text[span[0]:span[1]], span[0], span[1])
		}
	}
}

// longMessages are messages up to the rewrite API's limit of 64 KiB, and
// crafted words, that once held links a reader could open past the
// gateway.
func longMessages() map[string]string {
	const limit = 64 << 10
	chat := strings.Join(benchMessages(64), "")
	plain := strings.Repeat("Halo kak, barangnya masih ready? Bisa kirim hari ini? ", limit/54)
	path := strings.Repeat("a", 10_000)
	return map[string]string{
		"chat":                  chat[:limit],
		"link after text":       plain + "cek bit.ly/x ya",
		"links after text":      plain[:limit/2] + strings.Repeat("bit.ly/x ", limit/18),
		"scheme after text":     plain + "javascript:alert(1) ftp://x 10.0.0.1:8080/x",
		"links in a long word":  strings.Repeat("x", limit/2) + "😊https://evil.com/a😊evil.com/b😊1.2.3.4/c",
		"dotted long word":      strings.Repeat("1.1.1.1.id-", limit/11),
		"host names":            strings.Repeat("a.co.", limit/10) + " " + strings.Repeat("b.co.", limit/10),
		"long path":             "cek https://evil.com/" + path + " dan evil.com/" + path + " dan 1.2.3.4/" + path,
		"long host":             strings.Repeat("sub-", limit/8) + "evil.com",
		"many schemes":          strings.Repeat("https://", limit/8),
		"many colons":           strings.Repeat("x:", limit/4) + "//y",
		"open brackets":         "https://x.com/" + strings.Repeat("(", limit/2) + " bit.ly/" + strings.Repeat("[a]", limit/8),
		"e-mail addresses":      strings.Repeat("budi@gmail.com,", limit/30) + strings.Repeat("a@b.co@", limit/30) + "evil.com",
		"format characters":     strings.Repeat("evil\u200b.com\u200b", limit/20),
		"glued links and emoji": strings.Repeat("bit.ly/x🔥", limit/24),
		"IPv4 addresses":        strings.Repeat("1.2.3.4.", limit/16),
	}
}

func TestRewriteLeavesNothingRaw(t *testing.T) {
	r := mustRewriter(t, base, lengthSigner{})
	for _, tc := range findCases {
		checkNothingRaw(t, r, stripMarks(tc.in))
	}
	for name, msg := range longMessages() {
		t.Run(name, func(t *testing.T) {
			checkNothingRaw(t, r, msg)
		})
	}
}

// TestStrictLinks checks that the stricter finder finds what it should,
// so that the property above cannot pass for want of it.
func TestStrictLinks(t *testing.T) {
	tests := map[string][]string{
		"cek bit.ly/x":                 {"bit.ly"},
		"lihathttps://x":               {"lihathttps://x"},
		"ftp://a intent://b":           {"ftp://a", "intent://b"},
		"javascript:alert(1) std::map": {"javascript:a"},
		"Ukuran:42 https:// x":         nil,
		"evil\u200b.com ..com -.com":   {"evil\u200b.com"},
		"ｂｌｉｂｌｉ．ｃｏｍ":                   {"ｂｌｉｂｌｉ．ｃｏｍ"},
		"x.xn--p1ai x.comhttps":        {"x.xn--p1ai"},
		"1.2.3.4 v1.2.3.4 1.2.3.256":   {"1.2.3.4"},
		"budi@gmail.com a.care@b.com":  nil,
		"budi@evil.com/x":              {"evil.com"},
		"blibli.com@evil":              {"blibli.com"},
	}
	for text, want := range tests {
		var got []string
		for _, span := range strictLinks(text) {
			got = append(got, text[span[0]:span[1]])
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("strictLinks(%q) = %q, want %q", text, got, want)
		}
	}
}
