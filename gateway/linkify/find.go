// Package linkify finds the links in chat messages and rewrites each of
// them into a link to the safelink gateway's /go endpoint.
//
// The finder reads what a phone or a browser may make clickable, so that
// none of it reaches a reader outside a gateway link:
//
//   - a URL with a scheme followed by "//", whatever the scheme: https://,
//     ftp://, intent://, market://, rtsp://;
//   - a URL with a scheme opened without "//": javascript:, vbscript:,
//     data:, intent:, market:, mailto:, tel:, sms:, geo:, magnet:, …;
//   - a web address without a scheme whose top-level domain is a real
//     one: www.blibli.com, blibli.com, bit.ly/x, wa.me/62812, and
//     arsip.zip, a file name to a person but a link to Android's
//     linkifier;
//   - an IPv4 address, alone or with a port or path: 192.168.1.1,
//     10.0.0.1:8080/x (Android's linkifier makes each a link, and so a
//     version number with four parts as well).
//
// E-mail addresses stay text. Rewriting a link that is not a web link is
// safe: /go answers it with its 400 page.
//
// The finder reads a message once, in time linear in its length: a
// hand-written scanner, with no regular expression and no limit past which
// text is left alone.
package linkify

import (
	"unicode"
	"unicode/utf8"
)

// Link is a link found in a text.
type Link struct {
	// Text is the link exactly as written: input[Start:End].
	Text string
	// Start and End are the byte offsets of the link in the input.
	Start, End int
	// URL is the absolute URL the link stands for: Text itself when it has a
	// scheme, "https://" + Text when it has none.
	URL string
}

// Find returns the links in text, ordered by position and never
// overlapping.
//
// White space and invalid UTF-8 end every link; so do invisible format
// characters (zero-width space, bidi controls) after a link's host name,
// while inside one they stay in the link, which /go then refuses. Trailing
// emoji, curly quotes and other punctuation stay outside a link.
func Find(text string) []Link {
	var links []Link
	start := 0
	linkish := false // the word so far holds a dot, a colon or a non-ASCII character
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch asciiKind[c] {
			case spaceKind:
				if linkish {
					links = scanWord(links, text, start, i-1)
				}
				start, linkish = i, false
			case linkishKind:
				linkish = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsSpace(r) || r == utf8.RuneError && size == 1 {
			if linkish {
				links = scanWord(links, text, start, i-size)
			}
			start, linkish = i, false
			continue
		}
		linkish = true
	}
	if linkish {
		links = scanWord(links, text, start, len(text))
	}
	return links
}

// Kinds of ASCII bytes to Find: white space, which ends a word, and a dot
// or a colon, without which a word of ASCII holds no link.
const (
	otherKind = iota
	spaceKind
	linkishKind
)

// asciiKind holds the kind of each ASCII byte.
var asciiKind = [utf8.RuneSelf]uint8{
	'\t': spaceKind, '\n': spaceKind, '\v': spaceKind, '\f': spaceKind, '\r': spaceKind, ' ': spaceKind,
	'.': linkishKind, ':': linkishKind,
}

// scanWord appends the links of the word text[start:end], a stretch without
// white space or invalid UTF-8, to links. Find skips the words without a
// dot, a colon or a non-ASCII character, which hold no link.
func scanWord(links []Link, text string, start, end int) []Link {
	s := scanner{word: text[start:end], offset: start, links: links}
	s.scan()
	return s.links
}

// scanner finds the links of one word. It moves forward only, and reads
// each byte a bounded number of times.
type scanner struct {
	word   string // the word
	offset int    // of the word in the text
	from   int    // where the text after the last link found starts
	links  []Link
}

func (s *scanner) scan() {
	for i := 0; i < len(s.word); {
		if c := s.word[i]; c < utf8.RuneSelf && c != ':' && !is(c, hostByte) {
			i++
			continue
		}
		r, size := runeAt(s.word, i)
		switch {
		case isHostRune(r):
			i = s.hostRun(i)
		case r == ':':
			i = s.schemeLink(i)
		default:
			i += size
		}
	}
}

// add records the link s.word[start:end], whose URL is its text after
// prefix, and returns end.
func (s *scanner) add(start, end int, prefix string) int {
	text := s.word[start:end]
	s.links = append(s.links, Link{Text: text, Start: s.offset + start, End: s.offset + end, URL: prefix + text})
	s.from = end
	return end
}
