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
	"unicode"
	"unicode/utf8"
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

// scanBudget bounds the work of one Find, counting each search of the
// regular expression by the length of text it may read plus searchCost.
// xurls' expression costs a microsecond or more per byte on dotted text, and
// a search restarts after every match, so a crafted word of many short
// matches would cost time quadratic in its length. The words of a chat
// message that may hold a link stay far below the budget; past it, the rest
// of a word is left as text.
const scanBudget = 8 << 10

// searchCost is the cost of starting a search, in bytes read: about what
// the regular expression takes for the shortest words.
const searchCost = 16

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
// once the regular expression has read about 8 KiB in all (scanBudget): far
// more than a chat message needs, and a bound on the time a crafted message
// can take. What is left then stays text.
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
	budget int // work left, counted as scanBudget is
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
		cost := searchCost + len(word) - pos
		if cost > f.budget {
			return
		}
		f.budget -= cost
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
