// Package linkify finds the web links in chat messages and rewrites each of
// them into a link to the safelink gateway's /go endpoint.
//
// The finder reads what a chat user would read as a clickable web link:
// URLs with an http or https scheme, and scheme-less web addresses such as
// www.blibli.com, blibli.com, bit.ly/x or wa.me/62812 whose top-level domain
// is a real one. Links with any other scheme (javascript:, mailto:, ftp://,
// intent://, …) are not links here: a chat user sees them as text.
package linkify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// Link is a web link found in a text.
type Link struct {
	// Text is the link exactly as written: input[Start:End].
	Text string
	// Start and End are the byte offsets of the link in the input.
	Start, End int
	// URL is the absolute URL the link stands for: Text itself when it has a
	// scheme, "https://" + Text when it has none.
	URL string
}

// candidates matches everything xurls reads as a URL, with or without a
// scheme, including e-mail addresses and bare IP addresses; classify keeps
// the web links among them.
var candidates = xurls.Relaxed()

// candidatesAt is candidates anchored at the start of the text. Where a
// text starts with a match, it finds the same match as candidates in half
// the time, as it does not try every pattern again at every byte.
var candidatesAt = compileLongest(`^(?:` + candidates.String() + `)`)

// webLinkAt matches an http or https URL at the start of a text only. Where
// a text starts with "http://" or "https://" no other pattern of candidates
// can match, so webLinkAt finds the same link there, an order of magnitude
// faster than candidatesAt.
var webLinkAt = mustCompileScheme(`^https?://`)

// compileLongest compiles expr for leftmost-longest matching, as xurls does.
func compileLongest(expr string) *regexp.Regexp {
	re := regexp.MustCompile(expr)
	re.Longest()
	return re
}

// mustCompileScheme returns xurls' expression for URLs whose scheme matches
// the regular expression scheme.
func mustCompileScheme(scheme string) *regexp.Regexp {
	re, err := xurls.StrictMatchingScheme(scheme)
	if err != nil {
		panic(err)
	}
	return re
}

// scanBudget bounds the bytes one Find lets the regular expression read,
// counting each search by the length of text it may read. xurls' expression
// costs a few microseconds per byte on dotted text, and a search restarts
// after every match, so a crafted word of many short matches would cost time
// quadratic in its length. The words of a chat message that may hold a link
// stay far below the budget; past it, the rest of a word is left as text.
const scanBudget = 8 << 10

// Find returns the web links in text, ordered by position and never
// overlapping.
//
// On top of xurls it cuts links at invisible format characters (zero-width
// space, bidi controls) and invalid UTF-8, keeps trailing emoji, curly
// quotes and other non-ASCII punctuation outside a link, and drops what a
// chat user does not read as a web link: e-mail addresses, other schemes,
// bare IP addresses, and file names such as arsip.zip whose extension
// happens to be a top-level domain.
//
// It runs xurls word by word, on the words that may hold a link, and stops
// once the regular expression has read scanBudget (8 KiB) in all: far more
// than a chat message needs, and a bound on the time a crafted message can
// take. What is left then stays text.
func Find(text string) []Link {
	f := finder{text: text, budget: scanBudget}
	start := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				f.scanWord(start, i-1)
				start = i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if isWordBreak(r, size) {
			f.scanWord(start, i-size)
			start = i
		}
	}
	f.scanWord(start, len(text))
	return f.links
}

// asciiSpace marks the ASCII white space characters.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// isWordBreak reports whether the non-ASCII rune r, of size bytes in the
// text, separates words: white space, which no URL holds, a format
// character (category Cf), which is invisible and so would show the reader
// another address than the link's, or a byte of invalid UTF-8.
func isWordBreak(r rune, size int) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError && size == 1
}

// finder collects the links of one text.
type finder struct {
	text   string
	budget int // bytes the regular expression may still read
	links  []Link
}

// scanWord appends the links of the word text[start:end], a stretch without
// word breaks.
func (f *finder) scanWord(start, end int) {
	word := f.text[start:end]
	if !mayHoldLink(word) {
		return
	}
	for pos := 0; pos < len(word); {
		if len(word)-pos > f.budget {
			return
		}
		f.budget -= len(word) - pos
		m := findCandidate(word[pos:])
		if m == nil {
			return
		}
		s, e := pos+m[0], pos+m[1]
		pos = e
		e = trimEnd(word, s, e)
		if url, ok := classify(word[s:e], word[:s]); ok {
			f.links = append(f.links, Link{Text: word[s:e], Start: start + s, End: start + e, URL: url})
		}
	}
}

