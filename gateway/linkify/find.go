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
		m := candidates.FindStringIndex(word[pos:])
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

// mayHoldLink reports whether word has what every web link has: "://", or
// a dot followed by a letter (the start of the top-level domain; a non-ASCII
// byte counts as a letter). Most words of a chat message, "ya.",
// "Rp150.000", "3.14" among them, have not, and skipping them saves the
// regular expression.
func mayHoldLink(word string) bool {
	for i := 0; i+1 < len(word); i++ {
		switch word[i] {
		case '.':
			if c := word[i+1] | 0x20; 'a' <= c && c <= 'z' || word[i+1] >= utf8.RuneSelf {
				return true
			}
		case ':':
			if strings.HasPrefix(word[i+1:], "//") {
				return true
			}
		}
	}
	return false
}

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
