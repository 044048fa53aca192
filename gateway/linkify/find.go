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

// Find returns the web links in text, ordered by position and never
// overlapping.
//
// On top of xurls it cuts links at invisible format characters (zero-width
// space, bidi controls), keeps trailing emoji, curly quotes and other
// non-ASCII punctuation outside a link, and drops what a chat user does not
// read as a web link: e-mail addresses, other schemes, bare IP addresses,
// and file names such as arsip.zip whose extension happens to be a
// top-level domain.
func Find(text string) []Link {
	var links []Link
	for start := 0; start <= len(text); {
		end, next := nextFormatChar(text, start)
		links = appendSegmentLinks(links, text, start, end)
		start = next
	}
	return links
}

// nextFormatChar returns the offset of the first Unicode format character
// (category Cf) at or after start, and the offset just past it; both are
// past the end of text when there is none. Format characters are invisible,
// so a link never runs across one: a zero-width space or a right-to-left
// override inside a link would show the reader something else than the
// address.
func nextFormatChar(text string, start int) (at, next int) {
	for i := start; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.Is(unicode.Cf, r) {
			return i, i + size
		}
		i += size
	}
	return len(text), len(text) + 1
}

// appendSegmentLinks appends the links found in text[start:end], a stretch
// without format characters.
func appendSegmentLinks(links []Link, text string, start, end int) []Link {
	segment := text[start:end]
	// Every candidate holds a dot or a colon; most chat lines hold neither.
	if strings.IndexByte(segment, '.') < 0 && strings.IndexByte(segment, ':') < 0 {
		return links
	}
	for _, m := range candidates.FindAllStringIndex(segment, -1) {
		s, e, ok := trimTrailingSymbols(segment, m[0], m[1])
		if !ok {
			continue
		}
		url, ok := classify(segment[s:e], segment[:s])
		if !ok {
			continue
		}
		links = append(links, Link{Text: segment[s:e], Start: start + s, End: start + e, URL: url})
	}
	return links
}

// trimTrailingSymbols moves the end of the candidate segment[s:e] back past
// non-ASCII symbols and punctuation: emoji, curly quotes, full-width stops.
// In chat they end the sentence rather than the link ("cek
// blibli.com/promo🔥", "“https://x.com/a”"). xurls then decides again where
// the shortened link ends, so that ASCII punctuation before them stays
// outside too ("x.com/a.🔥" gives "x.com/a"). It reports false when nothing
// of the link is left.
func trimTrailingSymbols(segment string, s, e int) (int, int, bool) {
	for {
		t := e
		for t > s {
			r, size := utf8.DecodeLastRuneInString(segment[s:t])
			if !belongsToSentence(r) {
				break
			}
			t -= size
		}
		if t == e {
			return s, e, true
		}
		m := candidates.FindStringIndex(segment[s:t])
		if m == nil {
			return 0, 0, false
		}
		s, e = s+m[0], s+m[1]
	}
}

// belongsToSentence reports whether r, at the end of a link, belongs to the
// sentence: a non-ASCII symbol (emoji, arrows, currency signs) or
// punctuation mark (curly quotes, closing brackets, ellipsis), an emoji
// presentation selector or an enclosing keycap mark. ASCII characters are
// left to xurls, which already keeps ASCII punctuation and unbalanced
// brackets outside links.
func belongsToSentence(r rune) bool {
	return r >= utf8.RuneSelf &&
		unicode.In(r, unicode.S, unicode.P, unicode.Me, unicode.Variation_Selector)
}