// findCandidate returns the span of the first xurls match in word, or nil.
// As most words that hold a link start with it, it tries the anchored
// expressions first.
func findCandidate(word string) []int {
	if webSchemeLen(word) > 0 {
		if m := webLinkAt.FindStringIndex(word); m != nil {
			return m
		}
	}
	if m := candidatesAt.FindStringIndex(word); m != nil {
		return m
	}
	return candidates.FindStringIndex(word)
}

// mayHoldLink reports whether word has what every web link has: "://", or
// a dot followed by a top-level domain known to xurls. Most words of a chat
// message that hold a dot, "kak.Saya", "invoice.pdf", "Rp150.000" among
// them, have not, and skipping them saves the regular expression, whose
// cost is the same whether it finds a link or not.
func mayHoldLink(word string) bool {
	for i := 0; i < len(word); i++ {
		switch word[i] {
		case ':':
			if strings.HasPrefix(word[i+1:], "//") {
				return true
			}
		case '.':
			if startsWithTLD(word[i+1:]) {
				return true
			}
		}
	}
	return false
}

// startsWithTLD reports whether s starts with what xurls may read as a
// top-level domain: a punycode label, a non-ASCII character (xurls knows
// Unicode TLDs), or a run of ASCII letters, digits and underscores that is
// in its list of ASCII TLDs, in any letter case. The run ends where the
// regular expression's \b does; if a non-ASCII character ends it, the TLD
// may go on ("vermögensberater"), so the answer is yes.
func startsWithTLD(s string) bool {
	if hasPrefixFold(s, "xn--") {
		return true
	}
	var lower [maxLabelLen]byte
	n := 0
	for ; n < len(s) && isASCIIWordChar(s[n]); n++ {
		if n == maxLabelLen {
			return false
		}
		lower[n] = s[n] | 0x20 // lower-cases letters, keeps digits
	}
	return n < len(s) && s[n] >= utf8.RuneSelf || asciiTLDs[string(lower[:n])]
}

// isASCIIWordChar reports whether c is a word character of the regular
// expression's \b: an ASCII letter, digit or underscore.
func isASCIIWordChar(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_'
}

// maxLabelLen is the length of the longest DNS label, and so of the longest
// top-level domain.
const maxLabelLen = 63

// asciiTLDs holds xurls' top-level domains, real and pseudo, that start with
// an ASCII character.
var asciiTLDs = func() map[string]bool {
	set := make(map[string]bool, len(xurls.TLDs)+len(xurls.PseudoTLDs))
	for _, list := range [][]string{xurls.TLDs, xurls.PseudoTLDs} {
		for _, tld := range list {
			if tld[0] < utf8.RuneSelf {
				set[tld] = true
			}
		}
	}
	return set
}()

// trimEnd moves the end of the candidate word[s:e] back past characters
// that end the sentence rather than the link: non-ASCII symbols and
// punctuation (emoji, curly quotes, full-width stops: "cek
// blibli.com/promo🔥", "“https://x.com/a”"), and the ASCII punctuation they
// followed, which xurls itself never ends a link on ("x.com/a.🔥" gives
// "x.com/a").
func trimEnd(word string, s, e int) int {
	for e > s {
		r, size := utf8.DecodeLastRuneInString(word[s:e])
		if !belongsToSentence(r) && !strings.ContainsRune(midOnlyASCII, r) {
			break
		}
		e -= size
	}
	return e
}

// midOnlyASCII are the ASCII characters xurls takes inside a link but never
// at its end.
const midOnlyASCII = `.,:;!?'*@\`

// belongsToSentence reports whether r, at the end of a link, belongs to the
// sentence: a non-ASCII symbol (emoji, arrows, currency signs) or
// punctuation mark (curly quotes, closing brackets, ellipsis), an emoji
// presentation selector or an enclosing keycap mark.
func belongsToSentence(r rune) bool {
	return r >= utf8.RuneSelf &&
		unicode.In(r, unicode.S, unicode.P, unicode.Me, unicode.Variation_Selector)
}
